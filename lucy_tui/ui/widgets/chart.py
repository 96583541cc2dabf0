"""A price chart drawn with text: a braille line (2×4 dots per cell) or block candles, a price
axis on the right and the first and last dates underneath.

Drawing is two pure functions (:func:`braille_line`, :func:`candle_rows`) so it can be tested
without a terminal; :class:`PriceChart` only sizes them to the widget and colours them the
Korean way (red for rises, blue for falls).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.console import Group
from rich.text import Text
from textual.widget import Widget

from ...domain.research import Candle
from ..fmt import FALL, FLAT, RISE

# Braille dot bits by (column, row) within one cell.
_DOTS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))
AXIS_WIDTH = 10


def _resample(values: Sequence[int], n: int) -> list[int]:
    """``n`` points from ``values``: the last value of each bucket (a chart shows closes)."""
    if len(values) <= n:
        return list(values)
    return [values[min(len(values) - 1, (i + 1) * len(values) // n - 1)] for i in range(n)]


def braille_line(values: Sequence[int], width: int, height: int,
                 lo: int | None = None, hi: int | None = None) -> list[str]:
    """``height`` strings of ``width`` braille characters tracing ``values`` left to right."""
    if width <= 0 or height <= 0:
        return []
    points = _resample(values, width * 2)
    if not points:
        return [" " * width for _ in range(height)]
    lo = min(points) if lo is None else lo
    hi = max(points) if hi is None else hi
    span = max(1, hi - lo)
    rows = height * 4
    cells = [[0] * width for _ in range(height)]

    def y_of(v: int) -> int:
        return rows - 1 - round((min(max(v, lo), hi) - lo) * (rows - 1) / span)

    prev = None
    for x, v in enumerate(points):
        y = y_of(v)
        # Fill between this dot and the last so steep moves stay one connected line.
        ys = range(min(y, prev), max(y, prev) + 1) if prev is not None else (y,)
        for yy in ys:
            cells[yy // 4][x // 2] |= _DOTS[x % 2][yy % 4]
        prev = y
    return ["".join(chr(0x2800 + bits) if bits else " " for bits in row) for row in cells]


def candle_rows(candles: Sequence[Candle], width: int, height: int) -> list[Text]:
    """One candle per column (the last ``width`` candles): body ``┃``, wick ``│``."""
    shown = list(candles)[-width:] if width > 0 else []
    if not shown or height <= 0:
        return [Text(" " * max(width, 0)) for _ in range(max(height, 0))]
    lo = min(c.low for c in shown)
    hi = max(c.high for c in shown)
    span = max(1, hi - lo)

    def row_of(price: int) -> int:
        return height - 1 - round((price - lo) * (height - 1) / span)

    lines = [Text() for _ in range(height)]
    for c in shown:
        top, bottom = row_of(max(c.open, c.close)), row_of(min(c.open, c.close))
        wick_top, wick_bottom = row_of(c.high), row_of(c.low)
        style = RISE if c.close > c.open else FALL if c.close < c.open else FLAT
        for r in range(height):
            if top <= r <= bottom:
                lines[r].append("┃", style)
            elif wick_top <= r <= wick_bottom:
                lines[r].append("│", style)
            else:
                lines[r].append(" ")
    pad = width - len(shown)
    if pad > 0:
        for line in lines:
            line.append(" " * pad)
    return lines


def _axis(lo: int, hi: int, height: int) -> list[str]:
    labels = [""] * height
    if height >= 1:
        labels[0] = f"{hi:,}"
        labels[-1] = f"{lo:,}"
    if height >= 5:
        labels[height // 2] = f"{(hi + lo) // 2:,}"
    return [f" {s:>{AXIS_WIDTH - 1}}" for s in labels]


class PriceChart(Widget):
    """Candles (or a line of closes) for one symbol; ``set_data`` replaces what is drawn."""

    DEFAULT_CSS = "PriceChart { height: 1fr; min-height: 6; }"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.candles: list[Candle] = []
        self.line: list[int] = []
        self.mode = "candle"
        self.caption = ""

    def set_candles(self, candles: Sequence[Candle], *, mode: str = "candle",
                    caption: str = "") -> None:
        self.candles = list(candles)
        self.line = [c.close for c in candles]
        self.mode = mode
        self.caption = caption
        self.refresh()

    def set_line(self, values: Sequence[int], *, caption: str = "",
                 start: date | None = None) -> None:
        self.candles = []
        self.line = list(values)
        self.mode = "line"
        self.caption = caption
        self.refresh()

    def render(self):
        width, height = self.size.width, self.size.height
        plot_w = max(1, width - AXIS_WIDTH)
        plot_h = max(1, height - 1)
        if not self.line:
            return Text("데이터 없음 (no data)", style="dim")
        if self.mode == "candle" and self.candles:
            shown = self.candles[-plot_w:]
            lo, hi = min(c.low for c in shown), max(c.high for c in shown)
            body = candle_rows(shown, plot_w, plot_h)
            first, last = shown[0].day, shown[-1].day
        else:
            values = self.line
            lo, hi = min(values), max(values)
            body = [Text(s, style=RISE if values[-1] >= values[0] else FALL)
                    for s in braille_line(values, plot_w, plot_h, lo, hi)]
            first = self.candles[0].day if self.candles else None
            last = self.candles[-1].day if self.candles else None
        lines = []
        for text, label in zip(body, _axis(lo, hi, plot_h)):
            lines.append(Text.assemble(text, (label, "dim")))
        footer = f"{first:%Y-%m-%d}" if first else ""
        tail = f"{last:%Y-%m-%d}" if last else ""
        gap = max(1, plot_w - len(footer) - len(tail))
        caption = self.caption[: max(0, AXIS_WIDTH - 1)]
        lines.append(Text(f"{footer}{' ' * gap}{tail} {caption:>{AXIS_WIDTH - 1}}", style="dim"))
        return Group(*lines)
