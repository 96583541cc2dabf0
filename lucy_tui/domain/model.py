"""Domain types shared by every layer.

Money is integers: prices and amounts in KRW are ``int``, quantities are ``int`` shares.
Averages and rates, which are not whole won, are ``Decimal``. Every type is immutable; a change
is a new value made with :func:`dataclasses.replace` (see :mod:`lucy_tui.domain.states` for
orders), so an object handed to the UI can never change under it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from datetime import date, datetime
from decimal import Decimal


class Side(enum.Enum):
    BUY = "buy"
    SELL = "sell"

    @property
    def sign(self) -> int:
        return 1 if self is Side.BUY else -1

    @property
    def opposite(self) -> Side:
        return Side.SELL if self is Side.BUY else Side.BUY

    @property
    def korean(self) -> str:
        return "매수" if self is Side.BUY else "매도"


class OrderType(enum.Enum):
    """How the price of an order is set (호가유형).

    Immediacy (IOC/FOK) is a separate :class:`TimeInForce`, as at LS (OrdprcPtnCode +
    OrdCndiTpCode); KIS folds the pair into one ORD_DVSN code, which its broker module maps.
    """

    LIMIT = "limit"                # 지정가
    MARKET = "market"              # 시장가
    CONDITIONAL = "conditional"    # 조건부지정가: limit, the rest turns market at the close
    BEST = "best"                  # 최유리지정가: limit at the best opposite price on arrival
    TOP = "top"                    # 최우선지정가: limit at the best same-side price on arrival
    PRE_CLOSE = "pre_close"        # 장전 시간외 종가 (08:30-08:40, previous close)
    POST_CLOSE = "post_close"      # 장후 시간외 종가 (15:40-16:00, today's close)
    AFTER_SINGLE = "after_single"  # 시간외 단일가 (16:00-18:00 until 2026-09-13)
    MIDPOINT = "midpoint"          # 중간가
    STOP_LIMIT = "stop_limit"      # 스톱지정가: a limit order entered once trades reach the stop

    @property
    def needs_price(self) -> bool:
        # 시간외 단일가 orders carry a limit (within ±10 % of the close); the closing-price
        # sessions, market, best, top and mid-point orders take their price from the market.
        return self in (OrderType.LIMIT, OrderType.CONDITIONAL, OrderType.STOP_LIMIT,
                        OrderType.AFTER_SINGLE)

    @property
    def korean(self) -> str:
        return _ORDER_TYPE_KO[self]


_ORDER_TYPE_KO = {
    OrderType.LIMIT: "지정가",
    OrderType.MARKET: "시장가",
    OrderType.CONDITIONAL: "조건부지정가",
    OrderType.BEST: "최유리지정가",
    OrderType.TOP: "최우선지정가",
    OrderType.PRE_CLOSE: "장전시간외종가",
    OrderType.POST_CLOSE: "장후시간외종가",
    OrderType.AFTER_SINGLE: "시간외단일가",
    OrderType.MIDPOINT: "중간가",
    OrderType.STOP_LIMIT: "스톱지정가",
}


class TimeInForce(enum.Enum):
    DAY = "day"
    IOC = "ioc"  # fill what is possible at once, cancel the rest
    FOK = "fok"  # fill everything at once or nothing


#: Order types that may carry IOC/FOK (KRX rules; kis-trader rejects the other combinations).
IMMEDIATE_TYPES = frozenset({OrderType.LIMIT, OrderType.MARKET, OrderType.BEST, OrderType.MIDPOINT})


class Venue(enum.Enum):
    KRX = "KRX"
    NXT = "NXT"
    SOR = "SOR"  # the broker routes to the better of KRX and NXT


class Market(enum.Enum):
    KOSPI = "KOSPI"
    KOSDAQ = "KOSDAQ"
    KONEX = "KONEX"


class InstrumentKind(enum.Enum):
    STOCK = "stock"
    ETF = "etf"
    ETN = "etn"
    ELW = "elw"


class OrderStatus(enum.Enum):
    PENDING_NEW = "pending_new"          # journaled, sent or about to be, no broker answer yet
    NEW = "new"                          # accepted by the broker, nothing filled
    PARTIALLY_FILLED = "partially_filled"
    FILLED = "filled"
    PENDING_CANCEL = "pending_cancel"
    PENDING_REPLACE = "pending_replace"
    CANCELLED = "cancelled"
    REJECTED = "rejected"
    EXPIRED = "expired"
    UNKNOWN = "unknown"                  # the send's outcome is unknown: resolve by inquiry only

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL_STATUSES

    @property
    def is_open(self) -> bool:
        return not self.is_terminal

    @property
    def korean(self) -> str:
        return _STATUS_KO[self]


TERMINAL_STATUSES = frozenset(
    {OrderStatus.FILLED, OrderStatus.CANCELLED, OrderStatus.REJECTED, OrderStatus.EXPIRED}
)

_STATUS_KO = {
    OrderStatus.PENDING_NEW: "접수대기",
    OrderStatus.NEW: "접수",
    OrderStatus.PARTIALLY_FILLED: "부분체결",
    OrderStatus.FILLED: "체결",
    OrderStatus.PENDING_CANCEL: "취소대기",
    OrderStatus.PENDING_REPLACE: "정정대기",
    OrderStatus.CANCELLED: "취소",
    OrderStatus.REJECTED: "거부",
    OrderStatus.EXPIRED: "만료",
    OrderStatus.UNKNOWN: "확인중",
}


@dataclass(frozen=True, slots=True)
class Instrument:
    code: str                  # short code, 6 characters (letters possible since 2024: 0004Y0)
    isin: str                  # standard code, e.g. KR7005930003
    name: str                  # Korean name
    name_en: str
    market: Market
    kind: InstrumentKind
    nxt: bool = False          # tradable on Nextrade (changes over time; this is the current flag)
    base_price: int = 0        # 기준가: the previous close unless adjusted
    lot: int = 1               # order quantity unit (ELW 10)
    spac: bool = False
    halted: bool = False       # 거래정지
    liquidation: bool = False  # 정리매매: no daily price limit
    managed: bool = False      # 관리종목
    listed_on: date | None = None
    ipo_price: int | None = None

    @property
    def is_etp(self) -> bool:
        return self.kind in (InstrumentKind.ETF, InstrumentKind.ETN)


@dataclass(frozen=True, slots=True)
class AccountRef:
    """One broker account: the unit orders are routed to."""

    broker: str    # "kis", "ls", ...
    number: str    # the broker's account number (KIS CANO, LS AcntNo)
    product: str = ""  # KIS ACNT_PRDT_CD; empty where the broker has none
    label: str = ""    # what the user calls it ("fundA")

    @property
    def key(self) -> str:
        return f"{self.broker}:{self.number}{'-' + self.product if self.product else ''}"

    def __str__(self) -> str:
        return self.label or self.key


@dataclass(frozen=True, slots=True)
class Level:
    price: int
    qty: int


@dataclass(frozen=True, slots=True)
class Quote:
    code: str
    last: int
    base: int                       # 기준가 (normally the previous close)
    open: int = 0
    high: int = 0
    low: int = 0
    volume: int = 0
    turnover: int = 0               # 거래대금 in KRW
    upper_limit: int = 0
    lower_limit: int = 0
    bids: tuple[Level, ...] = ()    # best first
    asks: tuple[Level, ...] = ()    # best first
    time: datetime | None = None

    @property
    def change(self) -> int:
        return self.last - self.base

    @property
    def change_rate(self) -> Decimal:
        """Change against the base price in percent, two decimals."""
        if not self.base:
            return Decimal(0)
        return (Decimal(self.change) * 100 / self.base).quantize(Decimal("0.01"))

    @property
    def best_bid(self) -> int | None:
        return self.bids[0].price if self.bids else None

    @property
    def best_ask(self) -> int | None:
        return self.asks[0].price if self.asks else None


@dataclass(frozen=True, slots=True)
class Fill:
    """One execution as the broker reports it; ``fill_id`` is the broker's identity of it."""

    fill_id: str
    order_no: str           # the broker's order number the fill belongs to
    account: AccountRef
    code: str
    side: Side
    qty: int
    price: int
    time: datetime
    venue: Venue = Venue.KRX
    local_id: str = ""      # Lucy's order id, when known

    @property
    def amount(self) -> int:
        return self.qty * self.price


class FillIds:
    """The fill ids applied to one order: an immutable set that grows in O(1).

    An order is a chain of frozen snapshots, each one fill later than the last. A frozenset
    copied on every fill made a share-by-share fill of 50,000 shares quadratic (measured: 170
    µs a fill by the 9,000th). Here every snapshot of a chain shares one insertion-ordered dict
    (id → position) and sees its first ``n`` entries; extending the newest snapshot appends in
    place, extending an older one copies (a branch, which the engine never makes)."""

    __slots__ = ("_index", "_n")

    def __init__(self, ids: Iterable[str] = ()):
        self._index: dict[str, int] = {}
        for fill_id in ids:
            self._index.setdefault(fill_id, len(self._index))
        self._n = len(self._index)

    @classmethod
    def _view(cls, index: dict[str, int], n: int) -> FillIds:
        view = cls.__new__(cls)
        view._index, view._n = index, n
        return view

    def __contains__(self, fill_id: object) -> bool:
        at = self._index.get(fill_id)  # type: ignore[arg-type]
        return at is not None and at < self._n

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[str]:
        return islice(self._index, self._n)

    def __or__(self, other: Iterable[str]) -> FillIds:
        new = [fill_id for fill_id in other if fill_id not in self]
        if not new:
            return self
        if self._n == len(self._index):
            for fill_id in new:
                self._index.setdefault(fill_id, len(self._index))
            return FillIds._view(self._index, len(self._index))
        return FillIds([*self, *new])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FillIds):
            if other._index is self._index:
                return other._n == self._n
            return other._n == self._n and set(self) == set(other)
        if isinstance(other, (set, frozenset)):
            return len(other) == self._n and all(fill_id in self for fill_id in other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._n)        # equal sets have equal sizes

    def __repr__(self) -> str:
        return f"FillIds({list(self)!r})"


@dataclass(frozen=True, slots=True)
class Order:
    local_id: str
    account: AccountRef
    code: str
    side: Side
    qty: int
    price: int | None                    # None for priceless types (market, best, ...)
    type: OrderType = OrderType.LIMIT
    tif: TimeInForce = TimeInForce.DAY
    venue: Venue = Venue.KRX
    stop_price: int | None = None        # STOP_LIMIT only
    status: OrderStatus = OrderStatus.PENDING_NEW
    filled_qty: int = 0
    filled_amount: int = 0               # sum of price × qty over the fills: avg = amount / qty
    cancelled_qty: int = 0
    order_no: str = ""                   # the broker's current order number
    orig_order_no: str = ""              # the number before the last amend (원주문번호)
    parent_id: str = ""                  # allocation parent's local id, for children
    external: bool = False               # placed outside Lucy (HTS, another client)
    reject_reason: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    fill_ids: FillIds = field(default_factory=FillIds)

    @property
    def leaves_qty(self) -> int:
        """What is still working: ``qty = filled + leaves + cancelled`` holds on every order."""
        if self.status.is_terminal:
            return 0
        return self.qty - self.filled_qty - self.cancelled_qty

    @property
    def avg_price(self) -> Decimal | None:
        if not self.filled_qty:
            return None
        return Decimal(self.filled_amount) / self.filled_qty

    @property
    def is_open(self) -> bool:
        return self.status.is_open

    @property
    def notional(self) -> int:
        return self.qty * (self.price or 0)


@dataclass(frozen=True, slots=True)
class Position:
    account: AccountRef
    code: str
    qty: int
    cost: int                 # total purchase amount of the shares held (avg = cost / qty)
    sellable: int = -1        # -1: same as qty (no pending sells known)
    last: int = 0

    @property
    def avg_price(self) -> Decimal | None:
        return Decimal(self.cost) / self.qty if self.qty else None

    @property
    def market_value(self) -> int:
        return self.qty * self.last

    @property
    def pnl(self) -> int:
        return self.market_value - self.cost if self.last else 0

    @property
    def return_rate(self) -> Decimal:
        if not self.cost or not self.last:
            return Decimal(0)
        return (Decimal(self.pnl) * 100 / self.cost).quantize(Decimal("0.01"))

    @property
    def sellable_qty(self) -> int:
        return self.qty if self.sellable < 0 else self.sellable


@dataclass(frozen=True, slots=True)
class Balance:
    account: AccountRef
    cash: int                 # 예수금 D+0
    cash_d2: int              # D+2 예수금 (after pending settlements)
    buying_power: int         # 주문가능금액
    stock_value: int = 0      # 유가평가금액
    total_value: int = 0      # 총평가금액
    purchase_amount: int = 0  # 매입금액 합계
    pnl: int = 0              # 평가손익 합계
