"""The exchange simulator: per-symbol limit order books with price-time priority, KRX rules.

Synchronous and deterministic: every public call runs to completion, returns a :class:`Result`
holding the events it produced, and hands the same events to the listeners in order after the
book is consistent again (so a listener may call back into the exchange). The same calls on the
same clock give the same events, ids and prices.

Choices where KRX leaves room (the module's reply to specs/krx.md §4, §9):

* A market order walks the opposite book (every resting price is inside the daily band); what is
  left when the book runs dry is cancelled ``NO_LIQUIDITY`` rather than parked at the limit price.
* Mid-point orders sit in a separate pool per symbol and trade only with each other, at the mid
  of the lit best bid and ask truncated to the valid tick below (``midpoint_truncate``). Without
  a two-sided lit quote a DAY mid-point order rests in the pool and trades once a mid exists;
  IOC/FOK ones are cancelled ``NO_LIQUIDITY``.
* Stop-limit orders wait off-book and trigger on a trade after they were entered (buy: a trade
  at or above the stop, sell: at or below), then enter as limit orders with fresh time priority.
* Amends follow KRX/KIS: ``qty`` is how much of the open quantity is amended (default: all of
  it); it gets a new order number, and the rest keeps working under the old number at the old
  price. A new price loses time priority; an unchanged price keeps it (the amended part takes the
  old order's place in its queue). A quantity reduction is a partial cancel, which keeps
  priority. Amending more than the open quantity is rejected (``AMEND_QTY_INCREASE``).
* No self-trade prevention: KRX matches an account against itself, and so does this.
* Per order ``qty == filled + leaves + cancelled`` always holds; ``cancelled`` counts every share
  taken off without trading (cancels, IOC/FOK remainders, expiry, and the ``replaced`` part
  moved to amend orders).
* Closed orders of synthetic participants (owners starting with ``sim:``) are forgotten at once
  so a long demo does not grow without bound; ``order()`` answers None for them.

Sessions. ``ALWAYS_OPEN`` trades continuously at every hour (the off-hours closing-price and
single-price types are refused) and rolls the base price to the last trade at midnight, cancelling
resting orders the new band no longer allows (``OUT_OF_BAND``). ``KRX_CALENDAR`` follows
:mod:`lucy_tui.domain.calendar` for the exchange's venue:

* the opening and closing auctions (and NXT's 15:30-15:40 intake) collect orders, crossed or not,
  and uncross at their end at the one price that trades the most, then the least imbalance, then
  the price nearest the last trade (the base before the first), then the lower price. Market
  orders go first; what they cannot fill at the open is cancelled ``NO_LIQUIDITY``. The uncross
  is one ``Trade`` (session ``"auction"``) with one Filled pair per matched pair of orders;
* at 15:20 conditional orders leave the book and join the closing auction as market orders, and
  mid-point and untriggered stop orders (continuous-only types) expire;
* pre-open (08:30-08:40) and post-close (taken from 15:30, matched 15:40-16:00) closing-price
  orders trade at yesterday's and today's close by time priority only;
* the after-hours single-price session (until 2026-09-13) crosses every 10 minutes within ±10 %
  of the close; its orders may carry a limit price (KRX takes one) or none;
* the KRX pre-market and after-market (from 2026-09-14) trade continuously (session
  ``"extended"``; they move ``last`` but not the day's open/high/low);
* every order expires (``SESSION_END``) when the last session it belongs to ends; nothing rests
  while the exchange is closed, and each new trading day starts from the previous close.
"""

from __future__ import annotations

import enum
import itertools
import logging
from bisect import bisect_left, insort
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from ..clock import Clock, SystemClock
from ..domain import calendar as cal
from ..domain import krx
from ..domain.calendar import Phase, SessionWindow
from ..domain.krx import Violation, ViolationCode
from ..domain.model import Instrument, Level, OrderStatus, OrderType, Quote, Side, TimeInForce, Venue
from .events import (
    Accepted, Amended, BookChanged, CancelReason, Cancelled, ExchangeEvent, Filled, PhaseChanged,
    Rejected, RejectReason, Trade, Triggered,
)

log = logging.getLogger(__name__)

BUY, SELL = Side.BUY, Side.SELL
DAY, IOC, FOK = TimeInForce.DAY, TimeInForce.IOC, TimeInForce.FOK
LIMIT, MARKET, BEST, TOP = OrderType.LIMIT, OrderType.MARKET, OrderType.BEST, OrderType.TOP
MIDPOINT, STOP_LIMIT, CONDITIONAL = OrderType.MIDPOINT, OrderType.STOP_LIMIT, OrderType.CONDITIONAL
PRE_CLOSE, POST_CLOSE, AFTER_SINGLE = OrderType.PRE_CLOSE, OrderType.POST_CLOSE, OrderType.AFTER_SINGLE
_OFF_HOURS_TYPES = (PRE_CLOSE, POST_CLOSE, AFTER_SINGLE)


class SessionMode(enum.Enum):
    ALWAYS_OPEN = "always"   # the demo: continuous trading at every hour of every day
    KRX_CALENDAR = "krx"     # lucy_tui.domain.calendar sessions, auctions and expiry
    KRX = "krx"              # alias of KRX_CALENDAR (SessionMode["KRX"])


# Where an order lives; plain ints keep the hot path cheap.
_NEW, _LIT, _AUCTION_MKT, _MID, _STOP, _CLOSE, _SINGLE, _DONE = range(8)

_VIOLATION_REASON = {
    ViolationCode.BAD_TICK: RejectReason.BAD_TICK,
    ViolationCode.ABOVE_UPPER_LIMIT: RejectReason.ABOVE_UPPER_LIMIT,
    ViolationCode.BELOW_LOWER_LIMIT: RejectReason.BELOW_LOWER_LIMIT,
    ViolationCode.BAD_QUANTITY: RejectReason.BAD_QUANTITY,
    ViolationCode.NOT_LOT_MULTIPLE: RejectReason.BAD_QUANTITY,
    ViolationCode.PRICE_REQUIRED: RejectReason.PRICE_REQUIRED,
    ViolationCode.PRICE_NOT_ALLOWED: RejectReason.PRICE_NOT_ALLOWED,
    ViolationCode.ORDER_TYPE_NOT_ALLOWED: RejectReason.ORDER_TYPE_NOT_ALLOWED,
    ViolationCode.SESSION_CLOSED: RejectReason.MARKET_CLOSED,
    ViolationCode.HALTED: RejectReason.HALTED,
    ViolationCode.VENUE_NOT_ALLOWED: RejectReason.VENUE_NOT_ALLOWED,
}


@dataclass(frozen=True, slots=True)
class Result:
    order_id: int | None
    events: tuple[ExchangeEvent, ...]
    rejected: Rejected | None = None

    @property
    def ok(self) -> bool:
        return self.rejected is None


@dataclass(frozen=True, slots=True)
class OrderView:
    """A frozen snapshot of one order; ``qty == filled + leaves + cancelled``."""

    id: int
    orig_id: int | None        # the order this one amended
    owner: str
    code: str
    side: Side
    type: OrderType
    tif: TimeInForce
    price: int | None          # current limit price; None while it has none (market, mid-point)
    qty: int
    filled: int
    leaves: int
    cancelled: int             # every share taken off without trading, ``replaced`` included
    avg_price: Decimal | None
    status: OrderStatus
    time: datetime
    venue: Venue
    stop_price: int | None = None
    replaced: int = 0          # shares moved to amend orders
    filled_amount: int = 0
    triggered: bool = False    # a stop-limit whose stop was reached

    @property
    def is_open(self) -> bool:
        return self.leaves > 0


class _Order:
    __slots__ = ("id", "orig_id", "owner", "sim", "sym", "side", "type", "tif", "price",
                 "stop_price", "qty", "filled", "leaves", "cancelled", "replaced", "amount",
                 "time", "seq", "venue", "pool", "expired", "triggered")

    def __init__(self, oid: int, owner: str, sym: _Symbol, side: Side, otype: OrderType,
                 tif: TimeInForce, price: int | None, qty: int, venue: Venue, time: datetime,
                 stop_price: int | None = None, orig_id: int | None = None):
        self.id = oid
        self.orig_id = orig_id
        self.owner = owner
        self.sim = owner.startswith("sim:")
        self.sym = sym
        self.side = side
        self.type = otype
        self.tif = tif
        self.price = price
        self.stop_price = stop_price
        self.qty = qty
        self.filled = 0
        self.leaves = qty
        self.cancelled = 0
        self.replaced = 0
        self.amount = 0
        self.time = time
        self.seq = 0
        self.venue = venue
        self.pool = _NEW
        self.expired = False
        self.triggered = False

    def view(self) -> OrderView:
        if self.leaves:
            status = OrderStatus.PARTIALLY_FILLED if self.filled else OrderStatus.NEW
        elif self.filled == self.qty:
            status = OrderStatus.FILLED
        elif self.expired:
            status = OrderStatus.EXPIRED
        else:
            status = OrderStatus.CANCELLED
        return OrderView(
            self.id, self.orig_id, self.owner, self.sym.code, self.side, self.type, self.tif,
            self.price, self.qty, self.filled, self.leaves, self.cancelled,
            Decimal(self.amount) / self.filled if self.filled else None, status, self.time,
            self.venue, self.stop_price, self.replaced, self.amount, self.triggered)


class _Level:
    __slots__ = ("price", "orders", "qty")

    def __init__(self, price: int):
        self.price = price
        self.orders: deque[_Order] = deque()
        self.qty = 0


class _Side:
    """One side of a lit book: a dict of price levels and their sorted keys, best key last.

    Bids key on the price and asks on its negative, so for both the best level is ``keys[-1]``
    and taking it off is a cheap ``pop``.
    """

    __slots__ = ("levels", "keys", "sign")

    def __init__(self, side: Side):
        self.levels: dict[int, _Level] = {}
        self.keys: list[int] = []
        self.sign = 1 if side is BUY else -1

    def best(self) -> int | None:
        return self.sign * self.keys[-1] if self.keys else None

    def add(self, o: _Order) -> None:
        lvl = self.levels.get(o.price)
        if lvl is None:
            lvl = self.levels[o.price] = _Level(o.price)
            insort(self.keys, self.sign * o.price)
        lvl.orders.append(o)
        lvl.qty += o.leaves

    def drop(self, price: int) -> None:
        del self.levels[price]
        keys = self.keys
        key = self.sign * price
        if keys[-1] == key:
            keys.pop()
        else:
            del keys[bisect_left(keys, key)]

    def prices(self) -> Iterable[int]:
        """Prices best first."""
        sign = self.sign
        return (sign * k for k in reversed(self.keys))


class _Symbol:
    __slots__ = ("code", "inst", "kind", "market", "lot", "base", "lower", "upper", "bids",
                 "asks", "last", "open", "high", "low", "volume", "turnover", "close", "mid",
                 "stops", "auction_mkt", "close_pool", "single", "single_last", "halted")

    def __init__(self, inst: Instrument):
        self.code = inst.code
        self.inst = inst
        self.kind = inst.kind
        self.market = inst.market
        self.lot = inst.lot if inst.lot > 0 else 1
        self.base = inst.base_price
        self.lower: int | None = None
        self.upper: int | None = None
        self.bids = _Side(BUY)
        self.asks = _Side(SELL)
        self.last = inst.base_price
        self.open = self.high = self.low = 0
        self.volume = self.turnover = 0
        self.close = 0                     # today's close once the closing auction ran
        self.mid: dict[Side, deque[_Order]] = {BUY: deque(), SELL: deque()}
        self.stops: list[_Order] = []
        self.auction_mkt: dict[Side, deque[_Order]] = {BUY: deque(), SELL: deque()}
        self.close_pool: dict[Side, deque[_Order]] = {BUY: deque(), SELL: deque()}
        self.single: list[_Order] = []     # after-hours single-price orders (until 2026-09-13)
        self.single_last = 0
        self.halted = inst.halted

    def side(self, side: Side) -> _Side:
        return self.bids if side is BUY else self.asks


def _won(n: int) -> str:
    return f"{n:,}원"


def _ints(**values: int | None) -> None:
    """Money and quantities are ints: a float here is a caller's bug, not a rejection."""
    for name, value in values.items():
        if value is not None and type(value) is not int:
            raise TypeError(f"{name} must be an int (won or shares), got {value!r}")


class Exchange:
    """Per-symbol order books, the public API the broker fronts and the demo sit on."""

    def __init__(self, instruments: Iterable[Instrument], *, clock: Clock | None = None,
                 seed: int = 0, session: SessionMode = SessionMode.ALWAYS_OPEN,
                 venue: Venue = Venue.KRX, midpoint_truncate: bool = True,
                 calendar: cal.KrxCalendar | None = None):
        if venue is Venue.SOR:
            raise ValueError("an exchange is KRX or NXT; SOR is a broker's routing, not a venue")
        self.clock: Clock = clock or SystemClock()
        #: The matching engine draws no random numbers; the synthetic market takes its seed from
        #: here when it is given none, so one number reproduces a whole demo.
        self.seed = seed
        self.session = session
        self.venue = venue
        self.midpoint_truncate = midpoint_truncate
        self.calendar = calendar or cal.default_calendar
        self._symbols: dict[str, _Symbol] = {}
        for inst in instruments:
            if inst.code in self._symbols:
                raise ValueError(f"instrument {inst.code} given twice")
            self._symbols[inst.code] = _Symbol(inst)
        self._orders: dict[int, _Order] = {}
        self._ids = itertools.count(1)
        self._seqs = itertools.count(1)
        self._execs = itertools.count(1)
        self._matches = itertools.count(1)
        self._listeners: list[Callable[[ExchangeEvent], None]] = []
        self._outbox: deque[ExchangeEvent] = deque()
        self._delivering = False
        self._ev: list[ExchangeEvent] = []
        self._dirty: dict[str, None] = {}
        self._triggered: list[_Order] = []
        self._now = self.clock.now()
        self._day: date = self._now.date()
        self._agenda: list[tuple[datetime, int, str, SessionWindow | None]] = []
        self._agenda_i = 0
        self._phase: Phase = Phase.CONTINUOUS
        self._session_label = "regular"   # what trades of the lit book are ("extended" after hours)
        for sym in self._symbols.values():
            self._set_band(sym)
        if session is not SessionMode.ALWAYS_OPEN:
            self._agenda = self._build_agenda(self._day)
            # Boundaries already behind the start time belong to a session nobody traded in.
            while self._agenda_i < len(self._agenda) and self._agenda[self._agenda_i][0] <= self._now:
                self._agenda_i += 1
            self._set_phase(self.calendar.session_at(self._now, venue))

    # ------------------------------------------------------------------ listeners

    def add_listener(self, fn: Callable[[ExchangeEvent], None]) -> None:
        self._listeners.append(fn)

    def remove_listener(self, fn: Callable[[ExchangeEvent], None]) -> None:
        self._listeners = [f for f in self._listeners if f is not fn]

    # ------------------------------------------------------------------ queries

    @property
    def phase(self) -> Phase:
        """The primary session phase now (always CONTINUOUS in ALWAYS_OPEN mode)."""
        self._quiet_advance()
        return self._phase

    def codes(self) -> list[str]:
        return list(self._symbols)

    def instrument(self, code: str) -> Instrument | None:
        """The instrument with today's base price (it rolls to the close each day)."""
        self._quiet_advance()
        sym = self._symbols.get(code)
        return sym.inst if sym is not None else None

    def order(self, order_id: int) -> OrderView | None:
        self._quiet_advance()
        o = self._orders.get(order_id)
        return o.view() if o is not None else None

    def orders(self, owner: str | None = None) -> list[OrderView]:
        self._quiet_advance()
        return [o.view() for o in self._orders.values() if owner is None or o.owner == owner]

    def leaves(self, order_id: int) -> int:
        """Open quantity of an order, 0 once it is closed or unknown (cheap: no snapshot)."""
        o = self._orders.get(order_id)
        return o.leaves if o is not None else 0

    def best(self, code: str) -> tuple[int | None, int | None]:
        """(best bid, best ask) of the lit book."""
        sym = self._sym(code)
        return sym.bids.best(), sym.asks.best()

    def book(self, code: str, depth: int = 10) -> tuple[tuple[Level, ...], tuple[Level, ...]]:
        """(bids best first, asks best first), quantities aggregated per price."""
        self._quiet_advance()
        sym = self._sym(code)
        return self._levels(sym.bids, depth), self._levels(sym.asks, depth)

    def queue(self, code: str, side: Side, price: int) -> tuple[int, ...]:
        """Order ids resting at one price, in time priority."""
        lvl = self._sym(code).side(side).levels.get(price)
        return tuple(o.id for o in lvl.orders) if lvl is not None else ()

    def midpoint_interest(self, code: str) -> tuple[int, int]:
        """(buy, sell) quantity resting in the mid-point pool (for the synthetic market)."""
        sym = self._sym(code)
        return sum(o.leaves for o in sym.mid[BUY]), sum(o.leaves for o in sym.mid[SELL])

    @property
    def day(self) -> date:
        """The trading day the books are on (base prices roll when it changes)."""
        self._quiet_advance()
        return self._day

    def midpoint(self, code: str) -> int | None:
        """The price mid-point orders would trade at now, None without a two-sided lit quote."""
        return self._mid_price(self._sym(code))

    def quote(self, code: str) -> Quote:
        self._quiet_advance()
        sym = self._sym(code)
        return Quote(
            code=sym.code, last=sym.last, base=sym.base, open=sym.open, high=sym.high,
            low=sym.low, volume=sym.volume, turnover=sym.turnover,
            upper_limit=sym.upper or 0, lower_limit=sym.lower or 0,
            bids=self._levels(sym.bids, 10), asks=self._levels(sym.asks, 10),
            time=self.clock.now())

    def advance(self) -> None:
        """Bring session transitions (auction uncross, expiry at session end) up to now."""
        self._enter()
        self._leave(None, None)

    def set_halted(self, code: str, halted: bool = True) -> None:
        """Suspend or resume a symbol (orders are refused while halted; resting ones stay)."""
        sym = self._sym(code)
        sym.halted = halted
        sym.inst = replace(sym.inst, halted=halted)

    # ------------------------------------------------------------------ orders

    def submit(self, *, owner: str, code: str, side: Side, qty: int, price: int | None = None,
               type: OrderType = OrderType.LIMIT, tif: TimeInForce = TimeInForce.DAY,
               stop_price: int | None = None, venue: Venue | None = None) -> Result:
        if not isinstance(side, Side) or not isinstance(type, OrderType) \
                or not isinstance(tif, TimeInForce):
            raise TypeError("side, type and tif must be Side, OrderType and TimeInForce")
        _ints(qty=qty, price=price, stop_price=stop_price)
        now = self._enter()
        sym = self._symbols.get(code)
        route, why = self._check_submit(sym, code, side, qty, price, type, tif, stop_price, venue)
        if why is not None:
            reason, ko, en = why
            return self._leave(None, self._reject(None, owner, code, reason, ko, en))
        oid = next(self._ids)
        o = _Order(oid, owner, sym, side, type, tif, price, qty, self.venue, now, stop_price)
        self._orders[oid] = o
        self._place_new(sym, o, route)
        self._settle()
        return self._leave(oid, None)

    def amend(self, order_id: int, *, owner: str, price: int | None = None,
              qty: int | None = None) -> Result:
        _ints(qty=qty, price=price)
        now = self._enter()
        o = self._orders.get(order_id)
        why = self._check_change(o, order_id, owner, "정정")
        if why is None:
            why = self._check_amend(o, price, qty)
        if why is not None:
            reason, ko, en = why
            code = o.sym.code if o is not None else ""
            return self._leave(None, self._reject(None, owner, code, reason, ko, en, order_id))
        sym = o.sym
        amend_qty = o.leaves if qty is None else qty
        new_price = o.price if price is None else price
        keeps = new_price == o.price
        new_type = LIMIT if (not keeps and o.type in (BEST, TOP)) else o.type
        nid = next(self._ids)
        n = _Order(nid, owner, sym, o.side, new_type, o.tif, new_price, amend_qty, o.venue, now,
                   o.stop_price, orig_id=o.id)
        n.triggered = o.triggered
        self._orders[nid] = n
        self._ev.append(Amended(nid, o.id, owner, sym.code, o.side, new_price, amend_qty, now,
                                keeps))
        if keeps:
            self._replace_in_place(o, n, amend_qty)
        else:
            pool = o.pool
            o.replaced += amend_qty
            self._take(o, amend_qty)
            if pool is _STOP:
                self._add_stop(sym, n)
            elif pool is _SINGLE:
                n.seq = next(self._seqs)
                n.pool = _SINGLE
                sym.single.append(n)
            elif self._lit_matching():
                self._execute(sym, n, new_price)
            else:
                self._rest(sym, n)
        self._settle()
        return self._leave(nid, None)

    def cancel(self, order_id: int, *, owner: str, qty: int | None = None) -> Result:
        _ints(qty=qty)
        now = self._enter()
        o = self._orders.get(order_id)
        why = self._check_change(o, order_id, owner, "취소")
        if why is None and qty is not None:
            if qty < o.sym.lot or qty % o.sym.lot:
                v = krx.check_quantity(qty, o.sym.lot)
                why = (RejectReason.BAD_QUANTITY, f"취소 {v.ko}", f"cancel: {v.en}")
        if why is not None:
            reason, ko, en = why
            code = o.sym.code if o is not None else ""
            return self._leave(None, self._reject(None, owner, code, reason, ko, en, order_id))
        n = o.leaves if qty is None else min(qty, o.leaves)
        cid = next(self._ids)
        self._take(o, n)
        self._ev.append(Cancelled(o.id, owner, o.sym.code, o.side, n, CancelReason.USER, now, cid))
        self._settle()
        return self._leave(cid, None)

    # ------------------------------------------------------------------ call frame

    def _enter(self) -> datetime:
        self._ev = []
        now = self._now = self.clock.now()
        self._catch_up(now)
        self._now = now
        return now

    def _leave(self, order_id: int | None, rejected: Rejected | None) -> Result:
        events = self._ev
        if self._dirty:
            now = self._now
            for code in self._dirty:
                events.append(BookChanged(code, now))
            self._dirty.clear()
        self._ev = []
        result = Result(order_id, tuple(events), rejected)
        if self._listeners and events:
            self._deliver(events)
        return result

    def _deliver(self, events: list[ExchangeEvent]) -> None:
        # A listener that calls back in queues its call's events behind the ones being sent, so
        # every listener sees one global order.
        self._outbox.extend(events)
        if self._delivering:
            return
        self._delivering = True
        try:
            while self._outbox:
                event = self._outbox.popleft()
                for fn in tuple(self._listeners):
                    try:
                        fn(event)
                    except Exception:  # one broken front must not starve the others
                        log.exception("exchange listener %r failed on %r", fn, event)
        finally:
            self._delivering = False

    def _quiet_advance(self) -> None:
        """Run due transitions before a query answers; their events still reach listeners."""
        if self.session is SessionMode.ALWAYS_OPEN:
            if self.clock.now().date() == self._day:
                return
        else:
            now = self.clock.now()
            if (self._agenda_i >= len(self._agenda) or self._agenda[self._agenda_i][0] > now) \
                    and now.date() == self._day:
                return
        self.advance()

    def _reject(self, order_id: int | None, owner: str, code: str, reason: RejectReason,
                ko: str, en: str, orig: int | None = None) -> Rejected:
        event = Rejected(order_id, owner, code, reason, ko, self._now, orig, en)
        self._ev.append(event)
        return event

    def _sym(self, code: str) -> _Symbol:
        sym = self._symbols.get(code)
        if sym is None:
            raise KeyError(f"unknown symbol {code!r}")
        return sym

    @staticmethod
    def _levels(side: _Side, depth: int) -> tuple[Level, ...]:
        levels = side.levels
        out = []
        sign = side.sign
        for key in reversed(side.keys):
            if len(out) >= depth:
                break
            price = sign * key
            out.append(Level(price, levels[price].qty))
        return tuple(out)

    # ------------------------------------------------------------------ validation

    def _check_submit(self, sym, code, side, qty, price, otype, tif, stop_price, venue):
        """(route, None) when the order may enter, else (None, (reason, ko, en))."""
        if sym is None:
            return None, (RejectReason.UNKNOWN_SYMBOL, f"종목코드 {code}을(를) 찾을 수 없습니다",
                          f"unknown symbol {code}")
        inst = sym.inst
        if sym.halted:
            return None, (RejectReason.HALTED, f"{inst.name}({code}): 거래정지 종목입니다",
                          f"{code} is suspended from trading")
        order_venue = venue or self.venue
        if order_venue is not Venue.SOR and order_venue is not self.venue:
            return None, (RejectReason.VENUE_NOT_ALLOWED,
                          f"{order_venue.value} 주문은 이 시장({self.venue.value})에서 받지 않습니다",
                          f"this simulator is {self.venue.value}; it does not take "
                          f"{order_venue.value} orders")
        if self.venue is Venue.NXT and not inst.nxt:
            return None, (RejectReason.VENUE_NOT_ALLOWED,
                          f"{inst.name}({code}): NXT 거래 대상 종목이 아닙니다",
                          f"{code} is not tradable on Nextrade")
        route, v = self._route(otype, tif, order_venue)
        if v is not None:
            return None, (_VIOLATION_REASON[v.code], v.ko, v.en)
        name = otype.korean
        if otype.needs_price and not price:
            return None, (RejectReason.PRICE_REQUIRED, f"{name} 주문에는 가격이 필요합니다",
                          f"a {otype.value} order needs a price")
        elif not otype.needs_price and price and otype is not AFTER_SINGLE:
            return None, (RejectReason.PRICE_NOT_ALLOWED,
                          f"{name} 주문에는 가격을 넣지 않습니다 (입력 {_won(price)})",
                          f"a {otype.value} order takes no price, got {price:,}")
        if otype is STOP_LIMIT:
            if not stop_price:
                return None, (RejectReason.PRICE_REQUIRED,
                              f"{name} 주문에는 조건가격(스톱가격)이 필요합니다",
                              "a stop-limit order needs a stop price")
        elif stop_price:
            return None, (RejectReason.PRICE_NOT_ALLOWED,
                          f"조건가격(스톱가격)은 스톱지정가 주문에만 넣습니다 ({name} 주문)",
                          f"a stop price belongs to stop-limit orders, not {otype.value}")
        if qty < sym.lot or qty % sym.lot:
            v = krx.check_quantity(qty, sym.lot)
            return None, (RejectReason.BAD_QUANTITY, v.ko, v.en)
        for value in (price, stop_price):
            if value is not None and (value or otype.needs_price):
                why = self._check_price(sym, value)
                if why is not None:
                    return None, why
        if otype is AFTER_SINGLE and price:
            why = self._check_single_price(sym, price)
            if why is not None:
                return None, why
        return route, None

    def _check_price(self, sym: _Symbol, price: int):
        if price > 0 \
                and (sym.lower is None or price >= sym.lower) \
                and (sym.upper is None or price <= sym.upper) \
                and not price % krx.tick_size(price, sym.kind, sym.market, self._day):
            return None
        v = krx.check_price(price, instrument=sym.inst, on=self._day, upper=sym.upper,
                            lower=sym.lower)
        if v is None:  # pragma: no cover - the fast check and krx agree on every valid price
            return None
        return _VIOLATION_REASON[v.code], v.ko, v.en

    def _check_single_price(self, sym: _Symbol, price: int):
        lo, hi = self._single_band(sym)
        if price > hi:
            return (RejectReason.ABOVE_UPPER_LIMIT,
                    f"{_won(price)}은 시간외 단일가 상한({_won(hi)}, 종가 +10%)을 초과합니다",
                    f"{price:,} is above the after-hours limit of {hi:,} (close +10%)")
        if price < lo:
            return (RejectReason.BELOW_LOWER_LIMIT,
                    f"{_won(price)}은 시간외 단일가 하한({_won(lo)}, 종가 -10%)보다 낮습니다",
                    f"{price:,} is below the after-hours limit of {lo:,} (close -10%)")
        return None

    def _check_change(self, o: _Order | None, order_id: int, owner: str, what: str):
        """Why an amend or cancel of ``order_id`` cannot go ahead, or None."""
        if o is None or not o.leaves:
            ko = (f"주문번호 {order_id}: {what}할 수 있는 잔량이 없습니다 (체결 완료, 취소 또는 "
                  "없는 주문)")
            return RejectReason.NOTHING_TO_CANCEL, ko, \
                f"order {order_id} has nothing open to {'amend' if what == '정정' else 'cancel'}"
        if o.owner != owner:
            return RejectReason.NOT_OWNER, f"주문번호 {order_id}은(는) 다른 계좌의 주문입니다", \
                f"order {order_id} belongs to another account"
        if o.sym.halted and what == "정정":
            return RejectReason.HALTED, f"{o.sym.inst.name}({o.sym.code}): 거래정지 종목입니다", \
                f"{o.sym.code} is suspended from trading"
        return None

    def _check_amend(self, o: _Order, price: int | None, qty: int | None):
        sym = o.sym
        if qty is not None:
            if qty < sym.lot or qty % sym.lot:
                v = krx.check_quantity(qty, sym.lot)
                return RejectReason.BAD_QUANTITY, f"정정 {v.ko}", f"amend: {v.en}"
            if qty > o.leaves:
                return (RejectReason.AMEND_QTY_INCREASE,
                        f"정정 수량 {qty:,}주가 미체결 잔량 {o.leaves:,}주보다 많습니다. 정정으로 "
                        "수량을 늘릴 수 없습니다 (새 주문을 내십시오)",
                        f"amend quantity {qty:,} exceeds the open {o.leaves:,}; an amend cannot "
                        "increase quantity (send a new order)")
        if price is not None and price != o.price:
            if o.pool in (_MID, _CLOSE, _AUCTION_MKT) or o.type in (MARKET, MIDPOINT, PRE_CLOSE,
                                                                     POST_CLOSE):
                return (RejectReason.PRICE_NOT_ALLOWED,
                        f"{o.type.korean} 주문은 가격을 정정할 수 없습니다",
                        f"a {o.type.value} order has no price to amend")
            if self.session is not SessionMode.ALWAYS_OPEN and o.pool is _LIT \
                    and not self.calendar.windows_at(self._now, self.venue):
                return RejectReason.MARKET_CLOSED, f"{self.venue.value} 주문 접수 시간이 아닙니다", \
                    f"{self.venue.value} is not taking orders now"
            why = self._check_price(sym, price)
            if why is None and o.pool is _SINGLE:
                why = self._check_single_price(sym, price)
            return why
        return None

    def _route(self, otype: OrderType, tif: TimeInForce, venue: Venue):
        """(how the order enters, None) or (None, the violation)."""
        day = self._day
        if self.session is SessionMode.ALWAYS_OPEN:
            if otype in _OFF_HOURS_TYPES:
                hours = {PRE_CLOSE: "08:30~08:40", POST_CLOSE: "15:40~16:00",
                         AFTER_SINGLE: "16:00~18:00"}[otype]
                return None, Violation(
                    ViolationCode.ORDER_TYPE_NOT_ALLOWED,
                    f"{otype.korean} 주문은 해당 시간({hours})에만 가능합니다 "
                    "(상시 정규장 모드에서는 받지 않습니다)",
                    f"{otype.value} orders are only taken in their own session ({hours}); "
                    "the always-open simulator runs continuous trading only")
            return "lit", cal.order_type_allowed(otype, tif, Phase.CONTINUOUS, venue, day)
        v = cal.order_type_allowed(otype, tif, Phase.CONTINUOUS, venue, day)
        if v is not None and v.code is ViolationCode.VENUE_NOT_ALLOWED:
            return None, v
        now = self._now
        windows = self.calendar.windows_at(now, self.venue)
        if not windows:
            return None, Violation(ViolationCode.SESSION_CLOSED,
                                   f"{self.venue.value} 주문 접수 시간이 아닙니다 "
                                   f"({self._closed_hint(now)})",
                                   f"{self.venue.value} is not taking orders now")
        first = None
        for w in windows:
            v = cal.order_type_allowed(otype, tif, w.phase, self.venue, day)
            if v is None:
                return self._route_in(w, otype, tif, now)
            first = first or v
        return None, first

    def _route_in(self, w: SessionWindow, otype: OrderType, tif: TimeInForce, now: datetime):
        phase = w.phase
        if phase is Phase.PRE_CLOSE_TRADE or phase is Phase.POST_CLOSE_TRADE:
            return "close", None
        if phase is Phase.AFTER_SINGLE:
            return "single", None
        if phase in (Phase.CONTINUOUS, Phase.PRE_MARKET, Phase.AFTER_MARKET) and w.is_matching(now):
            return "lit", None
        if tif is not DAY or otype in (BEST, TOP, MIDPOINT, STOP_LIMIT):
            return None, Violation(ViolationCode.ORDER_TYPE_NOT_ALLOWED,
                                   f"{otype.korean}({tif.value.upper()}) 주문은 단일가 호가 접수 "
                                   f"시간({phase.korean})에 낼 수 없습니다",
                                   f"{otype.value}/{tif.value} orders need continuous matching, "
                                   f"not {phase.english}")
        return "collect", None

    def _closed_hint(self, now: datetime) -> str:
        if not self.calendar.is_trading_day(now.date()):
            return "휴장일"
        for w in self.calendar.sessions_on(now.date(), self.venue):
            if w.entry_start > now:
                return f"다음 접수 {w.entry_start:%H:%M} {w.phase.korean}"
        return "오늘 거래 종료"

    def _lit_matching(self) -> bool:
        if self.session is SessionMode.ALWAYS_OPEN:
            return True
        now = self._now
        for w in self.calendar.windows_at(now, self.venue):
            if w.phase in (Phase.CONTINUOUS, Phase.PRE_MARKET, Phase.AFTER_MARKET) \
                    and w.is_matching(now):
                return True
        return False

    # ------------------------------------------------------------------ entry

    def _place_new(self, sym: _Symbol, o: _Order, route: str) -> None:
        now = self._now
        otype = o.type
        if route == "close":
            o.price = self._close_price_now(sym)   # known on entry: yesterday's or today's close
            self._ev.append(self._accepted(o, o.price))
            o.seq = next(self._seqs)
            o.pool = _CLOSE
            sym.close_pool[o.side].append(o)
            if self._close_matching():
                self._cross_close_pool(sym, o.price, now)
            return
        if route == "single":
            self._ev.append(self._accepted(o, o.price))
            o.seq = next(self._seqs)
            o.pool = _SINGLE
            sym.single.append(o)
            return
        if route == "collect":
            self._ev.append(self._accepted(o, o.price))
            self._rest(sym, o)
            return
        if otype is MIDPOINT:
            self._ev.append(self._accepted(o, None))
            self._mid_enter(sym, o)
            return
        if otype is STOP_LIMIT:
            self._ev.append(self._accepted(o, o.price))
            self._add_stop(sym, o)
            return
        if otype is BEST or otype is TOP:
            price = sym.side(o.side.opposite if otype is BEST else o.side).best()
            o.price = price
            self._ev.append(self._accepted(o, price))
            if price is None:
                self._cancel_rest(o, CancelReason.NO_LIQUIDITY)
                return
            self._execute(sym, o, price)
            return
        self._ev.append(self._accepted(o, o.price))
        self._execute(sym, o, o.price)

    def _accepted(self, o: _Order, price: int | None) -> Accepted:
        return Accepted(o.id, o.owner, o.sym.code, o.side, o.type, o.tif, price, o.qty,
                        o.venue, self._now, o.stop_price)

    def _execute(self, sym: _Symbol, o: _Order, limit: int | None) -> None:
        """Match ``o`` as the aggressor up to ``limit`` (None: any price), then rest or cancel."""
        if o.tif is FOK and self._available(sym, o.side, limit, o.leaves) < o.leaves:
            self._cancel_rest(o, CancelReason.FOK_UNFILLED)
            return
        self._match(sym, o, limit)
        if not o.leaves:
            self._forget(o)
        elif o.leaves:
            if o.tif is not DAY:
                self._cancel_rest(o, CancelReason.IOC_REMAINDER)
            elif limit is None:
                self._cancel_rest(o, CancelReason.NO_LIQUIDITY)
            else:
                self._rest(sym, o)

    def _rest(self, sym: _Symbol, o: _Order) -> None:
        o.seq = next(self._seqs)
        if o.price is None:
            o.pool = _AUCTION_MKT
            sym.auction_mkt[o.side].append(o)
            return
        o.pool = _LIT
        (sym.bids if o.side is BUY else sym.asks).add(o)
        self._dirty[sym.code] = None

    def _available(self, sym: _Symbol, side: Side, limit: int | None, want: int) -> int:
        opp = sym.asks if side is BUY else sym.bids
        buy = side is BUY
        total = 0
        sign = opp.sign
        levels = opp.levels
        for key in reversed(opp.keys):
            price = sign * key
            if limit is not None and (price > limit if buy else price < limit):
                break
            total += levels[price].qty
            if total >= want:
                break
        return total

    def _match(self, sym: _Symbol, o: _Order, limit: int | None) -> None:
        buy = o.side is BUY
        opp = sym.asks if buy else sym.bids
        keys = opp.keys
        levels = opp.levels
        sign = opp.sign
        touched = False
        while o.leaves and keys:
            price = sign * keys[-1]
            if limit is not None and (price > limit if buy else price < limit):
                break
            lvl = levels[price]
            queue = lvl.orders
            touched = True
            while o.leaves and queue:
                r = queue[0]
                n = o.leaves if o.leaves < r.leaves else r.leaves
                lvl.qty -= n
                self._fill_pair(sym, r, o, price, n)
                if not r.leaves:
                    queue.popleft()
                    r.pool = _DONE
                    if r.sim:
                        del self._orders[r.id]
            if not queue:
                del levels[price]
                keys.pop()
        if touched:
            self._dirty[sym.code] = None

    def _fill_pair(self, sym: _Symbol, passive: _Order, aggressor: _Order, price: int, n: int,
                   session: str | None = None) -> None:
        """Book one execution between two orders: both Filled events and the trade tick.

        The caller keeps the orders' containers in step (the hot path does it inline).
        """
        now = self._now
        venue = self.venue
        match = next(self._matches)
        code = sym.code
        ev = self._ev
        for o, aggr in ((passive, False), (aggressor, True)):
            o.filled += n
            o.leaves -= n
            o.amount += price * n
            ev.append(Filled(o.id, o.owner, code, o.side, next(self._execs), price, n, o.filled,
                             o.leaves, Decimal(o.amount) / o.filled, venue, now, aggr, match))
        self._print(sym, price, n, aggressor.side, session or self._session_label)

    def _fill_one(self, sym: _Symbol, o: _Order, price: int, n: int, match: int) -> None:
        """One side of an auction or closing-price execution; keeps the order's pool in step."""
        o.filled += n
        o.leaves -= n
        o.amount += price * n
        pool = o.pool
        if pool is _LIT:
            side = sym.bids if o.side is BUY else sym.asks
            lvl = side.levels[o.price]
            lvl.qty -= n
            if not o.leaves:
                lvl.orders.remove(o)
                if not lvl.orders:
                    side.drop(o.price)
            self._dirty[sym.code] = None
        elif not o.leaves:
            self._unlink(o)
        if not o.leaves:
            self._forget(o)
        self._ev.append(Filled(o.id, o.owner, sym.code, o.side, next(self._execs), price, n,
                               o.filled, o.leaves, Decimal(o.amount) / o.filled, self.venue,
                               self._now, False, match))

    def _print(self, sym: _Symbol, price: int, n: int, side: Side, session: str) -> None:
        """Publish a trade tick and move the day's statistics."""
        sym.volume += n
        sym.turnover += price * n
        if session == "regular" or session == "auction" or session == "midpoint":
            sym.last = price
            if not sym.open:
                sym.open = sym.high = sym.low = price
            elif price > sym.high:
                sym.high = price
            elif price < sym.low:
                sym.low = price
        elif session == "extended":
            sym.last = price
        self._ev.append(Trade(sym.code, price, n, self._now, side, sym.volume, sym.open, sym.high,
                              sym.low, sym.turnover, session))
        if sym.stops:
            self._trigger_stops(sym, price)

    def _cancel_rest(self, o: _Order, reason: CancelReason, cancel_id: int | None = None) -> None:
        n = o.leaves
        if n:
            self._take(o, n)
            self._ev.append(Cancelled(o.id, o.owner, o.sym.code, o.side, n, reason, self._now,
                                      cancel_id))
        elif o.pool is not _DONE:
            o.pool = _DONE
            self._forget(o)

    def _take(self, o: _Order, n: int) -> None:
        """Take ``n`` open shares off an order without trading them (cancel, amend, expiry)."""
        o.cancelled += n
        if o.pool is _LIT:
            sym = o.sym
            side = sym.bids if o.side is BUY else sym.asks
            lvl = side.levels[o.price]
            lvl.qty -= n
            o.leaves -= n
            if not o.leaves:
                lvl.orders.remove(o)
                if not lvl.orders:
                    side.drop(o.price)
            self._dirty[sym.code] = None
        else:
            o.leaves -= n
            if not o.leaves:
                self._unlink(o)
        if not o.leaves:
            o.pool = _DONE
            self._forget(o)

    def _unlink(self, o: _Order) -> None:
        """Remove a closed order from a non-lit pool."""
        sym = o.sym
        pool = o.pool
        if pool is _AUCTION_MKT:
            sym.auction_mkt[o.side].remove(o)
        elif pool is _MID:
            sym.mid[o.side].remove(o)
        elif pool is _STOP:
            sym.stops.remove(o)
        elif pool is _CLOSE:
            sym.close_pool[o.side].remove(o)
        elif pool is _SINGLE:
            sym.single.remove(o)
        o.pool = _DONE

    def _forget(self, o: _Order) -> None:
        o.pool = _DONE
        if o.sim:
            self._orders.pop(o.id, None)

    def _replace_in_place(self, o: _Order, n: _Order, qty: int) -> None:
        """An amend at an unchanged price: ``n`` takes ``o``'s place in its queue."""
        sym = o.sym
        pool = o.pool
        n.seq = o.seq
        n.pool = pool
        if pool is _LIT:
            container = sym.side(o.side).levels[o.price].orders
            self._dirty[sym.code] = None
        elif pool is _AUCTION_MKT:
            container = sym.auction_mkt[o.side]
        elif pool is _MID:
            container = sym.mid[o.side]
        elif pool is _CLOSE:
            container = sym.close_pool[o.side]
        elif pool is _STOP:
            container = sym.stops
        else:
            container = sym.single
        i = container.index(o)
        o.leaves -= qty
        o.cancelled += qty
        o.replaced += qty
        if o.leaves:
            container.insert(i + 1, n)
        else:
            container[i] = n
            o.pool = _DONE
            self._forget(o)

    # ------------------------------------------------------------------ stops

    def _add_stop(self, sym: _Symbol, o: _Order) -> None:
        o.seq = next(self._seqs)
        o.pool = _STOP
        sym.stops.append(o)

    def _trigger_stops(self, sym: _Symbol, price: int) -> None:
        fired = [o for o in sym.stops
                 if (price >= o.stop_price if o.side is BUY else price <= o.stop_price)]
        for o in fired:
            sym.stops.remove(o)
            o.pool = _NEW
            o.triggered = True
            self._ev.append(Triggered(o.id, o.owner, sym.code, o.side, o.price, o.stop_price,
                                      self._now))
            self._triggered.append(o)

    def _settle(self) -> None:
        """Finish a call: enter triggered stops, then cross mid-point orders the lit book allows."""
        while self._triggered:
            o = self._triggered.pop(0)
            if o.leaves and o.pool is _NEW:
                if self._lit_matching():
                    self._execute(o.sym, o, o.price)
                else:
                    self._rest(o.sym, o)
        for code in tuple(self._dirty):
            sym = self._symbols[code]
            if sym.mid[BUY] and sym.mid[SELL]:
                self._cross_mid_pool(sym)

    # ------------------------------------------------------------------ mid-point

    def _mid_price(self, sym: _Symbol) -> int | None:
        bid, ask = sym.bids.best(), sym.asks.best()
        if bid is None or ask is None:
            return None
        mid = (bid + ask) // 2
        if self.midpoint_truncate:
            mid = krx.round_to_tick(mid, sym.kind, sym.market, self._day)
        return mid

    def _mid_enter(self, sym: _Symbol, o: _Order) -> None:
        mid = self._mid_price(sym)
        opp = sym.mid[o.side.opposite]
        if o.tif is FOK and (mid is None or sum(r.leaves for r in opp) < o.leaves):
            self._cancel_rest(o, CancelReason.FOK_UNFILLED)
            return
        if mid is not None:
            while o.leaves and opp:
                r = opp[0]
                n = min(o.leaves, r.leaves)
                self._fill_pair(sym, r, o, mid, n, "midpoint")
                if not r.leaves:
                    opp.popleft()
                    self._forget(r)
        if not o.leaves:
            self._forget(o)
        elif o.tif is not DAY:
            self._cancel_rest(o, CancelReason.IOC_REMAINDER if mid is not None
                              else CancelReason.NO_LIQUIDITY)
        else:
            o.seq = next(self._seqs)
            o.pool = _MID
            sym.mid[o.side].append(o)

    def _cross_mid_pool(self, sym: _Symbol) -> None:
        """Resting mid-point orders on both sides (they arrived without a mid): trade them now."""
        mid = self._mid_price(sym)
        if mid is None:
            return
        buys, sells = sym.mid[BUY], sym.mid[SELL]
        while buys and sells:
            b, s = buys[0], sells[0]
            passive, aggr = (b, s) if b.seq < s.seq else (s, b)
            n = min(b.leaves, s.leaves)
            self._fill_pair(sym, passive, aggr, mid, n, "midpoint")
            for q, o in ((buys, b), (sells, s)):
                if not o.leaves:
                    q.popleft()
                    self._forget(o)

    # ------------------------------------------------------------------ bands and days

    def _set_band(self, sym: _Symbol) -> None:
        sym.lower, sym.upper = krx.order_band(instrument=sym.inst, on=self._day)

    def _roll_day(self, day: date) -> None:
        """A new trading day: the close becomes the base price, statistics start over."""
        self._day = day
        for sym in self._symbols.values():
            traded = sym.open or sym.close
            if traded:
                base = sym.close or sym.last
                if base > 0:
                    sym.base = base
                    sym.inst = replace(sym.inst, base_price=base)
            sym.last = sym.base
            sym.open = sym.high = sym.low = 0
            sym.volume = sym.turnover = 0
            sym.close = 0
            sym.single_last = 0
            self._set_band(sym)
            # Only always-open books carry orders overnight; the calendar expired the rest.
            for side in (sym.bids, sym.asks):
                for price in list(side.prices()):
                    if (sym.lower is not None and price < sym.lower) \
                            or (sym.upper is not None and price > sym.upper):
                        for o in list(side.levels[price].orders):
                            self._cancel_rest(o, CancelReason.OUT_OF_BAND)
            for o in list(sym.stops):
                if (sym.lower is not None and o.price < sym.lower) \
                        or (sym.upper is not None and o.price > sym.upper):
                    self._cancel_rest(o, CancelReason.OUT_OF_BAND)

    # ------------------------------------------------------------------ calendar sessions

    def _catch_up(self, now: datetime) -> None:
        if self.session is SessionMode.ALWAYS_OPEN:
            if now.date() != self._day:
                self._now = now
                self._roll_day(now.date())
            return
        agenda = self._agenda
        while True:
            if self._agenda_i < len(agenda) and agenda[self._agenda_i][0] <= now:
                when, _, action, window = agenda[self._agenda_i]
                self._agenda_i += 1
                self._now = when
                self._run(action, window)
                phase = self.calendar.session_at(when, self.venue)
                if phase is not self._phase:
                    self._set_phase(phase)
                    self._ev.append(PhaseChanged("", phase.value, when))
                continue
            if now.date() > self._day:
                day = now.date()
                self._now = datetime.combine(day, datetime.min.time(), now.tzinfo)
                self._roll_day(day)
                agenda = self._agenda = self._build_agenda(day)
                self._agenda_i = 0
                continue
            break
        self._now = now

    def _set_phase(self, phase: Phase) -> None:
        self._phase = phase
        self._session_label = "extended" if phase in (Phase.PRE_MARKET, Phase.AFTER_MARKET) \
            else "regular"

    def _build_agenda(self, day: date) -> list[tuple[datetime, int, str, SessionWindow | None]]:
        """The day's session boundaries and what happens at each, in time order.

        The second field orders actions at one instant: matching that ends comes before
        matching that starts (the closing auction uncrosses before anything else at 15:30).
        """
        out: list[tuple[datetime, int, str, SessionWindow | None]] = []
        for w in self.calendar.sessions_on(day, self.venue):
            p = w.phase
            # Marks let the phase (and PhaseChanged) follow every boundary, even quiet ones.
            out.append((w.entry_start, 5, "mark", w))
            out.append((w.start, 5, "mark", w))
            out.append((w.end, 5, "mark", w))
            if w.entry_start < w.start and p in (Phase.CONTINUOUS, Phase.PRE_MARKET,
                                                 Phase.AFTER_MARKET):
                out.append((w.start, 3, "open_lit", w))
            if p is Phase.POST_CLOSE_TRADE or p is Phase.PRE_CLOSE_TRADE:
                out.append((w.start, 3, "open_close", w))
                out.append((w.end, 1, "end_close", w))
            elif p is Phase.OPENING_AUCTION:
                out.append((w.end, 0, "uncross_open", w))
            elif p is Phase.CLOSING_AUCTION:
                out.append((w.start, 2, "start_closing", w))
                out.append((w.end, 0, "uncross_close", w))
            elif p is Phase.CONTINUOUS:
                out.append((w.end, 1, "end_continuous", w))
            elif p in (Phase.PRE_MARKET, Phase.AFTER_MARKET):
                out.append((w.end, 1, "end_lit", w))
            elif p is Phase.AFTER_SINGLE:
                t = w.start + timedelta(minutes=10)
                while t <= w.end:
                    out.append((t, 0, "single_batch", w))
                    t += timedelta(minutes=10)
                out.append((w.end, 1, "end_single", w))
        out.append((datetime.combine(day, datetime.max.time().replace(microsecond=0),
                                     self._now.tzinfo), 9, "end_day", None))
        out.sort(key=lambda a: (a[0], a[1]))
        return out

    def _run(self, action: str, window: SessionWindow | None) -> None:
        when = self._now
        syms = self._symbols.values()
        if action == "uncross_open" or action == "open_lit":
            for sym in syms:
                self._uncross_lit(sym, "auction")
                # Market orders the auction could not fill do not rest in continuous trading.
                for q in sym.auction_mkt.values():
                    for o in list(q):
                        self._cancel_rest(o, CancelReason.NO_LIQUIDITY)
        elif action == "start_closing":
            # 조건부지정가: what is left at the close becomes a market order in the auction.
            for sym in syms:
                self._expire_continuous_only(sym)
                for side in (sym.bids, sym.asks):
                    cond = [o for price in list(side.prices()) for o in side.levels[price].orders
                            if o.type is CONDITIONAL]
                    for o in cond:
                        n = o.leaves
                        o.leaves = 0
                        lvl = side.levels[o.price]
                        lvl.qty -= n
                        lvl.orders.remove(o)
                        if not lvl.orders:
                            side.drop(o.price)
                        o.leaves = n
                        o.price = None
                        o.pool = _AUCTION_MKT
                        q = sym.auction_mkt[o.side]
                        q.append(o)
                        self._dirty[sym.code] = None
                for q in sym.auction_mkt.values():
                    ordered = sorted(q, key=lambda o: o.seq)
                    q.clear()
                    q.extend(ordered)
        elif action == "uncross_close":
            for sym in syms:
                self._uncross_lit(sym, "auction")
                sym.close = sym.last if (sym.open or sym.volume) else sym.base
                self._expire_lit(sym)
        elif action == "end_continuous":
            for sym in syms:
                self._expire_continuous_only(sym)
        elif action == "end_lit":
            for sym in syms:
                self._expire_continuous_only(sym)
                self._expire_lit(sym)
                if not sym.close:
                    sym.close = sym.last
        elif action == "open_close":
            for sym in syms:
                self._cross_close_pool(sym, self._close_price_now(sym), when)
        elif action == "end_close":
            for sym in syms:
                for side in (BUY, SELL):
                    for o in list(sym.close_pool[side]):
                        self._expire(o)
        elif action == "single_batch":
            for sym in syms:
                self._single_batch(sym)
        elif action == "end_single":
            for sym in syms:
                for o in list(sym.single):
                    self._expire(o)
        elif action == "end_day":
            for sym in syms:
                self._expire_continuous_only(sym)
                self._expire_lit(sym)
        self._settle()

    def _expire(self, o: _Order) -> None:
        o.expired = True
        self._cancel_rest(o, CancelReason.SESSION_END)

    def _expire_continuous_only(self, sym: _Symbol) -> None:
        for side in (BUY, SELL):
            for o in list(sym.mid[side]):
                self._expire(o)
        for o in list(sym.stops):
            self._expire(o)

    def _expire_lit(self, sym: _Symbol) -> None:
        for side in (sym.bids, sym.asks):
            for price in list(side.prices()):
                for o in list(side.levels[price].orders):
                    self._expire(o)
        for q in sym.auction_mkt.values():
            for o in list(q):
                self._expire(o)

    def _close_matching(self) -> bool:
        now = self._now
        return any(w.phase in (Phase.PRE_CLOSE_TRADE, Phase.POST_CLOSE_TRADE) and w.is_matching(now)
                   for w in self.calendar.windows_at(now, self.venue))

    def _close_price_now(self, sym: _Symbol) -> int:
        """The pre-open trade uses yesterday's close (the base); the post-close one today's."""
        for w in self.calendar.windows_at(self._now, self.venue):
            if w.phase is Phase.POST_CLOSE_TRADE:
                return sym.close or sym.last
        return sym.base

    def _cross_close_pool(self, sym: _Symbol, price: int, when: datetime) -> None:
        """Closing-price trades: one fixed price, time priority only."""
        buys, sells = sym.close_pool[BUY], sym.close_pool[SELL]
        while buys and sells:
            b, s = buys[0], sells[0]
            passive, aggr = (b, s) if b.seq < s.seq else (s, b)
            n = min(b.leaves, s.leaves)
            self._fill_pair(sym, passive, aggr, price, n, "close_price")
            for q, o in ((buys, b), (sells, s)):
                if not o.leaves:
                    q.popleft()
                    self._forget(o)

    # ------------------------------------------------------------------ auctions

    def _uncross_lit(self, sym: _Symbol, session: str) -> None:
        buys = list(sym.auction_mkt[BUY])
        for price in sym.bids.prices():
            buys.extend(sym.bids.levels[price].orders)
        sells = list(sym.auction_mkt[SELL])
        for price in sym.asks.prices():
            sells.extend(sym.asks.levels[price].orders)
        if buys and sells:
            self._auction(sym, buys, sells, sym.last or sym.base, sym.lower, sym.upper, session)

    def _single_band(self, sym: _Symbol) -> tuple[int, int]:
        """±10 % of today's close, inside the daily band (the after-hours single-price rule)."""
        close = sym.close or sym.last or sym.base
        tick = krx.tick_size(close, sym.kind, sym.market, self._day)
        width = close * 10 // 100
        width -= width % tick
        lo = close - width
        hi = krx.round_to_tick(close + width, sym.kind, sym.market, self._day)
        if sym.lower is not None:
            lo = max(lo, sym.lower)
        if sym.upper is not None:
            hi = min(hi, sym.upper)
        return lo, hi

    def _single_batch(self, sym: _Symbol) -> None:
        if not sym.single:
            return
        order = sorted(sym.single, key=lambda o: (o.price is not None, -(o.price or 0), o.seq))
        buys = [o for o in order if o.side is BUY]
        order = sorted(sym.single, key=lambda o: (o.price is not None, o.price or 0, o.seq))
        sells = [o for o in order if o.side is SELL]
        if buys and sells:
            lo, hi = self._single_band(sym)
            price = self._auction(sym, buys, sells, sym.single_last or sym.close or sym.last,
                                  lo, hi, "after_single")
            if price is not None:
                sym.single_last = price

    def _auction(self, sym: _Symbol, buys: list[_Order], sells: list[_Order], ref: int,
                 lo: int | None, hi: int | None, session: str) -> int | None:
        """Uncross at the one price that trades the most (then least imbalance, then nearest
        ``ref``, then the lower price). ``buys``/``sells`` come in priority order, priceless
        orders first. Returns the price, or None when nothing crosses."""
        bq: dict[int, int] = {}
        sq: dict[int, int] = {}
        mkt_b = mkt_s = 0
        for o in buys:
            if o.price is None:
                mkt_b += o.leaves
            else:
                bq[o.price] = bq.get(o.price, 0) + o.leaves
        for o in sells:
            if o.price is None:
                mkt_s += o.leaves
            else:
                sq[o.price] = sq.get(o.price, 0) + o.leaves
        candidates = set(bq) | set(sq)
        if ref:
            candidates.add(ref)
        candidates = {p for p in candidates
                      if (lo is None or p >= lo) and (hi is None or p <= hi)}
        if not candidates:
            return None
        prices = sorted(set(bq) | set(sq) | candidates)
        supply: dict[int, int] = {}
        run = mkt_s
        for p in prices:
            run += sq.get(p, 0)
            supply[p] = run
        demand: dict[int, int] = {}
        run = mkt_b
        for p in reversed(prices):
            run += bq.get(p, 0)
            demand[p] = run
        best = max(candidates, key=lambda p: (min(demand[p], supply[p]),
                                              -abs(demand[p] - supply[p]), -abs(p - ref), -p))
        volume = min(demand[best], supply[best])
        if volume <= 0:
            return None
        price = best
        bi = (o for o in buys if o.price is None or o.price >= price)
        si = (o for o in sells if o.price is None or o.price <= price)
        b, s = next(bi), next(si)
        left = volume
        while left:
            n = min(b.leaves, s.leaves, left)
            match = next(self._matches)
            self._fill_one(sym, b, price, n, match)
            self._fill_one(sym, s, price, n, match)
            left -= n
            if left:
                if not b.leaves:
                    b = next(bi)
                if not s.leaves:
                    s = next(si)
        side = BUY if demand[best] >= supply[best] else SELL
        self._print(sym, price, volume, side, session)
        return price


__all__ = ["Exchange", "OrderView", "Result", "SessionMode"]
