"""History: orders and fills for a date range as each broker's own inquiry reports them (the
book of record), account by account — external orders included — with filled quantity, average
price and what was cancelled. KIS answers for any range (two tr ids either side of three months
back); LS asks day by day and at most a month at a time; what a broker refuses is said on the
status line (session/history.py)."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, Static

from ...domain.model import Side
from ..fmt import FALL, RISE
from ..widgets.header import HeaderBar

COLUMNS = (("time", "일시", 15), ("account", "계좌", 10), ("order_no", "주문번호", 12),
           ("orig", "원주문", 12), ("side", "구분", 5), ("code", "코드", 7), ("name", "종목명", 14),
           ("qty", "주문", 8), ("price", "가격", 10), ("filled", "체결", 8), ("avg", "평균가", 10),
           ("cancelled", "취소", 7), ("kind", "유형", 6))


class HistoryScreen(Screen):
    BINDINGS = [Binding("r", "refresh", "조회 Refresh", id="history_refresh")]
    DEFAULT_CSS = """
    HistoryScreen DataTable { height: 1fr; }
    HistoryScreen #range { height: 3; }
    HistoryScreen #range Input { width: 18; }
    HistoryScreen #range Label { padding: 1 1 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        today = self.app.clock.now().date().isoformat()
        with Horizontal(id="range"):
            yield Label("주문·체결 내역 (브로커 조회)  기간")
            yield Input(today, id="from")
            yield Label("~")
            yield Input(today, id="to")
            yield Label("Enter 또는 r: 조회")
        yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield Static(id="history-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, label, width in COLUMNS:
            table.add_column(label, key=key, width=width)
        self.action_refresh()

    def on_screen_resume(self) -> None:
        self.app.draw_header()

    def apply_events(self, events, ticks, *, visible: bool) -> None:
        """History is what the brokers said when asked; it does not follow the live stream."""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_refresh()

    def action_refresh(self) -> None:
        status = self.query_one("#history-status", Static)
        try:
            start = date.fromisoformat(self.query_one("#from", Input).value.strip())
            end = date.fromisoformat(self.query_one("#to", Input).value.strip())
        except ValueError:
            status.update(Text("✕ 날짜는 2026-12-04 처럼 입력하세요 — dates as YYYY-MM-DD",
                               style="#ff5f5f"))
            return
        if start > end:
            status.update(Text(f"✕ 시작일 {start}이 종료일 {end}보다 늦습니다", style="#ff5f5f"))
            return
        status.update(Text("조회 중…", style="dim"))
        from ...session.history import orders_between

        self.app.run_intent(orders_between(self.app.session.engine, start, end,
                                           self.app.clock.now().date()), self._show, "내역 조회")

    def _show(self, result) -> None:
        rows, problems = result
        table = self.query_one(DataTable)
        table.clear()
        universe = self.app.universe
        for r in rows:
            inst = universe.get(r.code)
            side = Text("매수" if r.side is Side.BUY else "매도",
                        style=RISE if r.side is Side.BUY else FALL)
            avg = r.avg_price
            kind = "정정" if r.is_amend else "취소" if r.is_cancel else ""
            table.add_row(f"{r.time:%m-%d %H:%M:%S}" if r.time else "", str(r.account), r.order_no,
                          r.orig_order_no, side, r.code, r.name or (inst.name if inst else ""),
                          Text(f"{r.qty:,}", justify="right"),
                          Text(f"{r.price:,}" if r.price else "시장가", justify="right"),
                          Text(f"{r.filled_qty:,}", justify="right"),
                          Text(f"{avg:,.0f}" if avg else "", justify="right"),
                          Text(f"{r.cancelled_qty:,}" if r.cancelled_qty else "", justify="right"),
                          kind)
        status = f"{len(rows)}건 · {self.app.clock.now():%H:%M:%S} 조회"
        if problems:
            status += " · " + " · ".join(problems)
        self.query_one("#history-status", Static).update(Text(status, style="dim"))
