"""On reconnect the engine reconciles orders and fills, then re-reads positions and cash from the
broker: what was filled while the feed was down is counted once, and drift is corrected."""

from __future__ import annotations

import asyncio

from lucy_tui.domain.model import OrderStatus, Side
from lucy_tui.engine import PlaceOrder

from support.engine import CODE, COUNTERPARTY, PRICE, wait_for


async def test_reconnect_reseeds_positions_and_cash_without_double_counting(sim, engine_for):
    engine = await engine_for(sim)
    broker = engine.brokers["kis"]
    account = broker.accounts[0]
    held0 = {p.code: p.qty for p in engine.positions(account)}.get(CODE, 0)
    placed = await engine.place(PlaceOrder(CODE, Side.BUY, 10, PRICE, account=account))
    assert placed.ok
    engine.book.cash[account.key] = 1           # drift the book: only a re-read can mend it
    reconnects = sum(1 for e in engine.events if type(e).__name__ == "BrokerStatusChanged")
    sim.faults.drop_websockets(front="kis")
    sim.exchange.submit(owner=COUNTERPARTY, code=CODE, side=Side.SELL, qty=10, price=PRICE)
    await wait_for(lambda: engine.order(placed.local_id).status is OrderStatus.FILLED
                   and engine.cash(account) != 1, 10)
    await asyncio.sleep(0.3)                    # any late notice has landed
    assert sum(1 for e in engine.events if type(e).__name__ == "BrokerStatusChanged") > reconnects
    balance, positions = await broker.balance(account)
    assert engine.cash(account) == balance.cash_d2
    assert {p.code: p.qty for p in engine.positions(account)}[CODE] == held0 + 10
    assert {p.code: p.qty for p in positions}[CODE] == held0 + 10
    fills = [f for f in engine.book.fills if f.local_id == placed.local_id]
    assert sum(f.qty for f in fills) == 10
