"""How LS writes values on the wire: times, symbol prefixes, market codes, rates.

REST blocks carry integers as JSON numbers and decimals as strings with fixed places (the
official examples: ``"OrdPrc": "35000.00"``, ``"janrt": "100.00"``, ``"PnlRat": "0.000000"``);
WebSocket bodies carry everything as strings.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_DOWN, Decimal
from typing import Any

from ...brokers.ls import codes
from ...domain.model import InstrumentKind, Market


def hhmmss(when: datetime) -> str:
    return when.strftime("%H%M%S")


def hhmmssmmm(when: datetime) -> str:
    """OrdTime / ordtm / exectime: 9 characters, milliseconds last (``153257702``)."""
    return when.strftime("%H%M%S") + f"{when.microsecond // 1000:03d}"


def hhmmsscc(when: datetime) -> str:
    """t0425 ``ordtime``: 8 characters, hundredths last (``08410730``)."""
    return when.strftime("%H%M%S") + f"{when.microsecond // 10_000:02d}"


def isu_prefix(inst: Any) -> str:
    kind = getattr(inst, "kind", InstrumentKind.STOCK)
    if kind is InstrumentKind.ELW:
        return codes.ISU_PREFIX_ELW
    if kind is InstrumentKind.ETN:
        return codes.ISU_PREFIX_ETN
    return codes.ISU_PREFIX_STOCK


def market_code(inst: Any) -> str:
    """OrdMktCode / marketgb / ordmktcode: 10 KOSPI, 20 KOSDAQ, 23 KONEX."""
    return codes.MARKET_CODE.get(getattr(inst, "market", Market.KOSPI), "10")


def rate(numerator: int, denominator: int, places: int = 2) -> str:
    """``numerator / denominator`` in percent, truncated, as text; ``"0.00"`` when undefined."""
    if not denominator:
        return f"{Decimal(0):.{places}f}"
    value = (Decimal(numerator) * 100 / denominator).quantize(Decimal(1).scaleb(-places),
                                                               rounding=ROUND_DOWN)
    return f"{value:.{places}f}"


def signed_rate(change: int, base: int) -> str:
    """A change in percent with its sign, as t1102 ``diff`` and S3_ ``drate``: ``"-0.19"``."""
    text = rate(abs(change), base)
    return "-" + text if change < 0 and text != "0.00" else text


def fraction(numerator: int, denominator: int, places: int = 6) -> str:
    """A raw fraction (not %), as CSPAQ PnlRat: ``"0.378333"``."""
    if not denominator:
        return f"{Decimal(0):.{places}f}"
    value = (Decimal(numerator) / denominator).quantize(Decimal(1).scaleb(-places),
                                                         rounding=ROUND_DOWN)
    return f"{value:.{places}f}"


def sign(price: int, base: int, upper: int = 0, lower: int = 0) -> str:
    """1 upper limit, 2 up, 3 flat, 4 lower limit, 5 down."""
    if upper and price >= upper:
        return codes.SIGN_UPPER
    if lower and price <= lower:
        return codes.SIGN_LOWER
    return codes.SIGN_UP if price > base else codes.SIGN_DOWN if price < base else codes.SIGN_FLAT
