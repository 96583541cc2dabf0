"""History: the day's orders as each broker's own inquiry reports them (the book of record),
account by account — external orders included — with filled quantity, average price and what was
cancelled. ``r`` asks again."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...brokers.base import BrokerError
from ...domain.model import Side
from ..fmt import FALL, RISE
from ..widgets.header import HeaderBar

COLUMNS = (("time", "시각", 9), ("account", "계좌", 10), ("order_no", "주문번호", 12),
           ("orig", "원주문", 12), ("side", "구분", 5), ("code", "코드", 7), ("name", "종목명", 14),
           ("qty", "주문", 8), ("price", "가격", 10), ("filled", "체결", 8), ("avg", "평균가", 10),
           ("cancelled", "취소", 7), ("kind", "유형", 6))


class HistoryScreen(Screen):
    BINDINGS = [Binding("r", "refresh", "조회 Refresh", id="history_refresh")]
    DEFAULT_CSS = "HistoryScreen DataTable { height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield Static(Text("당일 주문·체결 (브로커 조회) — today's orders and fills as the brokers "
                          "report them · r 조회", style="bold"), id="history-title")
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

    def action_refresh(self) -> None:
        self.query_one("#history-status", Static).update(Text("조회 중…", style="dim"))
        self.app.run_intent(self._fetch(), self._show, "내역 조회")

    async def _fetch(self):
        engine = self.app.session.engine
        rows, problems = [], []
        for broker in engine.brokers.values():
            for account in broker.accounts:
                try:
                    rows += await broker.orders_today(account)
                except BrokerError as exc:
                    problems.append(f"{account}: {exc}")
        rows.sort(key=lambda r: (r.time is None, r.time or 0, r.order_no))
        return rows, problems

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
            table.add_row(f"{r.time:%H:%M:%S}" if r.time else "", str(r.account), r.order_no,
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
