"""Rate-limit answers (KIS EGW00201) are refusals before acceptance: the engine sends the order
again after a back-off, within its budget, and rejects it only when the broker keeps refusing."""

from __future__ import annotations

from lucy_tui.brokers.kis.codes import P_ORDER_CASH
from lucy_tui.domain.model import OrderStatus, Side
from lucy_tui.engine import EngineError, PlaceOrder

from support.engine import CODE, PRICE

NO_CLIENT_RETRIES = {"rate_retries": 0}       # the client gives up at once: the engine decides


def owner(account) -> str:
    return f"kis:mock:{account.number}-{account.product}"


async def test_rate_limited_order_is_sent_again_and_lands_once(sim, engine_for):
    engine = await engine_for(sim, kis_kw=NO_CLIENT_RETRIES, rate_retries=(0.05, 0.1, 0.2))
    account = engine.brokers["kis"].accounts[0]
    sim.faults.rate_limit(2, front="kis", path=P_ORDER_CASH)
    placed = await engine.place(PlaceOrder(CODE, Side.BUY, 3, PRICE - 10_000, account=account))
    assert placed.ok
    order = engine.order(placed.local_id)
    assert order.status is OrderStatus.NEW and order.order_no
    assert [o.qty for o in sim.exchange.orders(owner(account))] == [3]
    notes = [e.message for e in engine.events if isinstance(e, EngineError)]
    assert len(notes) == 1 and "EGW00201" in notes[0]       # said once, not per try


async def test_order_refused_for_its_rate_on_every_try_is_rejected(sim, engine_for):
    engine = await engine_for(sim, kis_kw=NO_CLIENT_RETRIES, rate_retries=(0.05, 0.05))
    account = engine.brokers["kis"].accounts[0]
    sim.faults.rate_limit(3, front="kis", path=P_ORDER_CASH)
    placed = await engine.place(PlaceOrder(CODE, Side.BUY, 3, PRICE - 10_000, account=account))
    order = engine.order(placed.local_id)
    assert order.status is OrderStatus.REJECTED and "EGW00201" in order.reject_reason
    assert sim.exchange.orders(owner(account)) == []
