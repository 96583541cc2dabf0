"""What the exchange simulator tells its listeners: one immutable event per thing that happened.

Every event carries ``time`` (KST, from the exchange's clock, or the session boundary it belongs
to) and ``code``. Fronts turn these into each broker's wire format; nothing here knows a wire
field.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ..domain.model import OrderType, Side, TimeInForce, Venue


class RejectReason(enum.Enum):
    UNKNOWN_SYMBOL = "unknown_symbol"
    BAD_TICK = "bad_tick"
    ABOVE_UPPER_LIMIT = "above_upper_limit"
    BELOW_LOWER_LIMIT = "below_lower_limit"
    BAD_QUANTITY = "bad_quantity"
    PRICE_REQUIRED = "price_required"
    PRICE_NOT_ALLOWED = "price_not_allowed"      # a priceless type (market, best…) sent a price
    MARKET_CLOSED = "market_closed"
    HALTED = "halted"
    ORDER_TYPE_NOT_ALLOWED = "order_type_not_allowed"
    VENUE_NOT_ALLOWED = "venue_not_allowed"
    NOTHING_TO_CANCEL = "nothing_to_cancel"      # unknown, closed or fully filled order
    NOT_OWNER = "not_owner"
    AMEND_QTY_INCREASE = "amend_qty_increase"


class CancelReason(enum.Enum):
    USER = "user"                    # a cancel order (it has its own number, ``cancel_id``)
    IOC_REMAINDER = "ioc_remainder"
    FOK_UNFILLED = "fok_unfilled"
    NO_LIQUIDITY = "no_liquidity"    # market/best/top/midpoint found nothing to trade with
    SESSION_END = "session_end"      # day order expired at the end of its session
    OUT_OF_BAND = "out_of_band"      # resting price outside the new day's band after a day roll


@dataclass(frozen=True, slots=True)
class Accepted:
    order_id: int
    owner: str
    code: str
    side: Side
    type: OrderType
    tif: TimeInForce
    price: int | None        # the effective price for priceless types once known (best, top)
    qty: int
    venue: Venue
    time: datetime
    stop_price: int | None = None


@dataclass(frozen=True, slots=True)
class Rejected:
    order_id: int | None     # None for a rejected submit; the target order for amend/cancel
    owner: str
    code: str
    reason: RejectReason
    message: str             # Korean, precise (the krx.Violation text where there is one)
    time: datetime
    orig_order_id: int | None = None
    message_en: str = ""


@dataclass(frozen=True, slots=True)
class Filled:
    """One side of one execution; ``exec_id`` is unique per event (both sides differ)."""

    order_id: int
    owner: str
    code: str
    side: Side
    exec_id: int
    price: int
    qty: int
    cum_qty: int
    leaves_qty: int
    avg_price: Decimal
    venue: Venue
    time: datetime
    aggressor: bool
    match_id: int = 0        # shared by the two sides of one execution


@dataclass(frozen=True, slots=True)
class Amended:
    order_id: int            # the NEW order number KRX gives an amend
    orig_order_id: int
    owner: str
    code: str
    side: Side
    price: int | None
    qty: int                 # the amended quantity, now working under ``order_id``
    time: datetime
    keeps_priority: bool = False


@dataclass(frozen=True, slots=True)
class Cancelled:
    order_id: int
    owner: str
    code: str
    side: Side
    qty: int
    reason: CancelReason
    time: datetime
    cancel_id: int | None = None


@dataclass(frozen=True, slots=True)
class Triggered:
    """A stop-limit order's stop was reached: it now works as a limit order at ``price``."""

    order_id: int
    owner: str
    code: str
    side: Side
    price: int
    stop_price: int
    time: datetime


@dataclass(frozen=True, slots=True)
class Trade:
    """The public trade tick; one per execution (one per uncross for an auction)."""

    code: str
    price: int
    qty: int
    time: datetime
    side: Side               # the aggressor's side (auctions: the side with more demand)
    cum_volume: int
    open: int
    high: int
    low: int
    turnover: int = 0
    session: str = "regular"  # "regular", "auction", "close_price", "after_single", "extended"


@dataclass(frozen=True, slots=True)
class BookChanged:
    """At most one per symbol per public call: read ``Exchange.book()`` for the new state."""

    code: str
    time: datetime


@dataclass(frozen=True, slots=True)
class PhaseChanged:
    """The session moved on (calendar mode only); ``code`` is empty because it is market-wide."""

    code: str
    phase: str               # lucy_tui.domain.calendar.Phase value
    time: datetime


ExchangeEvent = (Accepted | Rejected | Filled | Amended | Cancelled | Triggered | Trade
                 | BookChanged | PhaseChanged)

__all__ = [
    "Accepted", "Amended", "BookChanged", "CancelReason", "Cancelled", "ExchangeEvent", "Filled",
    "PhaseChanged", "RejectReason", "Rejected", "Trade", "Triggered",
]
