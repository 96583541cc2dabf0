"""The Themes screen: a day's judal themes with change rates, a theme's stocks, and the diff
against another day.

It reads the headless :class:`~lucy_tui.sources.store.ThemeStore` (in a worker thread: the files
are small, but reading them is I/O). Keys: ``[``/``]`` show an older/newer snapshot, ``d``
compares with an older day (press again for an older one), ``enter`` on a theme moves to its
stocks, ``enter`` on a stock asks for Lookup, ``o`` for an order ticket.
"""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...sources.models import ThemeSnapshot, ThemeStock
from ...sources.store import ThemeDiff, ThemeStore, diff
from ..fmt import FALL, FLAT, RISE
from .messages import LookupSymbol, PrefillOrder


def _pct(rate: Decimal | None) -> Text:
    if rate is None:
        return Text("—", justify="right")
    colour = RISE if rate > 0 else FALL if rate < 0 else FLAT
    return Text(f"{rate:+.2f}%", style=colour, justify="right")


def diff_text(d: ThemeDiff) -> Text:
    text = Text(f"{d.new} vs {d.old}: ", style="bold")
    if d.empty:
        text.append("no change")
        return text
    if d.added:
        text.append("new themes ", style="bold")
        text.append(", ".join(t.name for t in d.added) + "  ", style=RISE)
    if d.removed:
        text.append("gone ", style="bold")
        text.append(", ".join(t.name for t in d.removed) + "  ", style=FALL)
    for move in d.moves:
        text.append(f"\n{move.name} {move.code}: ")
        if move.joined:
            text.append("+" + ", +".join(move.joined), style=RISE)
        if move.joined and move.left:
            text.append("  ")
        if move.left:
            text.append("-" + ", -".join(move.left), style=FALL)
    return text


class ThemesScreen(Screen):
    DEFAULT_CSS = """
    ThemesScreen #themes-status { height: 1; background: $panel; padding: 0 1; }
    ThemesScreen #themes-table { width: 2fr; }
    ThemesScreen #theme-stocks { width: 3fr; }
    ThemesScreen #themes-diff { height: auto; max-height: 12; padding: 0 1;
                                border-top: solid $primary; }
    """
    BINDINGS = [
        Binding("left_square_bracket", "day(-1)", "Older day", id="themes_older"),
        Binding("right_square_bracket", "day(1)", "Newer day", id="themes_newer"),
        Binding("d", "compare", "Diff vs older day", id="themes_diff"),
        Binding("o", "order", "Order ticket", id="themes_order"),
        Binding("escape", "app.pop_screen", "Back", id="themes_back"),
    ]

    def __init__(self, store: ThemeStore, *, day: date | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.days: list[date] = []
        self.day: date | None = day
        self.snapshot: ThemeSnapshot | None = None
        self.compare_day: date | None = None
        self.theme_idx: int | None = None
        self.stocks: list[ThemeStock] = []

    def compose(self) -> ComposeResult:
        yield Static("Themes · loading…", id="themes-status")
        with Horizontal():
            yield DataTable(id="themes-table", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="theme-stocks", cursor_type="row", zebra_stripes=True)
        yield Static(id="themes-diff")
        yield Footer()

    def on_mount(self) -> None:
        themes = self.query_one("#themes-table", DataTable)
        themes.add_column("테마", key="name")
        themes.add_column("전일비", key="change")
        themes.add_column("종목수", key="count")
        stocks = self.query_one("#theme-stocks", DataTable)
        for key, label in (("code", "코드"), ("name", "종목"), ("market", "시장"), ("price", "현재가"),
                           ("change", "전일비"), ("cap", "시가총액")):
            stocks.add_column(label, key=key)
        themes.focus()
        self.load()

    # ------------------------------------------------------------ loading

    @work(exclusive=True, group="themes-load")
    async def load(self, day: date | None = None) -> None:
        """Load ``day`` (default: the screen's day, else the newest snapshot) off the loop."""
        self.days = await asyncio.to_thread(self.store.days)
        wanted = day or self.day or (self.days[-1] if self.days else None)
        snap = await asyncio.to_thread(self.store.load, wanted) if wanted else None
        self.show(snap)

    def show(self, snap: ThemeSnapshot | None) -> None:
        self.snapshot = snap
        self.day = snap.day if snap else self.day
        self.compare_day = None
        self.query_one("#themes-diff", Static).update("")
        table = self.query_one("#themes-table", DataTable)
        table.clear()
        if snap is None:
            self.query_one("#themes-status", Static).update(
                "Themes · no snapshot yet (the judal job stores one per trading day)")
            self._fill_stocks(None)
            return
        ordered = sorted(snap.themes, key=lambda t: t.change_pct if t.change_pct is not None
                         else Decimal("-1e9"), reverse=True)
        for theme in ordered:
            table.add_row(theme.name, _pct(theme.change_pct),
                          Text(str(len(snap.stocks.get(theme.idx, ()))), justify="right"),
                          key=str(theme.idx))
        self.query_one("#themes-status", Static).update(
            f"Themes · {snap.day} · {len(snap.themes)} themes · "
            f"{len(self.days)} day(s) stored")
        self._fill_stocks(int(ordered[0].idx) if ordered else None)

    def _fill_stocks(self, idx: int | None) -> None:
        self.theme_idx = idx
        table = self.query_one("#theme-stocks", DataTable)
        table.clear()
        snap = self.snapshot
        self.stocks = list(snap.stocks.get(idx, ())) if snap is not None and idx is not None else []
        for s in self.stocks:
            colour = RISE if (s.change or 0) > 0 else FALL if (s.change or 0) < 0 else FLAT
            table.add_row(s.code, s.name, s.market or "",
                          Text(f"{s.price:,}" if s.price is not None else "—", style=colour,
                               justify="right"),
                          _pct(s.change_pct),
                          Text(f"{s.market_cap // 100_000_000:,}억" if s.market_cap else "—",
                               justify="right"), key=s.code)

    @on(DataTable.RowHighlighted, "#themes-table")
    def _theme(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value is not None:
            self._fill_stocks(int(event.row_key.value))

    # ------------------------------------------------------------ actions

    def action_day(self, step: int) -> None:
        if self.day is None or self.day not in self.days:
            return
        i = self.days.index(self.day) + step
        if 0 <= i < len(self.days):
            self.load(self.days[i])

    def action_compare(self) -> None:
        if self.snapshot is None:
            return
        older = [d for d in self.days if d < self.snapshot.day]
        if self.compare_day in older:
            older = [d for d in older if d < self.compare_day]
        if not older:
            self.notify("No older snapshot to compare with.", severity="warning")
            return
        self._compare(older[-1])

    @work(exclusive=True, group="themes-diff")
    async def _compare(self, day: date) -> None:
        other = await asyncio.to_thread(self.store.load, day)
        if other is None or self.snapshot is None:
            return
        self.compare_day = day
        self.query_one("#themes-diff", Static).update(diff_text(diff(other, self.snapshot)))

    def _selected_stock(self) -> ThemeStock | None:
        table = self.query_one("#theme-stocks", DataTable)
        if not self.stocks or table.cursor_row is None or table.cursor_row >= len(self.stocks):
            return None
        return self.stocks[table.cursor_row]

    @on(DataTable.RowSelected, "#themes-table")
    def _into_stocks(self, event: DataTable.RowSelected) -> None:
        self.query_one("#theme-stocks", DataTable).focus()

    @on(DataTable.RowSelected, "#theme-stocks")
    def _lookup(self, event: DataTable.RowSelected) -> None:
        stock = self._selected_stock()
        if stock is not None:
            self.post_message(LookupSymbol(stock.code, stock.name))

    def action_order(self) -> None:
        stock = self._selected_stock()
        if stock is not None:
            self.post_message(PrefillOrder(stock.code, stock.name, stock.price))
