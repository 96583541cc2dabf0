"""LsBroker against the LS simulator over localhost sockets: orders and their SC0–SC4 events,
today's orders over several pages, rejections, unknown outcomes, inquiries, orders of past days
(CSPAQ13700 day by day), per-TR pacing,
re-registration after a dropped socket, and realtime ticks by market."""

from __future__ import annotations

import asyncio
import os
import stat
import time
from datetime import date, datetime, timedelta

import pytest

from lucy_tui.brokers.base import (
    BrokerRejected, BrokerStatus, Connection, ConnectionFailed, FillEvent, NotSupported,
    OrderAcked, OrderAmended, OrderCancelled, OrderRejectedEvent, OrderRequest, OutcomeUnknown,
    Tick,
)
from lucy_tui.brokers.ls import codes
from lucy_tui.brokers.ls.codes import MESSAGES, Outcome
from lucy_tui.clock import KST
from lucy_tui.domain.model import AccountRef, OrderType, Side, TimeInForce, Venue
from lucy_tui.sim.ls import REJECT_AS_SC4

from ls_client_support import ShiftedClock, owner_of, sim_server

CODE, PRICE = "005930", 269000          # the demo universe's 삼성전자: base price, tick 500
KOSDAQ_CODE, KOSDAQ_PRICE = "247540", 103900
COUNTERPARTY = "test:counterparty"
ORDER_EVENTS = (OrderAcked, FillEvent, OrderAmended, OrderCancelled, OrderRejectedEvent)


def buy(account, qty=1, price=PRICE - 10_000, **kw):
    return OrderRequest(account, CODE, Side.BUY, qty, price, **kw)


def sell(account, qty=1, price=PRICE + 10_000, **kw):
    return OrderRequest(account, CODE, Side.SELL, qty, price, **kw)


def exchange_orders(server, which="mock"):
    return server.exchange.orders(owner_of(server, which))


def order_flow(events):
    return [e for e in events if isinstance(e, ORDER_EVENTS)]


# ---------------------------------------------------------------- the life of orders


async def test_order_partial_fill_amend_cancel_reject_in_order(connect):
    async with sim_server(exchange_rejects=REJECT_AS_SC4) as server:
        broker, events, _ = await connect(server)
        account = broker.accounts[0]
        placed = await broker.place(sell(account, qty=10, price=PRICE))
        await events.wait(lambda e: isinstance(e, OrderAcked))
        server.exchange.submit(owner=COUNTERPARTY, code=CODE, side=Side.BUY, qty=4, price=PRICE)
        await events.wait(lambda e: isinstance(e, FillEvent))
        amended = await broker.amend(account, placed.order_no, price=PRICE + 500)
        await events.wait(lambda e: isinstance(e, OrderAmended))
        cancelled = await broker.cancel(account, amended.order_no)
        await events.wait(lambda e: isinstance(e, OrderCancelled))
        # The exchange refuses a price off the tick after the broker took the order (SC4).
        bad = await broker.place(buy(account, price=PRICE - 100))
        await events.wait(lambda e: isinstance(e, OrderRejectedEvent))

        flow = order_flow(events)
        assert [type(e) for e in flow] == [OrderAcked, FillEvent, OrderAmended, OrderCancelled,
                                           OrderAcked, OrderRejectedEvent]
        ack, fill, amend, cancel, bad_ack, reject = flow
        assert (ack.order_no, ack.side, ack.qty, ack.price) == (placed.order_no, Side.SELL, 10, PRICE)
        assert (fill.fill.order_no, fill.fill.qty, fill.fill.price, fill.cum_qty, fill.leaves_qty) == (
            placed.order_no, 4, PRICE, 4, 6)
        assert fill.fill.fill_id.startswith(f"{placed.order_no}:")
        # The amend is recorded under its new number, for the open 6 only.
        assert amended.order_no != placed.order_no
        assert (amend.order_no, amend.orig_order_no, amend.price, amend.qty) == (
            amended.order_no, placed.order_no, PRICE + 500, 6)
        assert broker.tracker.orders[amended.order_no].code == CODE
        assert (cancel.order_no, cancel.cancel_no, cancel.qty, cancel.reason) == (
            amended.order_no, cancelled.order_no, 6, "user")
        assert (bad_ack.order_no, reject.order_no) == (bad.order_no, bad.order_no)
        assert reject.reason and reject.code == CODE
        assert broker.realtime.bad_frames == 0

        reports = {r.order_no: r for r in await broker.orders_today(account)}
        first = reports[placed.order_no]
        assert (first.filled_qty, first.filled_amount, first.leaves_qty) == (4, 4 * PRICE, 0)
        assert reports[amended.order_no].is_amend and reports[amended.order_no].leaves_qty == 0
        assert reports[amended.order_no].orig_order_no == placed.order_no
        assert reports[cancelled.order_no].is_cancel


async def test_fills_are_named_by_execno_and_a_replayed_push_is_not_a_second_fill(sim, connect):
    broker, events, _ = await connect(sim)
    account = broker.accounts[0]
    raw: list = []
    handle = broker.realtime._frame

    def capture(frame):
        raw.append(frame)
        handle(frame)
    broker.realtime._frame = capture
    placed = await broker.place(sell(account, qty=10, price=PRICE))
    await events.wait(lambda e: isinstance(e, OrderAcked))
    sim.exchange.submit(owner=COUNTERPARTY, code=CODE, side=Side.BUY, qty=4, price=PRICE)
    sim.exchange.submit(owner=COUNTERPARTY, code=CODE, side=Side.BUY, qty=6, price=PRICE)
    await events.wait(lambda e: isinstance(e, FillEvent) and e.cum_qty == 10)
    fills = events.of(FillEvent)
    assert [(f.fill.qty, f.cum_qty, f.leaves_qty) for f in fills] == [(4, 4, 6), (6, 10, 0)]
    ids = [f.fill.fill_id for f in fills]
    assert len(set(ids)) == 2 and all(i.startswith(f"{placed.order_no}:") for i in ids)
    for frame in [f for f in raw if '"SC1"' in (f if isinstance(f, str) else f.decode())]:
        handle(frame)                     # the same SC1 pushes once more
    await asyncio.sleep(0.05)
    assert len(events.of(FillEvent)) == 2 and broker.tracker.duplicates == 2
    [report] = [r for r in await broker.orders_today(account) if r.order_no == placed.order_no]
    assert (report.filled_qty, report.filled_amount, report.leaves_qty) == (10, 10 * PRICE, 0)


async def test_partial_amend_and_cancel_of_some_shares(sim, connect):
    broker, events, _ = await connect(sim)
    account = broker.accounts[0]
    placed = await broker.place(buy(account, qty=10))
    amended = await broker.amend(account, placed.order_no, price=PRICE - 9_500, qty=4)
    await broker.cancel(account, placed.order_no, qty=2)
    await events.wait(lambda e: isinstance(e, OrderCancelled))
    reports = {r.order_no: r for r in await broker.orders_today(account)}
    assert reports[placed.order_no].leaves_qty == 4       # 10 - 4 moved - 2 cancelled
    assert reports[amended.order_no].leaves_qty == 4
    cancel = events.of(OrderCancelled)[0]
    assert (cancel.order_no, cancel.qty) == (placed.order_no, 2)


async def test_an_order_placed_elsewhere_is_found_before_a_cancel(sim, connect):
    first, _, _ = await connect(sim)
    placed = await first.place(buy(first.accounts[0], qty=3))
    second, events, wire = await connect(sim)            # another session: knows nothing of it
    before = wire.trs["t0425"]
    cancelled = await second.cancel(second.accounts[0], placed.order_no)
    assert wire.trs["t0425"] == before + 1                # learned code and open qty by inquiry
    cancel = await events.wait(lambda e: isinstance(e, OrderCancelled))
    assert (cancel.order_no, cancel.qty, cancel.cancel_no) == (placed.order_no, 3, cancelled.order_no)
    with pytest.raises(BrokerRejected, match="not among today's orders"):
        await second.cancel(second.accounts[0], "999999")


@pytest.mark.parametrize("strict", [False, True], ids=["cursor", "cursor+cont_key"])
async def test_today_orders_over_several_pages(connect, strict):
    async with sim_server(page_sizes={codes.T0425: 5}, strict_cont_key=strict) as server:
        broker, _, wire = await connect(server, start=False)
        account = broker.accounts[0]
        placed = [await broker.place(buy(account, price=PRICE - 500 * i)) for i in range(1, 13)]
        reports = await broker.orders_today(account)
        assert wire.trs["t0425"] == 3                     # 5 + 5 + 2
        assert [r.order_no for r in reports] == [p.order_no for p in placed]
        assert all(r.qty == 1 and r.leaves_qty == 1 for r in reports)


# ---------------------------------------------------------------- refusals and unknowns


REJECTIONS = [
    ("insufficient cash", lambda a: buy(a, qty=100_000, price=PRICE), Outcome.INSUFFICIENT_CASH),
    ("no holdings", lambda a: OrderRequest(a, "373220", Side.SELL, 1, 412000), Outcome.NO_HOLDINGS),
    ("bad tick", lambda a: buy(a, price=PRICE + 100), Outcome.BAD_TICK),
    ("below lower limit", lambda a: buy(a, price=188_000), Outcome.BELOW_LOWER),
]


@pytest.mark.parametrize("what, request_of, outcome", REJECTIONS, ids=[r[0] for r in REJECTIONS])
async def test_refusals_keep_the_korean_message(sim, connect, what, request_of, outcome):
    broker, _, wire = await connect(sim, start=False)
    with pytest.raises(BrokerRejected) as info:
        await broker.place(request_of(broker.accounts[0]))
    msg = MESSAGES[outcome]
    assert (info.value.code, info.value.message) == (msg.rsp_cd, msg.rsp_msg)
    assert wire.trs["CSPAT00601"] == 1 and exchange_orders(sim) == []


async def test_what_lucy_cannot_send_is_refused_before_sending(sim, connect):
    broker, _, wire = await connect(sim, start=False)
    account = broker.accounts[0]
    with pytest.raises(NotSupported):
        await broker.place(buy(account, type=OrderType.STOP_LIMIT))
    with pytest.raises(NotSupported):
        await broker.place(buy(account, venue=Venue.NXT))        # mock: KRX only
    with pytest.raises(BrokerRejected, match="not the account"):
        await broker.place(buy(AccountRef("ls", "55500000000")))
    assert sum(wire.trs.values()) == 0


async def test_market_ioc_rest_is_cancelled_by_the_exchange(sim, connect):
    broker, events, _ = await connect(sim)
    account = broker.accounts[0]
    sim.exchange.submit(owner=COUNTERPARTY, code=CODE, side=Side.SELL, qty=3, price=PRICE)
    placed = await broker.place(OrderRequest(account, CODE, Side.BUY, 10, None, OrderType.MARKET,
                                             TimeInForce.IOC))
    cancel = await events.wait(lambda e: isinstance(e, OrderCancelled))
    fill = await events.wait(lambda e: isinstance(e, FillEvent))
    assert (fill.fill.qty, fill.fill.price) == (3, PRICE)
    assert (cancel.order_no, cancel.qty, cancel.reason, cancel.cancel_no) == (
        placed.order_no, 7, "ioc", "")


async def test_stalled_order_answer_is_unknown_and_never_resent(sim, connect):
    broker, events, wire = await connect(sim, timeout=0.5)
    account = broker.accounts[0]
    sim.faults.stall(None, path=codes.P_ORDER, key=codes.CSPAT00601)
    with pytest.raises(OutcomeUnknown):
        await broker.place(buy(account, qty=3))
    assert wire.trs["CSPAT00601"] == 1
    # The order did reach the exchange; the inquiry (not a re-send) finds it.
    assert [o.qty for o in exchange_orders(sim)] == [3]
    assert [r.qty for r in await broker.orders_today(account)] == [3]
    await events.wait(lambda e: isinstance(e, OrderAcked))
    sim.faults.release_stalls()


async def test_rate_limit_answers_are_retried_for_orders(sim, connect):
    broker, events, wire = await connect(sim)
    sim.faults.rate_limit(2, key=codes.CSPAT00601)
    placed = await broker.place(buy(broker.accounts[0]))
    assert wire.codes["IGW00201"] == 2 and wire.trs["CSPAT00601"] == 3
    assert len(exchange_orders(sim)) == 1
    await events.wait(lambda e: isinstance(e, OrderAcked) and e.order_no == placed.order_no)


# ---------------------------------------------------------------- inquiries


async def test_balance_quote_buying_power_and_master(sim, connect):
    broker, _, _ = await connect(sim, start=False)
    account = broker.accounts[0]
    bal, positions = await broker.balance(account)
    assert bal.cash == 1_000_000_000 and bal.buying_power > 0
    assert bal.total_value == bal.cash_d2 + bal.stock_value
    held = {p.code: p for p in positions}
    assert held[CODE].qty == 1_000 and held[CODE].cost > 0 and held[CODE].last == PRICE
    quote = await broker.quote(CODE)
    assert (quote.last, quote.base, quote.upper_limit, quote.lower_limit) == (
        PRICE, PRICE, 349_500, 188_500)
    power = await broker.buying_power(account, CODE, PRICE)
    assert power.cash == bal.buying_power
    assert 0 < power.max_qty <= power.cash // PRICE
    assert (power.max_qty + 1) * PRICE > power.cash * 0.999
    market_power = await broker.buying_power(account, CODE, None, OrderType.MARKET)
    assert market_power.max_qty <= power.cash // 349_500
    inst = await broker.instrument(KOSDAQ_CODE)
    assert (inst.code, inst.isin, inst.base_price) == (KOSDAQ_CODE, "KR7247540008", KOSDAQ_PRICE)
    assert inst.market.value == "KOSDAQ"
    with pytest.raises(BrokerRejected, match="t8436"):
        await broker.instrument("999999")


# ---------------------------------------------------------------- history (CSPAQ13700)

DAY1 = datetime(2026, 11, 16, 10, 0, tzinfo=KST)        # a Monday
DAY2 = datetime(2026, 11, 19, 11, 30, tzinfo=KST)       # that Thursday
TODAY = datetime(2026, 11, 24, 9, 30, tzinfo=KST)       # the Tuesday after


def move(clock, to: datetime) -> None:
    clock.advance((to - clock.now()).total_seconds())


async def test_history_day_by_day_with_amend_cancel_and_partial_fills(connect):
    clock = ShiftedClock(DAY1)
    async with sim_server(clock=clock, page_sizes={codes.CSPAQ13700: 2}) as server:
        office, owner = server.back_office, owner_of(server)
        first = office.place(owner, CODE, Side.SELL, 10, PRICE).record
        server.exchange.submit(owner=COUNTERPARTY, code=CODE, side=Side.BUY, qty=4, price=PRICE)
        amend = office.amend(owner, first.no, price=PRICE + 500).record
        server.exchange.submit(owner=COUNTERPARTY, code=CODE, side=Side.BUY, qty=2,
                               price=PRICE + 500)
        cancel = office.cancel(owner, amend.no).record
        move(clock, DAY2)
        resting = office.place(owner, KOSDAQ_CODE, Side.BUY, 3, KOSDAQ_PRICE - 100).record
        move(clock, TODAY)
        broker, _, wire = await connect(server, clock=clock, start=False)
        account = broker.accounts[0]

        reports = await broker.orders_between(account, date(2026, 11, 14), date(2026, 11, 24))
        # One inquiry per trading day (16-20, 23, 24), DAY1's three records over two pages; the
        # five empty days answer 00200.
        assert wire.trs[codes.CSPAQ13700] == 7 + 1
        assert wire.codes["00200"] == 5
        assert [r.order_no for r in reports] == [str(n) for n in (first.no, amend.no, cancel.no,
                                                                  resting.no)]
        original, amended, cancelled, open_buy = reports
        assert (original.side, original.qty, original.price, original.filled_qty,
                original.filled_amount, original.cancelled_qty, original.leaves_qty) == (
            Side.SELL, 10, PRICE, 4, 4 * PRICE, 6, 0)
        assert not (original.is_amend or original.is_cancel) and original.orig_order_no == ""
        assert (amended.is_amend, amended.orig_order_no, amended.qty, amended.price,
                amended.filled_qty, amended.filled_amount, amended.cancelled_qty) == (
            True, str(first.no), 6, PRICE + 500, 2, 2 * (PRICE + 500), 4)
        assert (cancelled.is_cancel, cancelled.is_amend, cancelled.orig_order_no,
                cancelled.qty, cancelled.cancelled_qty, cancelled.leaves_qty) == (
            True, False, str(amend.no), 4, 4, 0)
        assert (open_buy.code, open_buy.side, open_buy.qty, open_buy.price, open_buy.filled_qty,
                open_buy.leaves_qty) == (KOSDAQ_CODE, Side.BUY, 3, KOSDAQ_PRICE - 100, 0, 3)
        for report in (original, amended, cancelled):
            assert (report.code, report.name, report.venue) == (CODE, "삼성전자", Venue.KRX)
            assert (report.type, report.tif) == (OrderType.LIMIT, TimeInForce.DAY)
            assert report.time.date() == DAY1.date() and report.time.hour == 10
        assert (open_buy.time.date(), open_buy.time.hour, open_buy.time.minute) == (
            DAY2.date(), 11, 30)

        # Empty days only: nothing but 00200s; a weekend sends nothing; a month is the limit.
        before = wire.trs[codes.CSPAQ13700]
        assert await broker.orders_between(account, date(2026, 11, 9), date(2026, 11, 13)) == []
        assert await broker.orders_between(account, date(2026, 11, 21), date(2026, 11, 22)) == []
        assert wire.trs[codes.CSPAQ13700] == before + 5 and wire.codes["00200"] == 5 + 5
        month = await broker.orders_between(account, date(2026, 10, 25), date(2026, 11, 24))
        assert len(month) == 4

        # Today is asked even on a day the calendar has closed (a simulator open every day):
        # an order placed on Saturday shows in a range ending that day.
        move(clock, datetime(2026, 11, 28, 10, 0, tzinfo=KST))
        saturday = office.place(owner, CODE, Side.BUY, 1, PRICE).record
        week = await broker.orders_between(account, date(2026, 11, 23), date(2026, 11, 28))
        assert [r.order_no for r in week][-1] == str(saturday.no)


async def test_history_refuses_long_or_reversed_ranges_before_sending(sim, connect):
    broker, _, wire = await connect(sim, start=False)
    account = broker.accounts[0]
    end = date(2026, 11, 24)
    with pytest.raises(NotSupported) as too_long:
        await broker.orders_between(account, end - timedelta(days=31), end)     # 32 days
    assert "31일까지만" in str(too_long.value) and "at most 31 days" in str(too_long.value)
    with pytest.raises(BrokerRejected, match="조회 기간"):
        await broker.orders_between(account, end, end - timedelta(days=1))
    assert sum(wire.trs.values()) == 0 and wire.tokens == 0


# ---------------------------------------------------------------- pacing


async def test_per_tr_pacing_at_the_published_limits_without_a_rate_answer(connect):
    async with sim_server(fast=False) as server:          # the spec's per-TR table
        broker, _, wire = await connect(server, fast=False, start=False)
        account = broker.accounts[0]
        await broker.rest.token()
        start = time.monotonic()
        await asyncio.gather(
            *(broker.orders_today(account) for _ in range(6)),       # t0425: 2/s
            *(broker.quote(CODE) for _ in range(25)),                # t1102: 10/s
            *(broker.rest.call(codes.CSPAQ12200, {"RecCnt": 1, "BalCreTp": "0"})
              for _ in range(4)),                                    # CSPAQ12200: 1/s
        )
        elapsed = time.monotonic() - start
        assert wire.codes["IGW00201"] == 0
        assert (wire.trs["t0425"], wire.trs["t1102"], wire.trs["CSPAQ12200"]) == (6, 25, 4)
        # The slowest lane sets the pace: 4 at 1/s is 3 windows; the others fit inside it.
        assert 3.0 <= elapsed < 4.5


@pytest.mark.slow
async def test_orders_at_ten_a_second_for_five_seconds(connect):
    async with sim_server(fast=False) as server:
        broker, _, wire = await connect(server, fast=False, start=False)
        await broker.rest.token()
        start = time.monotonic()
        await asyncio.gather(*(broker.place(buy(broker.accounts[0], price=PRICE - 500 * (i % 20 + 1)))
                               for i in range(60)))
        elapsed = time.monotonic() - start
        assert wire.codes["IGW00201"] == 0 and wire.trs["CSPAT00601"] == 60
        assert (60 - 10) / elapsed >= 0.95 * 10


# ---------------------------------------------------------------- realtime


async def test_ticks_by_market_and_re_registration_after_a_dropped_socket(sim, connect):
    broker, events, _ = await connect(sim)
    account = broker.accounts[0]
    await broker.subscribe_ticks([CODE, KOSDAQ_CODE])
    assert set(broker.realtime.registered) >= {("S3_", CODE), ("K3_", KOSDAQ_CODE)}
    sent_before = broker.realtime.registrations
    assert sim.faults.drop_websockets() == 1
    await events.wait(lambda e: isinstance(e, BrokerStatus) and e.state is Connection.RECONNECTING)
    await events.wait(lambda e: isinstance(e, BrokerStatus) and e.state is Connection.LIVE
                      and broker.realtime.sessions == 2)
    # SC0–SC4 (one each) and both tick registrations went out again on the new socket.
    assert broker.realtime.registrations - sent_before == 5 + 2
    placed = await broker.place(sell(account, qty=2, price=PRICE))
    await events.wait(lambda e: isinstance(e, OrderAcked) and e.order_no == placed.order_no)
    sim.exchange.submit(owner=COUNTERPARTY, code=CODE, side=Side.BUY, qty=2, price=PRICE)
    fill = await events.wait(lambda e: isinstance(e, FillEvent))
    assert (fill.fill.order_no, fill.fill.qty, fill.leaves_qty) == (placed.order_no, 2, 0)
    tick = await events.wait(lambda e: isinstance(e, Tick) and e.code == CODE)
    assert (tick.price, tick.qty) == (PRICE, 2)
    sim.exchange.submit(owner=COUNTERPARTY, code=KOSDAQ_CODE, side=Side.SELL, qty=5,
                        price=KOSDAQ_PRICE)
    sim.exchange.submit(owner="test:other", code=KOSDAQ_CODE, side=Side.BUY, qty=5,
                        price=KOSDAQ_PRICE)
    kosdaq = await events.wait(lambda e: isinstance(e, Tick) and e.code == KOSDAQ_CODE)
    assert (kosdaq.price, kosdaq.qty, kosdaq.side) == (KOSDAQ_PRICE, 5, Side.BUY)
    await broker.unsubscribe_ticks([KOSDAQ_CODE])
    assert ("K3_", KOSDAQ_CODE) not in broker.realtime.registered


async def test_malformed_frames_are_skipped(sim, connect):
    broker, events, _ = await connect(sim)
    sim.faults.malformed_frame(2)
    placed = await broker.place(buy(broker.accounts[0]))
    await events.wait(lambda e: isinstance(e, OrderAcked) and e.order_no == placed.order_no)
    assert broker.realtime.bad_frames >= 1 and broker.realtime.sessions == 1


def closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_unreachable_host_fails_connect_with_a_status(sim, connect):
    broker, events, _ = await connect(sim, start=False, rest_url=f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(ConnectionFailed):
        await broker.connect()
    assert events.of(BrokerStatus)[-1].state is Connection.DISCONNECTED


async def test_rest_without_realtime_is_degraded_and_keeps_trying(sim, connect):
    broker, events, _ = await connect(sim, ws_url=f"ws://127.0.0.1:{closed_port()}/websocket",
                                      ws_open_timeout=0.3)
    states = [e.state for e in events.of(BrokerStatus)]
    assert Connection.DEGRADED in states and Connection.RECONNECTING in states
    assert (await broker.quote(CODE)).last == PRICE


async def test_token_file_is_private_and_reused_across_a_restart(sim, connect):
    first, _, wire1 = await connect(sim)
    await first.quote(CODE)
    assert wire1.tokens == 1
    path = first.tokens.path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert first.settings.app_key not in path.name
    assert first.tokens.current().token not in path.read_text().replace(
        first.tokens.current().token, "")      # stored once, as the cache's own field
    await first.close()
    second, events, wire2 = await connect(sim)        # a new process: only the file is shared
    placed = await second.place(buy(second.accounts[0]))
    await events.wait(lambda e: isinstance(e, OrderAcked) and e.order_no == placed.order_no)
    assert wire2.tokens == 0


async def test_the_broker_contract(sim, connect):
    from lucy_tui.brokers.base import Broker

    broker, _, _ = await connect(sim, start=False)
    assert isinstance(broker, Broker) and broker.name == "ls"
    assert broker.accounts == broker.settings.accounts and len(broker.accounts) == 1
    assert broker.capabilities.venues == {Venue.KRX}
    assert (OrderType.MARKET, TimeInForce.IOC) in broker.capabilities.order_types
    assert "app_key" not in repr(broker) and broker.settings.app_key not in repr(broker)
