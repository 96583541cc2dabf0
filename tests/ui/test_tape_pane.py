"""The tape beside its detail pane: engine events in, the selected order's chain on the right."""

from __future__ import annotations

import io

from rich.console import Console
from textual.app import App, ComposeResult

from lucy_tui.domain.model import Side
from lucy_tui.ui.tape_model import TapeFeed
from lucy_tui.ui.widgets.chain import EMPTY, render_chain
from lucy_tui.ui.widgets.tape import FillTape
from lucy_tui.ui.widgets.tape_pane import FOLLOWING, PAUSED, TapePane

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


class Host(App):
    def compose(self) -> ComposeResult:
        yield TapePane(NAMES)


async def test_selecting_a_tape_line_shows_its_chain_and_follows_its_news():
    desk = Desk()
    app = Host()
    async with app.run_test(size=(170, 30)) as pilot:
        pane = app.query_one(TapePane)
        a, ea = desk.place("005930", Side.BUY, 100, 71_000)
        b, eb = desk.place("000660", Side.SELL, 5, 150_000)
        pane.feed(ea + eb + desk.ack(a, "1") + desk.ack(b, "2") + desk.fill(a, 10, 71_000)
                  + desk.fill(b, 5, 150_000))
        await pilot.pause(0.2)
        assert pane.border_subtitle == FOLLOWING
        pane.tape.focus()
        await pilot.press("up", "up")                        # the fill of order a
        await pilot.pause()
        assert pane.tape.selected.local_id == a and pane.border_subtitle == PAUSED
        chain = pane.chain
        assert {e.local_id for e in chain.entries} == {a} and chain.order.local_id == a
        assert [e.kind for e in chain.entries] == ["info", "ack", "fill"]
        pane.feed(desk.fill(a, 15, 71_000))
        await pilot.pause(0.4)
        assert [e.kind for e in chain.entries][-1] == "fill" and chain.order.filled_qty == 25
        await pilot.press("end")
        await pilot.pause()
        assert pane.border_subtitle == FOLLOWING and chain.entries == ()
        assert isinstance(pane.tape, FillTape)
