"""The Lucy console.

Demo mode runs the simulated exchange and its synthetic market inside this process on Textual's
event loop; the screen shows the whole universe live, with a ten-level book for the selected
symbol and search by code, Korean name or 초성.
"""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Input, Static

from ..clock import SystemClock
from ..config import Config
from .widgets.market_board import MarketBoard
from .widgets.order_book import OrderBookPanel

FRAME_SECONDS = 0.2  # screen refresh for market data: ticks are coalesced to this rate


class StatusBar(Static):
    DEFAULT_CSS = "StatusBar { height: 1; background: $panel; padding: 0 1; }"


class LucyApp(App):
    TITLE = "Lucy"
    CSS_PATH = "lucy.tcss"
    # Below 140 columns the book panel narrows so that price, change and volume stay in view.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]
    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="search"),
        Binding("colon", "focus_search", "Search", show=False, id="search_alt"),
        Binding("escape", "clear_search", "Clear", id="clear_search"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(self, config: Config | None = None, *, clock=None, run_market: bool = True):
        super().__init__()
        self.config = config or Config()
        self.clock = clock or SystemClock()
        self.run_market = run_market
        from ..domain.instruments import load_default
        from ..sim.exchange import Exchange, SessionMode
        from ..sim.market import SyntheticMarket

        self.universe = load_default()
        demo = self.config.demo
        self.exchange = Exchange(self.universe, clock=self.clock, seed=demo.seed,
                                 session=SessionMode(demo.session))
        self.market = SyntheticMarket(self.exchange, seed=demo.seed)
        self._dirty: set[str] = set()
        self._market_task: asyncio.Task | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Horizontal(id="main"):
            yield MarketBoard(self.exchange, [i.code for i in self.universe], id="board")
            yield OrderBookPanel(self.exchange, id="book")
        yield Input(placeholder="/ 종목 검색: 코드, 이름, 초성 (ㅅㅅㅈㅈ)", id="search")
        yield Footer()

    def on_mount(self) -> None:
        self.exchange.add_listener(self._on_exchange_event)
        self.query_one(MarketBoard).focus()
        self._show_selected()
        self._draw_status()
        self.set_interval(FRAME_SECONDS, self._redraw_market)
        if self.run_market:
            self._market_task = asyncio.create_task(
                self.market.run(self.config.demo.market_interval), name="synthetic-market")

    async def on_unmount(self) -> None:
        if self._market_task is not None:
            self._market_task.cancel()

    def _on_exchange_event(self, event) -> None:
        code = getattr(event, "code", None)
        if code is not None:
            self._dirty.add(code)

    def _redraw_market(self) -> None:
        dirty, self._dirty = self._dirty, set()
        with self.batch_update():
            self.query_one(MarketBoard).refresh_codes(dirty)
            book = self.query_one(OrderBookPanel)
            if book.code in dirty:
                book.redraw()
            self._draw_status()

    def _draw_status(self) -> None:
        from ..domain.calendar import session_at

        now = self.clock.now()
        env = self.config.general.environment
        badge = Text(f" {env.upper()} ", style="bold white on #d70000" if env == "real"
                     else "bold black on #ffaf00")
        if self.config.demo.session == "always":
            session = "모의시장: 상시 개장"
        else:
            session = f"KRX {session_at(now).name}"
        status = Text.assemble(
            ("LUCY ", "bold"), badge, "  ", session, "  ",
            now.strftime("%Y-%m-%d %H:%M:%S KST"), "  ", (f"종목 {len(self.universe)}", "dim"),
        )
        self.query_one(StatusBar).update(status)

    def _show_selected(self) -> None:
        self.query_one(OrderBookPanel).show(self.query_one(MarketBoard).selected_code)

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self, _event) -> None:
        self._show_selected()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_clear_search(self) -> None:
        search = self.query_one("#search", Input)
        search.value = ""
        self.query_one(MarketBoard).focus()

    @on(Input.Changed, "#search")
    def _search(self, event: Input.Changed) -> None:
        query = event.value.strip()
        codes = ([i.code for i in self.universe.search(query, limit=50)] if query
                 else [i.code for i in self.universe])
        self.query_one(MarketBoard).show_codes(codes)
        self._show_selected()

    @on(Input.Submitted, "#search")
    def _search_done(self, _event) -> None:
        self.query_one(MarketBoard).focus()
