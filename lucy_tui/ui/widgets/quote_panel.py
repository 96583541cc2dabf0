"""The quote of one symbol beside the blotter: last and change (red up, blue down), band, tick,
touch, volume, and the buying power of the default route. Fed by a REST quote when the symbol is
chosen, then by live ticks."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from ...domain import krx
from ..fmt import FALL, RISE, colour_for
from .repaint import repaint


class QuotePanel(Static):
    DEFAULT_CSS = """
    QuotePanel { height: auto; min-height: 12; border: round $primary; padding: 0 1; }
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.instrument = None
        self.quote = None
        self.last_tick = None
        #: code → what the accounts hold of it, read at every redraw (set by the screen).
        self.holdings = None

    @property
    def code(self) -> str | None:
        return self.instrument.code if self.instrument else None

    def show(self, instrument, quote=None) -> None:
        if self.instrument is None or instrument.code != self.instrument.code:
            self.last_tick = None
        self.instrument, self.quote = instrument, quote or self.quote
        if quote is None and self.quote is not None and self.quote.code != instrument.code:
            self.quote = None
        self.redraw()

    def on_tick(self, tick) -> None:
        if self.instrument is not None and tick.code == self.instrument.code:
            self.last_tick = tick
            self.redraw()

    def redraw(self) -> None:
        inst = self.instrument
        if inst is None:
            self.border_title = "시세 Quote"
            repaint(self, Text("q 종목 · F6 매수 · F7 매도", style="dim"), 1)
            return
        self.border_title = f"{inst.name} {inst.code} {inst.market.value}"
        q, tick = self.quote, self.last_tick
        if q is None:
            repaint(self, self._rows([("현재가", Text("조회 중…", style="dim"))]), 1)
            return
        last = tick.price if tick else q.last
        change = last - q.base if q.base else 0
        rate = f"{change * 100 / q.base:+.2f}%" if q.base else ""
        arrow = "▲" if change > 0 else "▼" if change < 0 else ""
        tick_size = krx.tick_size(last, inst.kind, inst.market) if last else 0
        bid = (tick.bid if tick and tick.bid else None) or (q.bids[0].price if q.bids else None)
        ask = (tick.ask if tick and tick.ask else None) or (q.asks[0].price if q.asks else None)
        volume = tick.cum_volume if tick and tick.cum_volume else q.volume
        rows = [
            ("현재가", Text(f"{last:,}", style=f"bold {colour_for(change)}")),
            ("대비", Text(f"{arrow}{abs(change):,}  {rate}", style=colour_for(change))),
            ("상한가", Text(f"{q.upper_limit:,}", style=RISE)),
            ("하한가", Text(f"{q.lower_limit:,}", style=FALL)),
            ("호가단위", Text(f"{tick_size:,}")),
            ("매도호가", Text(f"{ask:,}" if ask else "-", style=FALL)),
            ("매수호가", Text(f"{bid:,}" if bid else "-", style=RISE)),
            ("거래량", Text(f"{volume:,}")),
        ]
        held = self.holdings(inst.code) if self.holdings is not None else ""
        if held:
            rows.append(("보유", Text(held)))
        repaint(self, self._rows(rows), len(rows))

    def _rows(self, rows: list[tuple[str, Text]]) -> Text:
        """Label on the left, value flush right: one Text, because a live symbol redraws this
        on every frame and a rich Table costs a layout pass of its own each time."""
        width = self.content_size.width or 36
        out = Text(no_wrap=True, overflow="crop")
        for i, (label, value) in enumerate(rows):
            if i:
                out.append("\n")
            out.append(label, style="dim")
            out.append(" " * max(1, width - cell_len(label) - value.cell_len))
            out.append_text(value)
        return out
