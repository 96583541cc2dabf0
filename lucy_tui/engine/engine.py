"""The Engine: the one owner of order state. Intents come in (place, amend, cancel, cancel_all,
refresh), broker events come in through the sink, and one event stream goes out to listeners.

Matching broker news to local orders is by (account, order number). News for a number the book
does not know yet — an ack or a fill that beats the REST answer to place(), or an amend's new
number — is held until the number is learnt; what is still unclaimed when no send is in flight on
that account is resolved by reconciliation (it may be an external order)."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Callable

from ..brokers.base import (
    Broker, BrokerError, BrokerEvent, BrokerRejected, BrokerStatus, Connection, FillEvent,
    NotSupported, OrderAcked, OrderAmended, OrderCancelled, OrderRejectedEvent, OrderRequest,
    OutcomeUnknown, RateLimited,
)
from ..clock import Clock, SystemClock
from ..domain import states
from ..domain.model import (
    AccountRef, Instrument, Order, OrderStatus, OrderType, Position, Quote, Side, TimeInForce,
    Venue,
)
from . import reconcile, risk
from .allocation import Plan, shares_for_amount, split_quantity
from .book import Book, LegSlot, Parent
from .events import (
    BrokerStatusChanged, EngineError, EngineEvent, FillReceived, OrderUpdated, ParentUpdated,
)
from .export import fills_csv, orders_csv
from .journal import Journal, JournalError

log = logging.getLogger(__name__)
Listener = Callable[[EngineEvent], None]
#: Fills between gc.freeze() calls. At 2 000, the collections between freezes (gen 1 of up to
#: ~7 000 young objects, and any gen 2 pass over what was not frozen yet) stalled the loop by
#: 13-60 ms in tests/bench/journal.py; at 200 the young generations stay small.
FREEZE_EVERY = 200
#: Seconds a quote is reused for pre-trade checks. The checks read only what is fixed for the
#: day (the price band and its base), so reuse costs no correctness; it saves a 200-child
#: allocation or a burst of orders in one name from asking the same quote again and again.
QUOTE_TTL = 2.0
#: Seconds a buying-power reading serves the checks of further buys of the same account, less
#: what the engine has committed since (see ``_cash_for``): a 200-child allocation asks each
#: account's broker a few times, not once per child — on KIS mock (2/s) the inquiries would
#: otherwise take half the budget the orders need.
POWER_TTL = 3.0


@dataclass(frozen=True, slots=True)
class _PowerReading:
    cash: int
    at: float                      # loop time when the inquiry left
    after_seq: int                 # local orders numbered above this came after it
    in_flight: frozenset[str]      # sends unanswered when it left: maybe in it, maybe not


@dataclass(frozen=True, slots=True)
class PlaceOrder:
    """An order intent: to one ``account``, or split by the allocation ``plan``. Size it in
    shares (``qty``) or, for plans and single accounts alike, in KRW (``amount``)."""

    code: str
    side: Side
    qty: int = 0
    price: int | None = None
    type: OrderType = OrderType.LIMIT
    tif: TimeInForce = TimeInForce.DAY
    venue: Venue = Venue.KRX
    account: AccountRef | None = None
    plan: str = ""
    amount: int = 0
    confirmed: bool = False          # the user confirmed past the warnings (duplicate guard)


@dataclass(frozen=True, slots=True)
class Placement:
    """What came of an intent: ``local_id`` (the order or the parent) when something was sent."""

    local_id: str = ""
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()   # non-empty and nothing sent: confirm to send

    @property
    def ok(self) -> bool:
        return bool(self.local_id) and not self.errors

    @property
    def message(self) -> str:
        return (self.errors or self.warnings or ("",))[0]


class Engine:
    def __init__(self, *, journal_dir: Path | None = None, clock: Clock | None = None,
                 limits: risk.RiskLimits | None = None, plans: tuple[Plan, ...] = (),
                 check_cash: bool = True, unknown_retries: tuple[float, ...] = (0.5, 1, 2, 4, 8),
                 journal_fsync: bool = True, rate_retries: tuple[float, ...] = (1.0, 2.0, 4.0)):
        self.clock = clock or SystemClock()
        self.limits = limits or risk.RiskLimits()
        self.plans = {p.name: p for p in plans}
        self.check_cash = check_cash
        self.unknown_retries = unknown_retries
        # Seconds to wait before sending again an order the broker refused for its rate limit
        # (after the client's own quick retries): one entry per further try.
        self.rate_retries = rate_retries
        self.book = Book()
        self.brokers: dict[str, Broker] = {}
        self.journal = (Journal(journal_dir, self.clock.now().date(), fsync=journal_fsync,
                                on_error=self._journal_failed)
                        if journal_dir is not None else None)
        self._listeners: list[Listener] = []
        self._early: dict[tuple[str, str], list[BrokerEvent]] = defaultdict(list)
        self._in_flight: dict[str, set[str]] = defaultdict(set)   # account key → local ids
        self._live: dict[str, bool] = {}
        self._tasks: set[asyncio.Task] = set()
        self._reconciling: dict[str, asyncio.Task] = {}
        self._reconcile_next: dict[str, asyncio.Future] = {}
        self._claiming: set[str] = set()
        self._instruments: dict[str, Instrument | None] = {}
        self._instrument_lookups: dict[str, asyncio.Future] = {}
        self._quotes: dict[str, tuple[float, Quote]] = {}
        self._power: dict[str, _PowerReading] = {}
        self._power_lookups: dict[str, asyncio.Future] = {}
        self._quote_lookups: dict[str, asyncio.Future] = {}
        # Partial amends sent and not yet answered: (account key, old number) → the local id
        # of the order that will carry the amended part.
        self._splits: dict[tuple[str, str], str] = {}
        self._seq = 0
        self._fills_seen = 0
        self._day = self.clock.now().strftime("%y%m%d")

    # ------------------------------------------------------------ wiring

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def add_broker(self, broker: Broker) -> None:
        self.brokers[broker.name] = broker
        broker.set_sink(self.on_broker_event)

    def add_plan(self, plan: Plan) -> None:
        self.plans[plan.name] = plan

    async def start(self, *, connect: bool = True) -> None:
        """Recover the journal, connect every broker, seed balances and reconcile."""
        if self.journal is not None:
            recovered = await asyncio.to_thread(self.journal.recover)
            self._restore(recovered)
            self.journal.start(recovered.last_seq)
        if connect:
            for broker in self.brokers.values():
                await broker.connect()
                self._live[broker.name] = True
        self.book.track_positions = False      # the balance below already holds today's fills
        await self.refresh()
        for broker in self.brokers.values():
            for account in broker.accounts:
                await self._seed(account)
        self.book.track_positions = True
        # Sends a previous run journaled but never saw answered: the inquiry decides, never a
        # re-send (rule 5).
        for account_key in {o.account.key for o in self.book.orders.values()
                            if o.status is OrderStatus.UNKNOWN}:
            self._spawn(self._resolve_unknown(self.book.accounts[account_key]))

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for broker in self.brokers.values():
            await broker.close()
        if self.journal is not None:
            await self.journal.close()

    def _restore(self, rec) -> None:
        for parent in rec.parents.values():
            self.book.add_parent(parent)
        for order in rec.orders.values():
            self.book.orders[order.local_id] = order
            self.book.accounts.setdefault(order.account.key, order.account)
            if order.order_no:
                self.book.by_no[(order.account.key, order.order_no)] = order.local_id
            if order.orig_order_no:
                self.book.by_no[(order.account.key, order.orig_order_no)] = order.local_id
            self._seq = max(self._seq, _seq_of(order.local_id, self._day))
        for order in list(self.book.orders.values()):
            if order.status is OrderStatus.PENDING_NEW and not order.order_no:
                self.book.orders[order.local_id] = states.on_send_unknown(order, order.updated_at)
        for parent_id in rec.parents:
            self._seq = max(self._seq, _seq_of(parent_id, self._day))
        for order in self.book.orders.values():
            # A partial amend's part that the inquiry found joined its parent after the parent
            # was last journaled.
            parent = self.book.parents.get(order.parent_id) if order.parent_id else None
            if parent is not None and all(leg.child_id != order.local_id for leg in parent.legs):
                parent.legs.append(LegSlot(order.account, order.qty, order.local_id))
        for fill in rec.fills:
            key = (fill.account.key, fill.order_no)
            q, a = self.book.cum.get(key, (0, 0))
            self.book.cum[key] = (q + fill.qty, a + fill.amount)
            self.book.fill_ids.add((fill.account.key, fill.fill_id))
            self.book.fills.append(fill)

    def new_id(self) -> str:
        self._seq += 1
        return f"{self._day}-{self._seq:05d}"

    # ------------------------------------------------------------ the outgoing stream

    def _emit(self, events: list) -> None:
        journal = self.journal
        filled = None
        for event in events:
            if journal is not None:
                if type(event) is OrderUpdated:
                    # The snapshot a fill causes is not journaled: recovery applies the fill
                    # record to the snapshot before it (journal.py), to the same result.
                    if event.order is not filled:
                        journal.append("order", event.order)
                    if event.order.order_no:
                        self._release(event.order)
                elif type(event) is FillReceived:
                    journal.append("fill", event.fill)
                    filled = event.order
            elif type(event) is OrderUpdated and event.order.order_no:
                self._release(event.order)
            for listener in self._listeners:
                try:
                    listener(event)
                except Exception:      # a broken widget must not stop the book
                    log.exception("engine listener failed")

    def _release(self, order: Order) -> None:
        """Replay news that arrived for this order's number before the number was known."""
        if not self._early:
            return
        held = self._early.pop((order.account.key, order.order_no), None)
        if held:
            for event in held:
                self.on_broker_event(event)

    # ------------------------------------------------------------ views

    def order(self, local_id: str) -> Order:
        return self.book.orders[local_id]

    @property
    def orders(self) -> list[Order]:
        return list(self.book.orders.values())

    def parent(self, parent_id: str) -> ParentUpdated:
        return self.book.parent_view(parent_id)

    def accounts(self) -> list[AccountRef]:
        """Every account of the connected brokers (in the order they were added), then any
        other account the day's book knows (from the journal)."""
        out = [a for broker in self.brokers.values() for a in broker.accounts]
        seen = {a.key for a in out}
        out += [a for key, a in self.book.accounts.items() if key not in seen]
        return out

    def positions(self, account: AccountRef | None = None) -> list[Position]:
        """Held positions (qty > 0) of one account or of all, by account then code: the
        broker's balance at start (or reconnect) plus today's fills since."""
        key = account.key if account is not None else None
        return sorted((p for (k, _), p in self.book.positions.items()
                       if p.qty > 0 and (key is None or k == key)),
                      key=lambda p: (p.account.key, p.code))

    def cash(self, account: AccountRef) -> int | None:
        """Cash of the account after today's fills (None before its balance was read)."""
        return self.book.cash.get(account.key)

    async def quote(self, code: str, *, max_age: float = 0.0) -> Quote:
        """A quote for ``code`` from a connected broker: live sessions first, in the order the
        brokers were added. Asks for one code made while one is on its way share it;
        ``max_age`` (seconds) accepts a quote fetched that recently. Raises LookupError with
        no broker, else the last broker's BrokerError."""
        brokers = sorted(self.brokers.values(), key=lambda b: not self._live.get(b.name, True))
        if not brokers:
            raise LookupError("연결된 브로커가 없습니다 — no broker connected")
        error: BrokerError | None = None
        for broker in brokers:
            try:
                return await self._quote_via(broker, code, max_age)
            except BrokerError as exc:
                error = exc
        assert error is not None
        raise error

    def forget_instruments(self) -> None:
        """Drop what brokers said of instruments (kind, market, halts): re-read on next use,
        after the daily master refresh."""
        self._instruments.clear()

    async def buying_power(self, account: AccountRef, code: str, price: int | None,
                           type: OrderType = OrderType.LIMIT) -> int:
        """Cash the broker would let this account spend on ``code`` at ``price`` (주문가능금액);
        BrokerError when the broker cannot say."""
        power = await self._broker(account).buying_power(account, code, price, type)
        return power.cash

    async def export_csv(self, directory: Path, account: AccountRef | None = None) -> list[Path]:
        """Write the day's orders and fills as CSV, one pair of files per account (or for
        ``account`` only): ``<YYYYMMDD>-<account>-orders.csv`` and ``...-fills.csv``. The text
        is made on the loop from a snapshot; the files are written in a worker thread."""
        day = self.clock.now().strftime("%Y%m%d")
        accounts = [account] if account is not None else sorted(
            {o.account.key: o.account for o in self.book.orders.values()}.values(),
            key=lambda a: a.key)
        orders, fills = list(self.book.orders.values()), list(self.book.fills)
        files = []
        for acct in accounts:
            name = "".join(c if c.isalnum() or c in "-_" else "_" for c in acct.key)
            files.append((Path(directory) / f"{day}-{name}-orders.csv", orders_csv(orders, acct)))
            files.append((Path(directory) / f"{day}-{name}-fills.csv", fills_csv(fills, acct)))

        def write() -> list[Path]:
            Path(directory).mkdir(parents=True, exist_ok=True)
            for path, text in files:
                path.write_text(text, encoding="utf-8")
            return [path for path, _ in files]

        return await asyncio.to_thread(write)

    def _broker(self, account: AccountRef) -> Broker:
        try:
            return self.brokers[account.broker]
        except KeyError:
            raise LookupError(f"no {account.broker} session for account {account}") from None

    # ------------------------------------------------------------ intents: place

    async def place(self, intent: PlaceOrder) -> Placement:
        if intent.plan:
            return await self._place_plan(intent)
        if intent.account is None:
            return self._refuse("주문할 계좌나 배분계획(plan)을 지정하세요 — name an account or a plan")
        return await self._place_one(intent, intent.account)

    def _refuse(self, message: str, account: AccountRef | None = None) -> Placement:
        self._emit([EngineError(message, account=account)])
        return Placement(errors=(message,))

    async def _context(self, broker: Broker, code: str) -> tuple[Instrument | None, Quote | None]:
        if code not in self._instruments:
            # Concurrent intents for one code share one lookup: the master TRs have the
            # tightest budgets (LS t8436: 2/s), and a burst of allocations would each spend one.
            pending = self._instrument_lookups.get(code)
            if pending is None:
                pending = asyncio.ensure_future(self._lookup_instrument(broker, code))
                self._instrument_lookups[code] = pending
            await asyncio.shield(pending)
        quote = None
        try:
            quote = await self._quote_via(broker, code, QUOTE_TTL)
        except BrokerError:
            pass
        return self._instruments[code], quote

    async def _quote_via(self, broker: Broker, code: str, max_age: float) -> Quote:
        loop = asyncio.get_running_loop()
        cached = self._quotes.get(code)
        if cached is not None and loop.time() - cached[0] <= max_age:
            return cached[1]
        pending = self._quote_lookups.get(code)
        if pending is None:
            pending = asyncio.ensure_future(self._fetch_quote(broker, code))
            self._quote_lookups[code] = pending
        return await asyncio.shield(pending)

    async def _fetch_quote(self, broker: Broker, code: str) -> Quote:
        try:
            started = asyncio.get_running_loop().time()
            quote = await broker.quote(code)
            self._quotes[code] = (started, quote)
            return quote
        finally:
            self._quote_lookups.pop(code, None)

    async def _lookup_instrument(self, broker: Broker, code: str) -> None:
        try:
            self._instruments[code] = await broker.instrument(code)
        except (NotSupported, BrokerError):
            self._instruments[code] = None
        finally:
            self._instrument_lookups.pop(code, None)

    async def _check(self, intent: PlaceOrder, account: AccountRef, qty: int, *,
                     duplicates: bool, quote: Quote | None = None,
                     instrument: Instrument | None = None) -> risk.Check:
        broker = self._broker(account)
        if quote is None:
            instrument, quote = await self._context(broker, intent.code)
        if quote is None:
            return risk.Check(errors=(f"{intent.code}: 현재가를 받지 못해 가격제한폭을 확인할 수 없습니다",))
        cash = sellable = None
        if intent.side is Side.BUY and self.check_cash:
            try:
                cash = await self._cash_for(broker, account, intent)
            except BrokerError as exc:
                return risk.Check(errors=(f"{account}: 주문가능금액 조회 실패 — {exc}",))
        elif intent.side is Side.SELL and self.check_cash:
            sellable = self.book.sellable(account, intent.code)
        env = getattr(broker, "env", None)
        real = getattr(env, "name", "") == "real"
        recent = [o for o in self.book.orders.values() if not o.parent_id] if duplicates else ()
        return risk.check(side=intent.side, code=intent.code, qty=qty, price=intent.price,
                          type=intent.type, limits=self.limits, instrument=instrument,
                          quote=quote, cash=cash, sellable=sellable, real=real, recent=recent,
                          now=self.clock.now() if duplicates else None, tif=intent.tif,
                          venue=intent.venue)

    async def _cash_for(self, broker: Broker, account: AccountRef, intent: PlaceOrder) -> int:
        """Cash this account may still commit: the broker's reading (fresh, or up to POWER_TTL
        old) less what every buy the engine made since the reading left may cost — counted in
        full, filled or open — and the sends unanswered when it left, which the reading may or
        may not hold. It errs on the side of refusing, never of spending twice. A priceless
        buy whose band is unknown (placed elsewhere) asks for a fresh reading."""
        reading = self._power.get(account.key)
        if reading is None or asyncio.get_running_loop().time() - reading.at > POWER_TTL:
            reading = await self._shared_reading(broker, account, intent)
        committed = self._committed_since(account, reading)
        if committed is None:
            reading = await self._shared_reading(broker, account, intent, fresh=True)
            committed = self._committed_since(account, reading, unknown_as_zero=True) or 0
        return reading.cash - committed

    async def _shared_reading(self, broker: Broker, account: AccountRef, intent: PlaceOrder,
                              fresh: bool = False) -> _PowerReading:
        key = account.key
        pending = self._power_lookups.get(key)
        if pending is None or fresh:
            pending = asyncio.ensure_future(self._read_power(broker, account, intent))
            self._power_lookups[key] = pending
        return await asyncio.shield(pending)

    async def _read_power(self, broker: Broker, account: AccountRef,
                          intent: PlaceOrder) -> _PowerReading:
        key = account.key
        me = asyncio.current_task()
        try:
            at, after = asyncio.get_running_loop().time(), self._seq
            flight = frozenset(self._in_flight[key])
            power = await broker.buying_power(account, intent.code, intent.price, intent.type)
            reading = _PowerReading(power.cash, at, after, flight)
            current = self._power.get(key)
            if current is None or current.at <= at:
                self._power[key] = reading
            return reading
        finally:
            if self._power_lookups.get(key) is me:
                del self._power_lookups[key]

    def _committed_since(self, account: AccountRef, reading: _PowerReading, *,
                         unknown_as_zero: bool = False) -> int | None:
        total = 0
        for o in self.book.orders.values():
            if o.side is not Side.BUY or o.account.key != account.key:
                continue
            if _seq_of(o.local_id, self._day) <= reading.after_seq \
                    and o.local_id not in reading.in_flight:
                continue
            unit = o.price
            if not unit:
                cached = self._quotes.get(o.code)
                unit = cached[1].upper_limit if cached is not None else 0
                if not unit and not unknown_as_zero:
                    return None
            total += o.filled_amount + o.leaves_qty * unit
        return total

    async def _place_one(self, intent: PlaceOrder, account: AccountRef, *, qty: int | None = None,
                         parent_id: str = "", checked: bool = False) -> Placement:
        try:
            broker = self._broker(account)
        except LookupError as exc:
            return self._refuse(str(exc), account)
        qty = intent.qty if qty is None else qty
        if not qty and intent.amount:
            _, quote = await self._context(broker, intent.code)
            at = risk.sizing_price(intent.type, intent.price, quote)
            if not at:
                return self._refuse(f"{intent.code}: 금액 주문의 수량을 정할 가격이 없습니다", account)
            qty = shares_for_amount(intent.amount, at)
        if not checked:
            result = await self._check(intent, account, qty, duplicates=not parent_id)
            if result.errors:
                return self._refuse(result.errors[0], account) if not parent_id else \
                    Placement(errors=result.errors)
            if result.warnings and not intent.confirmed:
                return Placement(warnings=result.warnings)
        now = self.clock.now()
        order = Order(local_id=self.new_id(), account=account, code=intent.code, side=intent.side,
                      qty=qty, price=intent.price if intent.type.needs_price else None,
                      type=intent.type, tif=intent.tif, venue=intent.venue, parent_id=parent_id,
                      created_at=now, updated_at=now)
        self._emit(self.book.add(order))
        if not await self._journaled(order):
            return Placement(local_id=order.local_id, errors=(self.book.orders[order.local_id].reject_reason,))
        await self._send(broker, order)
        return Placement(local_id=order.local_id)

    async def _journaled(self, order: Order) -> bool:
        """Wait until the order is on disk (rule 5: journaled before it is sent). If the
        journal cannot write it, it is not sent: it is rejected here, with the reason."""
        if self.journal is None:
            return True
        try:
            await self.journal.durable()
        except JournalError as exc:
            self._emit(self.book.transition(order.local_id, states.on_rejected,
                                            f"저널 기록 실패로 전송하지 않음 — not sent: {exc}",
                                            self.clock.now()))
            return False
        return True

    def _journal_failed(self, message: str) -> None:
        self._emit([EngineError(f"저널 기록 실패 — {message}")])

    async def _send(self, broker: Broker, order: Order) -> None:
        request = OrderRequest(order.account, order.code, order.side, order.qty, order.price,
                               order.type, order.tif, order.venue, order.stop_price, order.local_id)
        flight = self._in_flight[order.account.key]
        flight.add(order.local_id)
        try:
            placed = await self._place_paced(broker, order, request)
        except (BrokerRejected, RateLimited) as exc:
            self._emit(self.book.transition(order.local_id, states.on_rejected, str(exc),
                                            self.clock.now()))
            self._emit([EngineError(str(exc), order.local_id, order.account)])
        except OutcomeUnknown as exc:
            self._unknown(order, str(exc))
        except BrokerError as exc:           # connection failed: nothing left Lucy
            if type(exc).__name__ == "ConnectionFailed":
                self._emit(self.book.transition(order.local_id, states.on_rejected, str(exc),
                                                self.clock.now()))
            else:
                self._unknown(order, str(exc))
        except Exception as exc:             # anything else: the order may be out there
            self._unknown(order, repr(exc))
        else:
            self._emit(self.book.transition(order.local_id, states.on_accepted, placed.order_no,
                                            placed.time))
        finally:
            flight.discard(order.local_id)
            self._claim_leftovers(order.account)

    async def _place_paced(self, broker: Broker, order: Order, request: OrderRequest):
        """``broker.place``, sent again after a back-off while the broker answers with its rate
        limit. A rate-limit answer (KIS EGW00201, LS IGW00201) is a refusal before acceptance
        (rule 5), so sending again cannot make a second order; the order stays PENDING_NEW
        and in flight meanwhile, so no inquiry takes it for anything else."""
        for tries, delay in enumerate(self.rate_retries):
            try:
                return await broker.place(request)
            except RateLimited as exc:
                if not tries:
                    self._emit([EngineError(
                        f"주문 {order.local_id}: 호출 한도 초과, 잠시 후 다시 보냅니다 — {exc}",
                        order.local_id, order.account)])
                await asyncio.sleep(delay)
        return await broker.place(request)

    def _unknown(self, order: Order, why: str) -> None:
        self._emit(self.book.transition(order.local_id, states.on_send_unknown, self.clock.now()))
        self._emit([EngineError(f"주문 {order.local_id} 결과 확인중 (재전송하지 않음): {why}",
                                order.local_id, order.account)])
        self._spawn(self._resolve_unknown(order.account))

    async def _resolve_unknown(self, account: AccountRef) -> None:
        for delay in self.unknown_retries:
            await asyncio.sleep(delay)
            await self.reconcile(account)
            if not any(o.status is OrderStatus.UNKNOWN and o.account.key == account.key
                       for o in self.book.orders.values()):
                return
        left = [o.local_id for o in self.book.orders.values()
                if o.status is OrderStatus.UNKNOWN and o.account.key == account.key]
        if left:
            self._emit([EngineError(f"{account}: 주문 {', '.join(left)} 결과를 아직 확인하지 못했습니다 "
                                    "— 새로고침으로 다시 조회하세요", account=account)])

    # ------------------------------------------------------------ allocation

    async def _place_plan(self, intent: PlaceOrder) -> Placement:
        plan = self.plans.get(intent.plan)
        if plan is None:
            return self._refuse(f"배분계획 {intent.plan!r}이 없습니다 — no allocation plan named {intent.plan!r}")
        first = self._broker(plan.legs[0].account)
        instrument, quote = await self._context(first, intent.code)
        lot = instrument.lot if instrument is not None and instrument.lot > 0 else 1
        total = intent.qty
        if not total:
            at = risk.sizing_price(intent.type, intent.price, quote)
            if not at or not intent.amount:
                return self._refuse(f"{intent.code}: 수량 또는 금액과 가격이 필요합니다")
            total = shares_for_amount(intent.amount, at, lot)
        if total <= 0:
            return self._refuse("배분할 수량이 없습니다 — the order sizes to zero shares")
        # The parent is checked once for what does not depend on the account (tick, band,
        # limits on the whole, duplicates); each child then for its own cash or shares.
        whole = risk.check(side=intent.side, code=intent.code, qty=total, price=intent.price,
                           type=intent.type, limits=self.limits, instrument=instrument,
                           quote=quote, recent=[o for o in self.book.orders.values()
                                                if not o.parent_id],
                           now=self.clock.now(), tif=intent.tif, venue=intent.venue)
        if whole.errors:
            return self._refuse(whole.errors[0])
        if whole.warnings and not intent.confirmed:
            return Placement(warnings=whole.warnings)
        qtys = split_quantity(total, [leg.weight for leg in plan.legs], lot)
        parent = Parent(self.new_id(), plan.name, intent.code, intent.side, total, intent.price,
                        [LegSlot(leg.account, q) for leg, q in zip(plan.legs, qtys)],
                        self.clock.now())
        self.book.add_parent(parent)
        self._journal_parent(parent)
        child_intent = replace(intent, plan="", amount=0, confirmed=True)

        async def leg(slot: LegSlot) -> None:
            if slot.qty <= 0:
                slot.reason = "배분 수량 0주"
                return
            try:
                checked = await self._check(child_intent, slot.account, slot.qty, duplicates=False,
                                            quote=quote, instrument=instrument)
            except LookupError as exc:
                slot.reason = str(exc)
                return
            if checked.errors:
                slot.reason = checked.errors[0]
                self._emit([EngineError(f"{parent.parent_id} {slot.account}: {slot.reason}",
                                        parent.parent_id, slot.account)])
                return
            placed = await self._place_child(child_intent, slot, parent)
            if placed.errors:
                slot.reason = placed.errors[0]

        await asyncio.gather(*(leg(slot) for slot in parent.legs))
        self._journal_parent(parent)
        self._emit([self.book.parent_view(parent.parent_id)])
        return Placement(local_id=parent.parent_id)

    async def _place_child(self, intent: PlaceOrder, slot: LegSlot, parent: Parent) -> Placement:
        # The child's id goes on the parent before the send, so a crash leaves the link journaled.
        broker = self._broker(slot.account)
        now = self.clock.now()
        order = Order(local_id=self.new_id(), account=slot.account, code=intent.code,
                      side=intent.side, qty=slot.qty,
                      price=intent.price if intent.type.needs_price else None, type=intent.type,
                      tif=intent.tif, venue=intent.venue, parent_id=parent.parent_id,
                      created_at=now, updated_at=now)
        slot.child_id = order.local_id
        self._journal_parent(parent)
        self._emit(self.book.add(order))
        if not await self._journaled(order):
            return Placement(local_id=order.local_id, errors=(self.book.orders[order.local_id].reject_reason,))
        await self._send(broker, order)
        return Placement(local_id=order.local_id)

    def _journal_parent(self, parent: Parent) -> None:
        if self.journal is not None:
            self.journal.append("parent", Parent(parent.parent_id, parent.plan, parent.code,
                                                 parent.side, parent.qty, parent.price,
                                                 [replace(leg) for leg in parent.legs],
                                                 parent.created_at))

    # ------------------------------------------------------------ intents: amend / cancel

    def _targets(self, local_id: str) -> list[Order]:
        if local_id in self.book.parents:
            return [o for o in self.book.children(local_id) if o.is_open]
        return [self.book.orders[local_id]]

    async def cancel(self, local_id: str) -> list[str]:
        """Cancel an order, or every open child of a parent; returns the messages of failures."""
        results = await asyncio.gather(*(self._cancel_one(o) for o in self._targets(local_id)))
        return [r for r in results if r]

    async def _cancel_one(self, order: Order) -> str:
        if not order.is_open:
            return f"{order.local_id}: 이미 {order.status.korean} 상태입니다"
        if not order.order_no:
            return f"{order.local_id}: 주문번호를 아직 받지 못했습니다 — not acknowledged yet"
        self._emit(self.book.transition(order.local_id, states.on_cancel_requested, self.clock.now()))
        try:
            await self._broker(order.account).cancel(order.account, order.order_no)
        except OutcomeUnknown as exc:
            self._spawn(self.reconcile(order.account))
            return f"{order.local_id}: 취소 결과 확인중 — {exc}"
        except BrokerError as exc:
            current = self.book.orders[order.local_id]
            if current.status is OrderStatus.PENDING_CANCEL:
                self._emit(self.book.transition(order.local_id, states.on_cancel_rejected, str(exc),
                                                self.clock.now()))
            self._emit([EngineError(str(exc), order.local_id, order.account)])
            return f"{order.local_id}: {exc}"
        return ""

    async def cancel_all(self, code: str | None = None) -> list[str]:
        open_ = [o for o in self.book.orders.values()
                 if o.is_open and o.order_no and (code is None or o.code == code)]
        results = await asyncio.gather(*(self._cancel_one(o) for o in open_))
        return [r for r in results if r]

    async def amend(self, local_id: str, price: int | None, qty: int | None = None) -> list[str]:
        """Amend the price of the open quantity (of every open child of a parent); returns the
        messages of failures.

        ``qty`` moves only that many open shares to the new price (정정 일부): the broker gives
        them a new number, and the book carries them as a new order (``orig_order_no`` = the old
        number, same parent, listed in the parent's legs) while the rest keeps working under the
        old number, where the moved shares count as cancelled. ``qty`` at or above what is open
        amends all of it. For a parent, ``qty`` is the total to move, split over the open
        children in proportion to what each has open."""
        targets = self._targets(local_id)
        if qty is None:
            parts: list[int | None] = [None] * len(targets)
        else:
            if qty <= 0:
                return [f"{local_id}: 정정 수량은 1주 이상이어야 합니다 — amend quantity must be positive"]
            open_ = [max(o.leaves_qty, 0) for o in targets]
            if sum(open_) == 0 or qty >= sum(open_):
                parts = [None] * len(targets)
            else:
                parts = _split_open(qty, open_)
        results = await asyncio.gather(*(self._amend_one(o, price, q) for o, q in zip(targets, parts)
                                         if q is None or q > 0))
        return [r for r in results if r]

    async def _amend_one(self, order: Order, price: int | None, qty: int | None = None) -> str:
        if not order.is_open or not order.order_no:
            return f"{order.local_id}: 정정할 수 없는 상태입니다 ({order.status.korean})"
        if qty is not None and qty >= order.leaves_qty:
            qty = None
        instrument = self._instruments.get(order.code)
        violation = risk.krx.check_order(order.type, price, qty or order.leaves_qty or 1,
                                         instrument=instrument)
        if violation is not None:
            return f"{order.local_id}: {violation}"
        if qty is not None:
            return await self._amend_part(order, price, qty)
        self._emit(self.book.transition(order.local_id, states.on_replace_requested, self.clock.now()))
        old_no = order.order_no
        try:
            placed = await self._broker(order.account).amend(order.account, old_no, price=price,
                                                             type=order.type)
        except OutcomeUnknown as exc:
            if self.book.orders[order.local_id].order_no != old_no:
                return ""                    # the feed's notice told us meanwhile
            self._spawn(self.reconcile(order.account))
            return f"{order.local_id}: 정정 결과 확인중 — {exc}"
        except (BrokerError, ValueError) as exc:
            if self.book.orders[order.local_id].status is OrderStatus.PENDING_REPLACE:
                self._emit(self.book.transition(order.local_id, states.on_replace_rejected,
                                                str(exc), self.clock.now()))
            self._emit([EngineError(str(exc), order.local_id, order.account)])
            return f"{order.local_id}: {exc}"
        current = self.book.orders[order.local_id]
        if current.order_no == old_no and current.status is OrderStatus.PENDING_REPLACE:
            self._emit(self.book.transition(order.local_id, states.on_replaced, placed.order_no,
                                            price, None, placed.time))
        return ""

    async def _amend_part(self, order: Order, price: int | None, qty: int) -> str:
        # The part is journaled before the amend leaves (as an order is before it is sent), so
        # a crash or an unknown outcome leaves a local order for the inquiry to resolve.
        now = self.clock.now()
        old_no = order.order_no
        part = Order(local_id=self.new_id(), account=order.account, code=order.code,
                     side=order.side, qty=qty,
                     price=price if order.type.needs_price else order.price, type=order.type,
                     tif=order.tif, venue=order.venue, parent_id=order.parent_id,
                     orig_order_no=old_no, external=order.external, created_at=now,
                     updated_at=now)
        key = (order.account.key, old_no)
        self._splits[key] = part.local_id
        self._emit(self.book.add_part(part))
        if part.parent_id in self.book.parents:
            self._journal_parent(self.book.parents[part.parent_id])
        self._emit(self.book.transition(order.local_id, states.on_replace_requested, now))
        if not await self._journaled(part):
            self._splits.pop(key, None)
            self._replace_failed(order.local_id, "저널 기록 실패")
            return f"{order.local_id}: {self.book.orders[part.local_id].reject_reason}"
        try:
            placed = await self._broker(order.account).amend(order.account, old_no, price=price,
                                                             qty=qty, type=order.type)
        except OutcomeUnknown as exc:
            if key not in self._splits:      # the feed's notice told us meanwhile
                return ""
            # The inquiry decides: an amend record naming old_no moves the part (reconcile).
            self._emit(self.book.transition(part.local_id, states.on_send_unknown, self.clock.now()))
            self._spawn(self._resolve_unknown(order.account))
            return f"{order.local_id}: 정정 결과 확인중 — {exc}"
        except (BrokerError, ValueError) as exc:
            self._splits.pop(key, None)
            self._emit(self.book.transition(part.local_id, states.on_rejected, str(exc),
                                            self.clock.now()))
            self._replace_failed(order.local_id, str(exc))
            self._emit([EngineError(str(exc), order.local_id, order.account)])
            return f"{order.local_id}: {exc}"
        self._split_done(order.account, old_no, placed.order_no, placed.time)
        return ""

    def _replace_failed(self, local_id: str, reason: str) -> None:
        if self.book.orders[local_id].status is OrderStatus.PENDING_REPLACE:
            self._emit(self.book.transition(local_id, states.on_replace_rejected, reason,
                                            self.clock.now()))

    def _split_done(self, account: AccountRef, old_no: str, new_no: str,
                    at: datetime | None) -> None:
        """A partial amend of ``old_no`` took effect under ``new_no`` (told by the REST answer or
        the feed, whichever came first; the second finds nothing to do)."""
        local_id = self._splits.pop((account.key, old_no), None)
        if local_id is None:
            return
        part = self.book.orders[local_id]
        if not part.order_no:
            self._emit(self.book.transition(local_id, states.on_accepted, new_no, at))
        original = self.book.find(account, old_no)
        if original is not None and original.order_no == old_no:
            self._emit(self.book.move_out(original.local_id, part.qty, at))

    # ------------------------------------------------------------ reconciliation

    async def refresh(self, broker_name: str | None = None) -> None:
        """Reconcile every account (of one broker) against the broker's inquiry."""
        for broker in self.brokers.values():
            if broker_name is None or broker.name == broker_name:
                for account in broker.accounts:
                    await self.reconcile(account)

    async def reconcile(self, account: AccountRef) -> None:
        # One inquiry per account at a time; a request during one waits for it and then for one
        # more, since news may have arrived after the running one read the broker. Every request
        # made meanwhile shares that one follow-up: 50 UNKNOWN sends each asking must not become
        # 50 inquiries of several pages each, queued behind the rate limit (measured: the herd
        # kept the KIS budget busy for over 10 s and the answers came too late).
        key = account.key
        follow = self._reconcile_next.get(key)
        if follow is None:
            running = self._reconciling.get(key)
            if running is None or running.done():
                follow = asyncio.ensure_future(self._reconcile(account))
                self._reconciling[key] = follow
            else:
                follow = asyncio.ensure_future(self._reconcile_after(running, account))
                self._reconcile_next[key] = follow
        await asyncio.shield(follow)

    async def _reconcile_after(self, running: asyncio.Future, account: AccountRef) -> None:
        try:
            await asyncio.shield(running)
        except Exception:            # that one's failure was reported by its own callers
            pass
        finally:
            self._reconcile_next.pop(account.key, None)
        task = asyncio.ensure_future(self._reconcile(account))
        self._reconciling[account.key] = task
        await task

    async def _reconcile(self, account: AccountRef) -> None:
        try:
            reports = await self._broker(account).orders_today(account)
        except BrokerError as exc:
            self._emit([EngineError(f"{account}: 주문내역 조회 실패 — {exc}", account=account)])
            return
        self._emit(reconcile.merge(self.book, account, reports, new_id=self.new_id,
                                   now=self.clock.now(), in_flight=self._in_flight[account.key],
                                   splits=self._splits))
        # News held for numbers the inquiry has now named is applied by _emit; what is left
        # belongs to nothing the broker reports yet: keep it for the next inquiry.

    def _claim_leftovers(self, account: AccountRef) -> None:
        if self._in_flight[account.key]:
            return
        if account.key not in self._claiming and any(k[0] == account.key for k in self._early):
            self._claiming.add(account.key)
            self._spawn(self._claim(account))

    async def _claim(self, account: AccountRef) -> None:
        try:
            await self.reconcile(account)
        finally:
            self._claiming.discard(account.key)

    def _spawn(self, coro) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # ------------------------------------------------------------ the broker sink

    def on_broker_event(self, event: BrokerEvent) -> None:
        """Called by broker clients on the loop for every event: dict look-ups and the state
        machine only; journal records are queued, not written."""
        kind = type(event)
        if kind is FillEvent:
            fill = event.fill
            order = self.book.find(fill.account, fill.order_no)
            if order is None:
                self._hold(fill.account, fill.order_no, event)
                return
            self._emit(self.book.apply_fill(order.local_id, fill, event.cum_qty))
            if event.cum_qty and self.book.cum.get(
                    (fill.account.key, fill.order_no), (0, 0))[0] < event.cum_qty:
                # The broker has filled more of this order than its notices told us (notices
                # lost while the feed was down, after the reconnect's inquiry had read the
                # order): only the inquiry knows the amounts, so ask it again.
                self._spawn(self.reconcile(fill.account))
            self._fills_seen += 1
            if self._fills_seen % FREEZE_EVERY == 1:
                # The day's book is long-lived and acyclic (refcounting frees what it drops);
                # left to the collector, every gen-2 pass rescans all of it and stalls the loop
                # (measured: 80 ms at 30 000 fills, 200 ms at 100 000). Freezing moves what
                # exists now out of the collector's view; it is O(1). On the first fill of the
                # stream too, so what was built before it is out of view before it costs a pass.
                gc.freeze()
        elif kind is OrderAcked:
            order = self.book.find(event.account, event.order_no)
            if order is None:
                self._hold(event.account, event.order_no, event)
            elif order.order_no == event.order_no:
                self._emit(self.book.transition(order.local_id, states.on_accepted,
                                                event.order_no, event.time))
        elif kind is OrderCancelled:
            order = self.book.find(event.account, event.order_no)
            if order is None:
                self._hold(event.account, event.order_no, event)
            elif order.order_no == event.order_no:
                self._emit(self.book.transition(order.local_id, states.on_cancelled, event.qty,
                                                event.time))
        elif kind is OrderAmended:
            known = self.book.find(event.account, event.order_no)
            if known is not None and known.order_no == event.order_no:
                return                      # the REST answer told us first
            if (event.account.key, event.orig_order_no) in self._splits:
                self._split_done(event.account, event.orig_order_no, event.order_no, event.time)
                return
            order = self.book.find(event.account, event.orig_order_no)
            if order is None:
                self._hold(event.account, event.orig_order_no, event)
            elif order.order_no == event.orig_order_no:
                if order.status is not OrderStatus.PENDING_REPLACE \
                        and 0 < event.qty < order.leaves_qty:
                    self._external_part(order, event)
                else:
                    self._emit(self.book.transition(order.local_id, states.on_replaced,
                                                    event.order_no, event.price, event.qty,
                                                    event.time))
        elif kind is OrderRejectedEvent:
            self._on_rejected(event)
        elif kind is BrokerStatus:
            self._on_status(event)

    def _external_part(self, order: Order, event: OrderAmended) -> None:
        """Part of an order was amended elsewhere (HTS): the moved shares become an order of
        their own, as if Lucy had amended them."""
        part = states.on_accepted(
            Order(local_id=self.new_id(), account=order.account, code=order.code, side=order.side,
                  qty=event.qty, price=event.price if order.type.needs_price else order.price,
                  type=order.type, tif=order.tif, venue=order.venue, parent_id=order.parent_id,
                  orig_order_no=order.order_no, external=order.external,
                  created_at=event.time, updated_at=event.time),
            event.order_no, event.time)
        self._emit(self.book.add_part(part))
        if part.parent_id in self.book.parents:
            self._journal_parent(self.book.parents[part.parent_id])
        self._emit(self.book.move_out(order.local_id, event.qty, event.time))

    def _on_rejected(self, event: OrderRejectedEvent) -> None:
        if event.orig_order_no:
            order = self.book.find(event.account, event.orig_order_no)
            if order is None:
                return
            fn = {OrderStatus.PENDING_CANCEL: states.on_cancel_rejected,
                  OrderStatus.PENDING_REPLACE: states.on_replace_rejected}.get(order.status)
            if fn is not None:
                self._emit(self.book.transition(order.local_id, fn, event.reason, event.time))
            split = self._splits.pop((event.account.key, event.orig_order_no), None)
            if split is not None:
                self._emit(self.book.transition(split, states.on_rejected, event.reason,
                                                event.time))
            self._emit([EngineError(event.reason, order.local_id, event.account)])
            return
        order = self.book.find(event.account, event.order_no)
        if order is None:
            self._hold(event.account, event.order_no, event)
            return
        self._emit(self.book.transition(order.local_id, states.on_rejected, event.reason, event.time))

    def _hold(self, account: AccountRef, order_no: str, event: BrokerEvent) -> None:
        self._early[(account.key, order_no)].append(event)
        if not self._in_flight[account.key]:
            self._spawn(self._claim_later(account))

    async def _claim_later(self, account: AccountRef) -> None:
        await asyncio.sleep(0)          # a place() answer may be one callback away
        self._claim_leftovers(account)

    async def _seed(self, account: AccountRef) -> None:
        """Positions and cash from the broker's balance (the book of record), replacing the
        book's: the balance already holds every fill the broker executed, so what the book
        had counted is not added again. Cash is D+2 (예수금 after today's trades settle),
        which is what today's fills change; the book then moves it by each fill until the
        next seed."""
        try:
            bal, positions = await self._broker(account).balance(account)
        except (BrokerError, LookupError) as exc:
            self._emit([EngineError(f"{account}: 잔고 조회 실패 — {exc}", account=account)])
            return
        self._emit(self.book.seed(account, bal.cash_d2 or bal.cash, positions))

    async def _catch_up(self, account: AccountRef) -> None:
        """After a reconnect: orders and fills first (what was pushed while the feed was down
        reaches the tape once), then positions and cash re-read, replacing what the fills just
        added rather than adding to it."""
        await self.reconcile(account)
        await self._seed(account)

    def _on_status(self, event: BrokerStatus) -> None:
        was = self._live.get(event.broker)
        live = event.state is Connection.LIVE
        self._live[event.broker] = live
        self._emit([BrokerStatusChanged(event.broker, event.state, event.detail, event.time)])
        if live and was is False:       # a reconnect: what was pushed while down comes by inquiry
            broker = self.brokers.get(event.broker)
            if broker is not None:
                for account in broker.accounts:
                    self._spawn(self._catch_up(account))


def _split_open(qty: int, open_: list[int]) -> list[int]:
    """Split ``qty`` over children in proportion to what each has open (some have none)."""
    live = [i for i, n in enumerate(open_) if n > 0]
    parts = split_quantity(qty, [Decimal(open_[i]) for i in live])
    out = [0] * len(open_)
    for i, q in zip(live, parts):
        out[i] = q
    return out


def _seq_of(local_id: str, day: str) -> int:
    head, _, tail = local_id.partition("-")
    return int(tail) if head == day and tail.isdigit() else 0
