"""Pilot tests of the watchlist and stock detail screens, mounted in a small host app with the
simulator running on localhost and a real KisBroker talking to it."""

from __future__ import annotations

import asyncio
import io

import pytest
from textual.app import App
from textual.widgets import DataTable, Input, Static

from lucy_tui.brokers.kis.codes import Domain
from lucy_tui.domain import krx
from lucy_tui.domain.instruments import load_default
from lucy_tui.domain.model import Side
from lucy_tui.sim.kis.front import KisOptions
from lucy_tui.sim.server import SimServer
from lucy_tui.ui.screens.market_intents import AddToWatchlist, OpenDetail, OpenTicket, WatchAlert
from lucy_tui.ui.screens.stock_detail import StockDetailScreen
from lucy_tui.ui.screens.watchlist import WatchlistScreen, parse_levels
from lucy_tui.ui.widgets.chart import PriceChart, braille_line, candle_rows
from lucy_tui.watchlist import PriceFeed, WatchlistError, WatchlistStore

from support.engine import kis_broker
from support.market import research_broker

SIZE = (130, 40)
UNIVERSE = load_default()


class Host(App):
    """Pushes one screen and records what it asks the app to do."""

    def __init__(self, make_screen):
        super().__init__()
        self.make_screen = make_screen
        self.asked: list = []

    def on_mount(self) -> None:
        self.push_screen(self.make_screen())

    def on_open_ticket(self, message: OpenTicket) -> None:
        self.asked.append(message)

    def on_open_detail(self, message: OpenDetail) -> None:
        self.asked.append(message)

    def on_add_to_watchlist(self, message: AddToWatchlist) -> None:
        self.asked.append(message)

    def on_watch_alert(self, message: WatchAlert) -> None:
        self.asked.append(message)


@pytest.fixture
async def sim():
    server = SimServer(seed=11, market=False,
                       kis_options=KisOptions(rate_limits={Domain.MOCK: 50, Domain.REAL: 50},
                                              pingpong_interval=30.0))
    async with server:
        yield server


async def until(pilot, predicate, timeout: float = 8.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.05)


def text_of(widget: Static) -> str:
    """What a Static shows, as plain text (rich renderables rendered on a wide console)."""
    from rich.console import Console

    console = Console(width=200, record=True, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


# ---------------------------------------------------------------- pure parts


def test_braille_line_and_candles_draw_what_they_are_given():
    rising = braille_line([1, 2, 3, 4, 5, 6, 7, 8], 4, 2)
    assert len(rising) == 2 and all(len(r) == 4 for r in rising)
    # A rising line starts at the bottom left and ends at the top right.
    assert rising[1][0] != " " and rising[0][0] == " " and rising[0][-1] != " "
    assert all(0x2800 <= ord(ch) <= 0x28FF or ch == " " for row in rising for ch in row)
    from datetime import date
    from lucy_tui.domain.research import Candle
    candles = [Candle(date(2026, 1, d), 100, 120, 90, 110) for d in (1, 2)]
    rows = candle_rows(candles, 3, 4)
    assert [len(r.plain) for r in rows] == [3, 3, 3, 3]
    column = "".join(r.plain[0] for r in rows)
    assert "┃" in column and "│" in column


def test_level_prompt_parsing():
    assert parse_levels("250000 300000") == (250_000, 300_000)
    assert parse_levels("- 300,000") == (None, 300_000)
    assert parse_levels("") == (None, None)
    with pytest.raises(WatchlistError):
        parse_levels("abc")


# ---------------------------------------------------------------- watchlist


async def _watchlist_host(sim, tmp_path, codes=(), **kw):
    store = WatchlistStore(tmp_path / "wl.json")
    for code in codes:
        store.add("관심", code)
    broker = kis_broker(sim, tmp_path)
    await broker.connect()
    feed = PriceFeed(broker, poll_interval=0.02)
    broker.set_sink(feed.on_event)
    host = Host(lambda: WatchlistScreen(store, feed, universe=UNIVERSE, list_name="관심", **kw))
    return host, store, feed, broker


async def test_watchlist_add_remove_and_open_ticket_and_detail(sim, tmp_path):
    host, store, feed, broker = await _watchlist_host(sim, tmp_path)
    try:
        async with host.run_test(size=SIZE) as pilot:
            screen = host.screen
            assert isinstance(screen, WatchlistScreen)
            await pilot.press("a")
            box = screen.query_one("#wl-input", Input)
            assert box.has_focus
            await pilot.press(*"005930", "enter")
            screen.query_one("#wl-input", Input)
            await pilot.press("a")
            box.value = "ㅎㅇㄴㅅ"                        # 초성 of (SK)하이닉스
            await pilot.press("enter")
            table = screen.query_one("#wl-table", DataTable)
            assert store.get("관심").codes == ["005930", "000660"]
            assert table.row_count == 2
            await until(pilot, lambda: all(q.last for q in feed.quotes.values()))
            await until(pilot, lambda: "269,000" in str(table.get_row("005930")[2]))
            assert "실시간 2/40" in text_of(screen.query_one("#wl-feed", Static))
            await pilot.press("f6")
            await pilot.press("enter")
            await pilot.pause()
            ticket, detail = host.asked[-2:]
            assert isinstance(ticket, OpenTicket) and ticket.code == "005930"
            assert ticket.side is Side.BUY and ticket.price == 269_000
            assert isinstance(detail, OpenDetail) and detail.code == "005930"
            await pilot.press("down", "x")
            assert store.get("관심").codes == ["005930"] and table.row_count == 1
            # An unknown name is refused in words, and the list is unchanged.
            await pilot.press("a")
            box.value = "없는종목이름"
            await pilot.press("enter")
            assert store.get("관심").codes == ["005930"]
            # A new list, switched to.
            await pilot.press("escape", "n")
            box.value = "테마"
            await pilot.press("enter")
            assert screen.list_name == "테마" and "테마" in store.names
            await pilot.press("left_square_bracket")
            assert screen.list_name == "관심"
    finally:
        await feed.stop()
        await broker.close()


async def test_watchlist_alert_on_a_crossing_driven_by_the_price_walk(sim, tmp_path):
    from lucy_tui.sim.market import SyntheticMarket

    code = "000660"
    market = SyntheticMarket(sim.exchange, seed=5, codes=[code], daily_vol=0.6, taker_rate=20.0)
    host, store, feed, broker = await _watchlist_host(sim, tmp_path, codes=[code], bell=True)
    bells = []
    host.bell = lambda: bells.append(1)
    try:
        async with host.run_test(size=SIZE) as pilot:
            screen = host.screen
            market.step(0.1)
            await until(pilot, lambda: feed.quotes.get(code) and feed.quotes[code].last)
            start = feed.quotes[code].last
            inst = sim.exchange.instrument(code)
            level = krx.tick_down(start, inst.kind, inst.market, n=2)
            await pilot.press("l")
            screen.query_one("#wl-input", Input).value = f"{level} -"
            await pilot.press("enter")
            assert store.get("관심").entry(code).buy_below == level
            await pilot.pause(0.1)
            for _ in range(400):
                market.step(0.5)
                await pilot.pause(0.01)
                if screen.alerts:
                    break
            await until(pilot, lambda: screen.alerts)
            alert = screen.alerts[0]
            assert alert.level == level and alert.price <= level
            assert "매수 기준가 도달" in text_of(screen.query_one("#wl-tape", Static))
            assert any(isinstance(m, WatchAlert) for m in host.asked)
            assert bells
            assert any("기준가" in n.title for n in host._notifications)
    finally:
        market.close()
        await feed.stop()
        await broker.close()


async def test_watchlist_says_when_the_subscription_limit_forces_rest(sim, tmp_path):
    codes = [i.code for i in UNIVERSE][:45]
    host, store, feed, broker = await _watchlist_host(sim, tmp_path, codes=codes)
    try:
        async with host.run_test(size=SIZE) as pilot:
            screen = host.screen
            line = screen.query_one("#wl-feed", Static)
            await until(pilot, lambda: "REST 순환 5종목" in text_of(line))
            assert "실시간 40/40" in text_of(line) and "한도" in text_of(line)
            await until(pilot, lambda: all(q.last for q in feed.quotes.values()), timeout=15)
            table = screen.query_one("#wl-table", DataTable)
            await until(pilot, lambda: str(table.get_row(codes[-1])[-1]) == "REST")
            await until(pilot, lambda: str(table.get_row(codes[0])[-1]) == "실시간")
            await until(pilot, lambda: str(table.get_row(codes[-1])[2]) ==
                        f"{feed.quotes[codes[-1]].last:,}")      # a polled row has its price
    finally:
        await feed.stop()
        await broker.close()


# ---------------------------------------------------------------- stock detail


SECTIONS = {"quote", "chart", "financials", "flow", "opinions"}


async def test_detail_renders_every_section(sim, tmp_path):
    broker = research_broker(sim, tmp_path)
    code = "005930"
    # Two trades before the screen opens: today's minute chart has them.
    from lucy_tui.domain.model import OrderType, TimeInForce
    for price in (269_500, 270_500):
        sim.exchange.submit(owner="t:a", code=code, side=Side.SELL, qty=1, price=price)
        sim.exchange.submit(owner="t:b", code=code, side=Side.BUY, qty=1, type=OrderType.MARKET,
                            tif=TimeInForce.IOC)
    host = Host(lambda: StockDetailScreen(code, broker, instrument=UNIVERSE.get(code)))
    try:
        async with host.run_test(size=SIZE) as pilot:
            screen = host.screen
            await until(pilot, lambda: SECTIONS | {"minutes"} <= screen.loaded)
            assert screen.minutes[-1].close == 270_500 and screen.minutes[-1].high == 270_500
            header = text_of(screen.query_one("#sd-header", Static))
            assert "삼성전자" in header and "005930" in header and "KOSPI" in header
            assert "270,500" in header and "상한 349,500" in header and "하한 188,500" in header
            assert "호가단위 500" in header and "NXT 거래가능" in header
            await until(pilot, lambda: "52주" in text_of(screen.query_one("#sd-header", Static)))
            chart = screen.query_one("#sd-chart", PriceChart)
            assert len(chart.candles) == 120 and chart.candles[-1].close == 270_500   # today
            drawn = "\n".join(line.plain for line in chart.render().renderables)
            assert "┃" in drawn and "│" in drawn
            top = max(c.high for c in chart.candles[-(chart.size.width - 10):])
            assert f"{top:,}" in drawn                         # the axis labels the high
            fin = screen.query_one("#sd-fin", DataTable)
            assert fin.row_count == 12 and len(fin.columns) == 6       # label + 5 years
            assert "손익계산서" in text_of(screen.query_one("#sd-fin-title", Static))
            flow = screen.query_one("#sd-flow", DataTable)
            assert flow.row_count == 30
            opinions = screen.query_one("#sd-opinion", DataTable)
            assert opinions.row_count == len(screen.opinions) > 0
            assert str(opinions.get_row("0")[5]).endswith("%")
            # Next table: the balance sheet; then quarterly.
            await pilot.press("f")
            await until(pilot, lambda: "대차대조표" in text_of(screen.query_one("#sd-fin-title")))
            await until(pilot, lambda: fin.row_count == 10)
            await pilot.press("y")
            await until(pilot, lambda: "분기" in text_of(screen.query_one("#sd-fin-title")))
            # Weekly candles, a line, the book, intraday from ticks.
            await pilot.press("w")
            await until(pilot, lambda: chart.candles and chart.caption == "주")
            await pilot.press("c")
            assert chart.mode == "line"
            sim.exchange.submit(owner="t:a", code=code, side=Side.BUY, qty=5, price=260_000)
            await pilot.press("o")
            await until(pilot, lambda: "book" in screen.loaded)
            assert "260,000" in text_of(screen.query_one("#sd-book", Static))
            from datetime import timedelta
            from lucy_tui.brokers.base import Tick
            await pilot.press("i")
            assert chart.line == [270_500] and chart.caption == "당일"     # the minute's close
            later = screen.minutes[-1].time + timedelta(minutes=1, seconds=5)
            screen.on_tick(Tick(code, 270_000, 10, later, cum_volume=12, change=1_000))
            assert chart.line == [270_500, 270_000]
            assert "270,000" in text_of(screen.query_one("#sd-header", Static))
            await pilot.press("f7", "a")
            await pilot.pause()
            kinds = [type(m) for m in host.asked]
            assert OpenTicket in kinds and AddToWatchlist in kinds
            sell = [m for m in host.asked if isinstance(m, OpenTicket)][0]
            assert sell.side is Side.SELL and sell.price == 270_000
    finally:
        await broker.close()


async def test_detail_on_a_mock_session_says_what_mock_does_not_serve(sim, tmp_path):
    broker = research_broker(sim, tmp_path, "mock")
    code = "000660"
    host = Host(lambda: StockDetailScreen(code, broker, instrument=UNIVERSE.get(code)))
    try:
        async with host.run_test(size=SIZE) as pilot:
            screen = host.screen
            await until(pilot, lambda: {"quote", "chart", "flow"} <= screen.loaded)
            await until(pilot, lambda: "모의투자 미지원" in
                        text_of(screen.query_one("#sd-fin-title", Static)))
            opinions = screen.query_one("#sd-opinion", DataTable)
            await until(pilot, lambda: opinions.row_count == 1)
            assert "모의투자 미지원" in str(opinions.get_row_at(0)[0])
    finally:
        await broker.close()
