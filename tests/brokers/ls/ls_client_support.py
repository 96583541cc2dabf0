"""Helpers for LS client tests against the simulator over real localhost sockets."""

from __future__ import annotations

from collections import Counter

import httpx

from lucy_tui.brokers.ls import codes
from lucy_tui.brokers.ls.settings import LsSettings
from lucy_tui.sim.ls import LsOptions
from lucy_tui.sim.server import SimServer
from support.brokers import CountingWire, Events, ShiftedClock  # noqa: F401 (re-exported to the tests)

#: Functional tests raise every TR's budget on both sides so they run fast; pacing tests do not.
FAST = 50
FAST_LIMITS = {tr: FAST for tr in codes.TR_PATH}



class Wire(CountingWire):
    """Counts what crossed the wire: TR requests by tr_cd, token requests, answers by rsp_cd."""

    code_field = "rsp_cd"

    def __init__(self, timeout: float = 5.0):
        self.trs: Counter[str] = Counter()
        self.tokens = 0
        super().__init__(timeout)

    async def _request(self, request: httpx.Request) -> None:
        if request.url.path == codes.P_TOKEN:
            self.tokens += 1
        elif "tr_cd" in request.headers:
            self.trs[request.headers["tr_cd"]] += 1




def sim_server(*, fast: bool = True, clock=None, session: str = "always", **options) -> SimServer:
    if fast:
        options.setdefault("rate_limits", dict(FAST_LIMITS))
    return SimServer(seed=11, market=False, clock=clock, session=session,
                     ls_options=LsOptions(**options))


def settings_for(server: SimServer, tmp_path, *, which: str = "mock", **overrides) -> LsSettings:
    cred = server.credentials["ls"][which]
    values = dict(app_key=cred["app_key"], app_secret=cred["app_secret"],
                  accounts=(LsSettings.make_account(cred["account"], cred.get("label", "")),),
                  env="real" if which.startswith("real") else "mock",
                  allow_real=which.startswith("real"),
                  rest_url=server.urls["ls"]["rest"], ws_url=server.urls["ls"]["ws"],
                  token_dir=tmp_path / "tokens", token_issue_interval=0.5, token_max_wait=3.0,
                  reconnect_initial=0.05, reconnect_max=0.3, ws_open_timeout=5.0,
                  rate_backoff=0.05)
    values.update(overrides)
    return LsSettings(**values)


def owner_of(server: SimServer, which: str = "mock") -> str:
    cred = server.credentials["ls"][which]
    return f"ls:{'real' if which.startswith('real') else 'mock'}:{cred['account']}"
