"""A live board of every instrument's price, change, volume and touch.

Trade ticks only mark a symbol dirty; a timer redraws the dirty rows at a fixed rate, so a burst
of ticks costs one cell update per symbol per frame, never one per tick.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from ..fmt import price, signed

COLUMNS = (
    ("code", "코드", 6), ("name", "종목명", 16), ("last", "현재가", 9),
    ("change", "대비", 8), ("rate", "등락률", 7), ("volume", "거래량", 10),
    ("bid", "매수호가", 9), ("ask", "매도호가", 9), ("upper", "상한가", 9), ("lower", "하한가", 9),
)


class MarketBoard(DataTable):
    DEFAULT_CSS = "MarketBoard { height: 1fr; }"

    def __init__(self, exchange, codes: list[str], **kwargs):
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.exchange = exchange
        self.codes = codes
        self._shown: list[str] = []

    def on_mount(self) -> None:
        for key, label, width in COLUMNS:
            self.add_column(label, key=key, width=width)
        self.show_codes(self.codes)

    def show_codes(self, codes: list[str]) -> None:
        """Show these symbols, in this order (a search result, or everything)."""
        if codes == self._shown:
            return
        self.clear()
        for code in codes:
            self.add_row(*self._cells(code), key=code)
        self._shown = list(codes)

    def refresh_codes(self, codes) -> None:
        shown = set(self._shown)
        for code in codes:
            if code in shown:
                for (key, *_), value in zip(COLUMNS[2:], self._cells(code)[2:]):
                    self.update_cell(code, key, value)

    @property
    def selected_code(self) -> str | None:
        if not self._shown or self.cursor_row >= len(self._shown):
            return None
        return self._shown[self.cursor_row]

    def _cells(self, code: str) -> tuple:
        inst = self.exchange.instrument(code)
        q = self.exchange.quote(code)
        return (
            code, inst.name,
            price(q.last, q.base), signed(q.change), signed(q.change, q.change_rate),
            Text(f"{q.volume:,}", justify="right"),
            _touch(q.best_bid), _touch(q.best_ask),
            Text(f"{q.upper_limit:,}", style="#ff5f5f", justify="right"),
            Text(f"{q.lower_limit:,}", style="#5f87ff", justify="right"),
        )


def _touch(value: int | None) -> Text:
    return Text("" if value is None else f"{value:,}", justify="right")
