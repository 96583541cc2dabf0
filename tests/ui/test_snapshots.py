"""SVG snapshots of each screen at 160×45 (pytest-textual-snapshot). The wall clock stands still
and the simulator has no synthetic market, so every frame is the same on every run; after a
deliberate change to a screen, review and refresh them with ``pytest --snapshot-update``."""

from __future__ import annotations

from lucy_tui.config import Config
from lucy_tui.domain.model import OrderStatus, Side
from lucy_tui.ui.app import LucyApp
from lucy_tui.ui.screens.login import ProfileChoice
from support.console import StillClock, counterparty, logged_in, sim_factory, type_line, until

SIZE = (160, 45)


def demo_app() -> LucyApp:
    clock = StillClock()
    return LucyApp(Config(), clock=clock, sim_factory=sim_factory(clock))


async def _idle(pilot) -> None:
    """Everything that arrives by itself has arrived: the second balance round and ticks."""
    await until(pilot, lambda: all(v.refreshed for v in pilot.app.desk.accounts()))
    await pilot.pause(0.4)
    await pilot.wait_for_scheduled_animations()


def test_login_screen(snap_compare):
    async def never(_password):
        raise AssertionError("not opened in this test")

    profiles = [ProfileChoice("fund-ops", "real", True, never, "KIS 2 · LS 1 · plan core"),
                ProfileChoice("paper", "mock", False, never, "KIS mock")]
    app = LucyApp(Config(), clock=StillClock(), profiles=profiles)
    assert snap_compare(app, terminal_size=SIZE)


def test_trade_screen_after_a_partial_fill(snap_compare):
    async def run_before(pilot):
        await logged_in(pilot)
        app = pilot.app
        await type_line(pilot, "b 005930 10 @269000")
        engine = app.session.engine
        await until(pilot, lambda: engine.orders and engine.orders[0].status is OrderStatus.NEW)
        counterparty(app, Side.SELL, 4, 269000)
        await until(pilot, lambda: engine.orders[0].filled_qty == 4)
        quote = app.screen.query_one("#quote")
        await until(pilot, lambda: quote.last_tick is not None and quote.last_tick.cum_volume == 4)
        await type_line(pilot, "s 삼성전자 5 @", enter=False)
        await _idle(pilot)

    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=run_before)


def test_accounts_screen(snap_compare):
    async def run_before(pilot):
        await logged_in(pilot)
        await pilot.press("f3")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "AccountsScreen")
        await until(pilot, lambda: all(v.refreshed for v in pilot.app.desk.accounts()))
        pilot.app.screen.redraw()
        await _idle(pilot)

    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=run_before)


def test_market_screen(snap_compare):
    async def run_before(pilot):
        await logged_in(pilot)
        await pilot.press("f4")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "MarketScreen")
        await _idle(pilot)

    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare):
    async def run_before(pilot):
        await logged_in(pilot)
        await pilot.press("f1")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "HelpScreen")
        await _idle(pilot)

    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=run_before)


def test_order_ticket(snap_compare):
    async def run_before(pilot):
        await logged_in(pilot)
        await pilot.press("f7")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "OrderTicket")
        await until(pilot, lambda: pilot.app.screen.query_one("#price").value != "")
        pilot.app.screen.query_one("#qty").value = "30"
        await _idle(pilot)

    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=run_before)
