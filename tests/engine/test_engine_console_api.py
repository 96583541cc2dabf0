"""What the console reads from the engine: quotes, buying power, accounts with their cash and
positions, CSV export; and what it is told when the journal cannot write."""

from __future__ import annotations

import asyncio
import csv

from lucy_tui.domain.model import OrderStatus, Side
from lucy_tui.engine import EngineError, PlaceOrder

from support.engine import CODE, PRICE, wait_for


def owner(account) -> str:
    return f"kis:mock:{account.number}-{account.product}"


class CountingQuotes:
    """Wraps a broker's quote() to count the calls that reach it."""

    def __init__(self, broker):
        self.calls = 0
        self._quote = broker.quote
        broker.quote = self

    async def __call__(self, code):
        self.calls += 1
        return await self._quote(code)


async def test_quote_from_a_connected_broker_shared_and_cached_on_request(sim, engine_for):
    engine = await engine_for(sim)
    counter = CountingQuotes(engine.brokers["kis"])
    quotes = await asyncio.gather(*(engine.quote(CODE) for _ in range(5)))
    assert counter.calls == 1                     # five asks at once, one request
    assert {q.code for q in quotes} == {CODE} and quotes[0].upper_limit > quotes[0].lower_limit
    await engine.quote(CODE)
    assert counter.calls == 2                     # no max_age: a fresh quote
    await engine.quote(CODE, max_age=60)
    assert counter.calls == 2                     # young enough
    broker_less = type(engine)()
    try:
        await broker_less.quote(CODE)
    except LookupError as exc:
        assert "no broker" in str(exc)
    else:
        raise AssertionError("a quote without a broker")


async def test_orders_in_one_name_reuse_one_quote_for_their_checks(sim, engine_for):
    engine = await engine_for(sim)
    account = engine.brokers["kis"].accounts[0]
    counter = CountingQuotes(engine.brokers["kis"])
    placed = await asyncio.gather(*(
        engine.place(PlaceOrder(CODE, Side.BUY, 1 + i, PRICE - 10_000, account=account))
        for i in range(6)))
    assert all(p.ok for p in placed)
    assert counter.calls == 1


async def test_buying_power_accounts_positions_and_cash(sim, engine_for):
    engine = await engine_for(sim, ls=True)
    kis0, kis1 = engine.brokers["kis"].accounts
    ls0 = engine.brokers["ls"].accounts[0]
    assert engine.accounts() == [kis0, kis1, ls0]
    power = await engine.buying_power(kis0, CODE, PRICE)
    assert isinstance(power, int) and power == engine.cash(kis0) > 0
    held = engine.positions(kis0)
    assert held and all(p.account == kis0 and p.qty > 0 for p in held)
    assert [p.code for p in held] == sorted(p.code for p in held)
    everyone = engine.positions()
    assert {p.account.key for p in everyone} >= {kis0.key} and set(held) <= set(everyone)
    before = {p.code: p.qty for p in held}.get(CODE, 0)
    cash = engine.cash(kis0)
    from support.engine import COUNTERPARTY

    placed = await engine.place(PlaceOrder(CODE, Side.BUY, 3, PRICE, account=kis0))
    sim.exchange.submit(owner=COUNTERPARTY, code=CODE, side=Side.SELL, qty=3, price=PRICE)
    await wait_for(lambda: engine.order(placed.local_id).status is OrderStatus.FILLED)
    assert {p.code: p.qty for p in engine.positions(kis0)}[CODE] == before + 3
    assert engine.cash(kis0) == cash - 3 * PRICE


async def test_export_csv_writes_one_pair_of_files_per_account(sim, engine_for, tmp_path):
    engine = await engine_for(sim)
    kis0, kis1 = engine.brokers["kis"].accounts
    for account in (kis0, kis1):
        assert (await engine.place(PlaceOrder(CODE, Side.BUY, 2, PRICE - 10_000,
                                              account=account, confirmed=True))).ok
    paths = await engine.export_csv(tmp_path / "out")
    assert len(paths) == 4 and all(p.exists() for p in paths)
    orders = [p for p in paths if p.name.endswith("-orders.csv")]
    for path, account in zip(orders, sorted((kis0, kis1), key=lambda a: a.key)):
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
        assert [r["account"] for r in rows] == [account.key]
    only = await engine.export_csv(tmp_path / "one", kis1)
    assert len(only) == 2 and kis1.number in only[0].name


async def test_journal_failure_refuses_the_send_and_tells_the_listeners(sim, engine_for):
    engine = await engine_for(sim)
    account = engine.brokers["kis"].accounts[0]
    journal = engine.journal
    real_write = journal._write
    failures = []

    def broken(log, chunk):
        if not failures:
            failures.append(chunk)
            raise OSError(28, "No space left on device")
        return real_write(log, chunk)

    journal._write = broken
    placed = await engine.place(PlaceOrder(CODE, Side.BUY, 1, PRICE - 10_000, account=account))
    assert not placed.ok and "not sent" in placed.message
    assert engine.order(placed.local_id).status is OrderStatus.REJECTED
    assert sim.exchange.orders(owner(account)) == []
    await wait_for(lambda: any(isinstance(e, EngineError) and "No space left" in e.message
                               for e in engine.events))
    # The disk recovers: the next order is journaled and sent as usual.
    again = await engine.place(PlaceOrder(CODE, Side.BUY, 2, PRICE - 10_000, account=account))
    assert again.ok and engine.order(again.local_id).status is OrderStatus.NEW


class CountingPower:
    def __init__(self, broker):
        self.calls = 0
        self._power = broker.buying_power
        broker.buying_power = self

    async def __call__(self, *args, **kwargs):
        self.calls += 1
        return await self._power(*args, **kwargs)


async def test_buys_share_a_buying_power_reading_less_what_was_committed_since(sim, engine_for):
    """One reading serves a burst of buys; each is checked against it less every buy sent
    since, so the reading is never spent twice: of three orders that each need 40 % of the
    cash, two go and the third is refused."""
    engine = await engine_for(sim)
    account = engine.brokers["kis"].accounts[0]
    counter = CountingPower(engine.brokers["kis"])
    cash = await engine.buying_power(account, CODE, PRICE - 10_000)
    counter.calls = 0
    qty = cash * 4 // 10 // (PRICE - 10_000)
    results = await asyncio.gather(*(
        engine.place(PlaceOrder(CODE, Side.BUY, qty, PRICE - 10_000, account=account,
                                confirmed=True))
        for _ in range(3)))
    assert sorted(r.ok for r in results) == [False, True, True]
    assert "주문가능금액 부족" in next(r.message for r in results if not r.ok)
    assert counter.calls == 1
    assert len(sim.exchange.orders(owner(account))) == 2


async def test_an_old_buying_power_reading_is_read_again(sim, engine_for, monkeypatch):
    from lucy_tui.engine import engine as engine_module

    monkeypatch.setattr(engine_module, "POWER_TTL", 0.05)
    engine = await engine_for(sim)
    account = engine.brokers["kis"].accounts[0]
    counter = CountingPower(engine.brokers["kis"])
    for qty in (1, 2):
        assert (await engine.place(PlaceOrder(CODE, Side.BUY, qty, PRICE - 10_000,
                                              account=account))).ok
        await asyncio.sleep(0.1)
    assert counter.calls == 2



async def test_a_failing_disk_is_reported_once_not_per_write(tmp_path):
    from datetime import date, datetime

    from lucy_tui.clock import KST
    from lucy_tui.domain.model import AccountRef, Order
    from lucy_tui.engine.journal import Journal, JournalError

    reports = []
    journal = Journal(tmp_path / "j", date(2026, 11, 24), fsync=False, on_error=reports.append)
    journal.start()

    def broken(log, chunk):
        raise OSError(28, "No space left on device")

    journal._write = broken
    order = Order("x-1", AccountRef("kis", "1", "01"), CODE, Side.BUY, 1, PRICE,
                  created_at=datetime.now(KST))
    failures = 0
    for _ in range(5):
        journal.append("order", order)
        try:
            await journal.durable()
        except JournalError:
            failures += 1
    await asyncio.sleep(0.05)
    assert failures == 5
    assert len(reports) == 1 and "No space left" in reports[0]
    await asyncio.wait_for(journal.close(), 2)      # a failed tail does not hang the close
