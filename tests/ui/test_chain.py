"""The order chain's text, and the tape and blotter starting from the day so far."""

from __future__ import annotations

import io

from rich.console import Console
from textual.app import App, ComposeResult

from lucy_tui.domain.model import Side
from lucy_tui.ui.tape_model import TapeFeed
from lucy_tui.ui.widgets.chain import EMPTY, render_chain
from lucy_tui.ui.widgets.tape import FillTape

from tape_desk import NAMES, Desk


def text_of(renderable, width: int = 100) -> str:
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def test_the_chain_lists_the_original_order_amends_fills_and_the_cancel():
    desk, feed = Desk(), TapeFeed(NAMES)
    lid, events = desk.place("005930", Side.BUY, 100, 71_000)
    lines = feed.feed(events + desk.ack(lid, "100") + desk.fill(lid, 30, 71_000)
                      + desk.amend(lid, "101", 70_900) + desk.fill(lid, 20, 70_900)
                      + desk.cancel(lid))
    text = text_of(render_chain(lines, desk.order(lid), "삼성전자"))
    assert "삼성전자 005930" in text and "매수" in text and "100주 @ 70,900" in text
    assert "주문번호 101" in text and "원주문 100" in text and "상태 취소" in text
    assert "체결 50" in text and "잔량 0" in text and "취소 50" in text and "= 주문 100" in text
    rows = [line for line in text.splitlines() if line[:2].isdigit()]
    assert [r.split()[1] for r in rows] == ["알림", "접수", "체결", "알림", "정정", "체결", "알림",
                                          "취소"]
    assert "100→101" in rows[4] and "70,900" in rows[5] and "09:00:00." in rows[2]
    assert EMPTY in text_of(render_chain([], None))


def test_a_rejection_shows_its_reason():
    desk, feed = Desk(), TapeFeed(NAMES)
    lid, events = desk.place("000660", Side.SELL, 5, 150_000)
    lines = feed.feed(events + desk.reject(lid, "매도가능수량 부족"))
    text = text_of(render_chain(lines, desk.order(lid), "SK하이닉스"))
    assert "거부" in text and "매도가능수량 부족" in text and "상태 거부" in text


async def test_after_a_restart_both_widgets_start_from_the_day_so_far():
    from lucy_tui.engine.events import OrderUpdated
    from lucy_tui.ui.widgets.blotter import Blotter
    from tape_desk import FUND_A, FUND_B

    class Both(App):
        def compose(self) -> ComposeResult:
            yield Blotter(NAMES)
            yield FillTape()

    desk = Desk()
    a, _ = desk.place("005930", Side.BUY, 100, 71_000)
    desk.ack(a, "1"), desk.fill(a, 40, 71_000)
    pid, legs, _ = desk.parent("split", "000660", Side.SELL, 150_000, [(FUND_A, 6), (FUND_B, 4)])
    app = Both()
    async with app.run_test(size=(170, 40)) as pilot:
        blotter, tape, feed = app.query_one(Blotter), app.query_one(FillTape), TapeFeed(NAMES)
        blotter.load(desk.book.orders.values(), [desk.book.parent_view(pid)])
        tape.append(feed.history(desk.book.orders.values(), desk.book.fills))
        await pilot.pause(0.2)
        assert blotter.shown_keys == [a, pid]
        assert [blotter.local_id_for_row_number(n) for n in (1, 2)] == [a, pid]
        assert [e.kind for e in tape.entries] == ["ack", "fill", "info", "info"]
        tape.append(feed.feed(desk.fill(a, 60, 71_000)))
        blotter.apply([OrderUpdated(desk.order(a))])
        await pilot.pause(0.2)
        assert [e.kind for e in tape.entries][-1] == "fill" and tape.line_count == 5
        assert str(blotter.get_cell(a, "filled")) == "100"
