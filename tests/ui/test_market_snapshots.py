"""SVG snapshots of the watchlist and stock detail screens at a fixed terminal size.

The simulator runs with the market off, a fixed seed and a clock fixed to a Tuesday, so every
figure on screen is reproducible. A missing or changed picture fails; after a deliberate change
of the screens, refresh them with ``LUCY_UPDATE_SNAPSHOTS=1 pytest tests/ui/test_market_snapshots.py``
and look at the new SVGs before committing them.
"""

from __future__ import annotations

import asyncio
import os
from datetime import datetime
from pathlib import Path

import pytest
from textual.app import App

from lucy_tui.brokers.kis.codes import Domain
from lucy_tui.clock import KST
from lucy_tui.domain.instruments import load_default
from lucy_tui.sim.kis.front import KisOptions
from lucy_tui.sim.server import SimServer
from lucy_tui.ui.screens.stock_detail import StockDetailScreen
from lucy_tui.ui.screens.watchlist import WatchlistScreen
from lucy_tui.watchlist import PriceFeed, WatchlistStore

from support.brokers import ShiftedClock
from support.engine import kis_broker
from support.market import research_broker

SNAPSHOTS = Path(__file__).parent / "__snapshots__"
SIZE = (120, 36)
START = datetime(2026, 11, 24, 10, 0, tzinfo=KST)
UNIVERSE = load_default()


def check_snapshot(app: App, name: str) -> None:
    svg = app.export_screenshot(title=name)
    path = SNAPSHOTS / f"{name}.svg"
    if os.environ.get("LUCY_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(svg, encoding="utf-8")
        return
    assert path.exists(), f"no snapshot {path.name}: run with LUCY_UPDATE_SNAPSHOTS=1 and review it"
    if path.read_text(encoding="utf-8") != svg:
        failed = path.with_suffix(".new.svg")
        failed.write_text(svg, encoding="utf-8")
        pytest.fail(f"{name} differs from its snapshot; the new picture is {failed}")


class Host(App):
    def __init__(self, screen):
        super().__init__()
        self.first = screen

    def on_mount(self) -> None:
        self.push_screen(self.first)


@pytest.fixture
async def sim():
    server = SimServer(seed=11, market=False, clock=ShiftedClock(START),
                       kis_options=KisOptions(rate_limits={Domain.MOCK: 50, Domain.REAL: 50},
                                              pingpong_interval=30.0))
    async with server:
        yield server


async def settle(pilot, predicate, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, "screen did not finish loading"
        await pilot.pause(0.05)
    await pilot.pause(0.4)      # one more frame of coalesced redraws


async def test_stock_detail_snapshot(sim, tmp_path):
    broker = research_broker(sim, tmp_path)
    screen = StockDetailScreen("000660", broker, instrument=UNIVERSE.get("000660"))
    host = Host(screen)
    try:
        async with host.run_test(size=SIZE) as pilot:
            await settle(pilot, lambda: {"quote", "chart", "financials", "flow", "opinions"}
                         <= screen.loaded and len(screen.daily) >= 250)
            check_snapshot(host, "stock_detail_000660")
            await pilot.press("f", "f")                 # 재무비율 table
            await settle(pilot, lambda: "재무비율" in str(
                screen.query_one("#sd-fin-title").content))
            check_snapshot(host, "stock_detail_000660_ratios")
    finally:
        await broker.close()


async def test_watchlist_snapshot(sim, tmp_path):
    store = WatchlistStore(tmp_path / "wl.json")
    for code in ("005930", "000660", "035420", "069500", "373220"):
        store.add("관심", code)
    store.set_levels("관심", "005930", buy_below=260_000, sell_above=290_000)
    store.set_tags("관심", "005930", ("반도체",))
    broker = kis_broker(sim, tmp_path, clock=sim.clock)   # the token's expiry is on that clock
    await broker.connect()
    feed = PriceFeed(broker, poll_interval=0.02, limit=3)
    broker.set_sink(feed.on_event)
    screen = WatchlistScreen(store, feed, universe=UNIVERSE, list_name="관심")
    host = Host(screen)
    try:
        async with host.run_test(size=SIZE) as pilot:
            await settle(pilot, lambda: len(feed.quotes) == 5
                         and all(q.last and q.upper for q in feed.quotes.values()))
            check_snapshot(host, "watchlist")
    finally:
        await feed.stop()
        await broker.close()
