"""Engine tests run against the simulator over localhost sockets: KIS (two accounts) and LS.

Shared by the engine tests and the subprocesses they start (a conftest is no module to import).
"""

from __future__ import annotations

import asyncio

import httpx

from lucy_tui.brokers.kis import KisBroker, KisSettings
from lucy_tui.brokers.kis.codes import Domain
from lucy_tui.brokers.ls import codes as ls_codes
from lucy_tui.brokers.ls.client import LsBroker
from lucy_tui.brokers.ls.settings import LsSettings
from lucy_tui.sim.kis.front import KisOptions
from lucy_tui.sim.ls.options import LsOptions
from lucy_tui.sim.server import SimServer

FAST = 50
LS_FAST = {tr: FAST for tr in ls_codes.TR_PATH}
CODE, PRICE = "005930", 269000          # the demo universe's 삼성전자 (tick 500)
COUNTERPARTY = "test:counterparty"


def make_sim(clock=None) -> SimServer:
    return SimServer(seed=11, market=False, clock=clock, session="always",
                     kis_options=KisOptions(rate_limits={Domain.MOCK: FAST, Domain.REAL: FAST},
                                            pingpong_interval=30.0),
                     ls_options=LsOptions(rate_limits=dict(LS_FAST)))


def kis_broker(server: SimServer, tmp_path, *, clock=None, timeout: float = 5.0, **kw) -> KisBroker:
    cred = server.credentials["kis"]["mock"]
    accounts = tuple(KisSettings.make_account(n, label=f"kis{i}")
                     for i, n in enumerate(cred["accounts"]))
    settings = KisSettings(app_key=cred["app_key"], app_secret=cred["app_secret"],
                           hts_id=cred["hts_id"], accounts=accounts, env="mock",
                           rest_url=server.urls["kis"]["rest"],
                           ws_url=server.urls["kis"]["ws"] + "/tryitout",
                           token_dir=tmp_path / "tokens", reconnect_initial=0.05,
                           reconnect_max=0.3, ws_open_timeout=5.0, rate_limit=FAST, **kw)
    return KisBroker(settings, clock=clock,
                     http=httpx.AsyncClient(timeout=httpx.Timeout(timeout)))


def ls_broker(server: SimServer, tmp_path, *, clock=None) -> LsBroker:
    cred = server.credentials["ls"]["mock"]
    settings = LsSettings(app_key=cred["app_key"], app_secret=cred["app_secret"],
                          accounts=(LsSettings.make_account(cred["account"], "ls0"),),
                          env="mock", rest_url=server.urls["ls"]["rest"],
                          ws_url=server.urls["ls"]["ws"], token_dir=tmp_path / "ls-tokens",
                          token_issue_interval=0.5, token_max_wait=3.0, reconnect_initial=0.05,
                          reconnect_max=0.3, ws_open_timeout=5.0, rate_backoff=0.05,
                          tr_limits=dict(LS_FAST))
    return LsBroker(settings, clock=clock)


async def wait_for(predicate, timeout: float = 5.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)
