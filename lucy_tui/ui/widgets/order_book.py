"""Ten levels each side for one symbol, asks above bids, as Korean HTS order books show them."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from ..fmt import FALL, RISE, colour_for


class OrderBookPanel(Static):
    DEFAULT_CSS = "OrderBookPanel { width: 38; height: 1fr; border: round $primary; padding: 0 1; }"

    def __init__(self, exchange, **kwargs):
        super().__init__(**kwargs)
        self.exchange = exchange
        self.code: str | None = None

    def show(self, code: str | None) -> None:
        self.code = code
        self.redraw()

    def redraw(self) -> None:
        if self.code is None or self.exchange.instrument(self.code) is None:
            self.update("")
            return
        inst = self.exchange.instrument(self.code)
        q = self.exchange.quote(self.code)
        self.border_title = f"{inst.name} {inst.code} {inst.market.value}"
        table = Table.grid(expand=True)
        table.add_column(justify="right", ratio=1)
        table.add_column(justify="center", ratio=1)
        table.add_column(justify="right", ratio=1)
        for level in reversed(q.asks[:10]):
            table.add_row(Text(f"{level.qty:,}", style=FALL),
                          Text(f"{level.price:,}", style=colour_for(level.price - q.base)), "")
        table.add_row("", Text(f"{q.last:,}", style=f"bold reverse {colour_for(q.change)}"), "")
        for level in q.bids[:10]:
            table.add_row("", Text(f"{level.price:,}", style=colour_for(level.price - q.base)),
                          Text(f"{level.qty:,}", style=RISE))
        table.add_row("", "", "")
        table.add_row("기준가", Text(f"{q.base:,}"), "")
        table.add_row("시가", Text(f"{q.open:,}" if q.volume else "-"), "")
        table.add_row("고가", Text(f"{q.high:,}" if q.volume else "-", style=RISE), "")
        table.add_row("저가", Text(f"{q.low:,}" if q.volume else "-", style=FALL), "")
        table.add_row("상한가", Text(f"{q.upper_limit:,}", style=RISE), "")
        table.add_row("하한가", Text(f"{q.lower_limit:,}", style=FALL), "")
        table.add_row("거래량", Text(f"{q.volume:,}"), "")
        self.update(table)
