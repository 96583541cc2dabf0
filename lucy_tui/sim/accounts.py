"""The simulated back office every broker front shares: accounts, buying power, order records.

Broker-neutral: it speaks domain types (``Side``, ``OrderType``...) and plain numbers; each front
turns them into its own wire fields. What it keeps per account:

* cash: settled cash (예수금, D+0) and the settlements still pending (T+2 on KRX trading days), so
  D+1 / D+2 figures and sell-proceeds reuse come out as at a Korean broker;
* holdings with total cost (average cost = cost / qty, commission excluded, as brokers report it),
  and today's bought and sold quantities;
* reservations of open orders: a buy reserves cash at its limit price — market and other priceless
  buys at the upper price limit, as KIS does — plus commission; a sell reserves sellable shares;
* one :class:`OrderRecord` per order the broker numbered (new, amend and cancel orders each get a
  number), with filled, cancelled, replaced and rejected quantities, for the inquiries.

Orders pass the broker's own checks (buying power, sellable quantity, known symbol) before they
reach the exchange; refusals there never reach it and get no number. Orders the exchange rejects
do get one, stay on record with their rejected quantity and produce a ``REJECTED`` notice.

Fronts subscribe with :meth:`BackOffice.add_listener` and get an :class:`OrderNotice` for every
acknowledgement, fill, amend, cancel, rejection and IOC/FOK remainder of their accounts.
"""

from __future__ import annotations

import enum
import itertools
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..clock import Clock
from ..domain import costs
from ..domain.model import InstrumentKind, Market, OrderStatus, OrderType, Side, TimeInForce, Venue
from . import events as ev
from .exchange import Exchange

log = logging.getLogger(__name__)

#: Order types a broker margins at the upper price limit, having no price of their own.
PRICELESS = frozenset({
    OrderType.MARKET, OrderType.BEST, OrderType.TOP, OrderType.MIDPOINT, OrderType.PRE_CLOSE,
    OrderType.POST_CLOSE, OrderType.AFTER_SINGLE,
})


class Refusal(enum.Enum):
    """Answers the broker gives itself, before (or instead of) asking the exchange."""

    UNKNOWN_ACCOUNT = "unknown_account"
    UNKNOWN_SYMBOL = "unknown_symbol"
    BAD_QUANTITY = "bad_quantity"
    INSUFFICIENT_CASH = "insufficient_cash"
    NO_HOLDINGS = "no_holdings"
    INSUFFICIENT_HOLDINGS = "insufficient_holdings"
    ORDER_NOT_FOUND = "order_not_found"
    NOTHING_TO_CANCEL = "nothing_to_cancel"
    AMEND_QTY_INCREASE = "amend_qty_increase"
    TYPE_CHANGE = "type_change"      # an amend that changes the order type or time in force


class NoticeKind(enum.Enum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    FILLED = "filled"
    AMENDED = "amended"
    CANCELLED = "cancelled"
    EXPIRED = "expired"      # IOC/FOK remainder (or end of day) cancelled by the exchange


@dataclass
class FillRecord:
    exec_id: str
    qty: int
    price: int
    time: datetime
    commission: int
    tax: int


@dataclass
class OrderRecord:
    no: int                          # the broker's order number
    owner: str
    code: str
    name: str
    side: Side
    type: OrderType
    tif: TimeInForce
    venue: Venue
    qty: int
    price: int | None                # None for priceless orders
    time: datetime
    action: str = "new"              # "new" | "amend" | "cancel"
    orig_no: int = 0                 # the order an amend or cancel refers to
    stop_price: int | None = None
    status: OrderStatus = OrderStatus.PENDING_NEW
    exchange_id: Any = None
    filled_qty: int = 0
    filled_amount: int = 0
    cancelled_qty: int = 0           # cancelled by a cancel order or the exchange
    replaced_qty: int = 0            # moved to an amend order
    rejected_qty: int = 0
    reject_reason: Any = None        # exchange RejectReason
    reject_message: str = ""
    commission: int = 0
    tax: int = 0
    reserve_price: int = 0           # per share, what a buy holds back
    fills: list[FillRecord] = field(default_factory=list)

    @property
    def day(self) -> date:
        return self.time.date()

    @property
    def leaves_qty(self) -> int:
        if self.action == "cancel":
            return 0
        return max(0, self.qty - self.filled_qty - self.cancelled_qty - self.replaced_qty
                   - self.rejected_qty)

    @property
    def is_open(self) -> bool:
        return self.leaves_qty > 0 and self.status not in (
            OrderStatus.REJECTED, OrderStatus.CANCELLED, OrderStatus.FILLED, OrderStatus.EXPIRED)

    @property
    def avg_price(self) -> int:
        """Average fill price, whole won (truncated), 0 when nothing filled."""
        return self.filled_amount // self.filled_qty if self.filled_qty else 0


@dataclass(frozen=True, slots=True)
class OrderNotice:
    kind: NoticeKind
    owner: str
    order: OrderRecord
    qty: int                 # acked / filled / cancelled quantity
    price: int               # fill price, else the order price (0 for priceless)
    time: datetime
    name: str
    message: str = ""


@dataclass
class Holding:
    code: str
    qty: int = 0
    cost: int = 0                    # purchase amount of the shares held
    reserved: int = 0                # held back by open sells
    prev_qty: int = 0                # at the start of today
    bought_today: int = 0
    sold_today: int = 0
    bought_amount_today: int = 0
    sold_amount_today: int = 0
    day: date | None = None
    settles_on: date | None = None   # when the last sale settles: a sold-out line stays till then

    @property
    def sellable(self) -> int:
        return max(0, self.qty - self.reserved)

    @property
    def avg_price(self) -> int:
        return self.cost // self.qty if self.qty else 0


@dataclass
class Settlement:
    day: date
    amount: int                      # signed: + receives, − pays


def _settle(acct: "Account", day: date, amount: int) -> None:
    """Add a settlement due on ``day``. One entry per (day, receive/pay): a settlement per fill
    made every later fill scan them all (measured: 0.45 ms a fill by the 15,000th of a day)."""
    for entry in acct.pending[-2:]:
        if entry.day == day and (entry.amount >= 0) == (amount >= 0):
            entry.amount += amount
            return
    acct.pending.append(Settlement(day, amount))


@dataclass
class Account:
    owner: str
    name: str
    series: str
    cash: int                        # settled (예수금 D+0)
    holdings: dict[str, Holding] = field(default_factory=dict)
    pending: list[Settlement] = field(default_factory=list)
    reserved_cash: int = 0
    prev_total: int = 0              # 전일 총자산 for day-over-day figures
    fees_today: int = 0
    taxes_today: int = 0
    buy_amount_today: int = 0
    sell_amount_today: int = 0
    day: date | None = None

    def cash_by(self, day: date) -> int:
        return self.cash + sum(s.amount for s in self.pending if s.day <= day)

    @property
    def cash_d2(self) -> int:
        return self.cash + sum(s.amount for s in self.pending)

    @property
    def buying_power(self) -> int:
        """Cash an order may still commit: D+2 cash (sell proceeds reusable) less open buys."""
        return max(0, self.cash_d2 - self.reserved_cash)


@dataclass(frozen=True, slots=True)
class PlaceResult:
    record: OrderRecord | None = None        # None when the broker refused by itself
    refusal: Refusal | None = None
    reject_reason: Any = None                # the exchange's RejectReason when it rejected
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.refusal is None and self.reject_reason is None


class BackOffice:
    def __init__(self, exchange: Exchange, clock: Clock, *,
                 commission_rate=None, settlement_days: int = 2):
        self.exchange = exchange
        self.clock = clock
        self.commission_rate = commission_rate
        self.settlement_days = settlement_days
        self.accounts: dict[str, Account] = {}
        self._by_series_no: dict[tuple[str, int], OrderRecord] = {}
        self._by_exchange: dict[Any, OrderRecord] = {}
        self._series: dict[str, itertools.count] = {}
        self._listeners: list[tuple[str | None, Callable[[OrderNotice], None]]] = []
        self._binding: OrderRecord | None = None
        self._amending: tuple[OrderRecord, OrderRecord] | None = None
        self._cancelling: tuple[OrderRecord, OrderRecord] | None = None
        exchange.add_listener(self._on_event)

    # ------------------------------------------------------------ set-up

    def define_series(self, name: str, start: int) -> None:
        """A numbering sequence (one per broker environment); order numbers start at ``start``."""
        self._series[name] = itertools.count(start)

    def open_account(self, owner: str, *, name: str = "", series: str = "default",
                     cash: int = 1_000_000_000,
                     holdings: Iterable[tuple[str, int, int]] = ()) -> Account:
        """Open an account with settled ``cash`` and ``holdings`` as (code, qty, average price)."""
        if owner in self.accounts:
            raise ValueError(f"account {owner} exists")
        if series not in self._series:
            self.define_series(series, 1)
        acct = Account(owner, name, series, cash, day=self._today())
        for code, qty, avg in holdings:
            acct.holdings[code] = Holding(code, qty, qty * avg, prev_qty=qty, day=acct.day)
        acct.prev_total = cash + sum(h.qty * self._last(h.code) for h in acct.holdings.values())
        self.accounts[owner] = acct
        return acct

    def add_listener(self, fn: Callable[[OrderNotice], None], owner: str | None = None) -> None:
        """Notices of one account (or of every account when ``owner`` is None)."""
        self._listeners.append((owner, fn))

    def remove_listener(self, fn: Callable[[OrderNotice], None]) -> None:
        self._listeners = [(o, f) for o, f in self._listeners if f is not fn]

    # ------------------------------------------------------------ queries

    def account(self, owner: str) -> Account | None:
        acct = self.accounts.get(owner)
        if acct is not None:
            self._roll(acct)
        return acct

    def order(self, owner: str, no: int) -> OrderRecord | None:
        acct = self.accounts.get(owner)
        if acct is None:
            return None
        rec = self._by_series_no.get((acct.series, no))
        return rec if rec is not None and rec.owner == owner else None

    def orders_of(self, owner: str, start: date | None = None, end: date | None = None
                  ) -> list[OrderRecord]:
        """The account's order records, oldest first."""
        return [r for r in self.orders_iter() if r.owner == owner
                and (start is None or r.day >= start) and (end is None or r.day <= end)]

    def orders_iter(self) -> Iterable[OrderRecord]:
        return self._by_series_no.values()

    def reserve_price(self, code: str, side: Side, type_: OrderType, price: int | None) -> int:
        """What one share of a buy holds back: its price, or the upper limit when it has none."""
        if type_ in PRICELESS or not price:
            quote = self.exchange.quote(code)
            return quote.upper_limit or quote.last or price or 0
        return price

    def buy_cost(self, code: str, amount: int) -> int:
        """Commission a buy of ``amount`` won would pay."""
        return self._cost(code, Side.BUY, amount)[0]

    def max_buy_qty(self, owner: str, code: str, price: int) -> int:
        acct = self.account(owner)
        if acct is None or price <= 0:
            return 0
        power = acct.buying_power
        qty = power // price
        while qty > 0 and qty * price + self.buy_cost(code, qty * price) > power:
            qty -= 1
        return qty

    # ------------------------------------------------------------ orders

    def place(self, owner: str, code: str, side: Side, qty: int, price: int | None = None, *,
              type: OrderType = OrderType.LIMIT, tif: TimeInForce = TimeInForce.DAY,
              venue: Venue = Venue.KRX, stop_price: int | None = None) -> PlaceResult:
        acct = self.account(owner)
        if acct is None:
            return PlaceResult(refusal=Refusal.UNKNOWN_ACCOUNT)
        inst = self._instrument(code)
        if inst is None:
            return PlaceResult(refusal=Refusal.UNKNOWN_SYMBOL)
        if qty <= 0:
            return PlaceResult(refusal=Refusal.BAD_QUANTITY)
        reserve = 0
        if side is Side.BUY:
            reserve = self.reserve_price(code, side, type, price)
            need = reserve * qty + self.buy_cost(code, reserve * qty)
            if need > acct.buying_power:
                return PlaceResult(refusal=Refusal.INSUFFICIENT_CASH)
        else:
            holding = acct.holdings.get(code)
            if holding is None or holding.qty <= 0:
                return PlaceResult(refusal=Refusal.NO_HOLDINGS)
            if qty > holding.sellable:
                return PlaceResult(refusal=Refusal.INSUFFICIENT_HOLDINGS)
        rec = OrderRecord(self._next_no(acct), owner, code, inst.name, side, type, tif, venue, qty,
                          price if type not in PRICELESS else None, self.clock.now(),
                          stop_price=stop_price, reserve_price=reserve)
        self._store(acct, rec)
        self._hold(acct, rec, rec.qty)
        result = self._submit(rec, lambda: self.exchange.submit(
            owner=owner, code=code, side=side, qty=qty, price=rec.price, type=type, tif=tif,
            stop_price=stop_price, venue=venue))
        if result.rejected:
            return PlaceResult(rec, reject_reason=rec.reject_reason, message=rec.reject_message)
        return PlaceResult(rec)

    def amend(self, owner: str, no: int, *, price: int | None = None, qty: int | None = None,
              type: OrderType | None = None, tif: TimeInForce | None = None) -> PlaceResult:
        """Amend the open remainder (or ``qty`` of it) of order ``no``; a new number answers."""
        acct = self.account(owner)
        if acct is None:
            return PlaceResult(refusal=Refusal.UNKNOWN_ACCOUNT)
        orig = self.order(owner, no)
        if orig is None or orig.action == "cancel":
            return PlaceResult(refusal=Refusal.ORDER_NOT_FOUND)
        if not orig.is_open:
            return PlaceResult(refusal=Refusal.NOTHING_TO_CANCEL)
        amend_qty = orig.leaves_qty if not qty else qty
        if amend_qty > orig.leaves_qty:
            return PlaceResult(refusal=Refusal.AMEND_QTY_INCREASE)
        new_type = type or orig.type
        new_tif = tif or orig.tif
        # KRX amends change price and quantity; only a best/top order may become a plain limit.
        if new_tif is not orig.tif or (new_type is not orig.type and not (
                orig.type in (OrderType.BEST, OrderType.TOP) and new_type is OrderType.LIMIT)):
            return PlaceResult(refusal=Refusal.TYPE_CHANGE)
        new_price = None if new_type in PRICELESS else (price or orig.price)
        reserve = 0
        if orig.side is Side.BUY:
            reserve = self.reserve_price(orig.code, orig.side, new_type, new_price)
            freed = orig.reserve_price * amend_qty + self.buy_cost(orig.code, orig.reserve_price * amend_qty)
            need = reserve * amend_qty + self.buy_cost(orig.code, reserve * amend_qty)
            if need - freed > acct.buying_power:
                return PlaceResult(refusal=Refusal.INSUFFICIENT_CASH)
        rec = OrderRecord(self._next_no(acct), owner, orig.code, orig.name, orig.side, new_type,
                          new_tif, orig.venue, amend_qty, new_price, self.clock.now(),
                          action="amend", orig_no=orig.no, stop_price=orig.stop_price,
                          reserve_price=reserve)
        self._amending = (orig, rec)
        try:
            result = self.exchange.amend(orig.exchange_id, owner=owner, price=new_price,
                                         qty=None if amend_qty == orig.leaves_qty else amend_qty)
        finally:
            self._amending = None
        if result.rejected or rec.exchange_id is None:
            reason, message = _reject_of(result)
            if _name(reason) == "NOTHING_TO_CANCEL":
                return PlaceResult(refusal=Refusal.NOTHING_TO_CANCEL)
            return PlaceResult(reject_reason=reason, message=message)
        return PlaceResult(rec)

    def cancel(self, owner: str, no: int, *, qty: int | None = None) -> PlaceResult:
        """Cancel the open remainder (or ``qty`` of it) of order ``no``; a new number answers."""
        acct = self.account(owner)
        if acct is None:
            return PlaceResult(refusal=Refusal.UNKNOWN_ACCOUNT)
        orig = self.order(owner, no)
        if orig is None or orig.action == "cancel":
            return PlaceResult(refusal=Refusal.ORDER_NOT_FOUND)
        if not orig.is_open:
            return PlaceResult(refusal=Refusal.NOTHING_TO_CANCEL)
        cancel_qty = orig.leaves_qty if not qty else min(qty, orig.leaves_qty)
        rec = OrderRecord(self._next_no(acct), owner, orig.code, orig.name, orig.side, orig.type,
                          orig.tif, orig.venue, cancel_qty, orig.price, self.clock.now(),
                          action="cancel", orig_no=orig.no, stop_price=orig.stop_price)
        self._cancelling = (orig, rec)
        try:
            result = self.exchange.cancel(orig.exchange_id, owner=owner,
                                          qty=None if cancel_qty == orig.leaves_qty else cancel_qty)
        finally:
            self._cancelling = None
        if result.rejected or rec.status is not OrderStatus.CANCELLED:
            reason, message = _reject_of(result)
            if reason is None or _name(reason) == "NOTHING_TO_CANCEL":
                return PlaceResult(refusal=Refusal.NOTHING_TO_CANCEL)
            return PlaceResult(reject_reason=reason, message=message)
        return PlaceResult(rec)

    # ------------------------------------------------------------ exchange events

    def _submit(self, rec: OrderRecord, call: Callable[[], Any]) -> Any:
        self._binding = rec
        try:
            result = call()
        finally:
            self._binding = None
        if rec.exchange_id is None and getattr(result, "order_id", None) is not None \
                and not result.rejected:
            rec.exchange_id = result.order_id
            self._by_exchange[result.order_id] = rec
        if result.rejected and rec.status is not OrderStatus.REJECTED:
            reason, message = _reject_of(result)
            self._apply_reject(rec, reason, message)
        return result

    def _on_event(self, event: Any) -> None:
        if isinstance(event, ev.Accepted):
            rec = self._bind(event)
            if rec is not None and rec.status is OrderStatus.PENDING_NEW:
                rec.status = OrderStatus.NEW
                self._notify(NoticeKind.ACCEPTED, rec, rec.qty, rec.price or 0)
        elif isinstance(event, ev.Rejected):
            rec = self._binding
            if rec is not None and event.order_id is None and event.owner == rec.owner \
                    and rec.status is OrderStatus.PENDING_NEW:
                self._apply_reject(rec, event.reason, event.message)
        elif isinstance(event, ev.Filled):
            rec = self._bind(event)
            if rec is not None:
                self._apply_fill(rec, event)
        elif isinstance(event, ev.Amended):
            self._apply_amend(event)
        elif isinstance(event, ev.Cancelled):
            rec = self._by_exchange.get(event.order_id)
            if rec is not None:
                self._apply_cancel(rec, event)

    def _bind(self, event: Any) -> OrderRecord | None:
        rec = self._by_exchange.get(event.order_id)
        if rec is None and self._binding is not None and self._binding.exchange_id is None \
                and getattr(event, "owner", self._binding.owner) == self._binding.owner:
            rec = self._binding
            rec.exchange_id = event.order_id
            self._by_exchange[event.order_id] = rec
        return rec

    def _apply_reject(self, rec: OrderRecord, reason: Any, message: str) -> None:
        acct = self.accounts[rec.owner]
        self._release(acct, rec, rec.leaves_qty)
        rec.rejected_qty = rec.qty
        rec.status = OrderStatus.REJECTED
        rec.reject_reason = reason
        rec.reject_message = message or ""
        self._notify(NoticeKind.REJECTED, rec, rec.qty, rec.price or 0, message or "")

    def _apply_fill(self, rec: OrderRecord, fill: Any) -> None:
        acct = self.accounts[rec.owner]
        self._roll(acct)
        qty, price = fill.qty, fill.price
        amount = qty * price
        fee, tax = self._cost(rec.code, rec.side, amount)
        self._release(acct, rec, qty)
        rec.filled_qty += qty
        rec.filled_amount += amount
        rec.commission += fee
        rec.tax += tax
        when = getattr(fill, "time", None) or self.clock.now()
        rec.fills.append(FillRecord(str(fill.exec_id), qty, price, when, fee, tax))
        holding = acct.holdings.get(rec.code)
        if holding is None:
            holding = acct.holdings[rec.code] = Holding(rec.code, day=self._today())
        if rec.side is Side.BUY:
            holding.qty += qty
            holding.cost += amount
            holding.bought_today += qty
            holding.bought_amount_today += amount
            acct.buy_amount_today += amount
            cash = -(amount + fee)
        else:
            cost_out = holding.cost * qty // holding.qty if holding.qty else 0
            holding.qty -= qty
            holding.cost -= cost_out
            holding.sold_today += qty
            holding.sold_amount_today += amount
            holding.settles_on = self._settle_day(when.date())
            acct.sell_amount_today += amount
            cash = amount - fee - tax
        acct.fees_today += fee
        acct.taxes_today += tax
        _settle(acct, self._settle_day(when.date()), cash)
        if rec.leaves_qty == 0 and rec.filled_qty + rec.replaced_qty + rec.cancelled_qty >= rec.qty:
            rec.status = OrderStatus.FILLED if rec.filled_qty == rec.qty - rec.replaced_qty \
                else OrderStatus.CANCELLED
        else:
            rec.status = OrderStatus.PARTIALLY_FILLED
        self._notify(NoticeKind.FILLED, rec, qty, price)

    def _apply_amend(self, event: Any) -> None:
        amending = self._amending
        if amending is None:
            return
        orig, rec = amending
        if orig.exchange_id != event.orig_order_id or rec.exchange_id is not None:
            return
        acct = self.accounts[rec.owner]
        self._store(acct, rec)
        rec.qty = event.qty
        # The amended quantity leaves the original; what it held back moves to the new order.
        self._release(acct, orig, event.qty)
        orig.replaced_qty += event.qty
        if not orig.is_open:
            orig.status = OrderStatus.FILLED if orig.filled_qty else OrderStatus.CANCELLED
        rec.status = OrderStatus.NEW
        rec.exchange_id = event.order_id
        self._by_exchange[event.order_id] = rec
        if event.price is not None and rec.price is not None:
            rec.price = event.price
        self._hold(acct, rec, rec.qty)
        self._notify(NoticeKind.AMENDED, rec, rec.qty, rec.price or 0)

    def _apply_cancel(self, rec: OrderRecord, event: Any) -> None:
        acct = self.accounts[rec.owner]
        qty = min(event.qty, rec.leaves_qty)
        if qty <= 0:
            return
        self._release(acct, rec, qty)
        rec.cancelled_qty += qty
        if rec.leaves_qty == 0:
            rec.status = OrderStatus.CANCELLED if rec.filled_qty < rec.qty else OrderStatus.FILLED
        cancelling = self._cancelling
        if cancelling is not None and cancelling[0] is rec and _name(event.reason) == "USER":
            cancel_rec = cancelling[1]
            cancel_rec.qty = qty
            cancel_rec.cancelled_qty = qty
            cancel_rec.status = OrderStatus.CANCELLED
            cancel_rec.exchange_id = getattr(event, "cancel_id", None)
            self._store(acct, cancel_rec)
            self._notify(NoticeKind.CANCELLED, cancel_rec, qty, rec.price or 0)
        else:
            # The exchange cancelled on its own: an IOC/FOK remainder, or the session ended.
            if rec.leaves_qty == 0 and rec.filled_qty == 0:
                rec.status = OrderStatus.EXPIRED
            self._notify(NoticeKind.EXPIRED, rec, qty, rec.price or 0)

    # ------------------------------------------------------------ money

    def _hold(self, acct: Account, rec: OrderRecord, qty: int) -> None:
        if rec.side is Side.BUY:
            amount = rec.reserve_price * qty
            acct.reserved_cash += amount + self.buy_cost(rec.code, amount)
        else:
            acct.holdings[rec.code].reserved += qty

    def _release(self, acct: Account, rec: OrderRecord, qty: int) -> None:
        if qty <= 0:
            return
        if rec.side is Side.BUY:
            amount = rec.reserve_price * qty
            acct.reserved_cash = max(0, acct.reserved_cash - amount - self.buy_cost(rec.code, amount))
        else:
            holding = acct.holdings.get(rec.code)
            if holding is not None:
                holding.reserved = max(0, holding.reserved - qty)

    def _cost(self, code: str, side: Side, amount: int) -> tuple[int, int]:
        """(commission, sell tax) on a traded amount."""
        inst = self._instrument(code)
        market = getattr(inst, "market", Market.KOSPI)
        kind = getattr(inst, "kind", InstrumentKind.STOCK)
        kwargs = {} if self.commission_rate is None else {"rate": self.commission_rate}
        cost = costs.trade_cost(side, amount, self._today(), market, kind, **kwargs)
        return cost.commission, cost.tax

    def _settle_day(self, trade_day: date) -> date:
        day = trade_day
        for _ in range(self.settlement_days):
            day = self.exchange.calendar.next_trading_day(day)
        return day

    def _roll(self, acct: Account) -> None:
        """Bring an account to today: settle what is due, reset today's counters."""
        today = self._today()
        due = [s for s in acct.pending if s.day <= today]
        if due:
            acct.cash += sum(s.amount for s in due)
            acct.pending = [s for s in acct.pending if s.day > today]
        if acct.day != today:
            acct.prev_total = acct.cash_d2 + sum(h.qty * self._last(h.code)
                                                 for h in acct.holdings.values())
            acct.fees_today = acct.taxes_today = 0
            acct.buy_amount_today = acct.sell_amount_today = 0
            for code, h in list(acct.holdings.items()):
                h.prev_qty = h.qty
                h.bought_today = h.sold_today = 0
                h.bought_amount_today = h.sold_amount_today = 0
                h.day = today
                if h.qty == 0 and not h.reserved and (h.settles_on is None or h.settles_on <= today):
                    del acct.holdings[code]
            acct.day = today

    # ------------------------------------------------------------ helpers

    def _today(self) -> date:
        return self.clock.now().date()

    def _instrument(self, code: str) -> Any:
        try:
            return self.exchange.instrument(code)
        except (KeyError, LookupError):
            return None

    def _last(self, code: str) -> int:
        try:
            quote = self.exchange.quote(code)
        except (KeyError, LookupError):
            return 0
        return quote.last or quote.base

    def _next_no(self, acct: Account) -> int:
        return next(self._series[acct.series])

    def _store(self, acct: Account, rec: OrderRecord) -> None:
        self._by_series_no[(acct.series, rec.no)] = rec

    def _notify(self, kind: NoticeKind, rec: OrderRecord, qty: int, price: int,
                message: str = "") -> None:
        notice = OrderNotice(kind, rec.owner, rec, qty, price, self.clock.now(), rec.name, message)
        for owner, fn in list(self._listeners):
            if owner is None or owner == rec.owner:
                try:
                    fn(notice)
                except Exception:  # one broken front must not stop the books or the others
                    log.exception("back-office listener %r failed on %r", fn, notice)


def _name(reason: Any) -> str:
    return getattr(reason, "name", str(reason))


def _reject_of(result: Any) -> tuple[Any, str]:
    rejected = result.rejected
    if rejected is None:
        return None, ""
    return rejected.reason, rejected.message
