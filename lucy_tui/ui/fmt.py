"""Korean market conventions for display: red for rises and buys, blue for falls and sells."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text

RISE, FALL, FLAT = "#ff5f5f", "#5f87ff", "#c0c0c0"


def colour_for(change: int) -> str:
    return RISE if change > 0 else FALL if change < 0 else FLAT


def krw(n: int | None) -> str:
    return "" if n is None else f"{n:,}"


def signed(change: int, rate: Decimal | None = None) -> Text:
    arrow = "▲" if change > 0 else "▼" if change < 0 else " "
    body = f"{arrow}{abs(change):,}" if rate is None else f"{rate:+.2f}%"
    return Text(body, style=colour_for(change), justify="right")


def price(value: int, base: int) -> Text:
    return Text(f"{value:,}", style=colour_for(value - base), justify="right")
