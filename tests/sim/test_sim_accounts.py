"""The broker-neutral back office: reservations, buying power, fills, costs, settlement, notices."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from lucy_tui.clock import KST, ManualClock
from lucy_tui.domain.calendar import settlement_date
from lucy_tui.domain.instruments import load_default
from lucy_tui.domain.model import OrderStatus, OrderType, Side, TimeInForce
from lucy_tui.sim.accounts import BackOffice, NoticeKind, Refusal
from lucy_tui.sim.exchange import Exchange

START = datetime(2026, 11, 24, 10, 0, tzinfo=KST)   # a Tuesday
A, B = "test:A", "test:B"
SAMSUNG, KODEX = "005930", "069500"


@pytest.fixture
def office():
    clock = ManualClock(START)
    universe = [i for i in load_default() if i.code in (SAMSUNG, KODEX)]
    exchange = Exchange(universe, clock=clock)
    back = BackOffice(exchange, clock)
    back.open_account(A, cash=100_000_000, holdings=[(SAMSUNG, 100, 250_000)])
    back.open_account(B, cash=100_000_000, holdings=[(SAMSUNG, 100, 250_000), (KODEX, 1_000, 50_000)])
    notices = []
    back.add_listener(notices.append, owner=A)
    return back, exchange, clock, notices


def test_open_buys_reserve_cash_and_commission(office):
    back, _, _, _ = office
    result = back.place(A, SAMSUNG, Side.BUY, 10, 260_000)
    assert result.ok
    acct = back.account(A)
    assert acct.buying_power == 100_000_000 - 2_600_000 - 390     # 0.015 % of 2,600,000
    back.cancel(A, result.record.no)
    assert back.account(A).buying_power == 100_000_000


def test_market_buys_reserve_at_the_upper_limit(office):
    back, exchange, _, _ = office
    upper = exchange.quote(SAMSUNG).upper_limit
    assert back.reserve_price(SAMSUNG, Side.BUY, OrderType.MARKET, None) == upper
    # Enough for 350 shares at the last price, not at the upper limit: refused before the exchange.
    assert back.place(A, SAMSUNG, Side.BUY, 350, type=OrderType.MARKET).refusal is Refusal.INSUFFICIENT_CASH
    assert exchange.orders(A) == []


def test_sells_reserve_shares_and_refusals(office):
    back, _, _, _ = office
    assert back.place(A, SAMSUNG, Side.SELL, 60, 300_000).ok
    assert back.account(A).holdings[SAMSUNG].sellable == 40
    assert back.place(A, SAMSUNG, Side.SELL, 41, 300_000).refusal is Refusal.INSUFFICIENT_HOLDINGS
    assert back.place(A, KODEX, Side.SELL, 1, 50_000).refusal is Refusal.NO_HOLDINGS
    assert back.place(A, "999999", Side.BUY, 1, 1_000).refusal is Refusal.UNKNOWN_SYMBOL
    assert back.place("nobody", SAMSUNG, Side.BUY, 1, 1_000).refusal is Refusal.UNKNOWN_ACCOUNT


def test_fill_moves_holdings_costs_and_settles_on_d_plus_2(office):
    back, _, clock, notices = office
    price = 269_000
    back.place(B, SAMSUNG, Side.SELL, 10, price)
    buy = back.place(A, SAMSUNG, Side.BUY, 10, price).record
    assert (buy.filled_qty, buy.status) == (10, OrderStatus.FILLED)
    acct = back.account(A)
    holding = acct.holdings[SAMSUNG]
    assert (holding.qty, holding.cost, holding.bought_today) == (110, 100 * 250_000 + 10 * price, 10)
    fee = 10 * price * 15 // 100_000
    assert acct.cash == 100_000_000
    assert acct.cash_d2 == 100_000_000 - 10 * price - fee
    assert acct.buying_power == acct.cash_d2
    seller = back.account(B)
    tax = 10 * price * 20 // 10_000                          # KOSPI 2026: 0.05 % + 0.15 %
    assert seller.cash_d2 == 100_000_000 + 10 * price - fee - tax
    assert seller.holdings[SAMSUNG].cost == 90 * 250_000
    assert [n.kind for n in notices] == [NoticeKind.ACCEPTED, NoticeKind.FILLED]
    due = settlement_date(START.date())
    assert due == date(2026, 11, 26)
    clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=KST))
    acct = back.account(A)
    assert acct.cash == 100_000_000 - 10 * price - fee and not acct.pending
    assert acct.holdings[SAMSUNG].bought_today == 0


def test_etf_sells_pay_no_tax(office):
    back, _, _, _ = office
    back.place(A, KODEX, Side.BUY, 10, 57_150)
    sell = back.place(B, KODEX, Side.SELL, 10, 57_150).record
    assert sell.tax == 0 and sell.commission == 10 * 57_150 * 15 // 100_000


def test_ioc_remainder_and_amend_notices(office):
    back, _, _, notices = office
    back.place(B, SAMSUNG, Side.SELL, 3, 269_000)
    ioc = back.place(A, SAMSUNG, Side.BUY, 5, 269_000, tif=TimeInForce.IOC).record
    assert [(n.kind, n.qty) for n in notices] == [
        (NoticeKind.ACCEPTED, 5), (NoticeKind.FILLED, 3), (NoticeKind.EXPIRED, 2)]
    assert (ioc.filled_qty, ioc.cancelled_qty, ioc.leaves_qty) == (3, 2, 0)
    notices.clear()
    resting = back.place(A, SAMSUNG, Side.BUY, 10, 250_000).record
    amended = back.amend(A, resting.no, price=251_000, qty=4).record
    assert amended.no != resting.no and amended.orig_no == resting.no
    assert (resting.leaves_qty, resting.replaced_qty, amended.qty) == (6, 4, 4)
    assert notices[-1].kind is NoticeKind.AMENDED
    cancel = back.cancel(A, resting.no).record
    assert (cancel.action, cancel.qty, cancel.orig_no) == ("cancel", 6, resting.no)
    assert back.cancel(A, resting.no).refusal is Refusal.NOTHING_TO_CANCEL
    assert back.amend(A, amended.no, type=OrderType.MARKET).refusal is Refusal.TYPE_CHANGE


def test_exchange_rejections_are_recorded(office):
    back, _, _, notices = office
    result = back.place(A, SAMSUNG, Side.BUY, 2, 269_100)
    assert not result.ok and result.reject_reason.name == "BAD_TICK"
    assert (result.record.rejected_qty, result.record.status) == (2, OrderStatus.REJECTED)
    assert notices[-1].kind is NoticeKind.REJECTED
    assert back.account(A).buying_power == 100_000_000


def test_a_sold_out_line_stays_until_the_sale_settles(office):
    back, _, clock, _ = office
    back.place(B, SAMSUNG, Side.BUY, 100, 269_000)
    back.place(A, SAMSUNG, Side.SELL, 100, 269_000)
    assert back.account(A).holdings[SAMSUNG].qty == 0
    clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=KST))
    assert SAMSUNG in back.account(A).holdings
    clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=KST))
    assert SAMSUNG not in back.account(A).holdings
