"""A notice whose cumulative quantity is ahead of the book means notices were lost: the engine
asks the broker's inquiry, which fills the gap with the right amounts, once."""

from __future__ import annotations

import asyncio
from datetime import datetime

from lucy_tui.brokers.base import FillEvent, OrderReport
from lucy_tui.clock import KST
from lucy_tui.domain.model import AccountRef, Fill, Order, OrderStatus, OrderType, Side, TimeInForce
from lucy_tui.domain.states import on_accepted
from lucy_tui.engine import Engine

ACCOUNT = AccountRef("kis", "50000001", "01")
NO, PRICE = "0000000001", 70_000


class InquiryOnly:
    """A broker that only answers today's orders, from what the test says it holds."""

    name = "kis"
    accounts = (ACCOUNT,)

    def __init__(self):
        self.filled = 0
        self.inquiries = 0

    def set_sink(self, sink):
        pass

    async def orders_today(self, account):
        self.inquiries += 1
        return [OrderReport(ACCOUNT, NO, "005930", Side.BUY, 40, PRICE, OrderType.LIMIT,
                            TimeInForce.DAY, self.filled, self.filled * PRICE)]


def notice(cum: int, qty: int = 2) -> FillEvent:
    return FillEvent(Fill(f"{NO}:{cum}", NO, ACCOUNT, "005930", Side.BUY, qty, PRICE,
                          datetime.now(KST)), cum_qty=cum)


async def test_a_notice_ahead_of_the_book_brings_an_inquiry_that_closes_the_gap():
    engine = Engine()
    broker = InquiryOnly()
    engine.add_broker(broker)
    now = datetime.now(KST)
    order = on_accepted(Order("o-1", ACCOUNT, "005930", Side.BUY, 40, PRICE, created_at=now),
                        NO, now)
    engine._emit(engine.book.add(order))
    engine.on_broker_event(notice(2))
    engine.on_broker_event(notice(4))
    await asyncio.sleep(0.01)
    assert broker.inquiries == 0                   # in step: nothing to ask
    broker.filled = 10                             # 6 shares' notices were lost, then 2 more
    engine.on_broker_event(notice(10))
    for _ in range(20):
        await asyncio.sleep(0.01)
    assert broker.inquiries == 1
    order = engine.order("o-1")
    assert (order.filled_qty, order.filled_amount, order.status) == (10, 10 * PRICE,
                                                                     OrderStatus.PARTIALLY_FILLED)
    engine.on_broker_event(notice(12))
    await asyncio.sleep(0.02)
    assert engine.order("o-1").filled_qty == 12 and broker.inquiries == 1
