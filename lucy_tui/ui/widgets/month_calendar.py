"""A month calendar for the IPO screen: KRX holidays in red, subscription days in blue, payment
and refund days in grey, listing days in red, moved by keyboard.

Each day shows its number and a one-letter mark per event kind (청 subscription, 납 payment,
환 refund, 상 listing; payment and refund on one day show 납 only), so colour is not the only cue.
"""

from __future__ import annotations

import calendar as pycal
from collections.abc import Callable
from datetime import date, timedelta

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ...domain import calendar as krx_calendar
from ...domain.calendar import add_months

HOLIDAY, SUBSCRIPTION, GREY, LISTING = "bold #ff5f5f", "bold #5f87ff", "#8a8a8a", "bold #ff5f5f"
MARKS = {"subscription": ("청", SUBSCRIPTION), "payment": ("납", GREY), "refund": ("환", GREY),
         "listing": ("상", LISTING)}
WEEKDAYS = ("일", "월", "화", "수", "목", "금", "토")   # Korean calendars start on Sunday


def month_start(day: date) -> date:
    return day.replace(day=1)


class MonthCalendar(Widget, can_focus=True):
    DEFAULT_CSS = "MonthCalendar { height: auto; min-height: 10; padding: 0 1; }"
    BINDINGS = [
        Binding("left", "move(-1)", "Day -1", show=False, id="cal_left"),
        Binding("right", "move(1)", "Day +1", show=False, id="cal_right"),
        Binding("up", "move(-7)", "Week -1", show=False, id="cal_up"),
        Binding("down", "move(7)", "Week +1", show=False, id="cal_down"),
        Binding("pageup,left_square_bracket", "month(-1)", "Prev month", id="cal_prev_month"),
        Binding("pagedown,right_square_bracket", "month(1)", "Next month", id="cal_next_month"),
        Binding("home", "today", "Today", show=False, id="cal_today"),
    ]

    cursor: reactive[date] = reactive(date(2000, 1, 1))

    class DaySelected(Message):
        def __init__(self, day: date) -> None:
            super().__init__()
            self.day = day

    def __init__(self, today: date, *, is_trading_day: Callable[[date], bool] = krx_calendar.is_trading_day,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.today = today
        self.is_trading_day = is_trading_day
        self.events: dict[date, set[str]] = {}
        self.set_reactive(MonthCalendar.cursor, today)

    def set_events(self, events: dict[date, set[str]]) -> None:
        self.events = events
        self.refresh(layout=True)

    def show(self, day: date) -> None:
        """Put the cursor on ``day`` (and its month on screen) without announcing it."""
        self.set_reactive(MonthCalendar.cursor, day)
        self.refresh(layout=True)

    def watch_cursor(self, old: date, new: date) -> None:
        self.refresh(layout=True)
        self.post_message(self.DaySelected(new))

    def action_move(self, days: int) -> None:
        self.cursor = self.cursor + timedelta(days=days)

    def action_month(self, n: int) -> None:
        self.cursor = add_months(self.cursor, n)

    def action_today(self) -> None:
        self.cursor = self.today

    def is_holiday(self, day: date) -> bool:
        """Weekdays KRX does not trade (public holidays, year-end close); weekends too."""
        return not self.is_trading_day(day)

    def day_text(self, day: date) -> Text:
        style = HOLIDAY if self.is_holiday(day) else ""
        if day == self.today:
            style += " underline"
        text = Text(f"{day.day:>2}", style=style.strip())
        kinds = self.events.get(day, ())
        # Payment and refund usually fall on the same day and share a colour: one mark for both.
        for kind in ("subscription", "payment", "refund", "listing"):
            if kind == "refund" and "payment" in kinds:
                continue
            if kind in kinds:
                mark, colour = MARKS[kind]
                text.append(mark, style=colour)
        if day == self.cursor:
            text.stylize("reverse")
        return text

    def render(self) -> Table:
        first = month_start(self.cursor)
        table = Table(title=f"{first:%Y-%m}", show_edge=False, pad_edge=False, box=None,
                      padding=(0, 0), expand=False)
        for i, name in enumerate(WEEKDAYS):
            table.add_column(Text(name, style=HOLIDAY if i == 0 else ""), justify="left",
                             width=9, no_wrap=True)
        weeks = pycal.Calendar(firstweekday=6).monthdatescalendar(first.year, first.month)
        for week in weeks:
            table.add_row(*(self.day_text(d) if d.month == first.month else Text("")
                            for d in week))
        table.caption = Text.assemble(("청", SUBSCRIPTION), " 청약  ", ("납", GREY), " 납입(·환불)  ",
                                      ("환", GREY), " 환불  ", ("상", LISTING), " 상장  ",
                                      ("휴", HOLIDAY), " 휴장")
        return table
