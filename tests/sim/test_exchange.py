"""Exchange simulator: order types, priority, amend/cancel, rejections, sessions, determinism."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from lucy_tui.clock import KST, ManualClock
from lucy_tui.domain import krx
from lucy_tui.domain.model import (
    Instrument, InstrumentKind, Level, Market, OrderStatus, OrderType, Side, TimeInForce, Venue,
)
from lucy_tui.sim.events import (
    Accepted, Amended, BookChanged, CancelReason, Cancelled, Filled, PhaseChanged, Rejected,
    RejectReason, Trade, Triggered,
)
from lucy_tui.sim.exchange import Exchange, SessionMode

BUY, SELL = Side.BUY, Side.SELL
IOC, FOK = TimeInForce.IOC, TimeInForce.FOK
SS = "005930"


def inst(code: str = SS, base: int = 70_000, **kw) -> Instrument:
    kw.setdefault("name", "삼성전자")
    return Instrument(code, f"KR7{code}003", kw.pop("name"), "Samsung", kw.pop("market", Market.KOSPI),
                      kw.pop("kind", InstrumentKind.STOCK), base_price=base, **kw)


def make(*instruments: Instrument, **kw) -> Exchange:
    kw.setdefault("clock", ManualClock())
    return Exchange(instruments or [inst()], **kw)


@pytest.fixture
def ex() -> Exchange:
    return make(inst(), inst("000660", 150_000, name="SK하이닉스"),
                inst("500001", 1_000, name="테스트ELW", kind=InstrumentKind.ELW, lot=10),
                inst("900001", 10_000, name="정리매매", liquidation=True),
                inst("900002", 10_000, name="정지종목", halted=True))


def order(ex, side, qty, price=None, owner="u1", code=SS, **kw):
    return ex.submit(owner=owner, code=code, side=side, qty=qty, price=price, **kw)


def of(result, cls):
    return [e for e in result.events if isinstance(e, cls)]


def fills(result, order_id=None):
    return [(f.price, f.qty) for f in of(result, Filled) if order_id in (None, f.order_id)]


def book(ex, code=SS):
    bids, asks = ex.book(code)
    return [(lv.price, lv.qty) for lv in bids], [(lv.price, lv.qty) for lv in asks]


def check_conservation(ex):
    for o in ex.orders():
        assert o.qty == o.filled + o.leaves + o.cancelled, o


# ---------------------------------------------------------------- limit orders and priority

def test_limit_order_rests_and_book_aggregates_per_price(ex):
    r1 = order(ex, BUY, 10, 69_900)
    r2 = order(ex, BUY, 5, 69_900, owner="u2")
    order(ex, BUY, 7, 69_800)
    order(ex, SELL, 3, 70_100)
    assert [type(e) for e in r1.events] == [Accepted, BookChanged]
    acc = r1.events[0]
    assert (acc.order_id, acc.price, acc.qty, acc.side, acc.venue) == (r1.order_id, 69_900, 10, BUY, Venue.KRX)
    assert r2.order_id == r1.order_id + 1
    assert book(ex) == ([(69_900, 15), (69_800, 7)], [(70_100, 3)])
    q = ex.quote(SS)
    assert q.bids[0] == Level(69_900, 15) and q.asks[0] == Level(70_100, 3)
    assert (q.base, q.last, q.upper_limit, q.lower_limit) == (70_000, 70_000, 91_000, 49_000)


def test_partial_fills_across_levels_at_resting_prices(ex):
    a = order(ex, SELL, 10, 70_100, owner="s1").order_id
    b = order(ex, SELL, 10, 70_100, owner="s2").order_id
    c = order(ex, SELL, 10, 70_200, owner="s3").order_id
    r = order(ex, BUY, 25, 70_300)
    assert fills(r, r.order_id) == [(70_100, 10), (70_100, 10), (70_200, 5)]
    passive = [(f.order_id, f.qty, f.aggressor) for f in of(r, Filled) if f.order_id != r.order_id]
    assert passive == [(a, 10, False), (b, 10, False), (c, 5, False)]
    last = [f for f in of(r, Filled) if f.order_id == r.order_id][-1]
    assert (last.cum_qty, last.leaves_qty, last.aggressor) == (25, 0, True)
    assert last.avg_price == Decimal(70_100 * 20 + 70_200 * 5) / 25
    trades = of(r, Trade)
    assert [(t.price, t.qty, t.side) for t in trades] == [(70_100, 10, BUY), (70_100, 10, BUY), (70_200, 5, BUY)]
    assert (trades[-1].cum_volume, trades[-1].open, trades[-1].high, trades[-1].low) == (25, 70_100, 70_200, 70_100)
    assert len(of(r, BookChanged)) == 1
    assert book(ex) == ([], [(70_200, 5)])
    assert ex.order(c).leaves == 5 and ex.order(c).status is OrderStatus.PARTIALLY_FILLED
    assert ex.order(r.order_id).status is OrderStatus.FILLED
    exec_ids = [f.exec_id for f in of(r, Filled)]
    assert exec_ids == sorted(exec_ids) and len(set(exec_ids)) == len(exec_ids)
    q = ex.quote(SS)
    assert (q.last, q.volume, q.turnover) == (70_200, 25, 70_100 * 20 + 70_200 * 5)
    check_conservation(ex)


def test_remainder_of_marketable_limit_rests_at_its_limit(ex):
    order(ex, SELL, 10, 70_100)
    r = order(ex, BUY, 15, 70_200)
    assert fills(r, r.order_id) == [(70_100, 10)]
    assert book(ex) == ([(70_200, 5)], [])


def test_same_price_fills_in_arrival_order_and_better_price_first(ex):
    first = order(ex, BUY, 5, 69_900, owner="a").order_id
    second = order(ex, BUY, 5, 69_900, owner="b").order_id
    better = order(ex, BUY, 5, 70_000, owner="c").order_id
    r = order(ex, SELL, 12, 69_900, owner="d")
    hit = [f.order_id for f in of(r, Filled) if not f.aggressor]
    assert hit == [better, first, second]
    assert ex.order(second).leaves == 3
    assert ex.queue(SS, BUY, 69_900) == (second,)


def test_price_amend_loses_priority(ex):
    a = order(ex, BUY, 5, 69_800, owner="a").order_id
    b = order(ex, BUY, 5, 69_900, owner="b").order_id
    amended = ex.amend(a, owner="a", price=69_900)
    new = amended.order_id
    assert new > b and ex.queue(SS, BUY, 69_900) == (b, new)
    r = order(ex, SELL, 5, 69_900, owner="s")
    assert [f.order_id for f in of(r, Filled) if not f.aggressor] == [b]


def test_amend_at_unchanged_price_and_partial_cancel_keep_priority(ex):
    a = order(ex, BUY, 10, 69_900, owner="a").order_id
    b = order(ex, BUY, 10, 69_900, owner="b").order_id
    assert ex.cancel(a, owner="a", qty=4).ok          # quantity reduction: 6 left, still first
    assert ex.queue(SS, BUY, 69_900) == (a, b)
    am = ex.amend(a, owner="a", qty=6)                 # whole rest, same price: new number, same place
    assert of(am, Amended)[0].keeps_priority
    new = am.order_id
    assert ex.queue(SS, BUY, 69_900) == (new, b)
    r = order(ex, SELL, 6, 69_900, owner="s")
    assert [f.order_id for f in of(r, Filled) if not f.aggressor] == [new]
    assert ex.order(b).leaves == 10


def test_amend_part_of_open_quantity_splits_under_two_numbers(ex):
    oid = order(ex, BUY, 10, 69_900).order_id
    order(ex, SELL, 3, 69_900, owner="s")                       # 7 open
    r = ex.amend(oid, owner="u1", price=69_800, qty=4)
    am = of(r, Amended)[0]
    assert (am.order_id, am.orig_order_id, am.price, am.qty, am.side) == (r.order_id, oid, 69_800, 4, BUY)
    old, new = ex.order(oid), ex.order(r.order_id)
    assert (old.price, old.leaves, old.filled, old.cancelled, old.replaced) == (69_900, 3, 3, 4, 4)
    assert old.status is OrderStatus.PARTIALLY_FILLED
    assert (new.price, new.qty, new.leaves, new.orig_id) == (69_800, 4, 4, oid)
    assert book(ex) == ([(69_900, 3), (69_800, 4)], [])
    check_conservation(ex)


def test_amend_of_whole_rest_closes_the_old_number(ex):
    oid = order(ex, SELL, 10, 70_300).order_id
    r = ex.amend(oid, owner="u1", price=70_200)
    assert ex.order(oid).leaves == 0 and ex.order(oid).status is OrderStatus.CANCELLED
    assert ex.order(oid).replaced == 10
    assert ex.order(r.order_id).leaves == 10
    assert book(ex) == ([], [(70_200, 10)])


def test_amend_to_a_marketable_price_trades_at_once(ex):
    order(ex, SELL, 5, 70_100, owner="s")
    oid = order(ex, BUY, 5, 69_900).order_id
    r = ex.amend(oid, owner="u1", price=70_100)
    assert [type(e) for e in r.events][:2] == [Amended, Filled]
    assert fills(r, r.order_id) == [(70_100, 5)]
    assert ex.order(r.order_id).status is OrderStatus.FILLED


def test_amend_rejections(ex):
    oid = order(ex, BUY, 10, 69_900).order_id
    r = ex.amend(oid, owner="u1", qty=11)
    assert r.rejected.reason is RejectReason.AMEND_QTY_INCREASE
    assert "늘릴 수 없습니다" in r.rejected.message and r.rejected.orig_order_id == oid
    assert ex.amend(oid, owner="intruder", price=69_800).rejected.reason is RejectReason.NOT_OWNER
    assert ex.amend(oid, owner="u1", price=69_850).rejected.reason is RejectReason.BAD_TICK
    assert ex.amend(oid, owner="u1", price=91_100).rejected.reason is RejectReason.ABOVE_UPPER_LIMIT
    assert ex.amend(oid, owner="u1", qty=0).rejected.reason is RejectReason.BAD_QUANTITY
    assert ex.amend(999, owner="u1", price=69_800).rejected.reason is RejectReason.NOTHING_TO_CANCEL
    order(ex, SELL, 10, 69_900, owner="s")
    r = ex.amend(oid, owner="u1", price=69_800)
    assert r.rejected.reason is RejectReason.NOTHING_TO_CANCEL and r.order_id is None
    assert "잔량이 없습니다" in r.rejected.message


# ---------------------------------------------------------------- cancel

def test_cancel_part_then_all(ex):
    oid = order(ex, BUY, 10, 69_900).order_id
    r = ex.cancel(oid, owner="u1", qty=4)
    c = of(r, Cancelled)[0]
    assert (c.order_id, c.qty, c.reason, c.cancel_id) == (oid, 4, CancelReason.USER, r.order_id)
    assert r.order_id > oid
    assert ex.order(oid).leaves == 6 and book(ex) == ([(69_900, 6)], [])
    r = ex.cancel(oid, owner="u1")
    assert of(r, Cancelled)[0].qty == 6
    v = ex.order(oid)
    assert (v.leaves, v.cancelled, v.status) == (0, 10, OrderStatus.CANCELLED)
    assert book(ex) == ([], [])
    assert ex.cancel(oid, owner="u1").rejected.reason is RejectReason.NOTHING_TO_CANCEL


def test_cancel_more_than_open_cancels_the_rest(ex):
    oid = order(ex, BUY, 10, 69_900).order_id
    r = ex.cancel(oid, owner="u1", qty=50)
    assert of(r, Cancelled)[0].qty == 10


def test_cancel_filled_foreign_and_unknown_orders_are_rejected(ex):
    order(ex, SELL, 5, 70_100, owner="s")
    filled = order(ex, BUY, 5, 70_100).order_id
    r = ex.cancel(filled, owner="u1")
    assert r.rejected.reason is RejectReason.NOTHING_TO_CANCEL and r.order_id is None
    assert isinstance(r.events[0], Rejected) and r.events[0].orig_order_id == filled
    resting = order(ex, BUY, 5, 69_000).order_id
    r = ex.cancel(resting, owner="kis:99999999-01")
    assert r.rejected.reason is RejectReason.NOT_OWNER and "다른 계좌" in r.rejected.message
    assert ex.order(resting).leaves == 5
    assert ex.cancel(12345, owner="u1").rejected.reason is RejectReason.NOTHING_TO_CANCEL


# ---------------------------------------------------------------- order types

def test_market_order_walks_the_book_and_cancels_the_rest(ex):
    order(ex, SELL, 5, 70_100, owner="s")
    order(ex, SELL, 5, 70_500, owner="s")
    r = order(ex, BUY, 12, type=OrderType.MARKET)
    assert of(r, Accepted)[0].price is None
    assert fills(r, r.order_id) == [(70_100, 5), (70_500, 5)]
    c = of(r, Cancelled)[0]
    assert (c.qty, c.reason) == (2, CancelReason.NO_LIQUIDITY)
    v = ex.order(r.order_id)
    assert (v.filled, v.cancelled, v.status) == (10, 2, OrderStatus.CANCELLED)


def test_market_order_on_an_empty_side_is_cancelled(ex):
    r = order(ex, SELL, 3, type=OrderType.MARKET)
    assert [type(e) for e in r.events] == [Accepted, Cancelled]
    assert of(r, Cancelled)[0].reason is CancelReason.NO_LIQUIDITY


def test_market_ioc_remainder_is_an_ioc_remainder(ex):
    order(ex, SELL, 5, 70_100, owner="s")
    r = order(ex, BUY, 8, type=OrderType.MARKET, tif=IOC)
    assert of(r, Cancelled)[0].reason is CancelReason.IOC_REMAINDER


def test_best_takes_the_best_opposite_price_and_rests_there(ex):
    order(ex, SELL, 5, 70_100, owner="s")
    order(ex, SELL, 5, 70_200, owner="s")
    r = order(ex, BUY, 8, type=OrderType.BEST)
    assert of(r, Accepted)[0].price == 70_100
    assert fills(r, r.order_id) == [(70_100, 5)]
    assert book(ex) == ([(70_100, 3)], [(70_200, 5)])
    assert ex.order(r.order_id).price == 70_100


def test_best_without_opposite_and_best_ioc(ex):
    r = order(ex, BUY, 8, type=OrderType.BEST)
    assert of(r, Cancelled)[0].reason is CancelReason.NO_LIQUIDITY
    order(ex, SELL, 5, 70_100, owner="s")
    r = order(ex, BUY, 8, type=OrderType.BEST, tif=IOC)
    assert fills(r, r.order_id) == [(70_100, 5)]
    assert of(r, Cancelled)[0].reason is CancelReason.IOC_REMAINDER
    order(ex, SELL, 5, 70_100, owner="s")
    r = order(ex, BUY, 8, type=OrderType.BEST, tif=FOK)
    assert of(r, Cancelled)[0].reason is CancelReason.FOK_UNFILLED and not of(r, Filled)


def test_top_joins_the_best_same_side_price(ex):
    first = order(ex, BUY, 5, 69_900, owner="a").order_id
    order(ex, SELL, 5, 70_100, owner="s")
    r = order(ex, BUY, 7, type=OrderType.TOP)
    assert of(r, Accepted)[0].price == 69_900 and not of(r, Filled)
    assert ex.queue(SS, BUY, 69_900) == (first, r.order_id)
    r = order(ex, SELL, 2, type=OrderType.TOP, code="000660")
    assert of(r, Cancelled)[0].reason is CancelReason.NO_LIQUIDITY
    r = order(ex, BUY, 2, type=OrderType.TOP, tif=IOC)
    assert r.rejected.reason is RejectReason.ORDER_TYPE_NOT_ALLOWED


def test_ioc_limit_fills_what_it_can(ex):
    order(ex, SELL, 5, 70_100, owner="s")
    order(ex, SELL, 5, 70_300, owner="s")
    r = order(ex, BUY, 8, 70_200, tif=IOC)
    assert fills(r, r.order_id) == [(70_100, 5)]
    assert of(r, Cancelled)[0].qty == 3 and of(r, Cancelled)[0].reason is CancelReason.IOC_REMAINDER
    assert book(ex) == ([], [(70_300, 5)])


def test_fok_not_fillable_leaves_the_book_untouched(ex):
    order(ex, SELL, 5, 70_100, owner="s")
    order(ex, SELL, 5, 70_300, owner="s")
    before = book(ex)
    r = order(ex, BUY, 8, 70_200, tif=FOK)
    assert [type(e) for e in r.events] == [Accepted, Cancelled]
    assert of(r, Cancelled)[0].reason is CancelReason.FOK_UNFILLED
    assert book(ex) == before
    r = order(ex, BUY, 10, 70_300, tif=FOK)
    assert fills(r, r.order_id) == [(70_100, 5), (70_300, 5)]
    r = order(ex, SELL, 1, type=OrderType.MARKET, tif=FOK)
    assert of(r, Cancelled)[0].reason is CancelReason.FOK_UNFILLED


def test_conditional_is_a_limit_order_in_continuous_trading(ex):
    r = order(ex, BUY, 5, 69_900, type=OrderType.CONDITIONAL)
    assert r.ok and book(ex) == ([(69_900, 5)], [])
    assert ex.order(r.order_id).type is OrderType.CONDITIONAL


# ---------------------------------------------------------------- mid-point

def test_midpoint_orders_trade_only_with_each_other_at_the_truncated_mid(ex):
    order(ex, BUY, 100, 70_000, owner="mm")
    order(ex, SELL, 100, 70_100, owner="mm")
    assert ex.midpoint(SS) == 70_000                  # 70,050 is not a tick: truncated
    buy = order(ex, BUY, 10, type=OrderType.MIDPOINT)
    assert of(buy, Accepted)[0].price is None and not of(buy, Filled)
    assert book(ex) == ([(70_000, 100)], [(70_100, 100)])
    assert ex.midpoint_interest(SS) == (10, 0)
    sell = order(ex, SELL, 4, type=OrderType.MIDPOINT, owner="u2")
    assert fills(sell) == [(70_000, 4), (70_000, 4)]
    assert of(sell, Trade)[0].session == "midpoint"
    assert book(ex) == ([(70_000, 100)], [(70_100, 100)])  # the lit book never takes part
    assert ex.order(buy.order_id).leaves == 6


def test_midpoint_exact_when_truncation_is_off_and_on_a_wide_spread():
    ex = make(inst(), midpoint_truncate=False)
    order(ex, BUY, 100, 70_000, owner="mm")
    order(ex, SELL, 100, 70_100, owner="mm")
    assert ex.midpoint(SS) == 70_050
    ex = make(inst())
    order(ex, BUY, 100, 70_000, owner="mm")
    order(ex, SELL, 100, 70_400, owner="mm")
    assert ex.midpoint(SS) == 70_200


def test_midpoint_without_a_lit_quote_rests_then_trades_once_one_appears(ex):
    r = order(ex, BUY, 5, type=OrderType.MIDPOINT, tif=IOC)
    assert of(r, Cancelled)[0].reason is CancelReason.NO_LIQUIDITY
    a = order(ex, BUY, 5, type=OrderType.MIDPOINT).order_id
    b = order(ex, SELL, 5, type=OrderType.MIDPOINT, owner="u2").order_id
    assert ex.order(a).leaves == 5 and ex.order(b).leaves == 5
    order(ex, BUY, 1, 69_900, owner="mm")
    r = order(ex, SELL, 1, 70_100, owner="mm")
    assert sorted(f.order_id for f in of(r, Filled)) == [a, b]
    assert {f.price for f in of(r, Filled)} == {70_000}


def test_midpoint_fok_needs_enough_opposite_midpoint_quantity(ex):
    order(ex, BUY, 100, 70_000, owner="mm")
    order(ex, SELL, 100, 70_100, owner="mm")
    order(ex, BUY, 3, type=OrderType.MIDPOINT)
    r = order(ex, SELL, 5, type=OrderType.MIDPOINT, tif=FOK, owner="u2")
    assert of(r, Cancelled)[0].reason is CancelReason.FOK_UNFILLED and not of(r, Filled)
    r = order(ex, SELL, 3, type=OrderType.MIDPOINT, tif=FOK, owner="u2")
    assert fills(r, r.order_id) == [(70_000, 3)]


# ---------------------------------------------------------------- stop-limit

def test_buy_stop_limit_waits_off_book_and_triggers_on_a_trade_at_the_stop(ex):
    stop = order(ex, BUY, 5, 70_500, type=OrderType.STOP_LIMIT, stop_price=70_300)
    assert of(stop, Accepted)[0].stop_price == 70_300 and book(ex) == ([], [])
    order(ex, SELL, 10, 70_200, owner="s")
    order(ex, SELL, 10, 70_300, owner="s")
    r = order(ex, BUY, 10, 70_200, owner="b")              # trades at 70,200: below the stop
    assert not of(r, Triggered) and ex.order(stop.order_id).leaves == 5
    r = order(ex, BUY, 2, 70_300, owner="b")               # a trade at the stop fires it
    trig = of(r, Triggered)[0]
    assert (trig.order_id, trig.price, trig.stop_price) == (stop.order_id, 70_500, 70_300)
    assert fills(r, stop.order_id) == [(70_300, 5)]
    assert ex.order(stop.order_id).triggered


def test_sell_stop_enters_with_fresh_time_priority(ex):
    stop = order(ex, SELL, 5, 70_000, type=OrderType.STOP_LIMIT, stop_price=69_900).order_id
    early = order(ex, SELL, 2, 70_000, owner="s2")         # entered after the stop, rests first
    order(ex, BUY, 3, 69_900, owner="b")
    r = order(ex, SELL, 1, 69_950 - 50, owner="s")         # a trade at 69,900 fires the stop
    assert of(r, Triggered) and ex.order(stop).leaves == 5
    r = order(ex, SELL, 1, 69_800, owner="s")              # later trades do not fire it twice
    assert not of(r, Triggered)
    assert ex.queue(SS, SELL, 70_000) == (early.order_id, stop)


def test_stop_limit_needs_a_valid_stop_price(ex):
    r = order(ex, BUY, 5, 70_500, type=OrderType.STOP_LIMIT)
    assert r.rejected.reason is RejectReason.PRICE_REQUIRED and "조건가격" in r.rejected.message
    r = order(ex, BUY, 5, 70_500, type=OrderType.STOP_LIMIT, stop_price=70_350)
    assert r.rejected.reason is RejectReason.BAD_TICK
    r = order(ex, BUY, 5, 70_500, stop_price=70_300)
    assert r.rejected.reason is RejectReason.PRICE_NOT_ALLOWED


# ---------------------------------------------------------------- rejections

@pytest.mark.parametrize("kw,reason,text", [
    (dict(code="999999", price=1_000), RejectReason.UNKNOWN_SYMBOL, "999999"),
    (dict(price=70_050), RejectReason.BAD_TICK, "호가단위"),
    (dict(price=91_100), RejectReason.ABOVE_UPPER_LIMIT, "상한가(91,000원)"),
    (dict(price=48_900), RejectReason.BELOW_LOWER_LIMIT, "하한가(49,000원)"),
    (dict(price=70_000, qty=0), RejectReason.BAD_QUANTITY, "1주 이상"),
    (dict(code="500001", price=1_000, qty=15), RejectReason.BAD_QUANTITY, "매매단위"),
    (dict(), RejectReason.PRICE_REQUIRED, "가격이 필요합니다"),
    (dict(price=70_000, type=OrderType.MARKET), RejectReason.PRICE_NOT_ALLOWED, "가격을 넣지 않습니다"),
    (dict(code="900002", price=10_000), RejectReason.HALTED, "거래정지"),
    (dict(type=OrderType.PRE_CLOSE), RejectReason.ORDER_TYPE_NOT_ALLOWED, "해당 시간"),
    (dict(type=OrderType.POST_CLOSE), RejectReason.ORDER_TYPE_NOT_ALLOWED, "해당 시간"),
    (dict(type=OrderType.AFTER_SINGLE), RejectReason.ORDER_TYPE_NOT_ALLOWED, "해당 시간"),
    (dict(price=70_000, type=OrderType.CONDITIONAL, tif=IOC), RejectReason.ORDER_TYPE_NOT_ALLOWED, "IOC"),
    (dict(price=70_000, venue=Venue.NXT), RejectReason.VENUE_NOT_ALLOWED, "NXT"),
    (dict(price=70_000, type=OrderType.CONDITIONAL, venue=Venue.SOR), RejectReason.VENUE_NOT_ALLOWED, "SOR"),
])
def test_every_rejection_has_its_reason_and_a_precise_korean_message(ex, kw, reason, text):
    args = dict(owner="u1", code=SS, side=BUY, qty=10)
    args.update(kw)
    r = ex.submit(**args)
    assert r.order_id is None and r.rejected is not None
    assert r.rejected.reason is reason
    assert text in r.rejected.message, r.rejected.message
    assert r.rejected.message_en
    assert list(r.events) == [r.rejected]
    assert ex.orders() == []


def test_upper_limit_itself_is_orderable_and_band_follows_the_spec():
    ex = make(inst(base=15_550))
    q = ex.quote(SS)
    assert (q.lower_limit, q.upper_limit) == (10_890, 20_200)   # krx.md §2.1 worked values
    assert order(ex, BUY, 1, 20_200).ok
    assert order(ex, BUY, 1, 10_890).ok
    assert order(ex, BUY, 1, 20_250).rejected.reason is RejectReason.ABOVE_UPPER_LIMIT


def test_liquidation_trading_has_no_band(ex):
    assert order(ex, BUY, 1, 100_000, code="900001").ok
    assert ex.quote("900001").upper_limit == 0


def test_set_halted_refuses_new_orders_but_keeps_resting_ones(ex):
    oid = order(ex, BUY, 1, 69_900).order_id
    ex.set_halted(SS)
    assert order(ex, BUY, 1, 69_900).rejected.reason is RejectReason.HALTED
    assert ex.instrument(SS).halted and ex.order(oid).leaves == 1
    assert ex.cancel(oid, owner="u1").ok
    ex.set_halted(SS, False)
    assert order(ex, BUY, 1, 69_900).ok


def test_nxt_exchange_checks_eligibility_and_market_orders():
    ex = make(inst(nxt=True), inst("000660", 150_000, name="SK하이닉스"), venue=Venue.NXT)
    assert order(ex, BUY, 1, 69_900, venue=Venue.NXT).ok
    assert order(ex, BUY, 1, 69_900, venue=Venue.SOR).ok
    r = order(ex, BUY, 1, 149_900, code="000660")
    assert r.rejected.reason is RejectReason.VENUE_NOT_ALLOWED and "NXT 거래 대상" in r.rejected.message
    r = order(ex, BUY, 1, type=OrderType.MARKET)
    assert r.rejected.reason is RejectReason.VENUE_NOT_ALLOWED
    assert order(ex, BUY, 1, 69_900, venue=Venue.KRX).rejected.reason is RejectReason.VENUE_NOT_ALLOWED


# ---------------------------------------------------------------- listeners, views, days

def test_listeners_get_the_result_events_in_order_and_may_call_back(ex):
    seen = []

    def listener(event):
        seen.append(event)
        if isinstance(event, Filled) and event.owner == "s":
            ex.submit(owner="echo", code=SS, side=BUY, qty=1, price=69_000)

    ex.add_listener(listener)
    order(ex, SELL, 5, 70_100, owner="s")
    seen.clear()
    r = order(ex, BUY, 5, 70_100)
    assert seen[:len(r.events)] == list(r.events)
    assert isinstance(seen[len(r.events)], Accepted) and seen[len(r.events)].owner == "echo"
    ex.remove_listener(listener)
    seen.clear()
    order(ex, BUY, 1, 69_000)
    assert seen == []


def test_a_failing_listener_does_not_starve_the_others(ex, caplog):
    seen = []
    ex.add_listener(lambda e: 1 / 0)
    ex.add_listener(seen.append)
    r = order(ex, BUY, 1, 69_000)
    assert seen == list(r.events)
    assert "listener" in caplog.text


def test_orders_views_filter_by_owner_and_forget_closed_synthetic_orders(ex):
    mine = order(ex, BUY, 5, 69_000, owner="kis:1-01").order_id
    order(ex, SELL, 5, 70_000, owner="sim:mm")
    r = order(ex, BUY, 5, 70_000, owner="kis:1-01")
    assert [o.id for o in ex.orders("kis:1-01")] == [mine, r.order_id]
    assert all(o.owner == "kis:1-01" for o in ex.orders("kis:1-01"))
    assert ex.orders("sim:mm") == []          # filled and forgotten
    v = ex.order(mine)
    assert (v.code, v.side, v.type, v.tif, v.qty, v.leaves, v.avg_price) == \
        (SS, BUY, OrderType.LIMIT, TimeInForce.DAY, 5, 5, None)
    assert ex.leaves(mine) == 5 and ex.leaves(r.order_id) == 0


def test_always_open_rolls_the_base_price_at_midnight():
    clock = ManualClock(datetime(2026, 11, 24, 23, 59, tzinfo=KST))
    ex = make(inst(), clock=clock)
    order(ex, SELL, 5, 60_000, owner="s")
    order(ex, BUY, 5, 60_000)                                # last 60,000
    far = order(ex, SELL, 5, 85_000, owner="s").order_id     # inside today's band only
    near = order(ex, BUY, 5, 59_900).order_id
    seen = []
    ex.add_listener(seen.append)
    clock.advance(120)
    q = ex.quote(SS)
    assert (q.base, q.volume, q.open) == (60_000, 0, 0)
    assert (q.lower_limit, q.upper_limit) == krx.price_band(60_000) == (42_000, 78_000)
    assert ex.instrument(SS).base_price == 60_000
    assert ex.order(far).leaves == 0 and ex.order(near).leaves == 5
    assert [(e.order_id, e.reason) for e in seen if isinstance(e, Cancelled)] == \
        [(far, CancelReason.OUT_OF_BAND)]


def test_same_calls_give_identical_events():
    def run():
        ex = make(inst(), inst("000660", 150_000))
        out = []
        ex.add_listener(out.append)
        for i in range(40):
            code = SS if i % 3 else "000660"
            base = 70_000 if code == SS else 150_000
            side = BUY if i % 2 else SELL
            r = ex.submit(owner=f"u{i % 4}", code=code, side=side, qty=1 + i % 7,
                          price=base + (i % 5 - 2) * 100)
            if i % 6 == 0 and r.order_id:
                ex.amend(r.order_id, owner=f"u{i % 4}", price=base)
        return [repr(e) for e in out]

    first, second = run(), run()
    assert first == second and any("Filled" in e for e in first)


# ---------------------------------------------------------------- the KRX calendar

def at(clock, hh, mm=0, ss=0, day=date(2026, 11, 24)):
    clock.set(datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=KST))


@pytest.fixture
def krx_day():
    clock = ManualClock(datetime(2026, 11, 24, 6, 30, tzinfo=KST))       # a Tuesday
    ex = make(inst(), clock=clock, session=SessionMode.KRX_CALENDAR)
    return ex, clock


def test_closed_market_rejects_with_the_next_session(krx_day):
    ex, clock = krx_day
    r = order(ex, BUY, 1, 70_000)
    assert r.rejected.reason is RejectReason.MARKET_CLOSED and "07:00 프리마켓" in r.rejected.message
    at(clock, 20, 30)
    r = order(ex, BUY, 1, 70_000)
    assert r.rejected.reason is RejectReason.MARKET_CLOSED and "오늘 거래 종료" in r.rejected.message
    at(clock, 10, day=date(2026, 11, 28))                                # Saturday
    r = order(ex, BUY, 1, 70_000)
    assert r.rejected.reason is RejectReason.MARKET_CLOSED and "휴장일" in r.rejected.message


def test_opening_auction_collects_then_uncrosses_at_the_max_volume_price(krx_day):
    ex, clock = krx_day
    at(clock, 8, 40)
    assert ex.phase.value == "opening_auction"
    for side, price in ((BUY, 70_500), (BUY, 70_300), (BUY, 70_100),
                        (SELL, 69_900), (SELL, 70_100), (SELL, 70_400)):
        r = order(ex, side, 10, price)
        assert r.ok and not of(r, Filled)
    bids, asks = book(ex)
    assert bids[0][0] > asks[0][0]                      # crossed while collecting
    at(clock, 9, 0)
    seen = []
    ex.add_listener(seen.append)
    ex.advance()
    trades = [e for e in seen if isinstance(e, Trade)]
    # 70,100 and 70,300 both trade 20; 70,300 leaves no imbalance.
    assert [(t.price, t.qty, t.session) for t in trades] == [(70_300, 20, "auction")]
    assert all(not f.aggressor and f.price == 70_300 for f in seen if isinstance(f, Filled))
    assert any(isinstance(e, PhaseChanged) and e.phase == "continuous" for e in seen)
    assert book(ex) == ([(70_100, 10)], [(70_400, 10)])
    q = ex.quote(SS)
    assert (q.open, q.last, q.volume) == (70_300, 70_300, 20)


def test_auction_tie_breaks_to_the_price_nearest_the_base(krx_day):
    ex, clock = krx_day
    at(clock, 8, 45)
    order(ex, BUY, 10, 71_000)
    order(ex, SELL, 10, 70_500)
    at(clock, 9, 0, 1)
    assert ex.quote(SS).open == 70_500
    ex2 = make(inst(), clock=ManualClock(datetime(2026, 11, 24, 8, 45, tzinfo=KST)),
               session=SessionMode.KRX_CALENDAR)
    order(ex2, BUY, 10, 70_400)
    order(ex2, SELL, 10, 69_600)
    ex2.clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=KST))
    assert ex2.quote(SS).open == 70_000


def test_market_orders_take_part_in_the_auction_first(krx_day):
    ex, clock = krx_day
    at(clock, 8, 50)
    mkt = order(ex, BUY, 5, type=OrderType.MARKET).order_id
    order(ex, BUY, 5, 70_000, owner="b")
    left = order(ex, BUY, 5, type=OrderType.MARKET, owner="c").order_id
    order(ex, SELL, 5, 69_900, owner="s")
    at(clock, 9, 0)
    ex.advance()
    assert ex.order(mkt).filled == 5
    # The second market buy had nothing left to meet: cancelled, not parked in the book.
    assert ex.order(left).leaves == 0 and ex.order(left).cancelled == 5


def test_conditional_turns_market_in_the_closing_auction_and_day_orders_expire(krx_day):
    ex, clock = krx_day
    at(clock, 10)
    cond = order(ex, BUY, 5, 69_000, type=OrderType.CONDITIONAL).order_id
    resting = order(ex, BUY, 5, 68_000, owner="b").order_id
    mid = order(ex, BUY, 5, type=OrderType.MIDPOINT, owner="m").order_id
    stop = order(ex, BUY, 5, 71_000, type=OrderType.STOP_LIMIT, stop_price=70_900, owner="m").order_id
    order(ex, SELL, 3, 70_500, owner="s")
    at(clock, 15, 21)
    assert ex.phase.value == "closing_auction"
    assert book(ex) == ([(68_000, 5)], [(70_500, 3)])       # the conditional left the lit book
    assert ex.order(mid).status is OrderStatus.EXPIRED and ex.order(stop).status is OrderStatus.EXPIRED
    r = order(ex, BUY, 1, type=OrderType.BEST)
    assert r.rejected.reason is RejectReason.ORDER_TYPE_NOT_ALLOWED and "장마감 동시호가" in r.rejected.message
    at(clock, 15, 30)
    seen = []
    ex.add_listener(seen.append)
    ex.advance()
    assert ex.order(cond).filled == 3                        # as a market order, at the close
    assert [(t.price, t.qty) for t in seen if isinstance(t, Trade)] == [(70_500, 3)]
    expired = {e.order_id: e for e in seen if isinstance(e, Cancelled)}
    assert expired[cond].reason is CancelReason.SESSION_END and expired[cond].qty == 2
    assert expired[resting].reason is CancelReason.SESSION_END
    assert ex.order(resting).status is OrderStatus.EXPIRED
    assert book(ex) == ([], [])
    assert ex.quote(SS).last == 70_500


def test_closing_price_sessions_trade_at_the_closes_by_time_only(krx_day):
    ex, clock = krx_day
    at(clock, 8, 31)
    a = order(ex, BUY, 5, type=OrderType.PRE_CLOSE).order_id
    b = order(ex, BUY, 5, type=OrderType.PRE_CLOSE, owner="b").order_id
    r = order(ex, SELL, 7, type=OrderType.PRE_CLOSE, owner="s")
    assert fills(r, r.order_id) == [(70_000, 5), (70_000, 2)]       # yesterday's close (the base)
    assert ex.order(a).filled == 5 and ex.order(b).filled == 2
    at(clock, 8, 40)
    assert ex.order(b).leaves == 0 and ex.order(b).cancelled == 3   # expired at 08:40
    assert ex.order(b).status is OrderStatus.EXPIRED
    at(clock, 10)
    order(ex, SELL, 5, 71_000, owner="s")
    order(ex, BUY, 5, 71_000)                                      # today's close will be 71,000
    at(clock, 15, 35)
    s1 = order(ex, SELL, 4, type=OrderType.POST_CLOSE, owner="s")
    assert not of(s1, Filled)                                      # taken, not matched before 15:40
    r = order(ex, BUY, 10, 71_000, owner="x")
    assert r.rejected.reason is RejectReason.ORDER_TYPE_NOT_ALLOWED
    order(ex, BUY, 6, type=OrderType.POST_CLOSE, owner="b")
    at(clock, 15, 40)
    ex.advance()
    assert ex.order(s1.order_id).filled == 4
    assert ex.order(s1.order_id).avg_price == Decimal(71_000)
    at(clock, 16, 0)
    assert ex.orders("b")[-1].status is OrderStatus.EXPIRED


def test_after_hours_single_price_batches_every_ten_minutes_within_ten_percent():
    clock = ManualClock(datetime(2026, 8, 25, 10, 0, tzinfo=KST))     # before the 2026-09-14 change
    ex = make(inst(), clock=clock, session=SessionMode.KRX_CALENDAR)
    order(ex, SELL, 5, 70_000, owner="s")
    order(ex, BUY, 5, 70_000)
    at(clock, 16, 1, day=date(2026, 8, 25))
    r = order(ex, BUY, 5, 77_100, type=OrderType.AFTER_SINGLE)
    assert r.rejected.reason is RejectReason.ABOVE_UPPER_LIMIT and "종가 +10%" in r.rejected.message
    b = order(ex, BUY, 5, 70_500, type=OrderType.AFTER_SINGLE).order_id
    s = order(ex, SELL, 3, 70_200, type=OrderType.AFTER_SINGLE, owner="s").order_id
    assert ex.order(b).filled == 0                                 # no matching between batches
    at(clock, 16, 10, day=date(2026, 8, 25))
    ex.advance()
    assert ex.order(b).filled == 3 and ex.order(s).filled == 3
    assert ex.order(b).avg_price in (Decimal(70_200), Decimal(70_500))
    at(clock, 18, 0, day=date(2026, 8, 25))
    ex.advance()
    assert ex.order(b).status is OrderStatus.EXPIRED and ex.order(b).cancelled == 2


def test_after_single_is_gone_and_the_after_market_trades_continuously(krx_day):
    ex, clock = krx_day
    at(clock, 16, 30)
    r = order(ex, BUY, 5, type=OrderType.AFTER_SINGLE)
    assert r.rejected.reason is RejectReason.ORDER_TYPE_NOT_ALLOWED and "폐지" in r.rejected.message
    assert ex.phase.value == "after_market"
    order(ex, SELL, 5, 70_100, owner="s")
    r = order(ex, BUY, 3, 70_100)
    assert fills(r, r.order_id) == [(70_100, 3)] and of(r, Trade)[0].session == "extended"
    assert order(ex, BUY, 1, type=OrderType.MARKET).rejected.reason is RejectReason.ORDER_TYPE_NOT_ALLOWED
    at(clock, 20, 0)
    assert book(ex) == ([], [])                                    # nothing carries over


def test_the_next_day_starts_from_the_close(krx_day):
    ex, clock = krx_day
    at(clock, 10)
    order(ex, SELL, 5, 72_000, owner="s")
    order(ex, BUY, 5, 72_000)
    at(clock, 9, 30, day=date(2026, 11, 25))
    q = ex.quote(SS)
    assert (q.base, q.volume, q.last) == (72_000, 0, 72_000)
    assert (q.lower_limit, q.upper_limit) == krx.price_band(72_000)
    assert order(ex, BUY, 1, 72_000).ok


def test_pre_market_orders_do_not_carry_into_the_regular_session(krx_day):
    ex, clock = krx_day
    at(clock, 7, 10)
    assert ex.phase.value == "pre_market"
    assert order(ex, BUY, 1, type=OrderType.MARKET).rejected.reason is RejectReason.ORDER_TYPE_NOT_ALLOWED
    oid = order(ex, BUY, 5, 69_900).order_id
    r = order(ex, SELL, 2, 69_900, owner="s")
    assert fills(r, r.order_id) == [(69_900, 2)] and of(r, Trade)[0].session == "extended"
    at(clock, 8, 0)
    assert ex.order(oid).status is OrderStatus.EXPIRED and book(ex) == ([], [])
    assert ex.quote(SS).open == 0                       # extended trades do not set the open


def test_amends_and_cancels_during_an_auction_do_not_match(krx_day):
    ex, clock = krx_day
    at(clock, 8, 45)
    b = order(ex, BUY, 5, 69_900).order_id
    order(ex, SELL, 5, 70_100, owner="s")
    r = ex.amend(b, owner="u1", price=70_200)
    assert r.ok and not of(r, Filled)
    assert book(ex) == ([(70_200, 5)], [(70_100, 5)])
    at(clock, 9, 0)
    assert ex.order(r.order_id).filled == 5


def test_money_is_int_and_session_mode_has_a_krx_alias(ex):
    with pytest.raises(TypeError):
        order(ex, BUY, 1, 70_000.0)
    with pytest.raises(TypeError):
        order(ex, BUY, 1.0, 70_000)
    assert SessionMode["KRX"] is SessionMode.KRX_CALENDAR
    assert SessionMode("krx") is SessionMode.KRX_CALENDAR


def test_nxt_halts_for_krx_auctions_and_keeps_main_market_orders_until_20():
    clock = ManualClock(datetime(2026, 11, 24, 8, 55, tzinfo=KST))
    ex = make(inst(nxt=True), clock=clock, session=SessionMode.KRX_CALENDAR, venue=Venue.NXT)
    r = order(ex, BUY, 1, 70_000)
    assert r.rejected.reason is RejectReason.HALTED and "거래중단" in r.rejected.message
    at(clock, 10)
    oid = order(ex, BUY, 5, 69_900).order_id
    at(clock, 15, 35)                                   # after-market intake: taken, not matched
    r = order(ex, SELL, 3, 69_800, owner="s")
    assert r.ok and not of(r, Filled) and ex.order(oid).leaves == 5
    at(clock, 15, 40)
    ex.advance()
    assert ex.order(oid).filled == 3 and ex.order(oid).avg_price == Decimal(69_900)
    at(clock, 20)
    assert ex.order(oid).status is OrderStatus.EXPIRED
