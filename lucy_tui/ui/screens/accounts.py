"""Accounts: each account's cash (D+0, D+2), buying power and positions with average price, last,
P&L and return, and the same summed by fund. Kept current from fills; F10 (or r) asks every
broker again."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ..fmt import colour_for
from ..widgets.header import HeaderBar

FUND_COLUMNS = (("fund", "펀드 Fund", 14), ("accounts", "계좌", 22), ("cash", "예수금 D+0", 15),
                ("cash_d2", "D+2", 15), ("power", "주문가능", 15), ("value", "평가금액", 15),
                ("pnl", "평가손익", 14), ("rate", "수익률", 8))
POS_COLUMNS = (("account", "계좌", 12), ("code", "코드", 7), ("name", "종목명", 14),
               ("qty", "보유", 9), ("sellable", "매도가능", 9), ("avg", "평균가", 11),
               ("last", "현재가", 10), ("value", "평가금액", 14), ("pnl", "평가손익", 13),
               ("rate", "수익률", 8))


def _num(value: int, style: str = "") -> Text:
    return Text(f"{value:,}", style=style, justify="right")


def _pnl(value: int) -> Text:
    return Text(f"{value:+,}" if value else "0", style=colour_for(value), justify="right")


def _rate(pnl: int, cost: int) -> Text:
    if not cost:
        return Text("", justify="right")
    return Text(f"{pnl * 100 / cost:+.2f}%", style=colour_for(pnl), justify="right")


class AccountsScreen(Screen):
    BINDINGS = [Binding("r", "refresh", "새로고침 Refresh", id="accounts_refresh"),
                Binding("f10", "refresh", "새로고침 Refresh", show=False, priority=True,
                        id="accounts_refresh_alt")]
    DEFAULT_CSS = """
    AccountsScreen #funds { height: auto; max-height: 12; }
    AccountsScreen #positions { height: 1fr; }
    AccountsScreen .title { text-style: bold; padding: 0 1; background: $boost; }
    """

    def __init__(self):
        super().__init__()
        self._dirty = True

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        with Vertical():
            yield Static("펀드·계좌 Funds and accounts", classes="title")
            yield DataTable(id="funds", cursor_type="row", zebra_stripes=True)
            yield Static("보유종목 Positions", classes="title")
            yield DataTable(id="positions", cursor_type="row", zebra_stripes=True)
            yield Static(id="accounts-status")
        yield Footer()

    def on_mount(self) -> None:
        for table, columns in ((self.query_one("#funds", DataTable), FUND_COLUMNS),
                               (self.query_one("#positions", DataTable), POS_COLUMNS)):
            for key, label, width in columns:
                table.add_column(label, key=key, width=width)
        self.redraw()

    def on_screen_resume(self) -> None:
        self.app.draw_header()
        if self._dirty:
            self.redraw()

    def apply_events(self, events, ticks, *, visible: bool) -> None:
        if events or ticks:
            self._dirty = True
        if visible and self._dirty:
            self.redraw()

    def redraw(self) -> None:
        desk = self.app.desk
        names = self.app.universe
        funds = self.query_one("#funds", DataTable)
        positions = self.query_one("#positions", DataTable)
        funds.clear()
        for fund in desk.funds():
            for view in fund.accounts:
                funds.add_row(fund.fund, f"{view.account.broker}:{view.account}  {view.account.number}",
                              _num(view.cash), _num(view.cash_d2), _num(view.buying_power),
                              _num(view.stock_value), _pnl(view.pnl), _rate(view.pnl, view.cost))
            if len(fund.accounts) > 1:
                pnl, cost = fund.total("pnl"), fund.total("cost")
                funds.add_row(Text(f"{fund.fund} 합계", style="bold"), "",
                              _num(fund.total("cash"), "bold"), _num(fund.total("cash_d2"), "bold"),
                              _num(fund.total("buying_power"), "bold"),
                              _num(fund.total("stock_value"), "bold"), _pnl(pnl), _rate(pnl, cost))
        cursor = positions.cursor_row
        positions.clear()
        for view in desk.accounts():
            for pos in view.positions:
                inst = names.get(pos.code)
                avg = pos.avg_price
                positions.add_row(
                    f"{view.account.broker}:{view.account}", pos.code, inst.name if inst else "",
                    _num(pos.qty), _num(pos.sellable_qty),
                    Text(f"{avg:,.0f}" if avg else "", justify="right"),
                    _num(pos.last, colour_for(pos.last - int(avg)) if avg and pos.last else ""),
                    _num(pos.market_value), _pnl(pos.pnl), _rate(pos.pnl, pos.cost if pos.last else 0))
        if positions.row_count:
            positions.move_cursor(row=min(cursor, positions.row_count - 1))
        stamp = max((v.refreshed for v in desk.accounts() if v.refreshed), default=None)
        self.query_one("#accounts-status", Static).update(Text(
            f"잔고 조회 {stamp:%H:%M:%S}" if stamp else "잔고 미조회", style="dim")
            + Text("  ·  r 새로고침 · 체결 시 자동 갱신", style="dim"))
        self._dirty = False

    def action_refresh(self) -> None:
        app = self.app

        def done(problems) -> None:
            for problem in problems or ():
                app.notify(problem, severity="warning")
            self.redraw()

        app.run_intent(app.desk.refresh(app.session.engine, app.clock.now()), done, "잔고 조회")
