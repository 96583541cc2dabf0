"""Races between the REST answer and the feed, and the journal: restart recovery in-process and
after kill -9 of a process in the middle of an allocation."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from lucy_tui.brokers.base import FillEvent, OrderAcked, OrderReport, Placed
from lucy_tui.clock import KST
from lucy_tui.domain.model import (
    AccountRef, Balance, Fill, OrderStatus, OrderType, Quote, Side, TimeInForce,
)
from lucy_tui.engine import Engine, FillReceived, Leg, PlaceOrder, Plan

from support.engine import CODE, PRICE, wait_for

ACCOUNT = AccountRef("fake", "111", label="f")


class RacingBroker:
    """A broker whose feed beats its REST answer: ack and fill reach the sink before place()
    returns, and an external order's notices arrive with nothing in flight."""

    name = "fake"
    accounts = (ACCOUNT,)

    def __init__(self):
        self.sink = lambda e: None
        self.n = 0
        self.reports: list[OrderReport] = []

    def set_sink(self, sink):
        self.sink = sink

    async def connect(self): ...

    async def close(self): ...

    async def place(self, order):
        self.n += 1
        no = f"{self.n:010d}"
        now = datetime.now(KST)
        self.sink(OrderAcked(order.account, no, order.code, order.side, order.qty, order.price, now))
        self.sink(FillEvent(Fill(f"{no}:1", no, order.account, order.code, order.side, 1,
                                 order.price, now), cum_qty=1))
        await asyncio.sleep(0.01)
        self.reports.append(OrderReport(order.account, no, order.code, order.side, order.qty,
                                        order.price, OrderType.LIMIT, TimeInForce.DAY, 1,
                                        order.price, time=now))
        return Placed(no, now)

    async def orders_today(self, account):
        return list(self.reports)

    async def balance(self, account):
        return Balance(account, 10**10, 10**10, 10**10), []

    async def buying_power(self, account, code, price, type=OrderType.LIMIT):
        from lucy_tui.brokers.base import BuyingPower
        return BuyingPower(account, code, 10**10, 10**6)

    async def quote(self, code):
        return Quote(code, PRICE, PRICE, upper_limit=349_500, lower_limit=188_500)

    async def instrument(self, code):
        from lucy_tui.brokers.base import NotSupported
        raise NotSupported("no master")


async def test_ack_and_fill_before_the_rest_answer_land_on_the_order(tmp_path):
    broker = RacingBroker()
    engine = Engine(journal_dir=tmp_path / "j", journal_fsync=False)
    engine.add_broker(broker)
    events: list = []
    engine.subscribe(events.append)
    await engine.start()
    placed = await engine.place(PlaceOrder(CODE, Side.BUY, 3, PRICE, account=ACCOUNT))
    order = engine.order(placed.local_id)
    assert (order.status, order.filled_qty, order.order_no) == (
        OrderStatus.PARTIALLY_FILLED, 1, "0000000001")
    assert [e.fill.local_id for e in events if isinstance(e, FillReceived)] == [placed.local_id]
    # An order the broker reports that Lucy never sent: its notices are claimed as external.
    now = datetime.now(KST)
    broker.reports.append(OrderReport(ACCOUNT, "0000000099", CODE, Side.SELL, 5, PRICE,
                                      OrderType.LIMIT, TimeInForce.DAY, 0, 0, time=now))
    broker.sink(OrderAcked(ACCOUNT, "0000000099", CODE, Side.SELL, 5, PRICE, now))
    await wait_for(lambda: any(o.order_no == "0000000099" for o in engine.orders))
    external = next(o for o in engine.orders if o.order_no == "0000000099")
    assert external.external and external.status is OrderStatus.NEW
    await engine.close()


async def test_restart_recovers_orders_fills_parents_and_continues_ids(tmp_path):
    broker = RacingBroker()
    engine = Engine(journal_dir=tmp_path / "j", journal_fsync=False,
                    plans=(Plan("p", (Leg(ACCOUNT, Decimal(1)),)),))
    engine.add_broker(broker)
    await engine.start()
    single = await engine.place(PlaceOrder(CODE, Side.BUY, 3, PRICE, account=ACCOUNT))
    parent = await engine.place(PlaceOrder(CODE, Side.BUY, 4, PRICE - 500, plan="p"))
    before = {o.local_id: o for o in engine.orders}
    await engine.close()

    again = Engine(journal_dir=tmp_path / "j", journal_fsync=False)
    again.add_broker(broker)
    await again.start()
    after = {o.local_id: o for o in again.orders}
    assert after == before
    assert again.parent(parent.local_id).filled_qty == 1
    assert len(again.book.fills) == 2
    nxt = await again.place(PlaceOrder(CODE, Side.BUY, 1, PRICE, account=ACCOUNT))
    assert nxt.local_id not in before and nxt.local_id > max(before) > single.local_id
    await again.close()


CHILD = textwrap.dedent("""
    import asyncio, json, sys
    from decimal import Decimal
    from types import SimpleNamespace
    from pathlib import Path
    sys.path[:0] = [{tests!r}]
    from support.engine import kis_broker, ls_broker, CODE, PRICE
    from lucy_tui.domain.model import Side
    from lucy_tui.engine import Engine, Leg, PlaceOrder, Plan

    async def main():
        server = SimpleNamespace(**json.loads(sys.argv[1]))
        engine = Engine(journal_dir={journal!r}, journal_fsync=True)
        kis = kis_broker(server, Path({tmp!r})); ls = ls_broker(server, Path({tmp!r}))
        engine.add_broker(kis); engine.add_broker(ls)
        await engine.start()
        kis0, kis1 = kis.accounts
        engine.add_plan(Plan("p", (Leg(kis0, Decimal(40)), Leg(ls.accounts[0], Decimal(35)),
                                    Leg(kis1, Decimal(25)))))
        print("started", flush=True)
        for i in range(1000):
            asyncio.ensure_future(engine.place(PlaceOrder(CODE, Side.BUY, 20 + i, PRICE - 10_000,
                                                          plan="p", confirmed=True)))
            await asyncio.sleep(0.01)
    asyncio.run(main())
""")


async def test_kill_9_during_allocations_every_child_accounted_for(sim, tmp_path):
    """A process allocating orders against the simulator is killed mid-stream; a new engine on
    the same journal finds every order the simulator holds as a journaled child of its parent
    (none external, none twice), and nothing journaled is lost."""
    from support.engine import kis_broker, ls_broker

    tests = str(Path(__file__).parents[1])
    script = CHILD.format(tests=tests, engine_tests=str(Path(__file__).parent),
                          journal=str(tmp_path / "j"), tmp=str(tmp_path))
    wire = json.dumps({"urls": sim.urls, "credentials": sim.credentials})
    proc = subprocess.Popen([sys.executable, "-c", script, wire], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        line = await asyncio.to_thread(proc.stdout.readline)
        assert line.strip() == "started", proc.stderr.read()[-3000:] if not line else line
        await asyncio.sleep(0.8)           # allocations under way
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close(); proc.stderr.close()

    engine = Engine(journal_dir=tmp_path / "j", journal_fsync=False, unknown_retries=(0.2,))
    kis, ls = kis_broker(sim, tmp_path), ls_broker(sim, tmp_path)
    engine.add_broker(kis)
    engine.add_broker(ls)
    await engine.start()
    try:
        accounts = [*kis.accounts, *ls.accounts]
        at_sim = sum(len(sim.exchange.orders(_owner(a))) for a in accounts)
        assert at_sim >= 6
        orders = engine.orders
        assert not [o for o in orders if o.external]
        numbered = [o for o in orders if o.order_no]
        assert len(numbered) == at_sim == len({(o.account.key, o.order_no) for o in numbered})
        for order in orders:
            assert order.parent_id in engine.book.parents
            assert order.local_id in [leg.child_id for leg in engine.book.parents[order.parent_id].legs]
            if not order.order_no:      # journaled, never reached the simulator
                assert order.status is OrderStatus.UNKNOWN
    finally:
        await engine.close()


def _owner(account: AccountRef) -> str:
    if account.broker == "kis":
        return f"kis:mock:{account.number}-{account.product}"
    return f"ls:mock:{account.number}"


async def test_journal_segments_are_tinydb_files_and_recover_in_order(tmp_path):
    """Segments are written from the log's encoded lines in TinyDB's file format: TinyDB reads
    them as it reads its own (documents 1..n, the records as journaled) and recovery puts
    segments and the unfolded log back together."""
    from datetime import date

    from tinydb import TinyDB

    from lucy_tui.domain.model import Order
    from lucy_tui.engine.journal import Journal, encode

    now = datetime.now(KST)
    journal = Journal(tmp_path / "j", date(2026, 11, 24), fold_every=3, fsync=False)
    journal.start()
    fills = [Fill(f"0000000001:{k}", "0000000001", ACCOUNT, CODE, Side.BUY, 1, PRICE, now,
                  local_id="x-1") for k in range(1, 8)]
    order = Order("x-1", ACCOUNT, CODE, Side.BUY, 7, PRICE, created_at=now, updated_at=now)
    journal.append("order", order)
    for fill in fills:
        journal.append("fill", fill)
    await journal.close()
    segments = sorted((tmp_path / "j").glob("20261124-*.json"))
    assert len(segments) == 2                  # 8 records: two segments of 3, two in the log
    db = TinyDB(segments[0])
    docs = db.all()
    assert [d.doc_id for d in docs] == [1, 2, 3]
    assert docs[0] == dict(encode("order", order), seq=1)
    assert docs[1] == dict(encode("fill", fills[0]), seq=2)
    db.close()
    rec = Journal(tmp_path / "j", date(2026, 11, 24)).recover()
    assert rec.fills == fills and rec.last_seq == 8
    assert rec.orders["x-1"].fill_ids == frozenset(f.fill_id for f in fills)
