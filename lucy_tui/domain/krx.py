"""KRX market rules: tick size, daily price band, price validation.

Source: ../shared/specs/krx.md §1-§2. Tables are chosen by date, because backtests and the
simulator's history need the rules that held on the day.
"""

from __future__ import annotations

import enum
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from .model import Instrument, InstrumentKind, Market, OrderType, TimeInForce, Venue

if TYPE_CHECKING:
    from .calendar import KrxCalendar

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
_etp_fine_from = ETP_FINE_TICKS_FROM


def set_etp_fine_ticks_from(day: date) -> None:
    """Set the default first day of 1-won ETF/ETN ticks (config ``market.etf_fine_ticks_from``)."""
    global _etp_fine_from
    _etp_fine_from = day



def format_krw(n: int) -> str:
    """Whole won with thousands separators: ``20010`` → ``"20,010"``."""
    return f"{n:,}"


class ViolationCode(enum.Enum):
    BAD_TICK = "bad_tick"
    ABOVE_UPPER_LIMIT = "above_upper_limit"
    BELOW_LOWER_LIMIT = "below_lower_limit"
    BAD_QUANTITY = "bad_quantity"
    NOT_LOT_MULTIPLE = "not_lot_multiple"
    PRICE_REQUIRED = "price_required"
    PRICE_NOT_ALLOWED = "price_not_allowed"
    ORDER_TYPE_NOT_ALLOWED = "order_type_not_allowed"
    SESSION_CLOSED = "session_closed"
    HALTED = "halted"
    VENUE_NOT_ALLOWED = "venue_not_allowed"


@dataclass(frozen=True, slots=True)
class Violation:
    """Why an order would be rejected, in words a trader can act on, in Korean and English."""

    code: ViolationCode
    ko: str
    en: str

    def __str__(self) -> str:
        return self.ko


BAND_RATE_PERCENT = {Market.KOSPI: 30, Market.KOSDAQ: 30, Market.KONEX: 15}
BAND_30_FROM = date(2015, 6, 15)
#: Listing-day trading between 60 % and 400 % of the IPO price, KOSPI and KOSDAQ (§2.2).
LISTING_BAND_FROM = date(2023, 6, 26)


def tick_table(
    kind: InstrumentKind = InstrumentKind.STOCK,
    market: Market = Market.KOSPI,
    on: date | None = None,
    etp_fine_from: date | None = None,
) -> tuple[tuple[int, int], ...]:
    """The tick table in force for a product on a day (today's rules when ``on`` is None)."""
    if kind is InstrumentKind.ELW:
        return FLAT_FIVE
    if kind in (InstrumentKind.ETF, InstrumentKind.ETN):
        return ETP_TICKS_2023 if on is None or on >= (etp_fine_from or _etp_fine_from) else FLAT_FIVE
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
    *,
    etp_fine_from: date | None = None,
) -> int:
    """The tick of the band ``price`` itself falls in (bands include their lower bound)."""
    if price < 0:
        raise ValueError(f"negative price {price}")
    return _tick_in(tick_table(kind, market, on, etp_fine_from), price)


def is_valid_tick(price: int, kind=InstrumentKind.STOCK, market=Market.KOSPI, on=None, *,
                  etp_fine_from: date | None = None) -> bool:
    return price > 0 and price % tick_size(price, kind, market, on, etp_fine_from=etp_fine_from) == 0


def round_to_tick(price: int, kind=InstrumentKind.STOCK, market=Market.KOSPI, on=None,
                  up: bool = False, *, etp_fine_from: date | None = None) -> int:
    """The nearest valid price at or below ``price`` (at or above with ``up``)."""
    tick = tick_size(price, kind, market, on, etp_fine_from=etp_fine_from)
    down = price - price % tick
    if not up or down == price:
        return down
    return tick_up(down, kind, market, on, etp_fine_from=etp_fine_from)


def tick_up(price: int, kind=InstrumentKind.STOCK, market=Market.KOSPI, on=None, n: int = 1, *,
            etp_fine_from: date | None = None) -> int:
    """``n`` valid ticks above a valid ``price``."""
    for _ in range(n):
        price += tick_size(price, kind, market, on, etp_fine_from=etp_fine_from)
    return price


def tick_down(price: int, kind=InstrumentKind.STOCK, market=Market.KOSPI, on=None, n: int = 1, *,
              etp_fine_from: date | None = None) -> int:
    """``n`` valid ticks below a valid ``price`` (never below one tick)."""
    for _ in range(n):
        if price <= 1:
            break
        # The tick below a band boundary is the finer one of the band below it.
        price -= tick_size(price - 1, kind, market, on, etp_fine_from=etp_fine_from)
    return price


def price_band(
    base: int,
    kind: InstrumentKind = InstrumentKind.STOCK,
    market: Market = Market.KOSPI,
    on: date | None = None,
    *,
    etp_fine_from: date | None = None,
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
    base_tick = tick_size(base, kind, market, on, etp_fine_from=etp_fine_from)
    width = base * rate // 100
    width -= width % base_tick
    upper = round_to_tick(base + width, kind, market, on, etp_fine_from=etp_fine_from)
    return base - width, upper


def listing_day_band(ipo_price: int, kind=InstrumentKind.STOCK, market=Market.KOSPI, on=None, *,
                     etp_fine_from: date | None = None) -> tuple[int, int]:
    """Band on a listing day since 2023-06-26: 60 %-400 % of the IPO price, on valid ticks."""
    low = round_to_tick(ipo_price * 60 // 100, kind, market, on, up=True, etp_fine_from=etp_fine_from)
    high = round_to_tick(ipo_price * 4, kind, market, on, etp_fine_from=etp_fine_from)
    return low, high


# -- validation ---------------------------------------------------------------------------------

def _won(n: int) -> str:
    return f"{format_krw(n)}원"


def _bad_tick(price: int, tick: int, below: int, above: int) -> Violation:
    return Violation(
        ViolationCode.BAD_TICK,
        f"{_won(price)}은 호가단위({_won(tick)})에 맞지 않습니다 ({_won(below)} 또는 {_won(above)})",
        f"{format_krw(price)} is not a valid price: the tick at that price is {format_krw(tick)} won "
        f"(try {format_krw(below)} or {format_krw(above)})",
    )


def order_band(
    *,
    base: int | None = None,
    instrument: Instrument | None = None,
    kind: InstrumentKind = InstrumentKind.STOCK,
    market: Market = Market.KOSPI,
    on: date | None = None,
    upper: int | None = None,
    lower: int | None = None,
    etp_fine_from: date | None = None,
) -> tuple[int | None, int | None]:
    """(lower, upper) limits an order must respect; None where no limit applies or is known.

    Broker-provided limits win (§2.1: they are the official values); then the listing-day band;
    then the band computed from the base price. Liquidation trading and ELWs have no limit (§2.2).
    """
    if instrument is not None:
        kind, market = instrument.kind, instrument.market
        if base is None and instrument.base_price > 0:
            base = instrument.base_price
        if instrument.liquidation:
            return None, None
    if kind is InstrumentKind.ELW:
        return None, None
    low = high = None
    if (instrument is not None and on is not None and instrument.listed_on == on
            and instrument.ipo_price and on >= LISTING_BAND_FROM and market is not Market.KONEX):
        low, high = listing_day_band(instrument.ipo_price, kind, market, on, etp_fine_from=etp_fine_from)
    elif base:
        low, high = price_band(base, kind, market, on, etp_fine_from=etp_fine_from)
    return (lower if lower is not None else low), (upper if upper is not None else high)


def check_price(
    price: int,
    *,
    base: int | None = None,
    instrument: Instrument | None = None,
    kind: InstrumentKind = InstrumentKind.STOCK,
    market: Market = Market.KOSPI,
    on: date | None = None,
    upper: int | None = None,
    lower: int | None = None,
    etp_fine_from: date | None = None,
) -> Violation | None:
    """Why ``price`` cannot be ordered, or None: the tick of its own band first, then the band.

    ``on`` is the trading day (None: today's tables, and no listing-day band since the day is
    unknown). ``upper``/``lower`` are the broker's official limits and win over the computed ones.
    """
    if instrument is not None:
        kind, market = instrument.kind, instrument.market
    if price <= 0:
        return Violation(ViolationCode.PRICE_REQUIRED,
                         f"주문 가격은 1원 이상이어야 합니다 (입력 {_won(price)})",
                         f"the order price must be at least 1 won, got {format_krw(price)}")
    tick = tick_size(price, kind, market, on, etp_fine_from=etp_fine_from)
    if price % tick:
        below = price - price % tick
        return _bad_tick(price, tick, below, below + tick)
    low, high = order_band(base=base, instrument=instrument, kind=kind, market=market, on=on,
                           upper=upper, lower=lower, etp_fine_from=etp_fine_from)
    if high is not None and price > high:
        return Violation(ViolationCode.ABOVE_UPPER_LIMIT,
                         f"{_won(price)}은 상한가({_won(high)})를 초과합니다",
                         f"{format_krw(price)} is above the upper limit of {format_krw(high)} won")
    if low is not None and price < low:
        return Violation(ViolationCode.BELOW_LOWER_LIMIT,
                         f"{_won(price)}은 하한가({_won(low)})보다 낮습니다",
                         f"{format_krw(price)} is below the lower limit of {format_krw(low)} won")
    return None


def check_quantity(qty: int, lot: int = 1) -> Violation | None:
    """Why ``qty`` cannot be ordered, or None: at least one lot, and a whole number of lots."""
    if qty < lot or qty < 1:
        return Violation(ViolationCode.BAD_QUANTITY,
                         f"수량은 {format_krw(max(lot, 1))}주 이상이어야 합니다",
                         f"quantity must be at least {format_krw(max(lot, 1))} "
                         f"share{'s' if lot > 1 else ''}")
    if qty % lot:
        below = qty - qty % lot
        return Violation(ViolationCode.NOT_LOT_MULTIPLE,
                         f"수량 {format_krw(qty)}주는 매매단위({format_krw(lot)}주)의 배수가 아닙니다 "
                         f"({format_krw(below)}주 또는 {format_krw(below + lot)}주)",
                         f"{format_krw(qty)} shares is not a multiple of the {format_krw(lot)}-share "
                         f"lot (try {format_krw(below)} or {format_krw(below + lot)})")
    return None


def order_violations(
    order_type: OrderType,
    price: int | None,
    qty: int,
    *,
    stop_price: int | None = None,
    tif: TimeInForce = TimeInForce.DAY,
    venue: Venue = Venue.KRX,
    instrument: Instrument | None = None,
    base: int | None = None,
    kind: InstrumentKind = InstrumentKind.STOCK,
    market: Market = Market.KOSPI,
    on: date | None = None,
    upper: int | None = None,
    lower: int | None = None,
    lot: int | None = None,
    when: datetime | None = None,
    calendar: KrxCalendar | None = None,
    etp_fine_from: date | None = None,
) -> list[Violation]:
    """Every reason the order would be rejected, most blocking first.

    Order: halted symbol, venue eligibility, session and order type (only when ``when`` is given),
    price presence, quantity, then price tick and band. A priceless type (market, best, …) takes
    ``None`` or 0, as KIS sends "0".
    """
    out: list[Violation] = []
    if instrument is not None:
        kind, market = instrument.kind, instrument.market
        if instrument.halted:
            out.append(Violation(ViolationCode.HALTED,
                                 f"{instrument.name}({instrument.code}): 거래정지 종목입니다",
                                 f"{instrument.code} ({instrument.name_en or instrument.name}) "
                                 "is suspended from trading"))
        if venue is Venue.NXT and not instrument.nxt:
            out.append(Violation(ViolationCode.VENUE_NOT_ALLOWED,
                                 f"{instrument.name}({instrument.code}): NXT 거래 대상 종목이 아닙니다",
                                 f"{instrument.code} is not tradable on Nextrade"))
    if when is not None:
        from .calendar import order_type_allowed_at  # calendar imports this module

        session = order_type_allowed_at(order_type, tif, when, venue, calendar)  # naive: raises
        if session is not None:
            out.append(session)
        if on is None:
            on = _kst_date(when)
    name = order_type.korean
    if order_type.needs_price and not price:
        out.append(Violation(ViolationCode.PRICE_REQUIRED,
                             f"{name} 주문에는 가격이 필요합니다",
                             f"a {order_type.value} order needs a price"))
    elif not order_type.needs_price and price:
        out.append(Violation(ViolationCode.PRICE_NOT_ALLOWED,
                             f"{name} 주문에는 가격을 넣지 않습니다 (입력 {_won(price)})",
                             f"a {order_type.value} order takes no price, got {format_krw(price)}"))
    if order_type is OrderType.STOP_LIMIT and not stop_price:
        out.append(Violation(ViolationCode.PRICE_REQUIRED,
                             f"{name} 주문에는 조건가격(스톱가격)이 필요합니다",
                             "a stop-limit order needs a stop price"))
    if lot is None:
        lot = instrument.lot if instrument is not None and instrument.lot > 0 else \
            (10 if kind is InstrumentKind.ELW else 1)
    qty_violation = check_quantity(qty, lot)
    if qty_violation is not None:
        out.append(qty_violation)
    band = dict(base=base, instrument=instrument, kind=kind, market=market, on=on, upper=upper,
                lower=lower, etp_fine_from=etp_fine_from)
    for value in (price, stop_price if order_type is OrderType.STOP_LIMIT else None):
        if value and order_type.needs_price:
            price_violation = check_price(value, **band)
            if price_violation is not None:
                out.append(price_violation)
    return out


def check_order(order_type: OrderType, price: int | None, qty: int, **kwargs) -> Violation | None:
    """The single most important reason the order would be rejected, or None.

    Takes the same keywords as :func:`order_violations`.
    """
    violations = order_violations(order_type, price, qty, **kwargs)
    return violations[0] if violations else None


def _kst_date(when: datetime) -> date:
    from ..clock import KST

    return when.astimezone(KST).date()
