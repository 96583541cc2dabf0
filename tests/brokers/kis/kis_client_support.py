"""Helpers for KIS client tests against the simulator over real localhost sockets."""

from __future__ import annotations

from collections import Counter

import httpx

from lucy_tui.brokers.kis import KisSettings
from lucy_tui.brokers.kis.codes import Domain
from lucy_tui.sim.kis.front import KisOptions
from lucy_tui.sim.server import SimServer
from support.brokers import CountingWire, Events, ShiftedClock  # noqa: F401 (re-exported to the tests)

#: Functional tests raise the mock limit on both sides so they run fast; pacing tests do not.
FAST = 50



class Wire(CountingWire):
    """Counts what crossed the wire: requests by path, gateway answers by msg_cd; and keeps each
    request's tr id with its query, in order (``sent``)."""

    code_field = "msg_cd"

    def __init__(self, timeout: float = 5.0):
        self.requests: Counter[str] = Counter()
        self.sent: list[tuple[str, dict[str, str]]] = []
        super().__init__(timeout)

    async def _request(self, request: httpx.Request) -> None:
        self.requests[request.url.path] += 1
        self.sent.append((request.headers.get("tr_id", ""), dict(request.url.params)))

    @property
    def uapi(self) -> int:
        return sum(n for path, n in self.requests.items() if path.startswith("/uapi"))




def sim_server(*, fast: bool = True, clock=None, session: str = "always", **options) -> SimServer:
    if fast:
        options.setdefault("rate_limits", {Domain.MOCK: FAST, Domain.REAL: FAST})
    options.setdefault("pingpong_interval", 30.0)
    return SimServer(seed=11, market=False, clock=clock, session=session,
                     kis_options=KisOptions(**options))


def settings_for(server: SimServer, tmp_path, **overrides) -> KisSettings:
    cred = server.credentials["kis"]["mock"]
    accounts = tuple(KisSettings.make_account(number, label=f"paper{i}")
                     for i, number in enumerate(cred["accounts"]))
    values = dict(app_key=cred["app_key"], app_secret=cred["app_secret"], hts_id=cred["hts_id"],
                  accounts=accounts, env="mock", rest_url=server.urls["kis"]["rest"],
                  ws_url=server.urls["kis"]["ws"] + "/tryitout", token_dir=tmp_path / "tokens",
                  reconnect_initial=0.05, reconnect_max=0.3, ws_open_timeout=5.0)
    values.update(overrides)
    return KisSettings(**values)
