"""The market screen (F4) over the demo's in-process exchange: what a user sees and can do."""

import io

from rich.console import Console

from lucy_tui.domain.model import Side
from lucy_tui.ui.widgets.market_board import MarketBoard
from lucy_tui.ui.widgets.order_book import OrderBookPanel
from support.console import console, until


async def _market(pilot):
    await pilot.press("f4")
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "MarketScreen")
    await pilot.pause(0.1)
    return pilot.app.screen


async def test_board_shows_the_universe_and_the_demo_badge():
    async with console() as (app, pilot):
        screen = await _market(pilot)
        board = screen.query_one(MarketBoard)
        assert board.row_count == len(app.universe) >= 100
        header = str(screen.query_one("HeaderBar").render())
        assert "DEMO" in header and "KST" in header and "kis ●" in header
        assert screen.query_one(OrderBookPanel).code == board.selected_code == "005930"


async def test_search_by_choseong_filters_and_escape_restores():
    async with console() as (app, pilot):
        screen = await _market(pilot)
        await pilot.press("slash")
        for ch in "ㅅㅅㅈㅈ":
            await pilot.press(ch)
        await pilot.pause()
        board = screen.query_one(MarketBoard)
        assert board._shown[0] == "005930"
        assert board.row_count < 10
        await pilot.press("escape")
        await pilot.pause()
        assert board.row_count == len(app.universe)
        assert board.has_focus


async def test_a_trade_reaches_the_row_and_the_book_within_a_frame():
    async with console() as (app, pilot):
        screen = await _market(pilot)
        exchange = app.sim.exchange
        exchange.submit(owner="test:mm", code="005930", side=Side.SELL, qty=10, price=269500)
        exchange.submit(owner="test", code="005930", side=Side.BUY, qty=5, price=269500)
        await pilot.pause(0.6)
        board = screen.query_one(MarketBoard)
        assert str(board.get_cell("005930", "last")) == "269,500"
        assert str(board.get_cell("005930", "volume")) == "5"
        out = Console(width=40, record=True, file=io.StringIO())
        out.print(screen.query_one(OrderBookPanel).content)
        assert "269,500" in out.export_text()


async def test_synthetic_market_runs_beside_the_console():
    async with console(market=True) as (app, pilot):
        await pilot.pause(2.0)
        traded = sum(app.sim.exchange.quote(i.code).volume for i in app.universe)
        assert traded > 0
