"""The console's real flows against the in-process simulator, as a user drives them: type an
order → blotter row → fill on the tape; partial fills; cancel; amend; an allocation parent with
its legs; bad input gives a message and sends nothing; confirmation of large orders."""

from __future__ import annotations

import dataclasses

import pytest

from lucy_tui.config import Config
from lucy_tui.domain.model import OrderStatus, Side
from lucy_tui.ui.widgets.blotter import COLUMN_KEYS, COMPACT_KEYS, Blotter
from lucy_tui.ui.widgets.chain import OrderChain
from lucy_tui.ui.widgets.tape import FillTape
from support.console import COUNTERPARTY, console, counterparty, type_line, until

PRICE = 269000      # 삼성전자 in the demo universe; tick 500


def echo(app) -> str:
    return str(app.screen.query_one("#echo").render())


def our_orders(app) -> list:
    return [o for o in app.sim.exchange.orders_all() if o.owner != COUNTERPARTY] \
        if hasattr(app.sim.exchange, "orders_all") else app.session.engine.orders


def tape_kinds(app, local_id: str) -> list[str]:
    return [e.kind for e in app.screen.entry.tape_history(local_id)]


async def test_typed_order_reaches_the_blotter_and_its_fills_the_tape():
    async with console() as (app, pilot):
        await type_line(pilot, "b 005930 10 @269000", keys=True)
        engine = app.session.engine
        await until(pilot, lambda: engine.orders and engine.orders[0].status is OrderStatus.NEW)
        order = engine.orders[0]
        assert "✓" in echo(app) and order.local_id in echo(app)
        blotter = app.screen.query_one(Blotter)
        await until(pilot, lambda: blotter.row_count == 1, what="blotter row")
        assert blotter.local_id_for_row_number(1) == order.local_id
        counterparty(app, Side.SELL, 4, PRICE)                        # a partial fill
        await until(pilot, lambda: engine.order(order.local_id).filled_qty == 4)
        await until(pilot, lambda: "fill" in tape_kinds(app, order.local_id), what="fill on tape")
        tape = app.screen.query_one(FillTape)
        fills = [e for e in tape.entries if e.kind == "fill"]
        assert fills[-1].qty == 4 and fills[-1].price == PRICE and fills[-1].name == "삼성전자"
        cells = [str(c) for c in blotter.cells(order.local_id)]
        assert "4" in cells and "6" in cells                          # filled 4, leaves 6

        # Choosing a tape line pauses the tape and shows that order's chain, which follows
        # the order's news; End resumes following.
        tape.focus()
        await pilot.press("up")
        await pilot.pause()
        chain = app.screen.query_one(OrderChain)
        assert tape.selected.local_id == order.local_id and "paused" in tape.border_title
        assert chain.order.local_id == order.local_id
        assert [e.kind for e in chain.entries][-1] == "fill"
        counterparty(app, Side.SELL, 6, PRICE)
        await until(pilot, lambda: engine.order(order.local_id).status is OrderStatus.FILLED)
        await until(pilot, lambda: chain.order.filled_qty == 10, what="chain follows")
        assert [e.qty for e in chain.entries if e.kind == "fill"] == [4, 6]
        await pilot.press("end")
        assert tape.following and tape.border_title == "체결 Tape"
        await until(pilot, lambda: sum(e.qty for e in tape.entries if e.kind == "fill") == 10)

        # A narrower terminal switches both to their compact column sets, and back.
        blotter.move_cursor(row=0)
        await pilot.resize_terminal(100, 30)
        await until(pilot, lambda: blotter.column_keys == COMPACT_KEYS and tape.compact,
                    what="compact columns")
        await until(pilot, lambda: blotter.row_count == 1, what="rows rebuilt")
        assert blotter.selected_key == order.local_id
        assert [str(c.value) for c in blotter.columns] == list(COMPACT_KEYS)
        assert "10" in [str(v) for v in blotter.get_row(order.local_id)]
        assert len(tape.render_line(0).text.rstrip()) < 100       # the compact header fits
        await pilot.resize_terminal(160, 45)
        await until(pilot, lambda: blotter.column_keys == COLUMN_KEYS and not tape.compact,
                    what="full columns")
        await until(pilot, lambda: blotter.row_count == 1, what="rows rebuilt")

        # A trade screen built after the fact (a restart restores the book from the journal)
        # starts its tape from the day so far: the acknowledgement and both fills, once each.
        from lucy_tui.ui.screens.trade import TradeScreen

        await pilot.press("f3")
        await until(pilot, lambda: type(app.screen).__name__ == "AccountsScreen")
        app.uninstall_screen("trade")
        app.install_screen(TradeScreen(), "trade")
        await pilot.press("f2")
        await until(pilot, lambda: type(app.screen).__name__ == "TradeScreen")
        fresh = app.screen.query_one(FillTape)
        assert fresh is not tape
        await pilot.pause(0.2)
        lines = [e for e in fresh.entries if e.local_id == order.local_id]
        assert [e.kind for e in lines].count("ack") == 1
        assert [e.qty for e in lines if e.kind == "fill"] == [4, 6]
        assert app.screen.query_one(Blotter).orders[order.local_id].filled_qty == 10


async def test_cancel_by_row_number_and_amend_by_order_id():
    async with console() as (app, pilot):
        engine = app.session.engine
        await type_line(pilot, "b 005930 5 @268000")
        await type_line(pilot, "b 005930 7 @267500")
        await until(pilot, lambda: len(engine.orders) == 2 and all(
            o.status is OrderStatus.NEW for o in engine.orders))
        first, second = sorted(engine.orders, key=lambda o: o.local_id)
        blotter = app.screen.query_one(Blotter)
        await until(pilot, lambda: blotter.row_count == 2)
        await type_line(pilot, "c #1")
        await until(pilot, lambda: engine.order(first.local_id).status is OrderStatus.CANCELLED)
        await type_line(pilot, f"a {second.local_id} @268500")
        await until(pilot, lambda: engine.order(second.local_id).price == 268500
                    and engine.order(second.local_id).status is OrderStatus.NEW)
        amended = engine.order(second.local_id)
        assert amended.orig_order_no and amended.order_no != amended.orig_order_no
        await until(pilot, lambda: "amend" in tape_kinds(app, second.local_id))


async def test_plan_order_shows_a_parent_with_its_legs():
    async with console() as (app, pilot):
        engine = app.session.engine
        await type_line(pilot, "b 005930 20 @269000 to plan:core")
        await until(pilot, lambda: engine.book.parents, what="parent")
        (parent_id,) = engine.book.parents
        await until(pilot, lambda: len([o for o in engine.orders if o.parent_id == parent_id]) == 3)
        legs = sorted(o.qty for o in engine.orders if o.parent_id == parent_id)
        assert legs == [5, 7, 8]
        blotter = app.screen.query_one(Blotter)
        await until(pilot, lambda: blotter.row_count == 1)
        blotter.focus()
        await pilot.press("enter")                                   # expand the parent
        await until(pilot, lambda: blotter.row_count == 4, what="legs under the parent")
        counterparty(app, Side.SELL, 20, PRICE)
        await until(pilot, lambda: engine.parent(parent_id).filled_qty == 20)
        await type_line(pilot, "c all")
        await pilot.pause(0.3)
        assert engine.parent(parent_id).leaves_qty == 0


@pytest.mark.parametrize("line, words", [
    ("b 005930 0 @269000", "수량"),
    ("b 005930 10 @269100", "호가단위"),
    ("b 005930 10 @999000", "상한가"),
    ("b 999999 10 @1000", "999999"),
    ("x 005930 10", "알 수 없는 명령"),
    ("b 005930 10 @269000 to kis:Z", "Z"),
    ("c #42", "#42"),
])
async def test_bad_input_gives_a_message_and_sends_nothing(line, words):
    async with console() as (app, pilot):
        await type_line(pilot, line)
        await pilot.pause(0.5)
        assert "✕" in echo(app) and words in echo(app), echo(app)
        assert app.session.engine.orders == []
        assert app.screen.query_one("#command").value == line     # kept for fixing


async def test_a_large_order_needs_a_second_enter():
    async with console() as (app, pilot):
        await type_line(pilot, "b 005930 2000 @269000")     # ₩538,000,000 > ₩300,000,000
        await pilot.pause(0.5)
        assert "⚠" in echo(app) and app.session.engine.orders == []
        await pilot.press("enter")
        await until(pilot, lambda: len(app.session.engine.orders) == 1)


async def test_history_recalls_the_last_line():
    async with console() as (app, pilot):
        await type_line(pilot, "q 000660")
        await pilot.pause(0.2)
        await pilot.press("up")
        assert app.screen.query_one("#command").value == "q 000660"
        assert app.screen.query_one("#quote").code == "000660"


async def test_function_keys_switch_screens_and_the_keymap_rebinds_them():
    config = dataclasses.replace(Config(), keymap={"screen_accounts": "f12"})
    async with console(config) as (app, pilot):
        await pilot.press("f12")
        await until(pilot, lambda: type(app.screen).__name__ == "AccountsScreen")
        funds = app.screen.query_one("#funds")
        assert funds.row_count >= 3                        # three accounts and a fund total
        await pilot.press("f5")
        await until(pilot, lambda: type(app.screen).__name__ == "HistoryScreen")
        await pilot.press("f4")
        await until(pilot, lambda: type(app.screen).__name__ == "MarketScreen")
        await pilot.press("f1")
        await until(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        await pilot.press("escape")
        await pilot.press("f2")
        await until(pilot, lambda: type(app.screen).__name__ == "TradeScreen")


async def test_ticket_steps_price_by_tick_and_sends_through_the_same_checks():
    async with console() as (app, pilot):
        await pilot.press("f6")
        await until(pilot, lambda: type(app.screen).__name__ == "OrderTicket")
        ticket = app.screen
        await until(pilot, lambda: ticket.query_one("#price").value != "")
        start = int(ticket.query_one("#price").value)
        ticket.query_one("#price").focus()
        await pilot.press("up", "up")
        assert int(ticket.query_one("#price").value) == start + 1000    # two ticks of 500
        ticket.query_one("#qty").value = "3"
        ticket.query_one("#qty").focus()
        await pilot.press("enter")
        await until(pilot, lambda: len(app.session.engine.orders) == 1)
        order = app.session.engine.orders[0]
        assert (order.qty, order.price, order.side) == (3, start + 1000, Side.BUY)


async def test_go_to_opens_every_other_screen_and_escape_returns():
    async with console() as (app, pilot):
        await until(pilot, lambda: app.sources is not None)
        for key, name in (("w", "WatchlistScreen"), ("i", "IpoScreen"), ("e", "ThemesScreen"),
                          ("s", "SchedulerScreen"), ("u", "UsersScreen")):
            await pilot.press("f12")
            await until(pilot, lambda: type(app.screen).__name__ == "GotoScreen")
            await pilot.press(key)
            await until(pilot, lambda: type(app.screen).__name__ == name, what=name)
            await until(pilot, lambda: app.screen.query("HeaderBar"), what="header on " + name)
            await pilot.press("escape")
            await until(pilot, lambda: type(app.screen).__name__ == "TradeScreen")


async def test_watch_and_detail_verbs_on_the_command_line():
    async with console() as (app, pilot):
        await type_line(pilot, "w 000660")
        await until(pilot, lambda: any(e.code == "000660" for e in app.watch_store().get("관심").entries))
        await type_line(pilot, "d ㅅㅅㅈㅈ")
        await until(pilot, lambda: type(app.screen).__name__ == "StockDetailScreen")
        assert app.screen.code == "005930"
        await pilot.press("escape")
        await until(pilot, lambda: type(app.screen).__name__ == "TradeScreen")
        held = {e.code for e in app.watch_store().get("보유").entries}
        assert {"005930", "000660"} <= held          # the demo accounts' holdings


async def test_ipo_calendar_filled_from_the_demo_sites_after_login():
    async with console() as (app, pilot):
        await until(pilot, lambda: app.sources is not None and app.sources.ipo_store.load().records)
        await pilot.press("f12")
        await pilot.press("i")
        await until(pilot, lambda: type(app.screen).__name__ == "IpoScreen")
        table = app.screen.query_one("#ipo-table")
        await until(pilot, lambda: table.row_count > 5, what="IPO rows")


async def test_price_from_the_book_and_csv_export():
    async with console() as (app, pilot):
        counterparty(app, Side.SELL, 10, 270500)                # the best ask
        counterparty(app, Side.BUY, 10, 268000)                 # the best bid
        await type_line(pilot, "b 005930 3 @bid+1")
        engine = app.session.engine
        await until(pilot, lambda: engine.orders and engine.orders[0].status is OrderStatus.NEW)
        assert engine.orders[0].price == 268500
        await type_line(pilot, "b 005930 4 @ask")
        await until(pilot, lambda: len(engine.orders) == 2)
        await until(pilot, lambda: engine.order(sorted(o.local_id for o in engine.orders)[1])
                    .status is OrderStatus.FILLED)
        await pilot.press("ctrl+e")
        out = app.spec.export_dir
        await until(pilot, lambda: out.exists() and len(list(out.glob("*.csv"))) >= 2)
        orders_csv = next(p for p in out.glob("*orders.csv"))
        assert "005930" in orders_csv.read_text()


async def test_a_base_price_alert_reaches_the_tape_without_the_watchlist_open():
    from lucy_tui.watchlist import WatchlistStore

    store = WatchlistStore(profile="demo")
    store.add("관심", "005930") if not store.get("관심").entry("005930") else None
    store.set_levels("관심", "005930", buy_below=None, sell_above=269_400)
    try:
        async with console() as (app, pilot):
            feed = lambda: app._feed                                             # noqa: E731
            await until(pilot, lambda: feed() is not None and feed().quotes.get("005930")
                        and feed().quotes["005930"].last, what="the level's symbol priced")
            counterparty(app, Side.SELL, 5, 269_500)
            counterparty(app, Side.BUY, 5, 269_500)               # a trade above the level
            tape = app.screen.query_one(FillTape)
            await until(pilot, lambda: any(e.kind == "alert" and e.code == "005930"
                                           for e in tape.entries), what="alert on the tape")
            assert type(app.screen).__name__ == "TradeScreen"
            # The alert is no order's line: choosing it shows that line alone in the chain.
            tape.focus()
            await pilot.press("up")
            await pilot.pause()
            alert = tape.selected
            assert alert.kind == "alert" and not alert.local_id
            assert app.screen.query_one(OrderChain).entries == (alert,)
    finally:
        store.set_levels("관심", "005930", buy_below=None, sell_above=None)


async def test_the_master_refresh_job_rereads_the_ls_master():
    from lucy_tui.sources.jobs import MASTER_JOB

    async with console() as (app, pilot):
        await until(pilot, lambda: app.sources is not None)
        outcome = await app.sources.registry.run_now(MASTER_JOB)
        assert outcome.ok and "ls:" in outcome.message, outcome
        count = int(outcome.message.split("ls:")[1].split("종목")[0].replace(",", ""))
        assert count == len(app.universe)


async def test_history_for_a_range_from_the_brokers():
    async with console() as (app, pilot):
        await type_line(pilot, "b 005930 2 @260000")
        await type_line(pilot, "b 005930 3 @260000 to ls:C")
        engine = app.session.engine
        await until(pilot, lambda: len(engine.orders) == 2
                    and all(o.status is OrderStatus.NEW for o in engine.orders))
        await pilot.press("f5")
        await until(pilot, lambda: type(app.screen).__name__ == "HistoryScreen")
        table = app.screen.query_one("#history")
        await until(pilot, lambda: table.row_count == 2, what="today's two orders")
        # Over a month back: KIS answers (its daily inquiry), LS refuses in words, sends nothing.
        app.screen.query_one("#from").value = "2026-10-01"
        app.screen.action_refresh()
        status = app.screen.query_one("#history-status")
        await until(pilot, lambda: "31일까지만" in str(status.render()), what="LS says a month at most")
        assert table.row_count == 1
        app.screen.query_one("#from").value = "2026-13-01"
        app.screen.action_refresh()
        assert "YYYY-MM-DD" in str(status.render())
