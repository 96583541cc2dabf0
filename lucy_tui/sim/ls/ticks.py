"""Realtime market-data bodies: S3_ (KOSPI) / K3_ (KOSDAQ) trades and H1_ / HA_ order books
(ls.md §5.3). Every value is a string; the trade body has the official field order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal

from ...brokers.ls import codes
from ...domain.model import Level, Quote, Side
from .formats import hhmmss, sign, signed_rate

#: H1_ / HA_ fields: the time, ten levels (ask price, bid price, ask size, bid size), totals.
BOOK_FIELDS: tuple[str, ...] = (
    "hotime",
    *(f"{name}{i}" for i in range(1, 11) for name in ("offerho", "bidho", "offerrem", "bidrem")),
    "totofferrem", "totbidrem", "shcode",
)


@dataclass
class Tape:
    """Per-symbol running figures a trade body reports (by aggressor side)."""

    code: str
    day: str = ""
    turnover: int = 0
    volume: int = 0
    sell_volume: int = 0
    sell_count: int = 0
    buy_volume: int = 0
    buy_count: int = 0
    open_time: str = ""
    high_time: str = ""
    low_time: str = ""
    high: int = 0
    low: int = 0

    def apply(self, when: datetime, price: int, qty: int, side: Side | None) -> None:
        day = when.strftime("%Y%m%d")
        if day != self.day:
            self.__init__(self.code)  # a new trading day starts the counts afresh
            self.day = day
        stamp = hhmmss(when)
        self.turnover += price * qty
        self.volume += qty
        if side is Side.SELL:
            self.sell_volume += qty
            self.sell_count += 1
        else:
            self.buy_volume += qty
            self.buy_count += 1
        if not self.open_time:
            self.open_time = stamp
        if not self.high or price > self.high:
            self.high, self.high_time = price, stamp
        if not self.low or price < self.low:
            self.low, self.low_time = price, stamp


def trade_body(tape: Tape, *, when: datetime, price: int, qty: int, side: Side | None,
               quote: Quote, asks: list[Level], bids: list[Level]) -> dict[str, str]:
    base = quote.base
    change = price - base
    volume = quote.volume or tape.volume
    strength = (Decimal(tape.buy_volume) * 100 / tape.sell_volume).quantize(
        Decimal("0.01"), rounding=ROUND_DOWN) if tape.sell_volume else Decimal(0)
    values = {
        "chetime": hhmmss(when),
        "sign": sign(price, base, quote.upper_limit, quote.lower_limit),
        "change": str(abs(change)),
        "drate": signed_rate(change, base),
        "price": str(price),
        "opentime": tape.open_time,
        "open": str(quote.open or price),
        "hightime": tape.high_time,
        "high": str(quote.high or price),
        "lowtime": tape.low_time,
        "low": str(quote.low or price),
        "cgubun": "-" if side is Side.SELL else "+",
        "cvolume": str(qty),
        "volume": str(volume),
        "value": str((quote.turnover or tape.turnover) // 1_000_000),
        "mdvolume": str(tape.sell_volume),
        "mdchecnt": str(tape.sell_count),
        "msvolume": str(tape.buy_volume),
        "mschecnt": str(tape.buy_count),
        "cpower": f"{strength:.2f}",
        "w_avrg": str((quote.turnover or tape.turnover) // volume if volume else price),
        "offerho": str(asks[0].price if asks else 0),
        "bidho": str(bids[0].price if bids else 0),
        "status": codes.TICK_STATUS_INTRADAY,
        "jnilvolume": "0",
        "shcode": tape.code,
        "exchname": "KRX",
    }
    return {name: values[name] for name in codes.S3_FIELDS}


def book_body(code: str, when: datetime, asks: list[Level], bids: list[Level]) -> dict[str, str]:
    values = {"hotime": hhmmss(when), "shcode": code,
              "totofferrem": str(sum(lv.qty for lv in asks)),
              "totbidrem": str(sum(lv.qty for lv in bids))}
    for i in range(10):
        values[f"offerho{i + 1}"] = str(asks[i].price if i < len(asks) else 0)
        values[f"bidho{i + 1}"] = str(bids[i].price if i < len(bids) else 0)
        values[f"offerrem{i + 1}"] = str(asks[i].qty if i < len(asks) else 0)
        values[f"bidrem{i + 1}"] = str(bids[i].qty if i < len(bids) else 0)
    return {name: values[name] for name in BOOK_FIELDS}
