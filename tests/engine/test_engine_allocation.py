"""Allocation: the largest-remainder split (property tests), and plans against the simulator —
children per account, the parent's totals and legs, a refused leg, cancelling the parent."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from lucy_tui.domain.model import OrderStatus, Side
from lucy_tui.engine import Leg, ParentUpdated, PlaceOrder, Plan, split_quantity
from lucy_tui.engine.allocation import shares_for_amount

from support.engine import CODE, COUNTERPARTY, PRICE, wait_for

weights = st.lists(st.integers(1, 10_000).map(lambda n: Decimal(n) / 100), min_size=1, max_size=8)


@given(total=st.integers(0, 10**7), ws=weights, lot=st.sampled_from([1, 10]))
@settings(max_examples=300, deadline=None)
def test_split_sums_and_honours_weights_within_one_lot(total, ws, lot):
    total -= total % lot
    parts = split_quantity(total, ws, lot)
    assert sum(parts) == total and len(parts) == len(ws)
    scale = sum(Fraction(w) for w in ws)
    for part, w in zip(parts, ws):
        exact = Fraction(total) * Fraction(w) / scale
        assert part % lot == 0 and abs(part - exact) < lot


def test_split_examples_and_bad_lots():
    assert split_quantity(100, [Decimal(40), Decimal(35), Decimal(25)]) == [40, 35, 25]
    assert split_quantity(10, [Decimal(1)] * 3) == [4, 3, 3]       # ties go to the earlier leg
    assert split_quantity(7, [Decimal("0.4"), Decimal("0.35"), Decimal("0.25")]) == [3, 2, 2]
    with pytest.raises(ValueError):
        split_quantity(15, [Decimal(1)], lot=10)


@given(amount=st.integers(0, 10**11), price=st.integers(1, 3_000_000))
def test_amount_buys_whole_shares_never_more_than_the_amount(amount, price):
    n = shares_for_amount(amount, price)
    assert n * price <= amount < (n + 1) * price


def test_plans_refuse_empty_duplicate_or_non_positive_legs():
    from lucy_tui.domain.model import AccountRef
    a = AccountRef("kis", "1")
    with pytest.raises(ValueError):
        Plan("x", ())
    with pytest.raises(ValueError):
        Plan("x", (Leg(a, Decimal(1)), Leg(a, Decimal(2))))
    with pytest.raises(ValueError):
        Plan("x", (Leg(a, Decimal(0)),))


def three_way(engine) -> Plan:
    kis0, kis1 = engine.brokers["kis"].accounts
    ls0 = engine.brokers["ls"].accounts[0]
    return Plan("funds", (Leg(kis0, Decimal(40)), Leg(ls0, Decimal(35)), Leg(kis1, Decimal(25))))


async def test_plan_splits_across_brokers_and_aggregates_fills(sim, engine_for):
    engine = await engine_for(sim, ls=True)
    engine.add_plan(three_way(engine))
    placed = await engine.place(PlaceOrder(CODE, Side.BUY, 20, PRICE, plan="funds"))
    assert placed.ok
    view = engine.parent(placed.local_id)
    assert [leg.qty for leg in view.legs] == [8, 7, 5]
    assert all(leg.status == "new" for leg in view.legs)
    children = engine.book.children(placed.local_id)
    assert {c.account.broker for c in children} == {"kis", "ls"}
    assert all(c.parent_id == placed.local_id for c in children)
    sim.exchange.submit(owner=COUNTERPARTY, code=CODE, side=Side.SELL, qty=20, price=PRICE)
    await wait_for(lambda: engine.parent(placed.local_id).filled_qty == 20)
    view = engine.parent(placed.local_id)
    assert view.avg_price == PRICE and view.leaves_qty == 0
    assert [leg.filled_qty for leg in view.legs] == [8, 7, 5]
    assert any(isinstance(e, ParentUpdated) and e.filled_qty == 20 for e in engine.events)


async def test_amount_plan_is_sized_at_the_limit_price(sim, engine_for):
    engine = await engine_for(sim, ls=True)
    engine.add_plan(three_way(engine))
    placed = await engine.place(PlaceOrder(CODE, Side.BUY, price=PRICE - 10_000,
                                           amount=10 * (PRICE - 10_000) + 5_000, plan="funds"))
    assert [leg.qty for leg in engine.parent(placed.local_id).legs] == [4, 4, 2]


async def test_refused_leg_is_reported_and_the_others_go_on_then_cancel_parent(sim, engine_for):
    engine = await engine_for(sim, ls=True)
    plan = three_way(engine)
    engine.add_plan(plan)
    kis0 = plan.legs[0].account
    # kis0's 1,000 shares are all offered already: its leg of the sell has nothing to sell.
    rest = await engine.place(PlaceOrder(CODE, Side.SELL, 1000, PRICE + 50_000, account=kis0))
    assert rest.ok
    placed = await engine.place(PlaceOrder(CODE, Side.SELL, 100, PRICE + 40_000, plan="funds"))
    view = engine.parent(placed.local_id)
    refused, *sent = view.legs
    assert refused.local_id == "" and "매도가능수량" in refused.reason
    assert [leg.status for leg in sent] == ["new", "new"] and view.leaves_qty == 60
    assert await engine.cancel(placed.local_id) == []
    await wait_for(lambda: all(c.status is OrderStatus.CANCELLED
                               for c in engine.book.children(placed.local_id)))
    assert engine.parent(placed.local_id).leaves_qty == 0
    assert engine.order(rest.local_id).status is OrderStatus.NEW       # not a child: untouched
