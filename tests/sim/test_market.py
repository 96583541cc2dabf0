"""Synthetic market: a live two-sided book, trades, user orders filling as on a real market."""

from __future__ import annotations

import asyncio
import random
from datetime import datetime

import pytest

from lucy_tui.clock import KST, ManualClock, SystemClock
from lucy_tui.domain import krx
from lucy_tui.domain.model import Instrument, InstrumentKind, Market, OrderType, Side
from lucy_tui.sim.events import Filled, Trade
from lucy_tui.sim.exchange import Exchange, SessionMode
from lucy_tui.sim.market import MM, TAKER, SyntheticMarket

BASES = {"005930": 70_000, "000660": 150_000, "035720": 42_350, "069500": 1_985, "123456": 4_500}


def universe(n: int | None = None, seed: int = 7) -> list[Instrument]:
    if n is None:
        items = BASES.items()
    else:
        rng = random.Random(seed)
        items = [(f"{100_000 + i:06d}",
                  krx.round_to_tick(rng.choice([900, 1_800, 4_700, 12_340, 33_000, 70_000,
                                                 150_000, 420_000, 800_000])))
                 for i in range(n)]
    return [Instrument(code, f"KR7{code}003", code, code, Market.KOSPI,
                       InstrumentKind.ETF if code == "069500" else InstrumentKind.STOCK,
                       base_price=base) for code, base in items]


def setup(seed: int = 1, **kw):
    clock = ManualClock()
    ex = Exchange(universe(), clock=clock, seed=seed)
    return ex, SyntheticMarket(ex, **kw), clock


def run(market, clock, steps: int, dt: float = 0.1):
    for _ in range(steps):
        clock.advance(dt)
        market.step(dt)


def assert_healthy(ex, codes):
    for code in codes:
        bids, asks = ex.book(code)
        assert bids and asks, code
        assert bids[0].price < asks[0].price, code
        low, high = ex.quote(code).lower_limit, ex.quote(code).upper_limit
        assert low <= bids[-1].price and asks[-1].price <= high


def test_the_book_is_two_sided_at_once_with_valid_ticks():
    ex, market, _ = setup()
    assert sorted(market.codes) == sorted(BASES)
    assert_healthy(ex, BASES)
    for code in BASES:
        bids, asks = ex.book(code)
        assert len(bids) == len(asks) == 5
        assert all(krx.is_valid_tick(lv.price, ex.instrument(code).kind) for lv in bids + asks)
        assert asks[0].price == krx.tick_up(bids[0].price, ex.instrument(code).kind)


def test_cheap_stocks_rest_in_bigger_sizes():
    ex, _, _ = setup()
    cheap = sum(lv.qty for lv in ex.book("123456")[0])
    dear = sum(lv.qty for lv in ex.book("000660")[0])
    assert cheap > 10 * dear


def test_steps_make_trades_and_keep_the_book_healthy():
    ex, market, clock = setup()
    trades = []
    ex.add_listener(lambda e: trades.append(e) if isinstance(e, Trade) else None)
    for _ in range(300):
        run(market, clock, 1)
        assert_healthy(ex, BASES)
    assert len(trades) > 50
    assert {t.code for t in trades} == set(BASES)
    assert all(ex.quote(c).volume > 0 for c in BASES)


def test_a_passive_bid_at_the_touch_eventually_fills():
    ex, market, clock = setup(seed=3)
    bid = ex.best("005930")[0]
    oid = ex.submit(owner="kis:1-01", code="005930", side=Side.BUY, qty=50, price=bid).order_id
    fills = []
    ex.add_listener(lambda e: fills.append(e) if isinstance(e, Filled) and e.order_id == oid else None)
    for _ in range(6_000):
        run(market, clock, 1)
        if not ex.leaves(oid):
            break
    assert ex.order(oid).filled == 50
    assert all(f.price == bid and not f.aggressor for f in fills)


def test_a_marketable_buy_larger_than_the_best_level_fills_in_pieces():
    ex, market, clock = setup(seed=5)
    run(market, clock, 20)
    asks = ex.book("005930")[1]
    qty = asks[0].qty + asks[1].qty // 2
    r = ex.submit(owner="kis:1-01", code="005930", side=Side.BUY, qty=qty, type=OrderType.MARKET)
    mine = [f for f in r.events if isinstance(f, Filled) and f.order_id == r.order_id]
    assert sum(f.qty for f in mine) == qty
    assert len(mine) >= 2 and len({f.price for f in mine}) >= 2
    assert all(f.aggressor for f in mine)


def test_the_market_moves_through_a_resting_order():
    """A bid a few ticks under the touch fills when fair falls and market makers re-quote."""
    ex, market, clock = setup(seed=11, daily_vol=0.3)
    bid = krx.tick_down(ex.best("035720")[0], n=3)
    oid = ex.submit(owner="u", code="035720", side=Side.BUY, qty=10, price=bid).order_id
    for _ in range(20_000):
        run(market, clock, 1)
        if ex.order(oid).filled:
            break
    assert ex.order(oid).filled > 0


def test_a_resting_midpoint_order_gets_filled_by_synthetic_flow():
    ex, market, clock = setup(seed=2, midpoint_rate=1.0)
    r = ex.submit(owner="u", code="000660", side=Side.SELL, qty=20, type=OrderType.MIDPOINT)
    for _ in range(3_000):
        run(market, clock, 1)
        if not ex.leaves(r.order_id):
            break
    view = ex.order(r.order_id)
    assert view.filled == 20


def test_synthetic_orders_use_their_owners_and_are_not_kept_when_closed():
    ex, market, clock = setup()
    owners = set()
    ex.add_listener(lambda e: owners.add(getattr(e, "owner", None)))
    run(market, clock, 200)
    assert {MM, TAKER} <= owners
    assert all(o.owner == MM and o.leaves for o in ex.orders())


def test_same_seed_and_steps_give_the_same_events():
    def events(seed):
        ex = Exchange(universe(), clock=ManualClock(), seed=seed)
        out = []
        ex.add_listener(out.append)
        market = SyntheticMarket(ex)
        for i in range(150):
            ex.clock.advance(0.1)
            market.step(0.05 + (i % 3) * 0.05)
        return [repr(e) for e in out]

    assert events(4) == events(4)
    assert events(4) != events(5)


def test_no_quotes_while_the_exchange_is_closed_and_fresh_quotes_at_the_open():
    clock = ManualClock(datetime(2026, 11, 24, 8, 45, tzinfo=KST))
    ex = Exchange(universe(), clock=clock, session=SessionMode.KRX_CALENDAR)
    market = SyntheticMarket(ex, seed=1)
    run(market, clock, 10)
    assert ex.book("005930") == ((), ())
    clock.set(datetime(2026, 11, 24, 9, 0, 1, tzinfo=KST))
    run(market, clock, 1)
    assert_healthy(ex, BASES)
    clock.set(datetime(2026, 11, 24, 15, 25, tzinfo=KST))         # closing auction: stand still
    run(market, clock, 10)
    clock.set(datetime(2026, 11, 24, 15, 31, tzinfo=KST))
    run(market, clock, 1)
    assert ex.book("005930") == ((), ())


def test_a_step_over_150_symbols_is_cheap():
    ex = Exchange(universe(150), clock=ManualClock(), seed=1)
    market = SyntheticMarket(ex)
    run(market, ex.clock, 300)
    mean = market.step_seconds / market.steps
    assert mean < 0.010, f"mean step {mean * 1000:.2f} ms"
    for code in market.codes[:20]:
        bids, asks = ex.book(code)
        assert bids and asks and bids[0].price < asks[0].price


async def test_run_drives_the_market_from_the_loop_and_stops_when_cancelled():
    ex = Exchange(universe(), clock=SystemClock(), seed=1)
    market = SyntheticMarket(ex, taker_rate=20.0)
    task = asyncio.create_task(market.run(interval=0.01))
    await asyncio.sleep(0.3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert market.steps >= 5
    assert sum(ex.quote(c).volume for c in BASES) > 0


def test_the_market_follows_the_new_base_after_midnight():
    clock = ManualClock(datetime(2026, 11, 24, 23, 58, tzinfo=KST))
    ex = Exchange(universe(), clock=clock, seed=1)
    market = SyntheticMarket(ex, daily_vol=0.5)
    run(market, clock, 1_200)                    # two minutes, across midnight
    assert ex.day.isoformat() == "2026-11-25"
    for code in BASES:
        q = ex.quote(code)
        assert q.base == ex.instrument(code).base_price
        assert (q.lower_limit, q.upper_limit) == krx.price_band(q.base, ex.instrument(code).kind)
    assert_healthy(ex, BASES)
