"""KRX market rules: tick size, daily price band, price validation.

Source: ../shared/specs/krx.md §1-§2. Tables are chosen by date, because backtests and the
simulator's history need the rules that held on the day.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date

from .model import InstrumentKind, Market

#: The unified stock tick table in force since 2023-01-25 (§1.1): (lower bound, tick).
UNIFIED_TICKS: tuple[tuple[int, int], ...] = (
    (0, 1), (2_000, 5), (5_000, 10), (20_000, 50), (50_000, 100), (200_000, 500), (500_000, 1_000),
)
#: The older tables, until 2023-01-24 (§1.2).
KOSPI_TICKS_2010: tuple[tuple[int, int], ...] = (
    (0, 1), (1_000, 5), (5_000, 10), (10_000, 50), (50_000, 100), (100_000, 500), (500_000, 1_000),
)
KOSDAQ_TICKS_2010: tuple[tuple[int, int], ...] = (
    (0, 1), (1_000, 5), (5_000, 10), (10_000, 50), (50_000, 100),
)
#: ETF/ETN since December 2023: 1 won below 2,000, 5 won from 2,000 up (§1.3).
ETP_TICKS_2023: tuple[tuple[int, int], ...] = ((0, 1), (2_000, 5))
FLAT_FIVE: tuple[tuple[int, int], ...] = ((0, 5),)

UNIFIED_TICKS_FROM = date(2023, 1, 25)
#: The ETF/ETN 1-won tick's start is reported as 2023-12-08 and as 2023-12-18 (§1.3, [U]); the
#: spec says to follow the new rule from 12-18 and keep the window configurable.
ETP_FINE_TICKS_FROM = date(2023, 12, 18)

BAND_RATE_PERCENT = {Market.KOSPI: 30, Market.KOSDAQ: 30, Market.KONEX: 15}
BAND_30_FROM = date(2015, 6, 15)


def tick_table(
    kind: InstrumentKind = InstrumentKind.STOCK,
    market: Market = Market.KOSPI,
    on: date | None = None,
    etp_fine_from: date = ETP_FINE_TICKS_FROM,
) -> tuple[tuple[int, int], ...]:
    """The tick table in force for a product on a day (today's rules when ``on`` is None)."""
    if kind is InstrumentKind.ELW:
        return FLAT_FIVE
    if kind in (InstrumentKind.ETF, InstrumentKind.ETN):
        return ETP_TICKS_2023 if on is None or on >= etp_fine_from else FLAT_FIVE
    if on is None or on >= UNIFIED_TICKS_FROM:
        return UNIFIED_TICKS
    return KOSPI_TICKS_2010 if market is Market.KOSPI else KOSDAQ_TICKS_2010


_BOUNDS_CACHE: dict[tuple[tuple[int, int], ...], list[int]] = {}


def _tick_in(table: tuple[tuple[int, int], ...], price: int) -> int:
    bounds = _BOUNDS_CACHE.get(table)
    if bounds is None:
        bounds = _BOUNDS_CACHE[table] = [lower for lower, _ in table]
    return table[bisect_right(bounds, price) - 1][1]


def tick_size(
    price: int,
    kind: InstrumentKind = InstrumentKind.STOCK,
    market: Market = Market.KOSPI,
    on: date | None = None,
) -> int:
    """The tick of the band ``price`` itself falls in (bands include their lower bound)."""
    if price < 0:
        raise ValueError(f"negative price {price}")
    return _tick_in(tick_table(kind, market, on), price)


def is_valid_tick(price: int, kind=InstrumentKind.STOCK, market=Market.KOSPI, on=None) -> bool:
    return price > 0 and price % tick_size(price, kind, market, on) == 0


def round_to_tick(price: int, kind=InstrumentKind.STOCK, market=Market.KOSPI, on=None,
                  up: bool = False) -> int:
    """The nearest valid price at or below ``price`` (at or above with ``up``)."""
    tick = tick_size(price, kind, market, on)
    down = price - price % tick
    if not up or down == price:
        return down
    return tick_up(down, kind, market, on)


def tick_up(price: int, kind=InstrumentKind.STOCK, market=Market.KOSPI, on=None, n: int = 1) -> int:
    """``n`` valid ticks above a valid ``price``."""
    for _ in range(n):
        price += tick_size(price, kind, market, on)
    return price


def tick_down(price: int, kind=InstrumentKind.STOCK, market=Market.KOSPI, on=None, n: int = 1) -> int:
    """``n`` valid ticks below a valid ``price`` (never below one tick)."""
    for _ in range(n):
        if price <= 1:
            break
        # The tick below a band boundary is the finer one of the band below it.
        price -= tick_size(price - 1, kind, market, on)
    return price


def price_band(
    base: int,
    kind: InstrumentKind = InstrumentKind.STOCK,
    market: Market = Market.KOSPI,
    on: date | None = None,
) -> tuple[int, int]:
    """(lowest, highest) orderable price for a base price (§2.1).

    width = base × rate truncated to the tick of the *base price's* band; lower = base − width;
    the highest orderable price is the largest valid tick not above base + width.
    """
    if base <= 0:
        raise ValueError(f"base price must be positive, got {base}")
    rate = BAND_RATE_PERCENT[market]
    if on is not None and on < BAND_30_FROM and market is not Market.KONEX:
        rate = 15
    base_tick = tick_size(base, kind, market, on)
    width = base * rate // 100
    width -= width % base_tick
    upper = round_to_tick(base + width, kind, market, on)
    return base - width, upper


def listing_day_band(ipo_price: int, kind=InstrumentKind.STOCK, market=Market.KOSPI, on=None) -> tuple[int, int]:
    """Band on a listing day since 2023-06-26: 60 %-400 % of the IPO price, on valid ticks."""
    low = round_to_tick(ipo_price * 60 // 100, kind, market, on, up=True)
    high = round_to_tick(ipo_price * 4, kind, market, on)
    return low, high
