"""The broker contract: what the engine may ask of any broker, and what a broker tells it.

Each broker package (``kis``, ``ls``, ...) maps its wire protocol onto these types; the engine and
the UI never see a wire field name. A broker pushes :data:`BrokerEvent` values into the sink the
engine gives it (a plain callable on the event loop: cheap enough for thousands of notices a
second) and answers requests with domain objects or one of the typed errors below.

Outcomes of sending an order, and what the engine does with them (DESIGN.md rule 5):

* a return value: the broker accepted the order (``NEW``);
* :class:`BrokerRejected`: a definite business answer, nothing is working (``REJECTED``);
* :class:`RateLimited`: refused before acceptance; the client already retried within its budget,
  so the engine may retry later;
* :class:`OutcomeUnknown`: timeout, reset, a 5xx without a business answer: the order may or may
  not be working. The engine marks it ``UNKNOWN`` and asks the broker (``orders_today``); it never
  sends it again.

Fill identity: ``Fill.fill_id`` is the broker's execution id where it has one (LS ``execno``).
KIS notices carry none, so its client names a fill ``"<order no>:<cumulative qty after it>"``,
which is stable across a notice and an inquiry; the engine de-duplicates on it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Callable, Protocol, runtime_checkable

from ..domain.model import (
    AccountRef, Balance, Fill, Instrument, OrderType, Position, Quote, Side, TimeInForce, Venue,
)


# ---------------------------------------------------------------- requests and reports


@dataclass(frozen=True, slots=True)
class OrderRequest:
    account: AccountRef
    code: str
    side: Side
    qty: int
    price: int | None = None          # None for priceless types
    type: OrderType = OrderType.LIMIT
    tif: TimeInForce = TimeInForce.DAY
    venue: Venue = Venue.KRX
    stop_price: int | None = None     # STOP_LIMIT trigger
    local_id: str = ""                # Lucy's id, for logs and for matching the echo


@dataclass(frozen=True, slots=True)
class Placed:
    """The broker took an order (or an amend/cancel, which get numbers of their own)."""

    order_no: str
    time: datetime
    branch: str = ""                  # KIS KRX_FWDG_ORD_ORGNO; needed to amend or cancel


@dataclass(frozen=True, slots=True)
class OrderReport:
    """One order as the broker's inquiry reports it: the book of record for reconciliation."""

    account: AccountRef
    order_no: str
    code: str
    side: Side
    qty: int
    price: int | None
    type: OrderType
    tif: TimeInForce
    filled_qty: int
    filled_amount: int
    cancelled_qty: int = 0
    rejected_qty: int = 0
    orig_order_no: str = ""
    venue: Venue = Venue.KRX
    time: datetime | None = None
    is_amend: bool = False            # this record is an amend (정정) of orig_order_no
    is_cancel: bool = False           # this record is a cancel (취소) of orig_order_no
    name: str = ""

    @property
    def leaves_qty(self) -> int:
        if self.is_cancel:
            return 0
        return max(self.qty - self.filled_qty - self.cancelled_qty - self.rejected_qty, 0)

    @property
    def avg_price(self) -> Decimal | None:
        return Decimal(self.filled_amount) / self.filled_qty if self.filled_qty else None


@dataclass(frozen=True, slots=True)
class BuyingPower:
    account: AccountRef
    code: str
    cash: int             # cash available for orders
    max_qty: int          # shares of ``code`` that cash buys at the asked price


# ---------------------------------------------------------------- events


class Connection(enum.Enum):
    CONNECTING = "connecting"
    LIVE = "live"
    DEGRADED = "degraded"          # REST works, the realtime feed does not
    RECONNECTING = "reconnecting"
    DISCONNECTED = "disconnected"


@dataclass(frozen=True, slots=True)
class BrokerStatus:
    broker: str
    state: Connection
    detail: str = ""
    time: datetime | None = None


@dataclass(frozen=True, slots=True)
class OrderAcked:
    """The broker/exchange acknowledged a new order (접수/확인)."""

    account: AccountRef
    order_no: str
    code: str
    side: Side
    qty: int
    price: int | None
    time: datetime
    type: OrderType = OrderType.LIMIT
    tif: TimeInForce = TimeInForce.DAY
    venue: Venue = Venue.KRX


@dataclass(frozen=True, slots=True)
class OrderRejectedEvent:
    account: AccountRef
    order_no: str
    code: str
    reason: str                    # the broker's words, kept as they came
    time: datetime
    orig_order_no: str = ""        # set when an amend or cancel was refused


@dataclass(frozen=True, slots=True)
class FillEvent:
    fill: Fill
    cum_qty: int = 0               # the broker's cumulative filled qty of the order, when it says
    leaves_qty: int | None = None  # and what remains open, when it says


@dataclass(frozen=True, slots=True)
class OrderAmended:
    account: AccountRef
    order_no: str                  # the new number
    orig_order_no: str
    code: str
    price: int | None
    qty: int                       # the quantity now working under order_no
    time: datetime


@dataclass(frozen=True, slots=True)
class OrderCancelled:
    account: AccountRef
    order_no: str                  # the order whose quantity was cancelled
    code: str
    qty: int
    time: datetime
    reason: str = "user"           # user, ioc (IOC/FOK remainder), expired, broker
    cancel_no: str = ""            # the number the cancel itself got


@dataclass(frozen=True, slots=True)
class Tick:
    code: str
    price: int
    qty: int
    time: datetime
    cum_volume: int = 0
    change: int = 0
    side: Side | None = None       # aggressor, when the feed says
    bid: int | None = None
    ask: int | None = None


@dataclass(frozen=True, slots=True)
class BookUpdate:
    code: str
    bids: tuple = ()
    asks: tuple = ()
    time: datetime | None = None


BrokerEvent = (BrokerStatus | OrderAcked | OrderRejectedEvent | FillEvent | OrderAmended
               | OrderCancelled | Tick | BookUpdate)
EventSink = Callable[[BrokerEvent], None]


# ---------------------------------------------------------------- errors


class BrokerError(Exception):
    """Anything a broker call could not do. ``message`` is for people; codes are the broker's."""

    def __init__(self, message: str, *, broker: str = "", code: str = "", broker_message: str = ""):
        super().__init__(message)
        self.message, self.broker, self.code, self.broker_message = (
            message, broker, code, broker_message)

    def __str__(self) -> str:
        prefix = f"{self.broker}: " if self.broker else ""
        suffix = f" [{self.code}]" if self.code else ""
        return f"{prefix}{self.message}{suffix}"


class BrokerRejected(BrokerError):
    """A definite business answer: the request was refused and nothing is working because of it."""


class RateLimited(BrokerError):
    """Refused before acceptance for exceeding the broker's rate: safe to retry later."""


class OutcomeUnknown(BrokerError):
    """The request may or may not have taken effect: resolve by inquiry, never by re-sending."""


class AuthError(BrokerError):
    """Credentials or token refused (bad key, wrong domain, token issuance throttled)."""


class NotSupported(BrokerError):
    """The broker (or its mock environment) does not offer this."""


class ConnectionFailed(BrokerError):
    """The broker could not be reached at all; nothing was sent."""


# ---------------------------------------------------------------- the protocol


@runtime_checkable
class Broker(Protocol):
    """What the engine holds for each broker session (one per broker per profile)."""

    name: str                      # "kis", "ls"
    accounts: tuple[AccountRef, ...]

    def set_sink(self, sink: EventSink) -> None:
        """Where events go; set before ``connect``."""

    async def connect(self) -> None:
        """Token (cached or issued), realtime session, subscriptions. Reconnects on its own after."""

    async def close(self) -> None: ...

    async def place(self, order: OrderRequest) -> Placed: ...

    async def amend(self, account: AccountRef, order_no: str, *, price: int | None,
                    qty: int | None = None, type: OrderType = OrderType.LIMIT) -> Placed:
        """Amend the open quantity (all of it when ``qty`` is None); returns the new number."""

    async def cancel(self, account: AccountRef, order_no: str, qty: int | None = None) -> Placed:
        """Cancel the open quantity (all of it when ``qty`` is None)."""

    async def orders_today(self, account: AccountRef) -> list[OrderReport]:
        """Every order of the day, all pages."""

    async def balance(self, account: AccountRef) -> tuple[Balance, list[Position]]: ...

    async def buying_power(self, account: AccountRef, code: str, price: int | None,
                           type: OrderType = OrderType.LIMIT) -> BuyingPower: ...

    async def quote(self, code: str) -> Quote: ...

    async def instrument(self, code: str) -> Instrument: ...

    async def subscribe_ticks(self, codes: list[str]) -> None: ...

    async def unsubscribe_ticks(self, codes: list[str]) -> None: ...


@dataclass
class Capabilities:
    """What a broker environment offers, as data rather than branches (mock lacks much)."""

    order_types: frozenset[tuple[OrderType, TimeInForce]] = field(default_factory=frozenset)
    venues: frozenset[Venue] = frozenset({Venue.KRX})
    amend_partial: bool = True
    max_tick_subscriptions: int = 0
