"""Watchlists: named lists (보유, 관심 and the user's own) with live prices, base prices that raise
an alert when crossed, and one key to the order ticket or the stock detail.

The screen owns no I/O: prices come from a :class:`~lucy_tui.watchlist.PriceFeed` (realtime
within the broker's limit, paced REST for the rest, as the line under the table says), lists
from a :class:`~lucy_tui.watchlist.WatchlistStore`. Quote updates only mark rows dirty; a timer
redraws them at most five times a second. An alert is a toast, a line on the screen's own tape,
a :class:`WatchAlert` message for the app's fill tape, and the terminal bell when asked for.

Keys: ``a`` add (code, name or 초성), ``x`` remove, ``l`` base prices ("250000 300000", ``-`` for
none), ``t`` tags, ``n`` new list, ``[``/``]`` previous/next list, Enter detail, F6/F7 buy/sell
ticket, Esc cancel the prompt or leave.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from ...domain.model import Side
from ...watchlist import AlertWatcher, PriceFeed, WatchlistError, WatchlistStore
from ...watchlist.feed import WatchQuote
from ..fmt import FALL, RISE, colour_for, signed
from .market_intents import OpenDetail, OpenTicket, WatchAlert

FRAME = 0.2
TAPE_LINES = 6
NEAR_BAND = 5        # percent: show the distance to a daily limit when closer than this

COLUMNS = (("code", "코드", 6), ("name", "종목명", 12), ("last", "현재가", 9),
           ("change", "대비", 8), ("rate", "등락률", 7), ("volume", "거래량", 10),
           ("band", "상하한", 8), ("buy", "매수기준", 9), ("sell", "매도기준", 9),
           ("tags", "태그", 10), ("src", "시세", 6))

PROMPTS = {
    "add": "추가: 종목코드, 이름 또는 초성 (Enter)",
    "levels": "기준가: 매수이하 매도이상, 예) 250000 300000  (없음은 -)",
    "tags": "태그: 쉼표로 구분, 예) 반도체, 대형주",
    "new": "새 목록 이름",
}


def parse_levels(text: str) -> tuple[int | None, int | None]:
    """``"250000 300000"`` → (250000, 300000); ``-`` or nothing leaves a side empty. Commas
    are thousands separators (``300,000``), so the two prices are separated by spaces."""
    parts = text.split()
    if len(parts) > 2:
        raise WatchlistError("give at most two prices: buy-below and sell-above")
    values: list[int | None] = []
    for part in parts + ["-"] * (2 - len(parts)):
        if part in ("-", "0"):
            values.append(None)
            continue
        digits = part.replace(",", "").replace("_", "")
        if not digits.isdigit():
            raise WatchlistError(f"'{part}' is not a price in won")
        values.append(int(digits))
    return values[0], values[1]


class WatchlistScreen(Screen):
    BINDINGS = [
        Binding("a", "prompt('add')", "추가 Add", id="wl_add"),
        Binding("x,delete", "remove", "삭제 Remove", id="wl_remove"),
        Binding("l", "prompt('levels')", "기준가 Levels", id="wl_levels"),
        Binding("t", "prompt('tags')", "태그 Tags", id="wl_tags"),
        Binding("n", "prompt('new')", "새 목록 New", id="wl_new"),
        Binding("left_square_bracket", "switch(-1)", "이전 목록", id="wl_prev"),
        Binding("right_square_bracket", "switch(1)", "다음 목록", id="wl_next"),
        Binding("enter", "detail", "상세 Detail", id="wl_detail"),
        Binding("f6", "ticket('buy')", "매수 Buy", priority=True, id="wl_buy"),
        Binding("f7", "ticket('sell')", "매도 Sell", priority=True, id="wl_sell"),
        Binding("escape", "escape", "닫기 Back", id="wl_escape"),
    ]
    DEFAULT_CSS = """
    WatchlistScreen #wl-tabs { height: 1; padding: 0 1; background: $panel; }
    WatchlistScreen #wl-table { height: 1fr; }
    WatchlistScreen #wl-feed { height: 1; padding: 0 1; color: $text-muted; }
    WatchlistScreen #wl-tape { height: auto; max-height: 7; padding: 0 1; border-top: solid $primary; }
    WatchlistScreen #wl-input { display: none; }
    WatchlistScreen #wl-input.-open { display: block; }
    """

    def __init__(self, store: WatchlistStore, feed: PriceFeed, *, universe=None,
                 list_name: str | None = None, bell: bool = False,
                 watcher: AlertWatcher | None = None, name: str | None = None,
                 id: str | None = None):
        super().__init__(name=name, id=id)
        self.store = store
        self.feed = feed
        self.universe = universe
        self.list_name = list_name if list_name in store.names else store.names[0]
        self.bell = bell
        self.watcher = watcher or AlertWatcher()
        self.tape: list[Text] = []
        self.alerts: list = []
        self._dirty: set[str] = set()
        self._mode = ""
        self._shown: list[str] = []

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(id="wl-tabs")
        with Vertical():
            yield DataTable(id="wl-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="wl-feed")
            yield Static(id="wl-tape")
        yield Input(id="wl-input")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#wl-table", DataTable)
        for key, label, width in COLUMNS:
            table.add_column(label, key=key, width=width)
        self._app_update = self.feed.on_update      # the app's alerts, given back on close
        self.feed.on_update = self._on_quote
        self.feed.start()
        self.set_interval(FRAME, self._redraw)
        self._show_list()
        self._draw_tape()
        table.focus()

    def on_unmount(self) -> None:
        # The feed belongs to the app and may outlive this screen; it must not call back here.
        if self.feed.on_update == self._on_quote:
            self.feed.on_update = getattr(self, "_app_update", None)

    # ------------------------------------------------------------------ data

    @property
    def selected_code(self) -> str | None:
        table = self.query_one("#wl-table", DataTable)
        if not self._shown or table.cursor_row >= len(self._shown):
            return None
        return self._shown[table.cursor_row]

    def _stock_name(self, code: str) -> str:
        inst = self.universe.get(code) if self.universe is not None else None
        return inst.name if inst is not None else ""

    def _show_list(self) -> None:
        wl = self.store.get(self.list_name)
        table = self.query_one("#wl-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        for entry in wl.entries:
            table.add_row(*self._cells(entry.code), key=entry.code)
        self._shown = wl.codes
        if self._shown:
            table.move_cursor(row=min(cursor, len(self._shown) - 1))
        self._draw_tabs()
        self._follow()

    def _follow(self) -> None:
        """Feed the visible list first, then every other list's symbols that carry levels."""
        entries = list(self.store.get(self.list_name).entries)
        for name in self.store.names:
            if name != self.list_name:
                entries += [e for e in self.store.get(name).entries
                            if e.buy_below or e.sell_above]
        self.watcher.watch(entries)
        self._set_codes([e.code for e in entries])

    @work(exclusive=True, group="wl-feed")
    async def _set_codes(self, codes: list[str]) -> None:
        await self.feed.set_codes(codes)
        if self.is_attached:
            self._dirty.update(codes)        # sources (실시간/REST) may have changed
            self._draw_feed()

    def _on_quote(self, q: WatchQuote) -> None:
        for alert in self.watcher.on_price(q.code, q.last, q.time):
            self._alert(alert)
        self._dirty.add(q.code)

    def _alert(self, alert) -> None:
        text = alert.describe(self._stock_name(alert.code))
        self.alerts.append(alert)
        when = alert.time.strftime("%H:%M:%S") if alert.time else ""
        colour = FALL if alert.kind.value == "buy_below" else RISE
        self.tape.append(Text.assemble((f"{when} ", "dim"), ("● ", colour), text))
        self.tape = self.tape[-TAPE_LINES:]
        self.notify(text, title="기준가 알림", severity="warning")
        if self.bell:
            self.app.bell()
        self.post_message(WatchAlert(alert, text))
        self._draw_tape()

    # ------------------------------------------------------------------ drawing

    def _redraw(self) -> None:
        if not self._dirty or not self.is_current:
            return       # hidden: keep the dirty set for when the screen shows again
        dirty, self._dirty = self._dirty, set()
        table = self.query_one("#wl-table", DataTable)
        shown = set(self._shown)
        with self.app.batch_update():
            for code in dirty & shown:
                for (key, *_), value in zip(COLUMNS[2:], self._cells(code)[2:]):
                    table.update_cell(code, key, value)
            self._draw_feed()

    def _cells(self, code: str) -> tuple:
        q = self.feed.quotes.get(code) or WatchQuote(code)
        entry = self.store.get(self.list_name).entry(code)
        band = q.band_distance()
        band_cell = Text("")
        if band is not None and band[1] < NEAR_BAND:
            band_cell = Text(f"{band[0]} {band[1]}%", style=RISE if band[0] == "상한" else FALL,
                             justify="right")
        return (
            code, self._stock_name(code),
            Text(f"{q.last:,}" if q.last else "-", style=colour_for(q.change), justify="right"),
            signed(q.change), signed(q.change, q.rate),
            Text(f"{q.volume:,}", justify="right"), band_cell,
            Text(f"{entry.buy_below:,}" if entry and entry.buy_below else "", style=FALL,
                 justify="right"),
            Text(f"{entry.sell_above:,}" if entry and entry.sell_above else "", style=RISE,
                 justify="right"),
            ", ".join(entry.tags) if entry else "",
            Text(q.source, style="dim"),
        )

    def _draw_tabs(self) -> None:
        parts = []
        for name in self.store.names:
            count = len(self.store.get(name).entries)
            style = "bold reverse" if name == self.list_name else "dim"
            parts.append((f" {name} {count} ", style))
            parts.append(" ")
        self.query_one("#wl-tabs", Static).update(Text.assemble("관심종목  ", *parts))

    def _draw_feed(self) -> None:
        text = self.feed.plan.describe()
        waiting = sum(1 for q in self.feed.quotes.values() if not q.last)
        if waiting:
            text += f" · 시세 대기 {waiting}종목"
        self.query_one("#wl-feed", Static).update(text)

    def _draw_tape(self) -> None:
        body = Text("\n").join(self.tape) if self.tape else Text("알림 없음", style="dim")
        self.query_one("#wl-tape", Static).update(body)

    # ------------------------------------------------------------------ actions

    def action_switch(self, step: int) -> None:
        names = self.store.names
        self.list_name = names[(names.index(self.list_name) + step) % len(names)]
        self._show_list()

    def action_prompt(self, mode: str) -> None:
        if mode in ("levels", "tags") and self.selected_code is None:
            self.notify("먼저 종목을 고르세요 (select a row first)", severity="error")
            return
        box = self.query_one("#wl-input", Input)
        box.placeholder = PROMPTS[mode]
        box.value = ""
        entry = self.store.get(self.list_name).entry(self.selected_code or "")
        if mode == "levels" and entry is not None:
            box.value = f"{entry.buy_below or '-'} {entry.sell_above or '-'}"
        elif mode == "tags" and entry is not None:
            box.value = ", ".join(entry.tags)
        self._mode = mode
        box.add_class("-open")
        box.focus()

    def _close_prompt(self) -> None:
        self._mode = ""
        box = self.query_one("#wl-input", Input)
        box.remove_class("-open")
        self.query_one("#wl-table", DataTable).focus()

    def action_escape(self) -> None:
        if self._mode:
            self._close_prompt()
        elif len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    @on(Input.Submitted, "#wl-input")
    def _submitted(self, event: Input.Submitted) -> None:
        mode, text = self._mode, event.value.strip()
        try:
            if mode == "add":
                self._add(text)
            elif mode == "levels":
                below, above = parse_levels(text)
                self.store.set_levels(self.list_name, self.selected_code, buy_below=below,
                                      sell_above=above)
            elif mode == "tags":
                self.store.set_tags(self.list_name, self.selected_code,
                                    tuple(text.split(",")))
            elif mode == "new":
                self.store.create(text)
                self.list_name = text.strip()
        except WatchlistError as exc:
            self.notify(str(exc), severity="error")
            return
        self._close_prompt()
        self._show_list()

    def _add(self, text: str) -> None:
        code = text.upper()
        if self.universe is not None and self.universe.get(code) is None:
            found = self.universe.search(text, limit=1)
            if not found:
                raise WatchlistError(f"'{text}': no such symbol")
            code = found[0].code
        self.store.add(self.list_name, code)
        self.notify(f"{self._stock_name(code) or code} → {self.list_name}")

    def add_symbol(self, code: str) -> None:
        """Add to the shown list (what the app's one-key "watch this" calls)."""
        try:
            self.store.add(self.list_name, code)
        except WatchlistError as exc:
            self.notify(str(exc), severity="error")
            return
        self._show_list()

    def action_remove(self) -> None:
        code = self.selected_code
        if code is None:
            return
        self.store.remove(self.list_name, code)
        self._show_list()

    def action_detail(self) -> None:
        if self.selected_code is not None:
            self.post_message(OpenDetail(self.selected_code))

    def action_ticket(self, side: str) -> None:
        code = self.selected_code
        if code is not None:
            q = self.feed.quotes.get(code)
            self.post_message(OpenTicket(code, Side(side), q.last if q and q.last else None))

    @on(DataTable.RowSelected, "#wl-table")
    def _row_selected(self, _event) -> None:
        self.action_detail()
