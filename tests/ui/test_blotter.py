"""The blotter in a small host app: rows by key, parents and legs, filters, keys, invariants."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from lucy_tui.domain.model import Side
from lucy_tui.ui.widgets.blotter import STATUS_COLOURS, Blotter

from tape_desk import FUND_A, FUND_B, NAMES, Desk


class Host(App):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list = []

    def compose(self) -> ComposeResult:
        yield Blotter(NAMES)

    def on_blotter_cancel_requested(self, message: Blotter.CancelRequested) -> None:
        self.messages.append(("cancel", message.local_id))

    def on_blotter_amend_requested(self, message: Blotter.AmendRequested) -> None:
        self.messages.append(("amend", message.local_id))

    def on_blotter_selected(self, message: Blotter.Selected) -> None:
        self.messages.append(("selected", message.local_id))


def row(blotter: Blotter, key: str) -> dict[str, str]:
    return {str(column.value): str(cell) for column, cell in
            zip(blotter.columns, blotter.get_row(key))}


async def settled(pilot, blotter: Blotter, timeout: float = 5.0) -> None:
    """Wait for the frames that add the rows still queued (a few at 10 Hz)."""
    waited = 0.0
    while blotter.loading_rows and waited < timeout:
        await pilot.pause(0.05)
        waited += 0.05
    assert not blotter.loading_rows


def assert_invariant(blotter: Blotter) -> None:
    for key in blotter.shown_keys:
        cells = row(blotter, key)
        num = {k: int(cells[k].replace(",", "") or 0)
               for k in ("qty", "filled", "leaves", "closed")}
        assert num["qty"] == num["filled"] + num["leaves"] + num["closed"], (key, cells)


async def test_rows_update_in_place_by_key_and_show_the_invariant():
    desk = Desk()
    app = Host()
    async with app.run_test(size=(160, 30)) as pilot:
        blotter = app.query_one(Blotter)
        lid, events = desk.place("005930", Side.BUY, 100, 71_000)
        blotter.apply(events)
        await pilot.pause(0.25)
        assert blotter.row_count == 1 and row(blotter, lid)["status"] == "접수대기"
        widths = [c.width for c in blotter.columns.values()]
        blotter.apply(desk.ack(lid, "0000012345"))
        for _ in range(10):
            blotter.apply(desk.fill(lid, 3, 71_000))
        await pilot.pause(0.25)
        cells = row(blotter, lid)
        assert blotter.row_count == 1                     # updated, never appended again
        assert (cells["filled"], cells["leaves"], cells["avg"]) == ("30", "70", "71,000")
        assert cells["status"] == "부분체결" and cells["name"] == "삼성전자"
        assert cells["order_no"] == "12345" and cells["side"] == "매수"    # shown unpadded
        assert [c.width for c in blotter.columns.values()] == widths
        blotter.apply(desk.cancel(lid))
        await pilot.pause(0.25)
        cells = row(blotter, lid)
        assert (cells["filled"], cells["leaves"], cells["closed"], cells["status"]) == (
            "30", "0", "70", "취소")
        rejected, events = desk.place("000660", Side.SELL, 5, 150_000)
        blotter.apply(events + desk.reject(rejected, "잔고 부족"))
        await pilot.pause(0.25)
        assert blotter.row_count == 2 and row(blotter, rejected)["status"] == "거부"
        assert_invariant(blotter)


async def test_only_changed_cells_are_written_once_per_frame():
    desk = Desk()
    app = Host()
    async with app.run_test(size=(160, 30)) as pilot:
        blotter = app.query_one(Blotter)
        lid, events = desk.place("005930", Side.BUY, 1_000, 71_000)
        blotter.apply(events + desk.ack(lid, "1"))
        await pilot.pause(0.25)
        writes = blotter.writes
        for _ in range(200):                                # a burst inside one frame
            blotter.apply(desk.fill(lid, 1, 71_000))
        blotter.flush()
        # filled, average, leaves and status change; the other eleven cells are left alone
        assert blotter.writes - writes == 4
        assert row(blotter, lid)["filled"] == "200"


async def test_amended_rows_show_the_original_order_number_and_status_colours():
    desk = Desk()
    app = Host()
    async with app.run_test(size=(160, 30)) as pilot:
        blotter = app.query_one(Blotter)
        lid, events = desk.place("005930", Side.BUY, 10, 71_000)
        blotter.apply(events + desk.ack(lid, "100") + desk.amend(lid, "101", 70_900))
        pending, events = desk.place("000660", Side.SELL, 5, 150_000)
        filled, more = desk.place("035720", Side.BUY, 5, 42_350)
        blotter.apply(events + more + desk.ack(filled, "7") + desk.fill(filled, 5, 42_350))
        await pilot.pause(0.25)
        assert row(blotter, lid)["order_no"] == "101←100" and row(blotter, lid)["price"] == "70,900"
        colour = {key: str(blotter.get_cell(key, "status").style)
                  for key in (lid, pending, filled)}
        assert colour == {lid: STATUS_COLOURS["working"], pending: STATUS_COLOURS["pending"],
                          filled: STATUS_COLOURS["filled"]}


async def test_parents_expand_and_collapse_with_their_legs_indented_below():
    desk = Desk()
    app = Host()
    async with app.run_test(size=(160, 30)) as pilot:
        blotter = app.query_one(Blotter)
        before, events = desk.place("005930", Side.BUY, 10, 71_000)
        blotter.apply(events)
        pid, (leg_a, leg_b), events = desk.parent("split", "000660", Side.SELL, 150_000,
                                                  [(FUND_A, 60), (FUND_B, 40)])
        blotter.apply(events + desk.ack(leg_a, "11") + desk.ack(leg_b, "12"))
        after, events = desk.place("035720", Side.BUY, 3, 42_350)
        blotter.apply(events)
        blotter.apply(desk.fill(leg_a, 60, 150_000))
        await pilot.pause(0.25)
        assert blotter.shown_keys == [before, pid, after]
        parent = row(blotter, pid)
        assert parent["no"].startswith("▸") and parent["account"] == "plan:split"
        assert (parent["qty"], parent["filled"], parent["leaves"]) == ("100", "60", "40")
        blotter.focus()
        blotter.move_cursor(row=1)
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert blotter.shown_keys == [before, pid, leg_a, leg_b, after]
        assert row(blotter, pid)["no"].startswith("▾")
        assert row(blotter, leg_a)["account"] == "└ fundA"
        assert row(blotter, leg_b)["account"] == "└ fundB"
        assert blotter.selected_local_id == pid
        assert_invariant(blotter)
        await pilot.press("down", "left")                  # collapse from a leg
        await pilot.pause(0.1)
        assert blotter.shown_keys == [before, pid, after] and blotter.selected_local_id == pid
        await pilot.press("right")
        await pilot.pause(0.1)
        assert blotter.is_expanded(pid) and len(blotter.shown_keys) == 5


async def test_filters_by_status_side_and_account():
    desk = Desk()
    app = Host()
    async with app.run_test(size=(160, 30)) as pilot:
        blotter = app.query_one(Blotter)
        working, e1 = desk.place("005930", Side.BUY, 10, 71_000)
        done, e2 = desk.place("000660", Side.SELL, 5, 150_000, account=FUND_B)
        blotter.apply(e1 + e2 + desk.ack(working, "1") + desk.ack(done, "2")
                      + desk.fill(done, 5, 150_000))
        await pilot.pause(0.25)
        blotter.set_filter("working")
        assert blotter.shown_keys == [working]
        blotter.set_filter("filled")
        assert blotter.shown_keys == [done]
        blotter.set_filter(side=Side.BUY)
        assert blotter.shown_keys == [working]
        blotter.set_filter(account="fundB")
        assert blotter.shown_keys == [done]
        blotter.set_filter(account=FUND_A.key)
        assert blotter.shown_keys == [working]
        blotter.set_filter()
        # an order that leaves the filter while it is on disappears at the next frame
        blotter.set_filter("working")
        blotter.apply(desk.fill(working, 10, 71_000))
        await pilot.pause(0.25)
        assert blotter.shown_keys == []
        with pytest.raises(ValueError, match="unknown status filter 'open'.*working"):
            blotter.set_filter("open")
        blotter.set_filter()
        blotter.focus()
        await pilot.press("f")
        assert blotter.filters[0] == "working"
        await pilot.press("d", "d")
        assert blotter.filters[1] is Side.SELL
        await pilot.press("g")
        assert blotter.filters[2] == "fundA"


async def test_keys_ask_to_cancel_and_amend_the_selected_order_and_numbers_name_rows():
    desk = Desk()
    app = Host()
    async with app.run_test(size=(160, 30)) as pilot:
        blotter = app.query_one(Blotter)
        first, e1 = desk.place("005930", Side.BUY, 10, 71_000)
        second, e2 = desk.place("000660", Side.SELL, 5, 150_000)
        pid, legs, e3 = desk.parent("split", "035720", Side.BUY, 42_350,
                                    [(FUND_A, 6), (FUND_B, 4)])
        blotter.apply(e1 + e2 + e3)
        await pilot.pause(0.25)
        blotter.focus()
        await pilot.press("down")
        await pilot.pause()
        assert app.messages[-1] == ("selected", second)
        await pilot.press("c", "a")
        await pilot.pause()
        assert app.messages[-2:] == [("cancel", second), ("amend", second)]
        await pilot.press("down", "c")
        await pilot.pause()
        assert app.messages[-1] == ("cancel", pid)          # the engine cancels every open leg
        assert [blotter.local_id_for_row_number(n) for n in (1, 2, 3, 4, 5)] == [
            first, second, pid, *legs]
        assert row(blotter, second)["no"] == "#2" and blotter.local_id_for_row_number(99) is None


async def test_a_hidden_blotter_is_not_written_to_until_shown():
    desk = Desk()
    app = Host()
    async with app.run_test(size=(160, 30)) as pilot:
        blotter = app.query_one(Blotter)
        await pilot.pause(0.1)
        blotter.display = False
        await pilot.pause(0.1)
        lid, events = desk.place("005930", Side.BUY, 10, 71_000)
        blotter.apply(events)
        await pilot.pause(0.2)
        assert blotter.row_count == 0
        blotter.display = True
        await pilot.pause(0.2)
        assert blotter.row_count == 1


async def test_a_big_book_is_added_a_chunk_a_frame_and_the_cursor_keeps_its_order():
    from lucy_tui.ui.widgets.blotter import ROWS_PER_FRAME
    desk = Desk()
    app = Host()
    async with app.run_test(size=(160, 30)) as pilot:
        blotter = app.query_one(Blotter)
        ids, events = [], []
        for i in range(ROWS_PER_FRAME * 2 + 50):
            lid, evs = desk.place("005930", Side.BUY if i % 2 else Side.SELL, 10, 71_000)
            ids.append(lid)
            events += evs
        blotter.apply(events)
        assert blotter.flush(force=True)
        assert blotter.row_count == ROWS_PER_FRAME and blotter.loading_rows == ROWS_PER_FRAME + 50
        await settled(pilot, blotter)
        assert blotter.row_count == len(ids)
        assert blotter.shown_keys == ids
        blotter.move_cursor(row=401)
        await pilot.pause()
        blotter.set_filter(side=Side.BUY)             # a rebuild, spread over frames
        assert blotter.loading_rows
        await settled(pilot, blotter)
        assert blotter.shown_keys == ids[1::2] and blotter.selected_key == ids[401]


@pytest.mark.parametrize("fast", [True, False])
async def test_what_is_drawn_follows_the_updates(fast, monkeypatch):
    # The fast path drops only the changed cells' render caches (DataTable internals); what
    # the screen shows must be the same as through update_cell.
    import lucy_tui.ui.widgets.blotter as blotter_module
    monkeypatch.setattr(blotter_module, "_FAST_CELLS", fast)
    desk = Desk()
    app = Host()
    async with app.run_test(size=(160, 30)) as pilot:
        blotter = app.query_one(Blotter)
        ids = []
        for code in ("005930", "000660", "035720"):
            lid, events = desk.place(code, Side.BUY, 100, 10_000)
            blotter.apply(events + desk.ack(lid, f"N{code}"))
            ids.append(lid)
        await pilot.pause(0.25)

        def drawn() -> list[str]:
            return ["".join(s.text for s in blotter.render_line(y)) for y in range(1, 4)]

        before = drawn()
        blotter.apply(desk.fill(ids[1], 37, 10_000))
        blotter.flush()
        after = drawn()
        assert after[0] == before[0] and after[2] == before[2]
        assert "37" in after[1] and "63" in after[1] and "부분체결" in after[1]
        assert "부분체결" not in before[1]


async def test_a_parent_row_says_where_its_legs_stand_together():
    desk = Desk()
    app = Host()
    async with app.run_test(size=(160, 30)) as pilot:
        blotter = app.query_one(Blotter)
        pid, (a, b), events = desk.parent("split", "005930", Side.BUY, 71_000,
                                          [(FUND_A, 70), (FUND_B, 30)])
        blotter.apply(events)
        await pilot.pause(0.25)
        assert row(blotter, pid)["status"] == "대기 2계좌"
        blotter.apply(desk.ack(a, "1") + desk.ack(b, "2") + desk.fill(a, 70, 71_000))
        await pilot.pause(0.25)
        cell = blotter.get_cell(pid, "status")
        assert str(cell) == "진행 2계좌" and str(cell.style) == STATUS_COLOURS["working"]
        blotter.apply(desk.fill(b, 30, 71_000))
        await pilot.pause(0.25)
        cell = blotter.get_cell(pid, "status")
        assert str(cell) == "체결 2계좌" and str(cell.style) == STATUS_COLOURS["filled"]
        assert (row(blotter, pid)["filled"], row(blotter, pid)["avg"]) == ("100", "71,000")


async def test_orders_priced_by_the_market_say_how():
    from dataclasses import replace as changed

    from lucy_tui.domain.model import OrderType
    from lucy_tui.engine.events import OrderUpdated
    desk = Desk()
    app = Host()
    async with app.run_test(size=(160, 30)) as pilot:
        blotter = app.query_one(Blotter)
        _, events = desk.place("005930", Side.BUY, 10, None)
        market = changed(events[0].order, local_id="market", type=OrderType.MARKET)
        best = changed(events[0].order, local_id="best", type=OrderType.BEST)
        blotter.apply([OrderUpdated(market, created=True), OrderUpdated(best, created=True)])
        await pilot.pause(0.25)
        assert row(blotter, "market")["price"] == "시장가"
        assert row(blotter, "best")["price"] == "최유리"
        assert blotter.virtual_size.width <= 160
