"""The demo console over the in-process exchange: what a user sees and can do."""

import io

from lucy_tui.domain.model import Side
from lucy_tui.ui.app import FRAME_SECONDS, LucyApp
from lucy_tui.ui.widgets.market_board import MarketBoard
from lucy_tui.ui.widgets.order_book import OrderBookPanel


async def test_board_shows_the_universe_and_the_demo_badge():
    app = LucyApp(run_market=False)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        board = app.query_one(MarketBoard)
        assert board.row_count == len(app.universe) >= 100
        status = str(app.query_one("#status").render())
        assert "DEMO" in status and "KST" in status
        assert app.query_one(OrderBookPanel).code == board.selected_code == "005930"


async def test_search_by_choseong_filters_and_escape_restores():
    app = LucyApp(run_market=False)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("slash")
        for ch in "ㅅㅅㅈㅈ":
            await pilot.press(ch)
        await pilot.pause()
        board = app.query_one(MarketBoard)
        assert board._shown[0] == "005930"
        assert board.row_count < 10
        await pilot.press("escape")
        await pilot.pause()
        assert board.row_count == len(app.universe)
        assert board.has_focus


async def test_a_trade_reaches_the_row_and_the_book_within_a_frame():
    app = LucyApp(run_market=False)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        ask = app.exchange.quote("005930").best_ask
        app.exchange.submit(owner="test", code="005930", side=Side.BUY, qty=5, price=ask)
        await pilot.pause(FRAME_SECONDS * 3)
        board = app.query_one(MarketBoard)
        last_cell = board.get_cell("005930", "last")
        volume_cell = board.get_cell("005930", "volume")
        assert str(last_cell) == f"{ask:,}"
        assert str(volume_cell) == "5"
        from rich.console import Console

        console = Console(width=40, record=True, file=io.StringIO())
        console.print(app.query_one(OrderBookPanel).content)
        assert f"{ask:,}" in console.export_text()


async def test_synthetic_market_runs_on_the_app_loop():
    app = LucyApp()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause(2.0)
        traded = sum(app.exchange.quote(i.code).volume for i in app.universe)
        assert traded > 0
