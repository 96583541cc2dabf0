"""The engine against the simulator: one order from intent to fill, pre-trade checks, amend,
cancel, unknown outcomes, reconnects, token expiry and CSV export."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from lucy_tui.brokers.base import Connection
from lucy_tui.domain.model import OrderStatus, OrderType, Side
from lucy_tui.engine import (
    BalanceChanged, BrokerStatusChanged, EngineError, FillReceived, OrderUpdated, PlaceOrder, PositionChanged,
    RiskLimits,
)
from lucy_tui.engine.export import fills_csv, orders_csv

from support.engine import CODE, COUNTERPARTY, PRICE, wait_for


def owner(account) -> str:
    return f"kis:mock:{account.number}-{account.product}"


async def test_order_from_intent_to_fill_updates_book_position_and_cash(sim, engine_for):
    engine = await engine_for(sim)
    account = engine.brokers["kis"].accounts[0]
    cash0 = engine.book.cash[account.key]
    held0 = engine.book.positions.get((account.key, CODE))
    placed = await engine.place(PlaceOrder(CODE, Side.BUY, 10, PRICE, account=account))
    assert placed.ok
    order = engine.order(placed.local_id)
    assert order.status is OrderStatus.NEW and order.order_no
    sim.exchange.submit(owner=COUNTERPARTY, code=CODE, side=Side.SELL, qty=4, price=PRICE)
    sim.exchange.submit(owner=COUNTERPARTY, code=CODE, side=Side.SELL, qty=6, price=PRICE)
    await wait_for(lambda: engine.order(placed.local_id).status is OrderStatus.FILLED)
    order = engine.order(placed.local_id)
    assert (order.filled_qty, order.avg_price, order.leaves_qty) == (10, PRICE, 0)
    fills = [e.fill for e in engine.events if isinstance(e, FillReceived)]
    assert [f.fill_id for f in fills] == [f"{order.order_no}:4", f"{order.order_no}:10"]
    assert engine.book.cash[account.key] == cash0 - 10 * PRICE
    pos = engine.book.positions[(account.key, CODE)]
    assert pos.qty == (held0.qty if held0 else 0) + 10
    assert any(isinstance(e, PositionChanged) for e in engine.events)
    assert any(isinstance(e, BalanceChanged) and e.cash == cash0 - 10 * PRICE for e in engine.events)
    created = [e for e in engine.events if isinstance(e, OrderUpdated) and e.created]
    assert [e.order.local_id for e in created] == [placed.local_id]

    text = orders_csv(engine.orders, account)
    assert text.splitlines()[0].startswith("local_id,parent_id,account,order_no")
    assert f"{placed.local_id},,{account.key},{order.order_no}" in text and ",filled," in text
    rows = fills_csv(engine.book.fills, account).splitlines()
    assert len(rows) == 3 and rows[2].startswith(f"{order.order_no}:10,{placed.local_id}")
    assert fills_csv(engine.book.fills, engine.brokers["kis"].accounts[1]).count("\n") == 1


async def test_pre_trade_checks_refuse_with_one_message_and_send_nothing(sim, engine_for):
    engine = await engine_for(sim, limits=RiskLimits(max_qty=2000, max_value=300_000_000))
    account = engine.brokers["kis"].accounts[0]
    cases = {
        "호가단위": PlaceOrder(CODE, Side.BUY, 1, PRICE + 100, account=account),       # off tick
        "상한가": PlaceOrder(CODE, Side.BUY, 1, PRICE * 2, account=account),           # above band
        "최대 주문수량": PlaceOrder(CODE, Side.BUY, 2001, PRICE, account=account),
        "최대 주문금액": PlaceOrder(CODE, Side.BUY, 1500, PRICE, account=account),
        "매도가능수량": PlaceOrder(CODE, Side.SELL, 1001, PRICE, account=account),  # holds 1,000
    }
    for words, intent in cases.items():
        result = await engine.place(intent)
        assert not result.ok and len(result.errors) >= 1
        assert words in result.message, (words, result.message)
    assert sim.exchange.orders(owner(account)) == []
    assert engine.orders == []
    assert sum(isinstance(e, EngineError) for e in engine.events) == len(cases)


async def test_buying_power_and_real_environment_guards(sim, engine_for):
    engine = await engine_for(sim)
    account = engine.brokers["kis"].accounts[0]
    big = await engine.place(PlaceOrder(CODE, Side.BUY, 9000, PRICE, account=account))
    assert "주문가능금액 부족" in big.message
    from lucy_tui.engine import risk
    refused = risk.check(side=Side.BUY, code=CODE, qty=1, price=PRICE, type=OrderType.LIMIT,
                         limits=RiskLimits(), real=True)
    assert "real" in refused.message
    assert risk.check(side=Side.BUY, code=CODE, qty=1, price=PRICE, type=OrderType.LIMIT,
                      limits=RiskLimits(allow_real=True), real=True).ok


async def test_duplicate_order_needs_confirmation(sim, engine_for):
    engine = await engine_for(sim, limits=RiskLimits(duplicate_window=timedelta(seconds=30)))
    account = engine.brokers["kis"].accounts[0]
    intent = PlaceOrder(CODE, Side.BUY, 3, PRICE - 5000, account=account)
    assert (await engine.place(intent)).ok
    again = await engine.place(intent)
    assert not again.ok and again.warnings and "같은 주문" in again.message
    assert len(sim.exchange.orders(owner(account))) == 1
    confirmed = await engine.place(PlaceOrder(CODE, Side.BUY, 3, PRICE - 5000, account=account,
                                              confirmed=True))
    assert confirmed.ok and len(sim.exchange.orders(owner(account))) == 2


async def test_amend_takes_the_new_number_and_cancel_ends_it(sim, engine_for):
    engine = await engine_for(sim)
    account = engine.brokers["kis"].accounts[0]
    placed = await engine.place(PlaceOrder(CODE, Side.BUY, 5, PRICE - 10_000, account=account))
    first_no = engine.order(placed.local_id).order_no
    assert await engine.amend(placed.local_id, PRICE - 9_500) == []
    order = engine.order(placed.local_id)
    assert order.order_no != first_no and order.orig_order_no == first_no
    assert order.price == PRICE - 9_500 and order.status is OrderStatus.NEW
    assert await engine.cancel(placed.local_id) == []
    await wait_for(lambda: engine.order(placed.local_id).status is OrderStatus.CANCELLED)
    order = engine.order(placed.local_id)
    assert (order.cancelled_qty, order.leaves_qty) == (5, 0)
    await engine.refresh()                   # the inquiry agrees and adds nothing
    assert len(engine.orders) == 1 and engine.order(placed.local_id) == order


async def test_unknown_outcome_is_resolved_by_inquiry_never_resent(sim, engine_for):
    from lucy_tui.brokers.kis.codes import P_ORDER_CASH

    engine = await engine_for(sim, kis_kw={"timeout": 0.5}, unknown_retries=(0.2, 0.3, 0.5))
    account = engine.brokers["kis"].accounts[0]
    sim.faults.stall(None, count=3, path=P_ORDER_CASH)
    results = await asyncio.gather(*(
        engine.place(PlaceOrder(CODE, Side.BUY, qty, PRICE - 10_000, account=account))
        for qty in (1, 2, 3)))
    assert all(engine.order(r.local_id).status is OrderStatus.UNKNOWN for r in results)
    sim.faults.release_stalls()
    await wait_for(lambda: all(engine.order(r.local_id).status is OrderStatus.NEW
                               for r in results))
    exchange = sim.exchange.orders(owner(account))
    assert sorted(o.qty for o in exchange) == [1, 2, 3]           # zero duplicates
    numbers = {engine.order(r.local_id).order_no for r in results}
    assert len(numbers) == 3 and all(not o.external for o in engine.orders)
    assert len(engine.orders) == 3


async def test_fills_exactly_once_across_repeated_websocket_drops(sim, engine_for):
    engine = await engine_for(sim)
    account = engine.brokers["kis"].accounts[0]
    placed = await engine.place(PlaceOrder(CODE, Side.SELL, 40, PRICE, account=account))
    assert placed.ok
    for i in range(20):
        sim.exchange.submit(owner=COUNTERPARTY, code=CODE, side=Side.BUY, qty=2, price=PRICE)
        if i % 4 == 1:
            sim.faults.drop_websockets(front="kis")
        await asyncio.sleep(0.02)
    await wait_for(lambda: engine.order(placed.local_id).status is OrderStatus.FILLED, 10)
    await asyncio.sleep(0.5)          # late notices and reconciliations settle
    await engine.refresh()
    order = engine.order(placed.local_id)
    assert (order.filled_qty, order.filled_amount) == (40, 40 * PRICE)
    fills = [f for f in engine.book.fills if f.local_id == placed.local_id]
    assert sum(f.qty for f in fills) == 40
    assert len({f.fill_id for f in fills}) == len(fills)
    assert not [e for e in engine.events if isinstance(e, EngineError)]
    drops = [e for e in engine.events if isinstance(e, BrokerStatusChanged)
             and e.state is Connection.RECONNECTING]
    assert len(drops) >= 3


async def test_orders_placed_outside_lucy_appear_as_external(sim, engine_for):
    engine = await engine_for(sim)
    account = engine.brokers["kis"].accounts[1]
    other = engine.brokers["kis"]
    from lucy_tui.brokers.base import OrderRequest
    placed = await other.place(OrderRequest(account, CODE, Side.BUY, 7, PRICE - 20_000))
    await wait_for(lambda: any(o.order_no == placed.order_no for o in engine.orders))
    order = next(o for o in engine.orders if o.order_no == placed.order_no)
    assert order.external and order.qty == 7 and order.status is OrderStatus.NEW


async def test_expired_token_mid_session_is_transparent(engine_for, tmp_path):
    from support.brokers import ShiftedClock
    from support.engine import make_sim

    clock = ShiftedClock()
    async with make_sim(clock=clock) as server:
        engine = await engine_for(server, clock=clock)
        account = engine.brokers["kis"].accounts[0]
        clock.advance(61)
        assert server.faults.expire_tokens() >= 1
        placed = await engine.place(PlaceOrder(CODE, Side.BUY, 2, PRICE - 10_000, account=account))
        assert placed.ok and engine.order(placed.local_id).status is OrderStatus.NEW
        assert len(server.exchange.orders(owner(account))) == 1
