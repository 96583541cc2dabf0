"""A KIS session for the research endpoints (real domain: finance and opinions are real-only)."""

from __future__ import annotations

import httpx

from lucy_tui.brokers.kis import KisBroker, KisSettings


def research_broker(server, tmp_path, domain: str = "real", *, rate: int = 50) -> KisBroker:
    cred = server.credentials["kis"][domain]
    settings = KisSettings(
        app_key=cred["app_key"], app_secret=cred["app_secret"], hts_id=cred["hts_id"],
        accounts=(KisSettings.make_account(cred["accounts"][0], label="a"),), env=domain,
        rest_url=server.urls["kis"]["rest"], ws_url=server.urls["kis"]["ws"] + "/tryitout",
        token_dir=tmp_path / f"tokens-{domain}", rate_limit=rate, allow_real=domain == "real",
        reconnect_initial=0.05, reconnect_max=0.3, ws_open_timeout=5.0)
    return KisBroker(settings, clock=server.clock, http=httpx.AsyncClient(timeout=5.0))
