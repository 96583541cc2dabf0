"""Amending part of an order (정정 일부, `a <order> @PRICE QTY`): the moved shares get the
broker's new number and an order of their own; the rest keeps working under the old number."""

from __future__ import annotations

from decimal import Decimal

from lucy_tui.domain.model import OrderStatus, Side
from lucy_tui.engine import EngineError, Leg, PlaceOrder, Plan

from support.engine import CODE, COUNTERPARTY, PRICE, wait_for

LOW = PRICE - 10_000


def owner(account) -> str:
    return f"kis:mock:{account.number}-{account.product}"


def part_of(engine, local_id):
    original = engine.order(local_id)
    parts = [o for o in engine.orders
             if o.orig_order_no == original.order_no and o.local_id != local_id]
    assert len(parts) == 1, parts
    return parts[0]


async def test_part_moves_to_a_new_number_and_the_rest_keeps_working(sim, engine_for):
    engine = await engine_for(sim)
    account = engine.brokers["kis"].accounts[0]
    placed = await engine.place(PlaceOrder(CODE, Side.BUY, 5, LOW, account=account))
    first_no = engine.order(placed.local_id).order_no
    assert await engine.amend(placed.local_id, LOW + 500, qty=2) == []

    original, part = engine.order(placed.local_id), part_of(engine, placed.local_id)
    assert (original.order_no, original.price, original.status) == (first_no, LOW, OrderStatus.NEW)
    assert (original.qty, original.cancelled_qty, original.leaves_qty) == (5, 2, 3)
    assert part.order_no and part.order_no != first_no and part.orig_order_no == first_no
    assert (part.qty, part.price, part.leaves_qty, part.status) == (2, LOW + 500, 2, OrderStatus.NEW)
    at_sim = sorted((o.price, o.leaves) for o in sim.exchange.orders(owner(account)) if o.leaves)
    assert at_sim == [(LOW, 3), (LOW + 500, 2)]

    # A seller at the new price fills the part only; the original stays as it was.
    sim.exchange.submit(owner=COUNTERPARTY, code=CODE, side=Side.SELL, qty=2, price=LOW + 500)
    await wait_for(lambda: engine.order(part.local_id).status is OrderStatus.FILLED)
    assert engine.order(placed.local_id) == original

    # The inquiry agrees: nothing new, nothing moved twice.
    before = {o.local_id: o for o in engine.orders}
    await engine.refresh()
    assert {o.local_id: o for o in engine.orders} == before

    assert await engine.cancel(placed.local_id) == []
    await wait_for(lambda: engine.order(placed.local_id).status is OrderStatus.CANCELLED)
    original = engine.order(placed.local_id)
    assert (original.cancelled_qty, original.filled_qty, original.leaves_qty) == (5, 0, 0)


async def test_amend_qty_at_or_above_the_open_amends_the_whole_order(sim, engine_for):
    engine = await engine_for(sim)
    account = engine.brokers["kis"].accounts[0]
    placed = await engine.place(PlaceOrder(CODE, Side.BUY, 4, LOW, account=account))
    first_no = engine.order(placed.local_id).order_no
    assert await engine.amend(placed.local_id, LOW + 500, qty=4) == []
    order = engine.order(placed.local_id)
    assert order.orig_order_no == first_no and order.price == LOW + 500 and order.leaves_qty == 4
    assert len(engine.orders) == 1


async def test_bad_amend_quantities_are_refused_before_anything_leaves(sim, engine_for):
    engine = await engine_for(sim)
    account = engine.brokers["kis"].accounts[0]
    placed = await engine.place(PlaceOrder(CODE, Side.BUY, 4, LOW, account=account))
    before = engine.order(placed.local_id)
    assert "1주 이상" in (await engine.amend(placed.local_id, LOW + 500, qty=0))[0]
    assert "호가단위" in (await engine.amend(placed.local_id, LOW + 100, qty=2))[0]
    assert engine.orders == [before]


async def test_parent_amend_qty_is_split_over_children_by_what_each_has_open(sim, engine_for):
    engine = await engine_for(sim, ls=True)
    kis0, ls0 = engine.brokers["kis"].accounts[0], engine.brokers["ls"].accounts[0]
    engine.add_plan(Plan("half", (Leg(kis0, Decimal(1)), Leg(ls0, Decimal(1)))))
    placed = await engine.place(PlaceOrder(CODE, Side.BUY, 10, LOW, plan="half"))
    assert placed.ok
    children = engine.book.children(placed.local_id)
    assert await engine.amend(placed.local_id, LOW + 500, qty=4) == []
    for child in children:
        part = part_of(engine, child.local_id)
        assert (part.qty, part.price, part.parent_id) == (2, LOW + 500, placed.local_id)
        assert engine.order(child.local_id).leaves_qty == 3
    view = engine.parent(placed.local_id)
    assert view.qty == 10 and view.leaves_qty == 10 and len(view.legs) == 4


async def test_part_amend_with_unknown_outcome_is_resolved_by_the_broker_not_resent(sim, engine_for):
    from lucy_tui.brokers.kis.codes import P_ORDER_RVSECNCL

    engine = await engine_for(sim, kis_kw={"timeout": 0.5}, unknown_retries=(0.2, 0.3, 0.5, 1))
    account = engine.brokers["kis"].accounts[0]
    placed = await engine.place(PlaceOrder(CODE, Side.BUY, 5, LOW, account=account))
    # The simulator carries the amend out and holds its answer: the client times out, and
    # the feed's notice (or, failing it, the inquiry) says what happened.
    sim.faults.stall(None, count=1, path=P_ORDER_RVSECNCL)
    await engine.amend(placed.local_id, LOW + 500, qty=2)
    sim.faults.release_stalls()
    await wait_for(lambda: engine.order(placed.local_id).status is OrderStatus.NEW)
    part = part_of(engine, placed.local_id)
    assert part.status is OrderStatus.NEW and part.qty == 2 and part.order_no
    assert engine.order(placed.local_id).leaves_qty == 3
    assert len([o for o in sim.exchange.orders(owner(account)) if o.leaves]) == 2   # sent once
    assert not [e for e in engine.events if isinstance(e, EngineError)]


async def test_part_amended_elsewhere_appears_once(sim, engine_for):
    """An amend of part of the order made outside Lucy (HTS): the feed's notice splits the
    order, and the inquiry afterwards finds nothing more to add."""
    engine = await engine_for(sim)
    account = engine.brokers["kis"].accounts[0]
    placed = await engine.place(PlaceOrder(CODE, Side.BUY, 5, LOW, account=account))
    first_no = engine.order(placed.local_id).order_no
    await engine.brokers["kis"].amend(account, first_no, price=LOW + 1000, qty=1)
    await wait_for(lambda: len(engine.orders) == 2)
    part = part_of(engine, placed.local_id)
    assert (part.qty, part.price, part.status) == (1, LOW + 1000, OrderStatus.NEW)
    assert engine.order(placed.local_id).leaves_qty == 4
    await engine.refresh()
    assert len(engine.orders) == 2 and engine.order(part.local_id) == part
    assert not [e for e in engine.events if isinstance(e, EngineError)]


# ------------------------------------------------------------ the inquiry's view, in isolation

def _book_with_order():
    from datetime import datetime

    from lucy_tui.clock import KST
    from lucy_tui.domain import states
    from lucy_tui.domain.model import AccountRef, Order
    from lucy_tui.engine.book import Book

    account = AccountRef("kis", "50000001", "01")
    now = datetime.now(KST)
    book = Book()
    book.add(states.on_accepted(Order("o-1", account, CODE, Side.BUY, 5, LOW, created_at=now),
                                "0000000001", now))
    return book, account, now


def _report(account, no, qty, *, orig="", cancelled=0, price=LOW):
    from lucy_tui.brokers.base import OrderReport
    from lucy_tui.domain.model import OrderType, TimeInForce

    return OrderReport(account, no, CODE, Side.BUY, qty, price, OrderType.LIMIT, TimeInForce.DAY,
                       0, 0, cancelled_qty=cancelled, orig_order_no=orig, is_amend=bool(orig))


def _merge(book, account, reports, now, splits=None):
    from lucy_tui.engine import reconcile

    ids = iter(f"n-{i}" for i in range(1, 10))
    return reconcile.merge(book, account, reports, new_id=lambda: next(ids), now=now,
                           in_flight=set(), splits=splits)


def test_inquiry_resolves_a_pending_part_and_moves_its_shares_once():
    from lucy_tui.domain import states
    from lucy_tui.domain.model import Order

    book, account, now = _book_with_order()
    part = states.on_send_unknown(Order("o-2", account, CODE, Side.BUY, 2, LOW + 500,
                                        orig_order_no="0000000001", created_at=now))
    book.add_part(part)
    book.transition("o-1", states.on_replace_requested, now)
    splits = {(account.key, "0000000001"): "o-2"}
    reports = [_report(account, "0000000001", 5, cancelled=2),
               _report(account, "0000000002", 2, orig="0000000001", price=LOW + 500)]
    for _ in range(2):                           # the second inquiry changes nothing
        _merge(book, account, reports, now, splits)
        assert splits == {}
        assert (book.orders["o-2"].order_no, book.orders["o-2"].status) == ("0000000002", OrderStatus.NEW)
        assert (book.orders["o-1"].leaves_qty, book.orders["o-1"].status) == (3, OrderStatus.NEW)
        assert set(book.orders) == {"o-1", "o-2"}


def test_inquiry_finds_a_part_amended_elsewhere_and_a_whole_amend_moves_the_order():
    book, account, now = _book_with_order()
    _merge(book, account, [_report(account, "0000000001", 5, cancelled=1),
                           _report(account, "0000000002", 1, orig="0000000001", price=LOW + 500)],
           now)
    part = book.find(account, "0000000002")
    assert part.local_id == "n-1" and part.qty == 1 and part.orig_order_no == "0000000001"
    assert book.orders["o-1"].leaves_qty == 4

    book, account, now = _book_with_order()
    _merge(book, account, [_report(account, "0000000001", 5, cancelled=5),
                           _report(account, "0000000002", 5, orig="0000000001", price=LOW + 500)],
           now)
    assert set(book.orders) == {"o-1"}
    moved = book.orders["o-1"]
    assert (moved.order_no, moved.orig_order_no, moved.price) == ("0000000002", "0000000001", LOW + 500)

