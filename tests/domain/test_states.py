from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from hypothesis import given, strategies as st

from lucy_tui.clock import KST
from lucy_tui.domain import states
from lucy_tui.domain.model import AccountRef, Fill, Order, OrderStatus, Side
from lucy_tui.domain.states import (
    TRANSITIONS, WORKING, IllegalTransition, OrderEvent, Overfill, next_status,
)

S, E = OrderStatus, OrderEvent
T0 = datetime(2026, 11, 24, 9, 30, tzinfo=KST)
ACCOUNT = AccountRef("kis", "50000001", "01", "fundA")

# The whole table, written out once more by hand: a change to TRANSITIONS must change this too.
EXPECTED = {
    S.PENDING_NEW: {E.ACCEPTED: S.NEW, E.REJECTED: S.REJECTED, E.SEND_UNKNOWN: S.UNKNOWN,
                    E.PARTIAL_FILL: S.PARTIALLY_FILLED, E.FULL_FILL: S.FILLED,
                    E.CANCELLED: S.CANCELLED, E.EXPIRED: S.EXPIRED},
    S.UNKNOWN: {E.ACCEPTED: S.NEW, E.REJECTED: S.REJECTED, E.PARTIAL_FILL: S.PARTIALLY_FILLED,
                E.FULL_FILL: S.FILLED, E.CANCELLED: S.CANCELLED, E.EXPIRED: S.EXPIRED,
                E.SEND_UNKNOWN: S.UNKNOWN},
    S.NEW: {E.ACCEPTED: S.NEW, E.REJECTED: S.REJECTED, E.PARTIAL_FILL: S.PARTIALLY_FILLED,
            E.FULL_FILL: S.FILLED, E.CANCEL_REQUESTED: S.PENDING_CANCEL,
            E.REPLACE_REQUESTED: S.PENDING_REPLACE, E.REPLACED: S.NEW, E.CANCELLED: S.CANCELLED,
            E.EXPIRED: S.EXPIRED},
    S.PARTIALLY_FILLED: {E.ACCEPTED: S.PARTIALLY_FILLED, E.PARTIAL_FILL: S.PARTIALLY_FILLED,
                         E.FULL_FILL: S.FILLED, E.CANCEL_REQUESTED: S.PENDING_CANCEL,
                         E.REPLACE_REQUESTED: S.PENDING_REPLACE, E.REPLACED: S.PARTIALLY_FILLED,
                         E.CANCELLED: S.CANCELLED, E.EXPIRED: S.EXPIRED},
    S.PENDING_CANCEL: {E.ACCEPTED: S.PENDING_CANCEL, E.CANCEL_REQUESTED: S.PENDING_CANCEL,
                       E.PARTIAL_FILL: S.PENDING_CANCEL, E.FULL_FILL: S.FILLED,
                       E.CANCELLED: S.CANCELLED, E.CANCEL_REJECTED: WORKING, E.EXPIRED: S.EXPIRED},
    S.PENDING_REPLACE: {E.ACCEPTED: S.PENDING_REPLACE, E.PARTIAL_FILL: S.PENDING_REPLACE,
                        E.FULL_FILL: S.FILLED, E.REPLACED: WORKING, E.REPLACE_REJECTED: WORKING,
                        E.CANCELLED: S.CANCELLED, E.EXPIRED: S.EXPIRED},
    S.FILLED: {E.ACCEPTED: S.FILLED, E.CANCEL_REJECTED: S.FILLED, E.REPLACE_REJECTED: S.FILLED},
    S.CANCELLED: {E.ACCEPTED: S.CANCELLED, E.CANCELLED: S.CANCELLED, E.PARTIAL_FILL: S.CANCELLED,
                  E.FULL_FILL: S.FILLED, E.REPLACE_REJECTED: S.CANCELLED},
    S.EXPIRED: {E.ACCEPTED: S.EXPIRED, E.PARTIAL_FILL: S.EXPIRED, E.FULL_FILL: S.FILLED},
    S.REJECTED: {E.REJECTED: S.REJECTED},
}


def test_table_is_exactly_the_expected_one():
    flat = {(s, e): t for s, row in EXPECTED.items() for e, t in row.items()}
    assert TRANSITIONS == flat


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("event", list(E))
def test_every_pair_is_either_allowed_or_raises(status, event):
    expected = EXPECTED[status].get(event)
    if expected is None:
        with pytest.raises(IllegalTransition) as info:
            next_status(status, event)
        assert event.value in str(info.value) and status.value in str(info.value)
    elif expected == WORKING:
        assert next_status(status, event, filled_qty=0) is S.NEW
        assert next_status(status, event, filled_qty=5) is S.PARTIALLY_FILLED
    else:
        assert next_status(status, event) is expected


def test_terminal_states_cannot_be_cancelled_or_amended():
    for status in (S.FILLED, S.CANCELLED, S.REJECTED, S.EXPIRED):
        assert status.is_terminal
        for event in (E.CANCEL_REQUESTED, E.REPLACE_REQUESTED):
            with pytest.raises(IllegalTransition):
                next_status(status, event)


def _order(qty=100, **kw) -> Order:
    return Order(local_id="L1", account=ACCOUNT, code="005930", side=Side.BUY, qty=qty,
                 price=71_000, created_at=T0, **kw)


_fill_seq = iter(range(1, 10**9))


def _fill(qty, price=71_000, fill_id=None) -> Fill:
    n = next(_fill_seq)
    return Fill(fill_id=fill_id or f"F{n}", order_no="0000001", account=ACCOUNT, code="005930",
                side=Side.BUY, qty=qty, price=price, time=T0 + timedelta(seconds=n % 1000))


def test_happy_path_accept_partial_fill_complete():
    o = states.on_accepted(_order(), "0000001", T0)
    assert o.status is S.NEW and o.order_no == "0000001" and o.leaves_qty == 100
    o = states.on_fill(o, _fill(30, 71_000))
    assert o.status is S.PARTIALLY_FILLED and o.leaves_qty == 70
    o = states.on_fill(o, _fill(70, 70_900))
    assert o.status is S.FILLED and o.leaves_qty == 0 and o.filled_qty == 100
    assert o.filled_amount == 30 * 71_000 + 70 * 70_900
    assert o.avg_price == pytest.approx(70_930)


def test_fill_before_acknowledgement_then_late_ack():
    o = states.on_fill(_order(), _fill(40))
    assert o.status is S.PARTIALLY_FILLED
    o = states.on_accepted(o, "0000001")
    assert o.status is S.PARTIALLY_FILLED and o.order_no == "0000001"


def test_full_fill_before_ack_then_ack_changes_nothing():
    o = states.on_fill(_order(), _fill(100))
    assert states.on_accepted(o, "0000001").status is S.FILLED


def test_fill_after_cancel_request_keeps_pending_then_cancel_of_the_rest():
    o = states.on_cancel_requested(states.on_accepted(_order(), "1"))
    o = states.on_fill(o, _fill(30))
    assert o.status is S.PENDING_CANCEL and o.filled_qty == 30
    o = states.on_cancelled(o)
    assert o.status is S.CANCELLED and o.cancelled_qty == 70
    assert o.qty == o.filled_qty + o.leaves_qty + o.cancelled_qty


def test_cancel_loses_the_race_to_a_complete_fill():
    o = states.on_cancel_requested(states.on_accepted(_order(), "1"))
    o = states.on_fill(o, _fill(100))
    assert o.status is S.FILLED
    o = states.on_cancel_rejected(o, "취소할 수량이 없습니다")
    assert o.status is S.FILLED


def test_fill_notice_after_cancel_confirmation_is_counted():
    o = states.on_cancel_requested(states.on_accepted(_order(), "1"))
    o = states.on_cancelled(o, qty=100)   # the broker's cancel counted shares already filled
    o = states.on_fill(o, _fill(20))
    assert o.status is S.CANCELLED
    assert (o.filled_qty, o.cancelled_qty) == (20, 80)


def test_cancel_rejected_returns_to_working_state():
    o = states.on_cancel_requested(states.on_fill(states.on_accepted(_order(), "1"), _fill(10)))
    assert states.on_cancel_rejected(o, "x").status is S.PARTIALLY_FILLED
    o2 = states.on_cancel_requested(states.on_accepted(_order(), "1"))
    assert states.on_cancel_rejected(o2).status is S.NEW


def test_amend_gives_a_new_broker_number_and_keeps_the_old_one():
    o = states.on_fill(states.on_accepted(_order(), "0000001"), _fill(30))
    o = states.on_replace_requested(o)
    o = states.on_replaced(o, "0000007", price=70_500)
    assert o.status is S.PARTIALLY_FILLED
    assert (o.order_no, o.orig_order_no, o.price) == ("0000007", "0000001", 70_500)
    assert (o.qty, o.leaves_qty) == (100, 70)


def test_amend_that_reduces_quantity():
    o = states.on_replace_requested(states.on_accepted(_order(), "1"))
    o = states.on_replaced(o, "2", leaves_qty=40)
    assert (o.qty, o.leaves_qty, o.status) == (40, 40, S.NEW)


def test_duplicate_fill_is_applied_once():
    o = states.on_accepted(_order(), "1")
    f = _fill(10, fill_id="exec-1")
    once = states.on_fill(o, f)
    assert states.on_fill(once, f) is once
    assert once.filled_qty == 10


def test_overfill_raises():
    o = states.on_fill(states.on_accepted(_order(qty=10), "1"), _fill(8))
    with pytest.raises(Overfill):
        states.on_fill(o, _fill(3))


def test_unknown_is_resolved_only_by_inquiry_answers():
    o = states.on_send_unknown(_order())
    assert o.status is S.UNKNOWN and o.is_open
    assert states.on_accepted(o, "9").status is S.NEW
    assert states.on_rejected(o, "주문가능금액을 초과 했습니다").reject_reason.startswith("주문가능")
    with pytest.raises(IllegalTransition):
        states.on_cancel_requested(o)


def test_rejected_order_cannot_be_filled():
    o = states.on_rejected(_order(), "호가단위 오류")
    with pytest.raises(IllegalTransition):
        states.on_fill(o, _fill(1))


@given(st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=20),
       st.booleans(), st.integers(min_value=0, max_value=20))
def test_quantity_invariant_holds_through_any_fill_and_cancel_sequence(fills, cancel, cancel_after):
    o = states.on_accepted(_order(qty=200), "1")
    for i, q in enumerate(fills):
        if cancel and i == cancel_after and o.is_open:
            o = states.on_cancelled(states.on_cancel_requested(o))
        open_qty = o.qty - o.filled_qty - o.cancelled_qty
        if o.status is S.CANCELLED:
            q = min(q, o.cancelled_qty)  # late notices only for shares the cancel over-counted
            if q == 0:
                continue
        elif q > open_qty:
            if open_qty == 0:
                break
            q = open_qty
        o = states.on_fill(o, _fill(q))
        assert o.qty == o.filled_qty + o.leaves_qty + o.cancelled_qty
    assert o.qty == o.filled_qty + o.leaves_qty + o.cancelled_qty
    assert o.leaves_qty >= 0
    if o.filled_qty == o.qty:
        assert o.status is S.FILLED


def test_orders_are_immutable():
    o = _order()
    with pytest.raises(Exception):
        o.qty = 5  # type: ignore[misc]
    assert replace(o, qty=5).qty == 5 and o.qty == 100
