"""Property tests: random order flow against the matching engine.

Two layers. First, limit/market/IOC/FOK orders with cancels and amends are replayed on a naive
reference model (a flat list sorted by price and time on every step) and every execution must
match exactly: same resting order, same price, same quantity, same order numbers. Second, every
order type together, with the invariants checked after every call.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lucy_tui.clock import ManualClock
from lucy_tui.domain import krx
from lucy_tui.domain.model import Instrument, InstrumentKind, Market, OrderType, Side, TimeInForce
from lucy_tui.sim.events import Filled, Trade
from lucy_tui.sim.exchange import Exchange

BUY, SELL = Side.BUY, Side.SELL
CODE, BASE = "000100", 20_000          # straddles the 10-won / 50-won tick boundary
LOWER, UPPER = krx.price_band(BASE)
OWNERS = ("a", "b", "c")
PRICES = [p for p in range(19_700, 20_400, 10) if krx.is_valid_tick(p)]
BAD_PRICES = [20_010, 20_020, 26_050, 13_990]


def new_exchange() -> Exchange:
    inst = Instrument(CODE, "KR7000100003", "테스트", "Test", Market.KOSPI, InstrumentKind.STOCK,
                      base_price=BASE)
    return Exchange([inst], clock=ManualClock())


# ------------------------------------------------------------------ the reference model

@dataclass
class RefOrder:
    id: int
    owner: str
    side: Side
    price: int | None
    leaves: int
    key: tuple


class Reference:
    """Price-time priority the slow, obvious way."""

    def __init__(self):
        self.next_id = 1
        self.next_seq = 1
        self.next_child = 1
        self.resting: list[RefOrder] = []
        self.open: dict[int, RefOrder] = {}

    def _id(self) -> int:
        oid = self.next_id
        self.next_id += 1
        return oid

    def _key(self) -> tuple:
        self.next_seq += 1
        return (self.next_seq,)

    def _opposite(self, o: RefOrder, limit: int | None) -> list[RefOrder]:
        other = [r for r in self.resting if r.side is not o.side
                 and (limit is None or (r.price <= limit if o.side is BUY else r.price >= limit))]
        sign = 1 if o.side is BUY else -1
        return sorted(other, key=lambda r: (sign * r.price, r.key))

    def _aggress(self, o: RefOrder, limit: int | None, tif: TimeInForce) -> list[tuple]:
        if tif is TimeInForce.FOK and sum(r.leaves for r in self._opposite(o, limit)) < o.leaves:
            return []
        out = []
        for r in self._opposite(o, limit):
            if not o.leaves:
                break
            n = min(o.leaves, r.leaves)
            r.leaves -= n
            o.leaves -= n
            out.append((r.id, o.id, r.price, n))
            if not r.leaves:
                self.resting.remove(r)
                del self.open[r.id]
        if o.leaves and limit is not None and tif is TimeInForce.DAY:
            o.key = self._key()
            self.resting.append(o)
            self.open[o.id] = o
        return out

    def submit(self, owner, side, qty, price, otype, tif):
        if otype is OrderType.LIMIT:
            if not (krx.is_valid_tick(price) and LOWER <= price <= UPPER):
                return None, []
        o = RefOrder(self._id(), owner, side, price, qty, ())
        return o.id, self._aggress(o, price, tif)

    def amend(self, oid, owner, price, qty):
        o = self.open.get(oid)
        if o is None or o.owner != owner:
            return None, []
        amount = o.leaves if qty is None else qty
        if amount > o.leaves:
            return None, []
        new_price = o.price if price is None else price
        if not (krx.is_valid_tick(new_price) and LOWER <= new_price <= UPPER):
            return None, []
        n = RefOrder(self._id(), owner, o.side, new_price, amount, ())
        o.leaves -= amount
        if not o.leaves:
            self.resting.remove(o)
            del self.open[o.id]
        if new_price == o.price:
            # Same place in the queue: right after the old order, ahead of older amend parts.
            self.next_child += 1
            n.key = o.key + (-self.next_child,)
            self.resting.append(n)
            self.open[n.id] = n
            return n.id, []
        return n.id, self._aggress(n, new_price, TimeInForce.DAY)

    def cancel(self, oid, owner, qty):
        o = self.open.get(oid)
        if o is None or o.owner != owner:
            return None
        o.leaves -= o.leaves if qty is None else min(qty, o.leaves)
        if not o.leaves:
            self.resting.remove(o)
            del self.open[o.id]
        return self._id()

    def queue(self, side: Side, price: int) -> tuple[int, ...]:
        return tuple(r.id for r in sorted(self.resting, key=lambda r: r.key)
                     if r.side is side and r.price == price)


# ------------------------------------------------------------------ invariants

def check_invariants(ex: Exchange, traded: dict[Side, int], events) -> None:
    bids, asks = ex.book(CODE, depth=1_000)
    if bids and asks:
        assert bids[0].price < asks[0].price, "crossed book"
    assert [lv.price for lv in bids] == sorted((lv.price for lv in bids), reverse=True)
    assert [lv.price for lv in asks] == sorted(lv.price for lv in asks)
    views = {o.id: o for o in ex.orders()}
    for o in views.values():
        assert o.qty == o.filled + o.leaves + o.cancelled, o
        assert o.leaves >= 0 and o.filled >= 0 and o.cancelled >= o.replaced >= 0
    for levels, side in ((bids, BUY), (asks, SELL)):
        for lv in levels:
            ids = ex.queue(CODE, side, lv.price)
            assert lv.qty == sum(views[i].leaves for i in ids) > 0
            assert all(views[i].side is side and views[i].price == lv.price for i in ids)
    for e in events:
        if isinstance(e, Filled):
            traded[e.side] += e.qty
            assert LOWER <= e.price <= UPPER and krx.is_valid_tick(e.price)
        elif isinstance(e, Trade):
            assert LOWER <= e.price <= UPPER
    assert traded[BUY] == traded[SELL]


# ------------------------------------------------------------------ layer 1: exact replay

side_st = st.sampled_from([BUY, SELL])
owner_st = st.sampled_from(OWNERS)
price_st = st.one_of(st.sampled_from(PRICES), st.sampled_from(PRICES), st.sampled_from(BAD_PRICES))
qty_st = st.integers(1, 40)
tif_st = st.sampled_from([TimeInForce.DAY, TimeInForce.DAY, TimeInForce.IOC, TimeInForce.FOK])
pick_st = st.integers(0, 10_000)

op_st = st.one_of(
    st.tuples(st.just("limit"), owner_st, side_st, qty_st, price_st, tif_st),
    st.tuples(st.just("limit"), owner_st, side_st, qty_st, price_st, st.just(TimeInForce.DAY)),
    st.tuples(st.just("market"), owner_st, side_st, qty_st, st.none(),
              st.sampled_from([TimeInForce.DAY, TimeInForce.IOC, TimeInForce.FOK])),
    st.tuples(st.just("cancel"), owner_st, pick_st, st.one_of(st.none(), qty_st)),
    st.tuples(st.just("amend"), owner_st, pick_st, st.one_of(st.none(), price_st),
              st.one_of(st.none(), qty_st)),
)


def executions(result) -> list[tuple]:
    """(passive id, aggressor id, price, qty) per execution, from the Filled pairs."""
    fills = [e for e in result.events if isinstance(e, Filled)]
    assert len(fills) % 2 == 0
    out = []
    for passive, aggr in zip(fills[::2], fills[1::2]):
        assert not passive.aggressor and aggr.aggressor and passive.match_id == aggr.match_id
        assert (passive.price, passive.qty) == (aggr.price, aggr.qty)
        out.append((passive.order_id, aggr.order_id, passive.price, passive.qty))
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(op_st, min_size=20, max_size=80))
def test_matches_the_reference_model_exactly(ops):
    ex, ref = new_exchange(), Reference()
    ids: list[int] = []
    traded = {BUY: 0, SELL: 0}
    for op in ops:
        kind = op[0]
        if kind in ("limit", "market"):
            _, owner, side, qty, price, tif = op
            otype = OrderType.LIMIT if kind == "limit" else OrderType.MARKET
            want_id, want = ref.submit(owner, side, qty, price, otype, tif)
            r = ex.submit(owner=owner, code=CODE, side=side, qty=qty, price=price, type=otype, tif=tif)
        elif kind == "cancel":
            _, owner, pick, qty = op
            if not ids:
                continue
            target = ids[pick % len(ids)]
            want_id, want = ref.cancel(target, owner, qty), []
            r = ex.cancel(target, owner=owner, qty=qty)
        else:
            _, owner, pick, price, qty = op
            if not ids:
                continue
            target = ids[pick % len(ids)]
            want_id, want = ref.amend(target, owner, price, qty)
            r = ex.amend(target, owner=owner, price=price, qty=qty)
        assert r.order_id == want_id, (op, r)
        assert executions(r) == want, op
        if r.order_id is not None:
            ids.append(r.order_id)
        check_invariants(ex, traded, r.events)
        for side in (BUY, SELL):
            for price in {o.price for o in ref.resting if o.side is side}:
                assert ex.queue(CODE, side, price) == ref.queue(side, price)
    resting = {(o.side, o.price): 0 for o in ref.resting}
    for o in ref.resting:
        resting[(o.side, o.price)] += o.leaves
    bids, asks = ex.book(CODE, depth=1_000)
    got = {(BUY, lv.price): lv.qty for lv in bids} | {(SELL, lv.price): lv.qty for lv in asks}
    assert got == resting


# ------------------------------------------------------------------ layer 2: every type

any_type_st = st.sampled_from([
    (OrderType.LIMIT, TimeInForce.DAY), (OrderType.LIMIT, TimeInForce.IOC),
    (OrderType.LIMIT, TimeInForce.FOK), (OrderType.MARKET, TimeInForce.DAY),
    (OrderType.MARKET, TimeInForce.FOK), (OrderType.BEST, TimeInForce.DAY),
    (OrderType.BEST, TimeInForce.IOC), (OrderType.TOP, TimeInForce.DAY),
    (OrderType.CONDITIONAL, TimeInForce.DAY), (OrderType.MIDPOINT, TimeInForce.DAY),
    (OrderType.MIDPOINT, TimeInForce.IOC), (OrderType.MIDPOINT, TimeInForce.FOK),
    (OrderType.STOP_LIMIT, TimeInForce.DAY),
])

mixed_op_st = st.one_of(
    st.tuples(st.just("new"), owner_st, side_st, qty_st, st.sampled_from(PRICES), any_type_st,
              st.sampled_from(PRICES)),
    st.tuples(st.just("cancel"), owner_st, pick_st, st.one_of(st.none(), qty_st)),
    st.tuples(st.just("amend"), owner_st, pick_st, st.one_of(st.none(), st.sampled_from(PRICES)),
              st.one_of(st.none(), qty_st)),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mixed_op_st, min_size=20, max_size=80))
def test_invariants_hold_for_every_order_type(ops):
    ex = new_exchange()
    ids: list[int] = []
    traded = {BUY: 0, SELL: 0}
    for op in ops:
        if op[0] == "new":
            _, owner, side, qty, price, (otype, tif), stop = op
            r = ex.submit(owner=owner, code=CODE, side=side, qty=qty,
                          price=price if otype.needs_price else None, type=otype, tif=tif,
                          stop_price=stop if otype is OrderType.STOP_LIMIT else None)
            assert r.ok, r.rejected
        elif not ids:
            continue
        elif op[0] == "cancel":
            r = ex.cancel(ids[op[2] % len(ids)], owner=op[1], qty=op[3])
        else:
            r = ex.amend(ids[op[2] % len(ids)], owner=op[1], price=op[3], qty=op[4])
        if r.order_id is not None:
            ids.append(r.order_id)
        check_invariants(ex, traded, r.events)
        # A mid-point trade prices inside the lit spread it saw.
        for e in r.events:
            if isinstance(e, Trade) and e.session == "midpoint":
                assert krx.is_valid_tick(e.price)


# ------------------------------------------------------------------ layer 3: a KRX day

CALENDAR_TYPES = [
    (OrderType.LIMIT, TimeInForce.DAY), (OrderType.LIMIT, TimeInForce.IOC),
    (OrderType.MARKET, TimeInForce.DAY), (OrderType.CONDITIONAL, TimeInForce.DAY),
    (OrderType.BEST, TimeInForce.DAY), (OrderType.TOP, TimeInForce.DAY),
    (OrderType.MIDPOINT, TimeInForce.DAY), (OrderType.STOP_LIMIT, TimeInForce.DAY),
    (OrderType.PRE_CLOSE, TimeInForce.DAY), (OrderType.POST_CLOSE, TimeInForce.DAY),
]
day_op_st = st.one_of(
    st.tuples(st.just("wait"), st.sampled_from([1, 30, 120, 300, 600, 1_800, 3_600, 7_200])),
    st.tuples(st.just("new"), owner_st, side_st, qty_st, st.sampled_from(PRICES),
              st.sampled_from(CALENDAR_TYPES), st.sampled_from(PRICES)),
    st.tuples(st.just("new"), owner_st, side_st, qty_st, st.sampled_from(PRICES),
              st.just((OrderType.LIMIT, TimeInForce.DAY)), st.sampled_from(PRICES)),
    st.tuples(st.just("cancel"), owner_st, pick_st, st.one_of(st.none(), qty_st)),
    st.tuples(st.just("amend"), owner_st, pick_st, st.one_of(st.none(), st.sampled_from(PRICES)),
              st.one_of(st.none(), qty_st)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(day_op_st, min_size=20, max_size=80))
def test_a_calendar_day_keeps_every_invariant_and_expires_everything(ops):
    from datetime import datetime

    from lucy_tui.clock import KST
    from lucy_tui.domain.calendar import Phase
    from lucy_tui.sim.exchange import SessionMode

    clock = ManualClock(datetime(2026, 11, 24, 8, 29, tzinfo=KST))
    inst = Instrument(CODE, "KR7000100003", "테스트", "Test", Market.KOSPI, InstrumentKind.STOCK,
                      base_price=BASE)
    ex = Exchange([inst], clock=clock, session=SessionMode.KRX_CALENDAR)
    ids: list[int] = []
    traded = {BUY: 0, SELL: 0}
    seen = []
    ex.add_listener(seen.append)
    for op in ops:
        if op[0] == "wait":
            clock.advance(op[1])
            ex.advance()
        elif op[0] == "new":
            _, owner, side, qty, price, (otype, tif), stop = op
            r = ex.submit(owner=owner, code=CODE, side=side, qty=qty,
                          price=price if otype.needs_price else None, type=otype, tif=tif,
                          stop_price=stop if otype is OrderType.STOP_LIMIT else None)
            if r.rejected is not None:
                assert r.rejected.message and r.order_id is None
            else:
                ids.append(r.order_id)
        elif ids and op[0] == "cancel":
            ex.cancel(ids[op[2] % len(ids)], owner=op[1], qty=op[3])
        elif ids:
            r = ex.amend(ids[op[2] % len(ids)], owner=op[1], price=op[3], qty=op[4])
            if r.order_id is not None:
                ids.append(r.order_id)
        events, seen[:] = list(seen), []
        phase = ex.phase
        if phase in (Phase.CONTINUOUS, Phase.PRE_MARKET, Phase.AFTER_MARKET):
            check_invariants(ex, traded, events)
        else:   # auctions may hold a crossed book; everything else must still add up
            for e in events:
                if isinstance(e, Filled):
                    traded[e.side] += e.qty
                    assert LOWER <= e.price <= UPPER and krx.is_valid_tick(e.price)
            assert traded[BUY] == traded[SELL]
            for o in ex.orders():
                assert o.qty == o.filled + o.leaves + o.cancelled
        if phase is Phase.CLOSED:
            assert all(not o.leaves for o in ex.orders()), "an order outlived its session"
    clock.advance(24 * 3600)
    ex.advance()
    assert all(not o.leaves for o in ex.orders())
