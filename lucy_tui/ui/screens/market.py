"""Market and lookup: every instrument with price, change, volume, touch and band, a ten-level
book for the selected one, and search by code, Korean name or 초성 (``/`` then ``ㅅㅅㅈㅈ``).

In demo mode the board reads the simulated exchange this process runs (the whole universe, live,
no subscription limits). With real brokers, the board lists the search results and quotes come
from the brokers on selection. F6/F7 open the order ticket on the selected symbol."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, OptionList
from textual.widgets.option_list import Option

from ..widgets.header import HeaderBar
from ..widgets.market_board import MarketBoard
from ..widgets.order_book import OrderBookPanel
from ..widgets.quote_panel import QuotePanel


class LookupList(OptionList):
    """Search results without a market feed: code, name, market."""

    DEFAULT_CSS = "LookupList { width: 1fr; height: 1fr; }"

    def __init__(self, universe, **kwargs):
        super().__init__(**kwargs)
        self.universe = universe
        self._codes: list[str] = []

    def on_mount(self) -> None:
        self.show_codes([i.code for i in self.universe][:200])

    def show_codes(self, codes: list[str]) -> None:
        self._codes = list(codes)
        self.clear_options()
        for code in self._codes:
            inst = self.universe.get(code)
            self.add_option(Option(f"{code}  {inst.name if inst else ''}  "
                                   f"{inst.market.value if inst else ''}", id=code))
        if self._codes:
            self.highlighted = 0

    @property
    def selected_code(self) -> str | None:
        if self.highlighted is None or self.highlighted >= len(self._codes):
            return None
        return self._codes[self.highlighted]


class MarketScreen(Screen):
    BINDINGS = [
        Binding("slash", "focus_search", "검색 Search", id="market_search"),
        Binding("escape", "clear_search", "지우기 Clear", id="market_clear"),
        Binding("f6", "ticket('buy')", "매수 Buy", priority=True, id="market_buy"),
        Binding("f7", "ticket('sell')", "매도 Sell", priority=True, id="market_sell"),
        Binding("enter", "detail", "상세 Detail", id="market_detail"),
        Binding("plus,w", "watch", "관심 Watch", id="market_watch"),
    ]
    DEFAULT_CSS = """
    MarketScreen #market-main { height: 1fr; }
    MarketScreen #search { margin-bottom: 0; }
    MarketScreen.-narrow OrderBookPanel { width: 30; }
    """

    def __init__(self):
        super().__init__()
        self._dirty: set[str] = set()

    @property
    def exchange(self):
        return self.app.sim.exchange if self.app.sim is not None else None

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        universe = self.app.universe
        with Horizontal(id="market-main"):
            if self.exchange is not None:
                yield MarketBoard(self.exchange, [i.code for i in universe], id="board")
                yield OrderBookPanel(self.exchange, id="book")
            else:
                # Real brokers: search results here, the selected one's quote from the broker
                # (then its live ticks) beside them; no whole-market feed exists to show.
                yield LookupList(universe, id="board")
                yield QuotePanel(id="book")
        yield Input(placeholder="/ 종목 검색: 코드, 이름, 초성 (ㅅㅅㅈㅈ)", id="search")
        yield Footer()

    def on_mount(self) -> None:
        if self.exchange is not None:
            self.exchange.add_listener(self._on_exchange_event)
            self.set_interval(0.2, self._redraw)
        self.query_one("#board").focus()
        self._show_selected()

    def on_unmount(self) -> None:
        if self.exchange is not None:
            self.exchange.remove_listener(self._on_exchange_event)

    def on_screen_resume(self) -> None:
        self.app.draw_header()

    def apply_events(self, events, ticks, *, visible: bool) -> None:
        """The demo board reads the exchange directly; with brokers, the quote follows ticks."""
        if self.exchange is None:
            panel = self.query_one(QuotePanel)
            if panel.code in ticks:
                panel.on_tick(ticks[panel.code])

    def _on_exchange_event(self, event) -> None:
        code = getattr(event, "code", None)
        if code is not None:
            self._dirty.add(code)

    def _redraw(self) -> None:
        if not self.is_current:
            return       # hidden: nothing written; the dirty set keeps what to redraw
        dirty, self._dirty = self._dirty, set()
        with self.app.batch_update():
            self.query_one(MarketBoard).refresh_codes(dirty)
            book = self.query_one(OrderBookPanel)
            if book.code in dirty:
                book.redraw()

    def _show_selected(self) -> None:
        code = self.query_one("#board").selected_code
        if self.exchange is not None:
            self.query_one(OrderBookPanel).show(code)
            return
        inst = self.app.universe.get(code) if code else None
        if inst is None:
            return
        panel = self.query_one(QuotePanel)
        panel.show(inst)
        trade = self.app.get_screen("trade")
        if trade.is_mounted:        # one live registration: the trade screen's quote symbol
            trade.entry.show_quote(code)

        def shown(quote) -> None:
            if panel.code == code:
                panel.show(inst, quote)

        from .entry import quote_of

        self.app.run_intent(quote_of(self.app.session.engine, code), shown, f"{code} 시세")

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self, _event) -> None:
        self._show_selected()

    @on(OptionList.OptionHighlighted)
    def _option_highlighted(self, _event) -> None:
        self._show_selected()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_clear_search(self) -> None:
        search = self.query_one("#search", Input)
        search.value = ""
        self.query_one("#board").focus()

    def action_ticket(self, side: str) -> None:
        code = self.query_one("#board").selected_code
        trade = self.app.get_screen("trade")
        self.app.action_show_screen("trade")
        trade.entry.open_ticket(side, code=code)

    def action_detail(self) -> None:
        from .market_intents import OpenDetail

        code = self.query_one("#board").selected_code
        if code:
            self.post_message(OpenDetail(code))

    def action_watch(self) -> None:
        from .market_intents import AddToWatchlist

        code = self.query_one("#board").selected_code
        if code:
            self.post_message(AddToWatchlist(code))

    @on(Input.Changed, "#search")
    def _search(self, event: Input.Changed) -> None:
        query = event.value.strip()
        universe = self.app.universe
        codes = ([i.code for i in universe.search(query, limit=50)] if query
                 else [i.code for i in universe])
        self.query_one("#board").show_codes(codes)
        self._show_selected()

    @on(Input.Submitted, "#search")
    def _search_done(self, _event) -> None:
        self.query_one("#board").focus()
