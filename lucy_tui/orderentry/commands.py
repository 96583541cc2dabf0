"""What a command line means: the parsed commands, the price of an order, the parse error, and
the context the parser resolves names in. Pure values: no I/O, no textual."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Union

from ..domain.instruments import Universe, load_default
from ..domain.model import AccountRef, Instrument, OrderType, Side, TimeInForce, Venue

#: PriceSpec kinds and the order type each one makes.
KIND_TYPES: dict[str, OrderType] = {
    "limit": OrderType.LIMIT,
    "bid": OrderType.LIMIT,
    "ask": OrderType.LIMIT,
    "last": OrderType.LIMIT,
    "market": OrderType.MARKET,
    "best": OrderType.BEST,
    "top": OrderType.TOP,
    "cond": OrderType.CONDITIONAL,
    "mid": OrderType.MIDPOINT,
}
#: Kinds whose price comes from the quote at the moment the order is made (``@ask+2``).
QUOTE_KINDS = frozenset({"bid", "ask", "last"})
#: Kinds that leave the price to the exchange.
MARKET_KINDS = frozenset({"market", "best", "top", "mid"})


@dataclass(frozen=True, slots=True)
class PriceSpec:
    """How the price of an order is set.

    ``limit`` and ``cond`` carry ``value`` (won); ``bid``/``ask``/``last`` are taken from the
    quote and moved by ``ticks`` (``@ask+2``); ``market``/``best``/``top``/``mid`` have no price.
    """

    kind: str
    value: int | None = None
    ticks: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KIND_TYPES:
            raise ValueError(f"unknown price kind {self.kind!r}; one of {', '.join(KIND_TYPES)}")

    @property
    def order_type(self) -> OrderType:
        return KIND_TYPES[self.kind]

    @property
    def from_quote(self) -> bool:
        return self.kind in QUOTE_KINDS


@dataclass(frozen=True, slots=True)
class EntryError:
    """Why a line does not parse. ``start``/``end`` are character offsets into the line: the
    spot to underline. ``start == end`` marks where something is missing."""

    message: str
    start: int
    end: int

    def __str__(self) -> str:
        return self.message


Span = tuple[str, int, int]


def _find_span(spans: tuple[Span, ...], name: str) -> tuple[int, int] | None:
    for key, start, end in spans:
        if key == name:
            return start, end
    return None


@dataclass(frozen=True, slots=True)
class PlaceCmd:
    """A new order. Exactly one of ``qty`` (shares) and ``amount`` (KRW) is given.

    ``account`` None and ``plan`` "" mean no route was named and the context had no default;
    ``default_route`` says the route came from the context rather than the line. ``spans``
    holds where each part was typed (``symbol``, ``size``, ``price``, ``type``, ``tif``,
    ``venue``, ``route``), so checks can underline it; neither takes part in equality.
    ``type`` follows from ``price.kind`` when not given.
    """

    side: Side
    instrument: Instrument
    qty: int
    amount: int
    price: PriceSpec
    type: OrderType | None = None
    tif: TimeInForce = TimeInForce.DAY
    venue: Venue = Venue.KRX
    account: AccountRef | None = None
    plan: str = ""
    default_route: bool = field(default=False, compare=False)
    spans: tuple[Span, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        implied = self.price.order_type
        if self.type is None:
            object.__setattr__(self, "type", implied)
        elif self.type is not implied:
            raise ValueError(f"order type {self.type.value} does not match a {self.price.kind} "
                             "price")

    def span(self, name: str) -> tuple[int, int] | None:
        return _find_span(self.spans, name)


@dataclass(frozen=True, slots=True)
class CancelCmd:
    """Cancel one order. ``target`` as typed: a local id (``261204-00003``), a broker order
    number, or a blotter row (``#3``); the console resolves it."""

    target: str


@dataclass(frozen=True, slots=True)
class CancelAllCmd:
    """Cancel every open order, or every open order in one instrument (``code``)."""

    code: str | None = None


@dataclass(frozen=True, slots=True)
class AmendCmd:
    """Amend (정정) an order's price, and optionally its quantity (the new quantity as typed)."""

    target: str
    price: PriceSpec
    qty: int | None = None
    spans: tuple[Span, ...] = field(default=(), compare=False)

    def span(self, name: str) -> tuple[int, int] | None:
        return _find_span(self.spans, name)


@dataclass(frozen=True, slots=True)
class QuoteCmd:
    instrument: Instrument


@dataclass(frozen=True, slots=True)
class HelpCmd:
    """``?`` or ``help``, optionally with a topic word (``? b``)."""

    topic: str = ""


Command = Union[PlaceCmd, CancelCmd, CancelAllCmd, AmendCmd, QuoteCmd, HelpCmd]


@dataclass(frozen=True)
class EntryContext:
    """What the parser resolves names against: instruments, accounts, allocation plans and the
    default route and venue of the profile."""

    universe: Universe = field(default_factory=load_default)
    accounts: Sequence[AccountRef] = ()
    plans: Sequence[str] = ()
    default_account: AccountRef | None = None
    default_plan: str = ""
    default_venue: Venue = Venue.KRX
