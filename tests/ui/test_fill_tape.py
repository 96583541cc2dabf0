"""The fill tape widget in a small host app: throughput, follow mode, drawing, selection."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from rich.color import Color
from textual import events
from textual.app import App, ComposeResult

from lucy_tui.clock import KST
from lucy_tui.domain.model import Side
from lucy_tui.ui.fmt import FALL, RISE
from lucy_tui.ui.tape_model import TapeEntry, TapeFeed
from lucy_tui.ui.widgets.tape import FillTape, line_segments

from tape_desk import NAMES, Desk

T0 = datetime(2026, 12, 4, 9, 0, 0, 123_000, tzinfo=KST)


def fills(n: int, start: int = 0) -> list[TapeEntry]:
    return [TapeEntry(T0 + timedelta(milliseconds=i), "fill", "kis", "fundA",
                      Side.BUY if i % 2 else Side.SELL, "005930", "삼성전자", 10, 71_000 + i % 7 * 100,
                      10, 100, None, "KRX", f"{i:010d}", f"L{i}")
            for i in range(start, start + n)]


class Host(App):
    def __init__(self, max_lines: int = 50_000) -> None:
        super().__init__()
        self.max_lines = max_lines
        self.messages: list = []

    def compose(self) -> ComposeResult:
        yield FillTape(self.max_lines)

    def on_fill_tape_follow_changed(self, message: FillTape.FollowChanged) -> None:
        self.messages.append(("follow", message.following))

    def on_fill_tape_selected(self, message: FillTape.Selected) -> None:
        self.messages.append(("selected", message.entry))


def visible_text(tape: FillTape) -> list[str]:
    return ["".join(s.text for s in tape.render_line(y)).rstrip()
            for y in range(tape.scrollable_content_region.height)]


async def test_ten_thousand_lines_append_fast_and_the_view_shows_the_newest():
    app = Host()
    async with app.run_test(size=(150, 30)) as pilot:
        tape = app.query_one(FillTape)
        batch = fills(10_000)
        started = time.perf_counter()
        for i in range(0, 10_000, 100):          # as the engine delivers them: in bursts
            tape.append(batch[i:i + 100])
        elapsed = time.perf_counter() - started
        assert elapsed < 0.05, f"appending 10 000 lines took {elapsed * 1000:.1f} ms"
        await pilot.pause(0.2)
        assert tape.line_count == 10_000 and tape.following
        assert tape.scroll_y == tape.max_scroll_y > 0
        lines = visible_text(tape)
        assert lines[0].startswith("시각")             # the header stays on top
        assert lines[-1].endswith(" 9999") and lines[-2].endswith(" 9998")   # numbers unpadded


async def test_the_ring_buffer_keeps_the_newest_lines_and_numbers_them_for_good():
    app = Host(max_lines=2_000)
    async with app.run_test(size=(150, 20)) as pilot:
        tape = app.query_one(FillTape)
        tape.append(fills(5_000))
        await pilot.pause(0.2)
        assert (tape.line_count, tape.first_seq, tape.appended) == (2_000, 3_000, 5_000)
        assert tape.entry(2_999) is None and tape.entry(3_000).order_no == "0000003000"
        assert visible_text(tape)[-1].rstrip().endswith(" 4999")


async def test_scrolling_up_pauses_following_and_end_resumes():
    app = Host()
    async with app.run_test(size=(150, 20)) as pilot:
        tape = app.query_one(FillTape)
        tape.focus()
        tape.append(fills(500))
        await pilot.pause(0.2)
        assert tape.following
        for _ in range(3):                        # the mouse wheel, as the terminal sends it
            tape.post_message(events.MouseScrollUp(tape, 5, 5, 0, -1, 0, False, False, False))
        await pilot.pause(0.3)
        assert not tape.following and ("follow", False) in app.messages
        held = tape.scroll_y
        top = visible_text(tape)[1]
        tape.append(fills(300, start=500))
        await pilot.pause(0.2)
        assert tape.scroll_y == held and visible_text(tape)[1] == top   # the view stays put
        await pilot.press("end")
        await pilot.pause(0.2)
        assert tape.following and app.messages[-1] == ("follow", True)
        assert tape.scroll_y == tape.max_scroll_y
        tape.append(fills(10, start=800))
        await pilot.pause(0.2)
        assert visible_text(tape)[-1].rstrip().endswith(" 809")


async def test_a_paused_view_keeps_its_lines_while_old_ones_fall_out_of_the_buffer():
    app = Host(max_lines=1_000)
    async with app.run_test(size=(150, 20)) as pilot:
        tape = app.query_one(FillTape)
        tape.append(fills(1_000))
        await pilot.pause(0.2)
        tape.scroll_to(y=tape.max_scroll_y - 100, animate=False, immediate=True)
        await pilot.pause(0.1)
        assert not tape.following
        top = visible_text(tape)[1]
        tape.append(fills(50, start=1_000))
        await pilot.pause(0.2)
        assert visible_text(tape)[1] == top


async def test_lines_show_ms_times_korean_colours_and_dimmed_context():
    desk, feed = Desk(), TapeFeed(NAMES)
    lid, events = desk.place("005930", Side.BUY, 100, 71_000)
    sell, more = desk.place("000660", Side.SELL, 5, 150_000)
    lines = feed.feed(events + more + desk.ack(lid, "0000012345") + desk.ack(sell, "77")
                      + desk.fill(lid, 30, 71_000) + desk.fill(sell, 5, 150_000))
    app = Host()
    async with app.run_test(size=(160, 20)) as pilot:
        tape = app.query_one(FillTape)
        tape.append(lines)
        await pilot.pause(0.2)
        text = visible_text(tape)
        buy_fill = next(t for t in text if "체결" in t and "삼성전자" in t)
        assert "09:00:00.005" in buy_fill and "30/100" in buy_fill and "71,000" in buy_fill
        assert " 12345" in buy_fill and "KRX" in buy_fill and "KIS" in buy_fill

    buy = line_segments(lines[-2])
    sell_segments = line_segments(lines[-1])
    ack = line_segments(lines[2])
    side_of = {"매수": buy, "매도": sell_segments}
    for word, segments in side_of.items():
        segment = next(s for s in segments if word in s.text)
        expected = RISE if word == "매수" else FALL
        assert segment.style.color == Color.parse(expected)
    price = next(s for s in buy if "71,000" in s.text)
    assert price.style.color == Color.parse(RISE) and not price.style.dim
    assert all(s.style.dim for s in ack if s.text.strip())


async def test_cursor_selects_lines_and_pauses_the_tape():
    app = Host()
    async with app.run_test(size=(150, 20)) as pilot:
        tape = app.query_one(FillTape)
        tape.focus()
        tape.append(fills(100))
        await pilot.pause(0.2)
        await pilot.press("up")
        await pilot.pause()
        assert app.messages[-1] == ("selected", tape.entry(99)) and tape.cursor == 99
        assert ("follow", False) in app.messages and not tape.following
        await pilot.press("up", "up")
        await pilot.pause()
        assert app.messages[-1][1].order_no == "0000000097"
        assert tape.selected.order_no == "0000000097"
        tape.append(fills(50, start=100))
        await pilot.pause(0.2)
        assert tape.selected.order_no == "0000000097"     # the cursor stays on its line
        await pilot.press("pageup")
        await pilot.pause()
        assert tape.cursor < 97 and tape.scroll_y <= tape.cursor
        await pilot.press("end")
        await pilot.pause(0.1)
        assert tape.cursor is None and tape.following


async def test_a_hidden_tape_is_not_written_to_and_catches_up_when_shown():
    app = Host()
    async with app.run_test(size=(150, 20)) as pilot:
        tape = app.query_one(FillTape)
        await pilot.pause(0.1)
        tape.display = False
        await pilot.pause(0.1)
        frames = tape.frames
        tape.append(fills(1_000))
        await pilot.pause(0.3)
        assert tape.frames == frames and tape.virtual_size.height <= 1
        tape.display = True
        await pilot.pause(0.3)
        assert tape.frames == frames + 1 and tape.virtual_size.height == 1_001


async def test_a_click_selects_the_line_under_the_mouse():
    app = Host()
    async with app.run_test(size=(150, 20)) as pilot:
        tape = app.query_one(FillTape)
        tape.append(fills(5))
        await pilot.pause(0.2)
        await pilot.click(FillTape, offset=(3, 3))         # row 0 is the header
        await pilot.pause()
        assert tape.cursor == 2 and app.messages[-1] == ("selected", tape.entry(2))
        await pilot.click(FillTape, offset=(3, 0))
        await pilot.pause()
        assert tape.cursor == 2


async def test_without_a_header_every_row_is_a_line():
    class Bare(App):
        def compose(self) -> ComposeResult:
            yield FillTape(show_header=False)

    app = Bare()
    async with app.run_test(size=(150, 10)) as pilot:
        tape = app.query_one(FillTape)
        tape.append(fills(3))
        await pilot.pause(0.2)
        lines = visible_text(tape)
        assert "0000000000" in lines[0] and lines[2].rstrip().endswith(" 2") and lines[3] == ""


async def test_a_tape_under_another_screen_waits_but_not_under_a_dialog():
    from textual.screen import ModalScreen, Screen
    from textual.widgets import Static

    class Dialog(ModalScreen):
        def compose(self) -> ComposeResult:
            yield Static("정정 가격?")

    app = Host()
    async with app.run_test(size=(150, 20)) as pilot:
        tape = app.query_one(FillTape)
        await pilot.pause(0.1)
        await app.push_screen(Dialog())
        tape.append(fills(10))
        await pilot.pause(0.3)
        assert tape.virtual_size.height == 11          # still seen behind the dialog
        await app.pop_screen()
        await app.push_screen(Screen())
        frames = tape.frames
        tape.append(fills(100, start=10))
        await pilot.pause(0.3)
        assert tape.frames == frames
        await app.pop_screen()
        await pilot.pause(0.3)
        assert tape.frames == frames + 1 and tape.virtual_size.height == 111


async def test_scrolling_back_down_to_the_newest_line_resumes_following():
    app = Host()
    async with app.run_test(size=(150, 20)) as pilot:
        tape = app.query_one(FillTape)
        tape.append(fills(200))
        await pilot.pause(0.2)
        for _ in range(2):
            tape.post_message(events.MouseScrollUp(tape, 5, 5, 0, -1, 0, False, False, False))
        await pilot.pause(0.2)
        assert not tape.following
        for _ in range(20):
            tape.post_message(events.MouseScrollDown(tape, 5, 5, 0, 1, 0, False, False, False))
        await pilot.pause(0.3)
        assert tape.following and app.messages[-1] == ("follow", True)
