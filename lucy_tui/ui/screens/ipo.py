"""The IPO screen: offerings by phase, a month calendar of their days, and one offering's detail.

It renders what the headless :class:`~lucy_tui.sources.store.IpoStore` holds and never fetches:
``r`` asks the injected ``refresh`` callable (the scheduler's IPO job) to run, and the screen
reloads when it is done. Keys: ``0``-``4`` filter (all, upcoming, subscribing, listing soon,
done); ``c`` calendar, ``l`` list; in the calendar arrows move the day and ``[``/``]`` the month;
``o`` asks for an order ticket on a listed offering.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...clock import Clock, SystemClock
from ...domain import calendar as krx_calendar
from ...sources import judgement
from ...sources.models import IpoPhase, IpoRecord
from ...sources.store import IpoStore
from ..widgets.month_calendar import MonthCalendar
from .messages import LookupSymbol, PrefillOrder

FILTERS = {"0": None, "1": IpoPhase.UPCOMING, "2": IpoPhase.SUBSCRIBING,
           "3": IpoPhase.LISTING_SOON, "4": IpoPhase.DONE}
PHASE_LABEL = {IpoPhase.UPCOMING: "청약예정", IpoPhase.SUBSCRIBING: "청약중",
               IpoPhase.LISTING_SOON: "상장예정", IpoPhase.DONE: "상장완료"}
PHASE_STYLE = {IpoPhase.UPCOMING: "#5f87ff", IpoPhase.SUBSCRIBING: "bold #ff5f5f",
               IpoPhase.LISTING_SOON: "#ffaf00", IpoPhase.DONE: "#8a8a8a"}


def _d(day: date | None) -> str:
    return f"{day:%m-%d}" if day else "—"


def _won(n: int | None) -> str:
    return f"{n:,}" if n is not None else "—"


def detail_text(record: IpoRecord, today: date) -> Text:
    """Every field of one offering, then the judgement lines."""
    rows = [
        ("종목", f"{record.name}" + (f"  {record.code}" if record.code else "")),
        ("시장", record.market or "—"),
        ("단계", PHASE_LABEL[record.phase(today)]),
        ("청약", f"{_d(record.subscription_start)} ~ {_d(record.subscription_end)}"),
        ("납입 / 환불", f"{_d(record.payment)} / {_d(record.refund)}"),
        ("상장", _d(record.listing)),
        ("희망가", f"{_won(record.band_low)} ~ {_won(record.band_high)}"),
        ("확정가", _won(record.final_price)),
        ("공모금액", f"{record.offering_amount // 100_000_000:,}억" if record.offering_amount else "—"),
        ("주간사", ", ".join(record.underwriters) or "—"),
        *((f"  {firm}", f"청약한도 {limit:,}주" if limit is not None else "청약한도 —")
          for firm, limit in record.subscription_limits),
        ("기관경쟁률", f"{record.institutional_competition:,}:1"
         if record.institutional_competition is not None else "—"),
        ("의무보유확약", f"{record.lockup_ratio}%" if record.lockup_ratio is not None else "—"),
        ("청약경쟁률", f"{record.competition:,}:1" if record.competition is not None else "—"),
        ("출처", " + ".join(record.sources) or "—"),
    ]
    text = Text()
    for label, value in rows:
        # Hangul is two cells wide: pad by display width, not by characters.
        text.append(label + " " * max(1, 13 - cell_len(label)), style="bold")
        text.append(f"{value}\n")
    text.append("\n")
    for line in judgement.summary(record):
        text.append(f"• {line}\n", style="italic")
    return text


class IpoScreen(Screen):
    DEFAULT_CSS = """
    IpoScreen #ipo-status { height: 1; background: $panel; padding: 0 1; }
    IpoScreen #ipo-left { width: 1fr; }
    IpoScreen #ipo-right { width: 64; }
    IpoScreen #ipo-detail { height: 1fr; padding: 0 1; border-top: solid $primary; }
    """
    BINDINGS = [
        *(Binding(key, f"filter('{key}')", label, id=f"ipo_filter_{key}")
          for key, label in (("0", "All"), ("1", "Upcoming"), ("2", "Subscribing"),
                             ("3", "Listing soon"), ("4", "Done"))),
        Binding("c", "focus_calendar", "Calendar", id="ipo_calendar"),
        Binding("l", "focus_list", "List", id="ipo_list"),
        Binding("r", "refresh", "Refresh", id="ipo_refresh"),
        Binding("o", "order", "Order ticket", id="ipo_order"),
        Binding("escape", "app.pop_screen", "Back", id="ipo_back"),
    ]

    def __init__(self, store: IpoStore, *, clock: Clock | None = None,
                 refresh: Callable[[], Awaitable[object]] | None = None,
                 is_trading_day: Callable[[date], bool] = krx_calendar.is_trading_day,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.clock = clock or SystemClock()
        self._refresh = refresh
        self.is_trading_day = is_trading_day
        self.phase_filter: IpoPhase | None = None
        self.records: list[IpoRecord] = []
        self.shown: list[IpoRecord] = []
        self.status_text = ""

    @property
    def today(self) -> date:
        return self.clock.now().date()

    def compose(self) -> ComposeResult:
        yield Static(id="ipo-status")
        with Horizontal():
            with Vertical(id="ipo-left"):
                yield DataTable(id="ipo-table", cursor_type="row", zebra_stripes=True)
            with Vertical(id="ipo-right"):
                yield MonthCalendar(self.today, is_trading_day=self.is_trading_day,
                                    id="ipo-calendar")
                yield Static(id="ipo-detail")
        yield Footer()

    async def on_mount(self) -> None:
        table = self.query_one("#ipo-table", DataTable)
        for key, label, width in (("name", "종목", 14), ("phase", "단계", 8), ("sub", "청약", 11),
                                  ("final", "확정가", 6), ("band", "희망가", 13), ("inst", "기관", 7),
                                  ("lockup", "확약", 6), ("listing", "상장", 5)):
            table.add_column(label, key=key, width=width)
        if not self.store.data.records:
            # The file is small, but reading it is still I/O: not on the event loop.
            await asyncio.to_thread(self.store.load)
        self.reload()
        table.focus()

    # ------------------------------------------------------------ data

    def reload(self) -> None:
        """Show what the store holds now (call after the IPO job has run)."""
        self.records = list(self.store.data.records)
        events: dict[date, set[str]] = {}
        for record in self.records:
            for day, kind in record.events():
                events.setdefault(day, set()).add(kind)
        self.query_one(MonthCalendar).set_events(events)
        self._fill()

    def _fill(self) -> None:
        table = self.query_one("#ipo-table", DataTable)
        today = self.today
        self.shown = [r for r in self.records
                      if self.phase_filter is None or r.phase(today) is self.phase_filter]
        table.clear()
        for r in self.shown:
            phase = r.phase(today)
            table.add_row(
                r.name + (" (SPAC)" if r.spac else ""),
                Text(PHASE_LABEL[phase], style=PHASE_STYLE[phase]),
                f"{_d(r.subscription_start)}~{_d(r.subscription_end)}",
                Text(_won(r.final_price), justify="right"),
                f"{_won(r.band_low)}~{_won(r.band_high)}",
                Text(f"{r.institutional_competition:,.0f}:1"
                     if r.institutional_competition is not None else "—", justify="right"),
                Text(f"{r.lockup_ratio}%" if r.lockup_ratio is not None else "—", justify="right"),
                _d(r.listing), key=self._key(r))
        updated = self.store.data.updated
        label = "all" if self.phase_filter is None else self.phase_filter.value
        self.status_text = (f"IPO · {label} · {len(self.shown)} of {len(self.records)} offerings · "
                            f"updated {updated:%m-%d %H:%M}" if updated else
                            f"IPO · {label} · {len(self.shown)} of {len(self.records)} offerings · "
                            "not refreshed yet")
        self.query_one("#ipo-status", Static).update(self.status_text)
        self._show_detail(self.selected)

    @staticmethod
    def _key(record: IpoRecord) -> str:
        return f"{record.no}:{record.code}:{record.name}"

    @property
    def selected(self) -> IpoRecord | None:
        table = self.query_one("#ipo-table", DataTable)
        if not self.shown or table.cursor_row is None or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def _show_detail(self, record: IpoRecord | None) -> None:
        pane = self.query_one("#ipo-detail", Static)
        if record is None:
            pane.update("No offering selected." if self.records else
                        "No IPO data yet: press r to refresh (38.co.kr, and KIS when connected).")
            return
        pane.update(detail_text(record, self.today))

    # ------------------------------------------------------------ events

    @on(DataTable.RowHighlighted, "#ipo-table")
    def _row(self, event: DataTable.RowHighlighted) -> None:
        record = self.selected
        self._show_detail(record)
        if record is not None and record.subscription_start is not None:
            self.query_one(MonthCalendar).show(record.subscription_start)

    @on(MonthCalendar.DaySelected)
    def _day(self, event: MonthCalendar.DaySelected) -> None:
        for i, record in enumerate(self.shown):
            if any(day == event.day for day, _ in record.events()):
                table = self.query_one("#ipo-table", DataTable)
                table.move_cursor(row=i)
                self._show_detail(record)
                return

    # ------------------------------------------------------------ actions

    def action_filter(self, key: str) -> None:
        self.phase_filter = FILTERS[key]
        self._fill()

    def action_focus_calendar(self) -> None:
        self.query_one(MonthCalendar).focus()

    def action_focus_list(self) -> None:
        self.query_one("#ipo-table", DataTable).focus()

    @on(DataTable.RowSelected, "#ipo-table")
    def _lookup(self, event: DataTable.RowSelected) -> None:
        record = self.selected
        if record is not None and record.code:
            self.post_message(LookupSymbol(record.code, record.name))

    def action_order(self) -> None:
        record = self.selected
        if record is None or not record.code:
            self.notify("No stock code for this offering yet.", severity="warning")
            return
        self.post_message(PrefillOrder(record.code, record.name, record.final_price))

    def action_refresh(self) -> None:
        if self._refresh is None:
            self.notify("IPO refresh is not configured.", severity="warning")
            return
        self.query_one("#ipo-status", Static).update(self.status_text + " · refreshing…")
        self._run_refresh()

    @work(exclusive=True, group="ipo-refresh")
    async def _run_refresh(self) -> None:
        try:
            outcome = await self._refresh()
        except Exception as exc:   # a failed refresh is a message, never a crashed screen
            outcome = None
            message, ok = f"IPO refresh failed: {type(exc).__name__}: {exc}", False
        else:
            message = getattr(outcome, "message", None) or str(outcome or "done")
            ok = getattr(outcome, "ok", True)
        self.reload()
        self.notify(message, severity="information" if ok else "error", timeout=8)
