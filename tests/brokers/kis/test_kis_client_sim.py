"""KisBroker against the KIS simulator over localhost sockets: orders and their notices,
inquiries (today's and a range's either side of three months back), rejections, unknown outcomes,
tokens, pacing, PINGPONG and reconnects."""

from __future__ import annotations

import asyncio
import os
import stat
import time
from datetime import date, datetime

import pytest

from lucy_tui.brokers.base import (
    BrokerRejected, BrokerStatus, Connection, FillEvent, NotSupported, OrderAcked, OrderAmended,
    OrderCancelled, OrderRejectedEvent, OrderRequest, OutcomeUnknown, Tick,
)
from lucy_tui.clock import KST
from lucy_tui.domain.model import AccountRef, Side, TimeInForce
from lucy_tui.brokers.kis.codes import MOCK_MESSAGES, P_ORDER_CASH, Outcome

from kis_client_support import ShiftedClock, sim_server

CODE, PRICE = "005930", 269000          # the demo universe's 삼성전자, base price, tick 500
TOKEN_PATH = "/oauth2/tokenP"
COUNTERPARTY = "test:counterparty"


def buy(account, qty=1, price=PRICE - 10_000, **kw):
    return OrderRequest(account, CODE, Side.BUY, qty, price, **kw)


def sell(account, qty=1, price=PRICE + 10_000, **kw):
    return OrderRequest(account, CODE, Side.SELL, qty, price, **kw)


def exchange_orders(server, account: AccountRef):
    owner = f"kis:mock:{account.number}-{account.product}"
    return server.exchange.orders(owner)


# ---------------------------------------------------------------- tokens


async def test_token_reused_across_a_restart_without_a_new_issuance(sim, connect, tmp_path):
    first, _, wire1 = await connect(sim)
    account = first.accounts[0]
    await first.quote(CODE)
    assert wire1.requests[TOKEN_PATH] == 1
    token_file = first.tokens.path
    assert stat.S_IMODE(os.stat(token_file).st_mode) == 0o600
    assert first.settings.app_key not in token_file.name
    await first.close()

    second, events, wire2 = await connect(sim)        # a new process: only the file is shared
    assert wire2.requests[TOKEN_PATH] == 0
    assert (await second.quote(CODE)).last == PRICE
    placed = await second.place(buy(account))
    await events.wait(lambda e: isinstance(e, OrderAcked) and e.order_no == placed.order_no)
    assert wire2.requests[TOKEN_PATH] == 0


async def test_expired_token_is_reissued_transparently(connect, tmp_path):
    clock = ShiftedClock()
    async with sim_server(clock=clock) as server:
        broker, events, wire = await connect(server, clock=clock)
        account = broker.accounts[0]
        clock.advance(61)          # past the one-issuance-a-minute guard on both sides
        assert server.faults.expire_tokens() >= 1
        placed = await broker.place(buy(account))
        assert wire.codes["EGW00123"] == 1 and wire.requests[TOKEN_PATH] == 2
        assert len(exchange_orders(server, account)) == 1        # sent once after the refusal
        await events.wait(lambda e: isinstance(e, OrderAcked) and e.order_no == placed.order_no)


# ---------------------------------------------------------------- orders and notices


async def test_place_amend_cancel_with_decrypted_notices_in_order(sim, connect):
    broker, events, _ = await connect(sim)
    account = broker.accounts[0]
    placed = await broker.place(buy(account, qty=10))
    assert placed.branch == "00950" and len(placed.order_no) == 10
    amended = await broker.amend(account, placed.order_no, price=PRICE - 9_500)
    cancelled = await broker.cancel(account, amended.order_no)
    last = await events.wait(lambda e: isinstance(e, OrderCancelled))
    flow = [e for e in events if isinstance(e, (OrderAcked, OrderAmended, OrderCancelled))]
    assert [type(e) for e in flow] == [OrderAcked, OrderAmended, OrderCancelled]
    ack, amend, cancel = flow
    assert (ack.order_no, ack.qty, ack.price, ack.side) == (placed.order_no, 10, PRICE - 10_000, Side.BUY)
    assert (amend.order_no, amend.orig_order_no, amend.price, amend.qty) == (
        amended.order_no, placed.order_no, PRICE - 9_500, 10)
    assert (cancel.order_no, cancel.cancel_no, cancel.qty) == (amended.order_no, cancelled.order_no, 10)
    assert last is cancel and broker.realtime.bad_frames == 0

    reports = {r.order_no: r for r in await broker.orders_today(account)}
    assert reports[placed.order_no].leaves_qty == 0
    assert reports[amended.order_no].is_amend and reports[amended.order_no].orig_order_no == placed.order_no
    assert reports[cancelled.order_no].is_cancel


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


async def test_partial_fills_carry_cumulative_ids(sim, connect):
    broker, events, _ = await connect(sim)
    account = broker.accounts[0]
    placed = await broker.place(sell(account, qty=10, price=PRICE))
    await events.wait(lambda e: isinstance(e, OrderAcked))
    sim.exchange.submit(owner=COUNTERPARTY, code=CODE, side=Side.BUY, qty=4, price=PRICE)
    sim.exchange.submit(owner=COUNTERPARTY, code=CODE, side=Side.BUY, qty=6, price=PRICE)
    await events.wait(lambda e: isinstance(e, FillEvent) and e.cum_qty == 10)
    fills = events.of(FillEvent)
    assert [f.fill.fill_id for f in fills] == [f"{placed.order_no}:4", f"{placed.order_no}:10"]
    assert [(f.fill.qty, f.cum_qty, f.leaves_qty) for f in fills] == [(4, 4, 6), (6, 10, 0)]
    assert all(f.fill.price == PRICE and f.fill.side is Side.SELL for f in fills)
    [report] = [r for r in await broker.orders_today(account) if r.order_no == placed.order_no]
    assert (report.filled_qty, report.filled_amount, report.leaves_qty) == (10, 10 * PRICE, 0)


async def test_three_pages_of_daily_orders_on_mock(sim, connect):
    broker, _, wire = await connect(sim)
    account = broker.accounts[1]
    placed = [await broker.place(buy(account, price=PRICE - 500 * i)) for i in range(1, 32)]
    before = wire.requests["/uapi/domestic-stock/v1/trading/inquire-daily-ccld"]
    reports = await broker.orders_today(account)
    pages = wire.requests["/uapi/domestic-stock/v1/trading/inquire-daily-ccld"] - before
    assert pages == 3                                         # 15 + 15 + 1
    assert sorted(r.order_no for r in reports) == sorted(p.order_no for p in placed)


# ---------------------------------------------------------------- rejections


def mock_text(outcome: Outcome) -> tuple[str, str]:
    msg = MOCK_MESSAGES[outcome]
    return msg.msg_cd, msg.msg1


REJECTIONS = [
    ("insufficient cash", lambda a: buy(a, qty=10_000, price=PRICE), Outcome.INSUFFICIENT_CASH),
    ("no holdings", lambda a: OrderRequest(a, "373220", Side.SELL, 1, 412000), Outcome.NO_HOLDINGS),
    ("insufficient holdings", lambda a: sell(a, qty=5_000), Outcome.INSUFFICIENT_HOLDINGS),
    ("bad tick", lambda a: buy(a, price=PRICE + 100), Outcome.BAD_TICK),
    ("above upper limit", lambda a: buy(a, price=350_000), Outcome.ABOVE_UPPER),
    ("below lower limit", lambda a: buy(a, price=188_000), Outcome.BELOW_LOWER),
    ("unknown symbol", lambda a: OrderRequest(a, "999999", Side.BUY, 1, 10_000), Outcome.UNKNOWN_SYMBOL),
]


@pytest.mark.parametrize("what, request_of, outcome", REJECTIONS, ids=[r[0] for r in REJECTIONS])
async def test_order_rejections_keep_the_korean_message(sim, connect, what, request_of, outcome):
    broker, _, _ = await connect(sim, start=False)
    with pytest.raises(BrokerRejected) as info:
        await broker.place(request_of(broker.accounts[0]))
    code, text = mock_text(outcome)
    assert (info.value.code, info.value.message, info.value.broker_message) == (code, text, text)
    assert "모의투자" in info.value.message


async def test_halted_symbol_and_refused_changes(sim, connect):
    broker, events, _ = await connect(sim)
    account = broker.accounts[0]
    placed = await broker.place(buy(account, qty=5))
    sim.exchange.set_halted("000660")
    with pytest.raises(BrokerRejected) as halted:
        await broker.place(OrderRequest(account, "000660", Side.BUY, 1, 598000))
    assert (halted.value.code, halted.value.message) == mock_text(Outcome.HALTED)
    with pytest.raises(BrokerRejected) as more:
        await broker.amend(account, placed.order_no, price=PRICE - 9_500, qty=6)
    assert (more.value.code, more.value.message) == mock_text(Outcome.AMEND_QTY_INCREASE)
    await broker.cancel(account, placed.order_no)
    with pytest.raises(BrokerRejected) as nothing:
        await broker.cancel(account, placed.order_no)
    assert (nothing.value.code, nothing.value.message) == mock_text(Outcome.NOTHING_TO_CANCEL)
    with pytest.raises(BrokerRejected) as wrong_account:
        await broker.place(buy(AccountRef("kis", "50000000", "01")))
    assert wrong_account.value.code == "OPSQ2000"
    with pytest.raises(BrokerRejected, match="not among today's orders"):
        await broker.cancel(account, "0000999999")


@pytest.mark.parametrize("at, outcome", [
    (datetime(2026, 11, 24, 20, 0, tzinfo=KST), Outcome.MARKET_CLOSED),
    (datetime(2026, 11, 24, 6, 0, tzinfo=KST), Outcome.BEFORE_OPEN),
    (datetime(2026, 11, 22, 11, 0, tzinfo=KST), Outcome.NOT_TRADING_DAY),
])
async def test_market_closed_answers(connect, at, outcome):
    clock = ShiftedClock(at)
    async with sim_server(clock=clock, session="krx") as server:
        broker, _, _ = await connect(server, clock=clock, start=False)
        with pytest.raises(BrokerRejected) as info:
            await broker.place(buy(broker.accounts[0]))
        assert (info.value.code, info.value.message) == mock_text(outcome)


async def test_what_mock_does_not_offer_is_refused_before_sending(sim, connect):
    broker, _, wire = await connect(sim, start=False)
    with pytest.raises(NotSupported):
        await broker.place(buy(broker.accounts[0], tif=TimeInForce.IOC))
    with pytest.raises(NotSupported):
        await broker.instrument(CODE)
    assert wire.uapi == 0


async def test_exchange_reject_also_arrives_as_a_notice(sim, connect):
    broker, events, _ = await connect(sim)
    with pytest.raises(BrokerRejected):
        await broker.place(buy(broker.accounts[0], price=PRICE + 100))
    rejected = await events.wait(lambda e: isinstance(e, OrderRejectedEvent))
    assert rejected.code == CODE and rejected.reason


# ---------------------------------------------------------------- unknown outcomes


async def test_stalled_order_answer_is_unknown_and_never_resent(sim, connect):
    broker, events, wire = await connect(sim, timeout=0.5)
    account = broker.accounts[0]
    sim.faults.stall(None, path=P_ORDER_CASH)
    with pytest.raises(OutcomeUnknown):
        await broker.place(buy(account, qty=3))
    assert wire.requests[P_ORDER_CASH] == 1
    # The order did reach the exchange; the inquiry (not a re-send) finds it.
    orders = exchange_orders(sim, account)
    assert len(orders) == 1 and orders[0].qty == 3
    reports = await broker.orders_today(account)
    assert [r.qty for r in reports] == [3]
    await events.wait(lambda e: isinstance(e, OrderAcked))
    sim.faults.release_stalls()


async def test_rate_limit_answers_are_retried_for_orders(sim, connect):
    broker, events, wire = await connect(sim)
    account = broker.accounts[0]
    sim.faults.rate_limit(2, path=P_ORDER_CASH)
    placed = await broker.place(buy(account))
    assert wire.codes["EGW00201"] == 2 and wire.requests[P_ORDER_CASH] == 3
    assert len(exchange_orders(sim, account)) == 1
    await events.wait(lambda e: isinstance(e, OrderAcked) and e.order_no == placed.order_no)


# ---------------------------------------------------------------- inquiries


async def test_balance_quote_and_buying_power(sim, connect):
    broker, _, _ = await connect(sim, start=False)
    account = broker.accounts[0]
    bal, positions = await broker.balance(account)
    assert bal.cash == 1_000_000_000 and bal.total_value > bal.cash
    held = {p.code: p for p in positions}
    assert held[CODE].qty == 1_000 and held[CODE].cost > 0
    quote = await broker.quote(CODE)
    assert (quote.last, quote.base, quote.upper_limit, quote.lower_limit) == (PRICE, PRICE, 349_500, 188_500)
    power = await broker.buying_power(account, CODE, PRICE)
    assert power.cash > 0 and 0 < power.max_qty <= power.cash // PRICE


# ---------------------------------------------------------------- history


async def test_history_across_the_three_month_line_asks_both_tr_ids(connect):
    old_day = datetime(2026, 7, 15, 10, 0, tzinfo=KST)
    recent_day = datetime(2026, 10, 14, 14, 0, tzinfo=KST)
    clock = ShiftedClock(old_day)
    async with sim_server(clock=clock) as server:
        broker, _, wire = await connect(server, clock=clock, start=False)
        account = broker.accounts[0]
        owner = f"kis:mock:{account.number}-{account.product}"
        old = server.back_office.place(owner, CODE, Side.BUY, 5, PRICE).record
        server.exchange.submit(owner=COUNTERPARTY, code=CODE, side=Side.SELL, qty=2, price=PRICE)
        clock.advance((recent_day - clock.now()).total_seconds())
        recent = server.back_office.place(owner, CODE, Side.BUY, 1, PRICE - 10_000).record
        clock.advance((datetime(2026, 11, 24, 9, 30, tzinfo=KST) - clock.now()).total_seconds())

        reports = await broker.orders_between(account, date(2026, 7, 1), date(2026, 11, 24))
        # Three calendar months back from 11-24 is 08-24: the days before it go to VTSC9215R.
        asked = [(tr, q["INQR_STRT_DT"], q["INQR_END_DT"]) for tr, q in wire.sent
                 if tr in ("VTSC9215R", "VTTC0081R")]
        assert asked == [("VTSC9215R", "20260701", "20260823"),
                         ("VTTC0081R", "20260824", "20261124")]
        by_day = {r.time.date(): r for r in reports}
        assert sorted(by_day) == [old_day.date(), recent_day.date()]
        first, second = by_day[old_day.date()], by_day[recent_day.date()]
        assert (int(first.order_no), first.qty, first.filled_qty, first.filled_amount,
                first.leaves_qty) == (old.no, 5, 2, 2 * PRICE, 3)
        assert (int(second.order_no), second.qty, second.filled_qty) == (recent.no, 1, 0)

        wire.sent.clear()
        only_old = await broker.orders_between(account, date(2026, 7, 1), date(2026, 7, 31))
        assert [int(r.order_no) for r in only_old] == [old.no]
        assert {tr for tr, _ in wire.sent} == {"VTSC9215R"}


# ---------------------------------------------------------------- pacing


async def paced_quotes(broker, n: int) -> float:
    start = time.monotonic()
    await asyncio.gather(*(broker.quote(CODE) for _ in range(n)))
    return time.monotonic() - start


async def test_pacing_at_the_mock_limit_without_a_single_rate_answer(connect):
    async with sim_server(fast=False) as server:       # the spec's 2 requests a second
        broker, _, wire = await connect(server, fast=False, start=False)
        await broker.tokens.get(broker.rest.issue_token)
        elapsed = await paced_quotes(broker, 12)
        assert wire.codes["EGW00201"] == 0 and wire.uapi == 12
        assert elapsed >= 4.9                              # 2 at once, then 2 per window
        # Five windows leave no room for one late wake-up on a loaded 2-core machine (seen:
        # 5.32 s in a full run); the 95 % figure is held by the 200-quote run below.
        assert (12 - 2) / elapsed >= 0.9 * 2


@pytest.mark.slow
async def test_two_hundred_quotes_at_the_mock_limit(connect):
    async with sim_server(fast=False) as server:
        broker, _, wire = await connect(server, fast=False, start=False)
        await broker.tokens.get(broker.rest.issue_token)
        elapsed = await paced_quotes(broker, 200)
        assert wire.codes["EGW00201"] == 0 and wire.uapi == 200
        assert (200 - 2) / elapsed >= 0.95 * 2


# ---------------------------------------------------------------- realtime


async def test_pingpong_is_answered_and_the_session_kept(connect):
    async with sim_server(pingpong_interval=0.15, pingpong_timeout=0.1) as server:
        broker, events, _ = await connect(server)
        await asyncio.sleep(1.0)
        assert broker.realtime.pingpongs >= 4
        assert broker.realtime.sessions == 1
        assert not [e for e in events.of(BrokerStatus) if e.state is Connection.RECONNECTING]


async def test_reconnect_resubscribes_and_notices_flow_again(sim, connect):
    broker, events, _ = await connect(sim)
    account = broker.accounts[0]
    await broker.subscribe_ticks([CODE])
    assert sim.faults.drop_websockets() == 1
    await events.wait(lambda e: isinstance(e, BrokerStatus) and e.state is Connection.RECONNECTING)
    await events.wait(lambda e: isinstance(e, BrokerStatus) and e.state is Connection.LIVE
                      and broker.realtime.sessions == 2)
    placed = await broker.place(sell(account, qty=2, price=PRICE))
    await events.wait(lambda e: isinstance(e, OrderAcked) and e.order_no == placed.order_no)
    sim.exchange.submit(owner=COUNTERPARTY, code=CODE, side=Side.BUY, qty=2, price=PRICE)
    fill = await events.wait(lambda e: isinstance(e, FillEvent))
    assert fill.fill.fill_id == f"{placed.order_no}:2"
    tick = await events.wait(lambda e: isinstance(e, Tick))      # ticks re-subscribed too
    assert (tick.code, tick.price, tick.qty) == (CODE, PRICE, 2)


async def test_fills_missed_while_disconnected_do_not_shift_fill_ids(sim, connect):
    broker, events, _ = await connect(sim, reconnect_initial=0.5, reconnect_max=0.5)
    account = broker.accounts[0]
    placed = await broker.place(sell(account, qty=10, price=PRICE))
    sim.exchange.submit(owner=COUNTERPARTY, code=CODE, side=Side.BUY, qty=3, price=PRICE)
    await events.wait(lambda e: isinstance(e, FillEvent))
    sim.faults.drop_websockets()
    await events.wait(lambda e: isinstance(e, BrokerStatus) and e.state is Connection.RECONNECTING)
    sim.exchange.submit(owner=COUNTERPARTY, code=CODE, side=Side.BUY, qty=2, price=PRICE)  # unseen
    await events.wait(lambda e: isinstance(e, BrokerStatus) and e.state is Connection.LIVE
                      and broker.realtime.sessions == 2)
    sim.exchange.submit(owner=COUNTERPARTY, code=CODE, side=Side.BUY, qty=1, price=PRICE)
    await events.wait(lambda e: isinstance(e, FillEvent) and e.cum_qty == 6)
    assert [f.fill.fill_id for f in events.of(FillEvent)] == [
        f"{placed.order_no}:3", f"{placed.order_no}:6"]


async def test_malformed_frames_are_skipped(sim, connect):
    broker, events, _ = await connect(sim)
    sim.faults.malformed_frame(2)
    placed = await broker.place(buy(broker.accounts[0]))
    await events.wait(lambda e: isinstance(e, OrderAcked) and e.order_no == placed.order_no)
    assert broker.realtime.bad_frames >= 1 and broker.realtime.sessions == 1


# ---------------------------------------------------------------- failures to connect


def closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_unreachable_host_fails_connect_with_a_status(sim, connect):
    from lucy_tui.brokers.base import ConnectionFailed

    broker, events, _ = await connect(sim, start=False,
                                      rest_url=f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(ConnectionFailed):
        await broker.connect()
    assert events.of(BrokerStatus)[-1].state is Connection.DISCONNECTED


async def test_rest_without_realtime_is_degraded_and_keeps_trying(sim, connect):
    broker, events, _ = await connect(sim, ws_url=f"ws://127.0.0.1:{closed_port()}/tryitout",
                                      ws_open_timeout=0.3)
    states = [e.state for e in events.of(BrokerStatus)]
    assert Connection.DEGRADED in states and Connection.RECONNECTING in states
    assert (await broker.quote(CODE)).last == PRICE
