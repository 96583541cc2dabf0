"""The simulator process: exchange, synthetic market, back office and the broker fronts.

``SimServer`` is an async context manager. Each broker front is one aiohttp application on its
own port (0 picks a free one) serving REST and WebSocket together, as the real hosts do, plus the
private fault-control path ``/__sim/faults``::

    async with SimServer(seed=7, market=False, clock=ManualClock()) as sim:
        sim.exchange, sim.back_office, sim.clock   # the parts, for in-process tests
        sim.urls["kis"]["rest"]          # http://127.0.0.1:54321
        sim.credentials["kis"]["mock"]   # app_key, app_secret, hts_id, accounts, account_name
        sim.urls["ls"]["ws"]             # ws://127.0.0.1:54322/websocket
        sim.credentials["ls"]["mock"]    # app_key, app_secret, account, account_name, label
        sim.faults.rate_limit(1)
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from typing import Any

from aiohttp import web

from ..clock import Clock, SystemClock
from ..domain import krx
from .accounts import BackOffice
from .exchange import Exchange, SessionMode
from .faults import FAULTS_PATH, Faults, add_routes
from ..brokers.kis.codes import Domain
from .kis.front import KisFront, KisOptions
from .ls import LsFront, LsOptions
from ..brokers.ls.codes import WS_PATHS as LS_WS_PATHS

#: Demo holdings seeded into every account so sells work out of the box: (code, shares).
DEMO_HOLDINGS = (("005930", 1_000), ("000660", 100), ("035420", 200), ("069500", 1_000))
DEMO_CASH = 1_000_000_000

_SESSIONS = {"always": "ALWAYS_OPEN", "krx": "KRX"}


def session_mode(value: str | SessionMode) -> SessionMode:
    if isinstance(value, SessionMode):
        return value
    name = _SESSIONS.get(value.lower(), value.upper())
    try:
        return SessionMode[name]
    except KeyError:
        raise ValueError(f"unknown session mode {value!r}; use one of {sorted(_SESSIONS)}") from None


class SimServer:
    def __init__(self, *, host: str = "127.0.0.1", kis_port: int = 0, ls_port: int = 0, seed: int = 0,
                 session: str | SessionMode = "always", market: bool = True,
                 market_interval: float = 0.5, clock: Clock | None = None,
                 kis_options: KisOptions | None = None, rate_limits: dict[str, int] | None = None,
                 ls_options: LsOptions | None = None,
                 instruments: Any = None,
                 holdings: tuple[tuple[str, int], ...] | None = DEMO_HOLDINGS,
                 cash: int = DEMO_CASH, pages: bool = False):
        self.host = host
        self.seed = seed
        self.clock: Clock = clock or SystemClock()
        self.session = session_mode(session)
        self.market_on = market
        self.market_interval = market_interval
        self._kis_port = kis_port
        self._kis_options = kis_options or KisOptions()
        if rate_limits is not None:
            # Only for tests that ask for it explicitly; the default is the spec's 20/s and 2/s.
            self._kis_options = dataclasses.replace(self._kis_options, rate_limits={
                Domain(key) if isinstance(key, str) else key: n for key, n in rate_limits.items()})
        self._ls_port = ls_port
        self._ls_options = ls_options or LsOptions()
        self._instruments = instruments
        self._holdings = holdings
        self._cash = cash
        self.faults = Faults()
        self.exchange: Exchange | None = None
        self.back_office: BackOffice | None = None
        self.market: Any = None
        self.kis: KisFront | None = None
        self.ls: LsFront | None = None
        self._runners: list[web.AppRunner] = []
        self._market_task: asyncio.Task | None = None
        self.urls: dict[str, dict[str, str]] = {}
        self._pages_on = pages
        self.pages: Any = None   # sim/pages.PagesFront: 38.co.kr and judal, when pages=True

    # ------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> SimServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> None:
        instruments = self._instruments
        if instruments is None:
            from ..domain.instruments import load_default
            instruments = load_default()
        self.exchange = Exchange(instruments, clock=self.clock, seed=self.seed, session=self.session)
        self.back_office = BackOffice(self.exchange, self.clock)
        self.kis = KisFront(self.exchange, self.back_office, self.clock, self.faults,
                            seed=self.seed, options=self._kis_options,
                            holdings=self._demo_holdings(), cash=self._cash)
        port = await self._serve(self.kis.install, self._kis_port)
        base = f"http://{self._url_host()}:{port}"
        self.urls["kis"] = {"rest": base, "ws": f"ws://{self._url_host()}:{port}",
                            "faults": base + FAULTS_PATH}
        self.ls = LsFront(self.exchange, self.back_office, self.clock, self.faults,
                          seed=self.seed, options=self._ls_options,
                          holdings=self._demo_holdings(), cash=self._cash)
        port = await self._serve(self.ls.install, self._ls_port)
        base = f"http://{self._url_host()}:{port}"
        # LS clients take the full realtime URL (…:9443/websocket), so that is what "ws" holds.
        self.urls["ls"] = {"rest": base, "ws": f"ws://{self._url_host()}:{port}{LS_WS_PATHS[0]}",
                           "faults": base + FAULTS_PATH}
        if self._pages_on:
            from .pages import PagesFront

            self.pages = PagesFront(self.clock)
            self.urls["pages"] = await self.pages.start(self.host)
        if self.market_on:
            from .market import SyntheticMarket

            self.market = SyntheticMarket(self.exchange, seed=self.seed)
            self._market_task = asyncio.create_task(self.market.run(self.market_interval))

    async def _serve(self, install, port: int) -> int:
        app = web.Application(client_max_size=1 << 20)
        install(app)
        add_routes(app, self.faults)
        # handler_cancellation: a client that gives up on a stalled answer frees its handler.
        runner = web.AppRunner(app, access_log=None, handler_cancellation=True,
                               shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, self.host, port)
        await site.start()
        self._runners.append(runner)
        return runner.addresses[0][1]

    async def stop(self) -> None:
        if self._market_task is not None:
            self._market_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._market_task
            self._market_task = None
        if self.market is not None:
            self.market.close()
            self.market = None
        self.faults.release_stalls()
        if self.kis is not None:
            await self.kis.close()
        if self.ls is not None:
            await self.ls.close()
        for runner in reversed(self._runners):
            await runner.cleanup()
        self._runners.clear()
        if self.pages is not None:
            await self.pages.stop()

    def _url_host(self) -> str:
        return "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host

    def _demo_holdings(self) -> list[tuple[str, int, int]]:
        out = []
        for code, qty in self._holdings or ():
            try:
                inst = self.exchange.instrument(code)
            except (KeyError, LookupError, ValueError):
                inst = None
            if inst is None or not inst.base_price:
                continue
            avg = krx.round_to_tick(inst.base_price * 97 // 100, inst.kind, inst.market)
            out.append((code, qty, avg))
        return out

    # ------------------------------------------------------------ what clients need

    @property
    def credentials(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.kis is not None:
            out["kis"] = self.kis.credentials()
        if self.ls is not None:
            out["ls"] = self.ls.credentials()
        return out

    def describe(self) -> dict[str, Any]:
        """The one JSON object ``lucy sim`` prints when ready."""
        return {"lucy_sim": "ready", "seed": self.seed, "session": self.session.name,
                "market": self.market_on, "urls": self.urls, "credentials": self.credentials}
