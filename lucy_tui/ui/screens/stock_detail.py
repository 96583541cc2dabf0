"""One stock in depth: header, price chart (day/week/month from the broker's period chart,
intraday from today's ticks), statements and ratios, investor flow, brokers' opinions with the
gap to the current price, and an optional ten-level book.

The screen is given a research source (a :class:`~lucy_tui.brokers.kis.KisBroker`, or anything
with its research methods and ``quote``); every section loads in its own worker and shows its
own error (a mock session's "모의투자 미지원", a network failure) without holding up the others.
Ticks reach the screen through :meth:`StockDetailScreen.on_tick`, which the app forwards.

Keys: ``d``/``w``/``m`` day/week/month, ``i`` intraday, ``c`` candles or line, ``f`` next
statement or ratio table, ``y`` annual/quarterly, ``o`` order book, ``a`` add to the watchlist,
F6/F7 buy/sell ticket, Esc back.
"""

from __future__ import annotations

from datetime import timedelta

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from ...brokers.base import BrokerError
from ...domain import krx
from ...domain.model import Instrument, Quote, Side
from ...domain.research import (
    Candle, ChartPeriod, RatioGroup, Statement, period_label, range_52w,
)
from ..fmt import FALL, RISE, colour_for, signed
from ..widgets.chart import PriceChart
from .market_intents import AddToWatchlist, OpenTicket

EOK = 100_000_000
FIN_VIEWS: tuple[Statement | RatioGroup, ...] = (
    Statement.INCOME, Statement.BALANCE_SHEET, RatioGroup.FINANCIAL, RatioGroup.PROFIT,
    RatioGroup.STABILITY, RatioGroup.GROWTH)
PERIODS_SHOWN = 5
BOOK_SECONDS = 1.0


def _eok(won: int) -> str:
    """Won as 억원 with thousands separators, the unit statements are read in."""
    return f"{won // EOK:,}" if won >= 0 else f"-{-won // EOK:,}"


def _error_text(exc: Exception) -> Text:
    return Text(str(exc) if isinstance(exc, BrokerError) else f"{type(exc).__name__}: {exc}",
                style="dim italic")


class StockDetailScreen(Screen):
    BINDINGS = [
        Binding("d", "period('D')", "일 Day", id="sd_day"),
        Binding("w", "period('W')", "주 Week", id="sd_week"),
        Binding("m", "period('M')", "월 Month", id="sd_month"),
        Binding("i", "period('I')", "당일 Intraday", id="sd_intraday"),
        Binding("c", "toggle_mode", "봉/선 Candle/Line", id="sd_mode"),
        Binding("f", "next_financial", "재무표 Next table", id="sd_fin"),
        Binding("y", "toggle_quarterly", "연/분기 Year/Qtr", id="sd_quarter"),
        Binding("o", "toggle_book", "호가 Book", id="sd_book"),
        Binding("a", "watch", "관심 Watch", id="sd_watch"),
        Binding("f6", "ticket('buy')", "매수 Buy", priority=True, id="sd_buy"),
        Binding("f7", "ticket('sell')", "매도 Sell", priority=True, id="sd_sell"),
        Binding("escape", "back", "닫기 Back", id="sd_back"),
    ]
    DEFAULT_CSS = """
    StockDetailScreen #sd-header { height: 3; padding: 0 1; background: $panel; }
    StockDetailScreen #sd-top { height: 1fr; min-height: 10; }
    StockDetailScreen #sd-chart-box { width: 1fr; border: round $primary; }
    StockDetailScreen #sd-chart-title { height: 1; }
    StockDetailScreen #sd-book { width: 36; border: round $primary; padding: 0 1; display: none; }
    StockDetailScreen #sd-book.-open { display: block; }
    StockDetailScreen TabbedContent { height: 1fr; }
    StockDetailScreen DataTable { height: 1fr; }
    """

    def __init__(self, code: str, research, *, instrument: Instrument | None = None,
                 book: bool = False, name: str | None = None, id: str | None = None):
        super().__init__(name=name, id=id)
        self.code = code
        self.research = research
        self.instrument = instrument
        self.quote: Quote | None = None
        self.daily: list[Candle] = []
        self.candles: dict[ChartPeriod, list[Candle]] = {}
        self.minutes: list = []              # today's one-minute bars (IntradayBar)
        self.ticks: list = []                # (time, price) of ticks since the screen opened
        self.period = "D"
        self.mode = "candle"
        self.fin_view = 0
        self.quarterly = False
        self.book_open = book
        self.opinions: list = []
        self.loaded: set[str] = set()        # sections that have drawn their data

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(id="sd-header")
        with Horizontal(id="sd-top"):
            with Vertical(id="sd-chart-box"):
                yield Static(id="sd-chart-title")
                yield PriceChart(id="sd-chart")
            yield Static(id="sd-book", classes="-open" if self.book_open else "")
        with TabbedContent(id="sd-tabs"):
            with TabPane("재무 Financials", id="tab-fin"):
                yield Static(id="sd-fin-title")
                yield DataTable(id="sd-fin", zebra_stripes=True, cursor_type="row")
            with TabPane("투자자 Flow", id="tab-flow"):
                yield DataTable(id="sd-flow", zebra_stripes=True, cursor_type="row")
            with TabPane("투자의견 Opinions", id="tab-opinion"):
                yield DataTable(id="sd-opinion", zebra_stripes=True, cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self._draw_header()
        self._draw_chart_title()
        self._load_quote()
        self._load_chart(ChartPeriod.DAY)
        self._load_minutes()
        self._load_financials()
        self._load_flow()
        self._load_opinions()
        if self.book_open:
            self._load_book()
        self.set_interval(BOOK_SECONDS, self._tick_book)

    # ------------------------------------------------------------------ loading

    def _live(self) -> bool:
        """Still on the app with its widgets: answers can arrive after the screen closed."""
        return self.is_attached and bool(self.query("#sd-header"))

    @work(group="sd-quote")
    async def _load_quote(self) -> None:
        try:
            self.quote = await self.research.quote(self.code)
        except BrokerError as exc:
            if self._live():
                self.query_one("#sd-header", Static).update(_error_text(exc))
            return
        if not self._live():
            return      # the screen was closed while the answer was on its way
        self._draw_header()
        self.loaded.add("quote")

    @work(group="sd-chart", exclusive=True)
    async def _load_chart(self, period: ChartPeriod) -> None:
        try:
            candles = await self.research.period_chart(self.code, period, count=120)
        except BrokerError as exc:
            if self._live():
                self.query_one("#sd-chart-title", Static).update(_error_text(exc))
            return
        if not self._live():
            return
        self.candles[period] = candles
        if period is ChartPeriod.DAY:
            self.daily = candles
            self._load_year()
            self._draw_header()
        if self.period == period.value:
            self._draw_chart()
        self.loaded.add("chart")

    @work(group="sd-minutes")
    async def _load_minutes(self) -> None:
        try:
            bars = await self.research.minute_chart(self.code, minutes=390)
        except BrokerError:
            return        # ticks still draw the intraday line from now on
        if not self._live():
            return
        self.minutes = bars
        if self.period == "I":
            self._draw_chart()
        self.loaded.add("minutes")

    @property
    def intraday(self) -> list[int]:
        """Today's prices for the intraday line: minute closes, then the ticks since the last
        complete minute (a tick inside a known minute is already in its bar)."""
        prices = [b.close for b in self.minutes]
        last = self.minutes[-1].time if self.minutes else None
        after = last + timedelta(minutes=1) if last is not None else None
        prices += [p for t, p in self.ticks if after is None or t >= after]
        if not prices and self.quote is not None:
            prices = [p for p in (self.quote.open, self.quote.last) if p]
        return prices

    @work(group="sd-year")
    async def _load_year(self) -> None:
        """A year of days for the 52-week range, beyond the 120 the chart shows."""
        try:
            year = await self.research.period_chart(self.code, ChartPeriod.DAY, count=250)
        except BrokerError:
            return
        if not self._live():
            return
        self.daily = year
        self._draw_header()

    @work(group="sd-fin", exclusive=True)
    async def _load_financials(self) -> None:
        view = FIN_VIEWS[self.fin_view]
        title = self.query_one("#sd-fin-title", Static)
        span = "분기" if self.quarterly else "연간"
        table = self.query_one("#sd-fin", DataTable)
        try:
            if isinstance(view, Statement):
                rows = await self.research.financials(self.code, view, quarterly=self.quarterly)
            else:
                rows = await self.research.ratios(self.code, view, quarterly=self.quarterly)
        except BrokerError as exc:
            if self._live():
                table.clear(columns=True)
                title.update(Text.assemble((f"{view.korean} ({span})  ", "bold"),
                                           _error_text(exc)))
            return
        if not self._live():
            return
        unit = "억원" if isinstance(view, Statement) else "% (EPS·BPS·주당매출액: 원)"
        title.update(Text.assemble((f"{view.korean} ({span})", "bold"),
                                   (f"  단위 {unit} · f 다음 표 · y 연간/분기", "dim")))
        rows = rows[:PERIODS_SHOWN]
        table.clear(columns=True)
        table.add_column("항목", key="label", width=14)
        for r in rows:
            table.add_column(period_label(r.period), key=r.period, width=12)
        if not rows:
            title.update(Text.assemble((f"{view.korean} ({span})  ", "bold"),
                                       ("자료 없음 (no statements for this symbol)", "dim")))
            return
        for label in rows[0].labels:
            cells = []
            for r in rows:
                value = r.get(label)
                if value is None:
                    cells.append("")
                elif isinstance(view, Statement):
                    cells.append(Text(_eok(value), justify="right"))
                else:
                    cells.append(Text(f"{value:,.2f}", justify="right",
                                      style=FALL if value < 0 else ""))
            table.add_row(label, *cells, key=label)
        self.loaded.add("financials")

    @work(group="sd-flow")
    async def _load_flow(self) -> None:
        table = self.query_one("#sd-flow", DataTable)
        table.add_column("일자", key="day", width=10)
        table.add_column("종가", key="close", width=9)
        table.add_column("대비", key="change", width=8)
        table.add_column("개인", key="ind", width=11)
        table.add_column("외국인", key="frgn", width=11)
        table.add_column("기관", key="inst", width=11)
        table.add_column("외국인(억)", key="frgn_v", width=10)
        table.add_column("기관(억)", key="inst_v", width=10)
        try:
            flows = await self.research.investor_flow(self.code)
        except BrokerError as exc:
            if self._live():
                table.add_row(_error_text(exc), "", "", "", "", "", "", "")
            return
        if not self._live():
            return

        def net(n: int) -> Text:
            return Text(f"{n:+,}", style=colour_for(n), justify="right")

        for f in flows:
            table.add_row(f"{f.day:%Y-%m-%d}", Text(f"{f.close:,}", justify="right"),
                          signed(f.change), net(f.individual), net(f.foreign), net(f.institution),
                          Text(f"{f.foreign_value / EOK:+,.1f}", style=colour_for(f.foreign_value),
                               justify="right"),
                          Text(f"{f.institution_value / EOK:+,.1f}",
                               style=colour_for(f.institution_value), justify="right"),
                          key=f.day.isoformat())
        self.loaded.add("flow")

    @work(group="sd-opinion")
    async def _load_opinions(self) -> None:
        table = self.query_one("#sd-opinion", DataTable)
        for key, label, width in (("day", "일자", 10), ("broker", "증권사", 12),
                                  ("opinion", "의견", 11), ("prev", "직전", 11),
                                  ("target", "목표가", 10), ("gap", "현재가 대비", 10)):
            table.add_column(label, key=key, width=width)
        try:
            opinions = await self.research.opinions(self.code)
        except BrokerError as exc:
            if self._live():
                table.add_row(_error_text(exc), "", "", "", "", "")
            return
        if not self._live():
            return
        self.opinions = opinions
        for i, op in enumerate(opinions):
            table.add_row(f"{op.day:%Y-%m-%d}", op.broker, op.opinion, op.previous_opinion,
                          Text(f"{op.target:,}" if op.target else "-", justify="right"),
                          self._gap_cell(op), key=f"{i}")
        if not opinions:
            table.add_row(Text("최근 180일 투자의견 없음", style="dim"), "", "", "", "", "")
        self.loaded.add("opinions")

    def _gap_cell(self, op) -> Text:
        price = self._last()
        gap = op.gap(price) if price else None
        if gap is None:
            return Text("")
        return Text(f"{gap:+.1f}%", style=colour_for(int(gap * 100)), justify="right")

    @work(group="sd-book", exclusive=True)
    async def _load_book(self) -> None:
        try:
            bids, asks = await self.research.order_book(self.code)
        except BrokerError as exc:
            if self._live():
                self.query_one("#sd-book", Static).update(_error_text(exc))
            return
        if not self._live():
            return
        base = self.quote.base if self.quote else 0
        grid = Table.grid(expand=True)
        for justify in ("right", "center", "right"):
            grid.add_column(justify=justify, ratio=1)
        for lv in reversed(asks[:10]):
            grid.add_row(Text(f"{lv.qty:,}", style=FALL),
                         Text(f"{lv.price:,}", style=colour_for(lv.price - base)), "")
        for lv in bids[:10]:
            grid.add_row("", Text(f"{lv.price:,}", style=colour_for(lv.price - base)),
                         Text(f"{lv.qty:,}", style=RISE))
        box = self.query_one("#sd-book", Static)
        box.border_title = "호가 10단계"
        box.update(grid)
        self.loaded.add("book")

    def _tick_book(self) -> None:
        # Paced REST: one request a second, and only while the panel is on screen.
        if self.book_open and self.is_current:
            self._load_book()

    # ------------------------------------------------------------------ live updates

    def on_tick(self, tick) -> None:
        """A trade of this symbol (the app forwards broker ticks here)."""
        if tick.code != self.code:
            return
        self.ticks.append((tick.time, tick.price))
        if self.quote is not None:
            from dataclasses import replace
            self.quote = replace(self.quote, last=tick.price,
                                 volume=max(self.quote.volume, tick.cum_volume),
                                 high=max(self.quote.high, tick.price),
                                 low=min(self.quote.low or tick.price, tick.price))
        if self.is_current:
            self._draw_header()
            if self.period == "I":
                self._draw_chart()

    def _last(self) -> int:
        return self.quote.last if self.quote else (self.daily[-1].close if self.daily else 0)

    # ------------------------------------------------------------------ drawing

    def _draw_header(self) -> None:
        if not self._live():
            return
        inst, q = self.instrument, self.quote
        name = inst.name if inst else self.code
        market = inst.market.value if inst else ""
        line1 = Text.assemble((f"{name} ", "bold"), (f"{self.code} {market}", "dim"))
        if inst is not None:
            line1.append("  NXT 거래가능" if inst.nxt else "  NXT 비대상",
                         style="green" if inst.nxt else "dim")
        if q is None:
            self.query_one("#sd-header", Static).update(Text.assemble(line1, "\n", ("불러오는 중…",
                                                                                    "dim")))
            return
        last = q.last or q.base
        kind = inst.kind if inst else None
        tick = krx.tick_size(last, kind, inst.market) if inst and last else 0
        line2 = Text.assemble((f"{last:,} ", f"bold {colour_for(q.change)}"), signed(q.change),
                              " ", signed(q.change, q.change_rate),
                              ("   거래량 ", "dim"), f"{q.volume:,}",
                              ("   호가단위 ", "dim"), f"{tick:,}")
        line3 = Text.assemble(("상한 ", "dim"), (f"{q.upper_limit:,}", RISE),
                              ("  하한 ", "dim"), (f"{q.lower_limit:,}", FALL),
                              ("  시/고/저 ", "dim"),
                              f"{q.open:,}/{q.high:,}/{q.low:,}" if q.volume else "-/-/-")
        year = range_52w(self.daily, self.daily[-1].day) if self.daily else None
        if year is not None:
            line3.append_text(Text.assemble(("  52주 ", "dim"), (f"{year[0]:,}", FALL), " ~ ",
                                            (f"{year[1]:,}", RISE)))
        self.query_one("#sd-header", Static).update(Text("\n").join([line1, line2, line3]))

    def _draw_chart_title(self) -> None:
        parts = []
        for key, label in (("D", "일"), ("W", "주"), ("M", "월"), ("I", "당일")):
            parts.append((f" {label} ", "bold reverse" if self.period == key else "dim"))
        mode = "봉" if self.mode == "candle" else "선"
        self.query_one("#sd-chart-title", Static).update(
            Text.assemble(*parts, (f"   {mode} · d/w/m/i 기간 · c 봉/선", "dim")))

    def _draw_chart(self) -> None:
        chart = self.query_one("#sd-chart", PriceChart)
        if self.period == "I":
            chart.set_line(self.intraday, caption="당일")
        else:
            candles = self.candles.get(ChartPeriod(self.period), [])
            chart.set_candles(candles, mode=self.mode, caption=ChartPeriod(self.period).korean)
        self._draw_chart_title()

    # ------------------------------------------------------------------ actions

    def action_period(self, period: str) -> None:
        self.period = period
        if period != "I" and ChartPeriod(period) not in self.candles:
            self._load_chart(ChartPeriod(period))
        self._draw_chart()

    def action_toggle_mode(self) -> None:
        self.mode = "line" if self.mode == "candle" else "candle"
        self._draw_chart()

    def action_next_financial(self) -> None:
        self.fin_view = (self.fin_view + 1) % len(FIN_VIEWS)
        self.query_one("#sd-tabs", TabbedContent).active = "tab-fin"
        self._load_financials()

    def action_toggle_quarterly(self) -> None:
        self.quarterly = not self.quarterly
        self._load_financials()

    def action_toggle_book(self) -> None:
        self.book_open = not self.book_open
        self.query_one("#sd-book", Static).set_class(self.book_open, "-open")
        if self.book_open:
            self._load_book()

    def action_watch(self) -> None:
        self.post_message(AddToWatchlist(self.code))
        self.notify(f"{self.instrument.name if self.instrument else self.code} → 관심종목")

    def action_ticket(self, side: str) -> None:
        self.post_message(OpenTicket(self.code, Side(side), self._last() or None))

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
