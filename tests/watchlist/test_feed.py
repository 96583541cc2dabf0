"""The price feed: the subscription-limit plan, and the fallback to paced REST quotes against
the KIS simulator (41 registrations per session, one of them the notice)."""

from __future__ import annotations

import asyncio

from lucy_tui.domain.model import OrderType, Side, TimeInForce
from lucy_tui.watchlist import AlertWatcher, Entry, PriceFeed, plan_feed
from lucy_tui.watchlist.feed import REALTIME, REST

from support.engine import kis_broker, make_sim, wait_for


def test_plan_gives_realtime_to_the_first_symbols_and_says_so():
    codes = [f"{i:06d}" for i in range(45)]
    plan = plan_feed(codes + codes[:3], 40, poll_interval=1.0)
    assert plan.realtime == tuple(codes[:40]) and plan.polled == tuple(codes[40:])
    assert plan.cycle == 5.0
    assert plan.describe() == ("실시간 40/40 · REST 순환 5종목 (종목당 5초) — KIS 실시간 구독 "
                               "한도 40종목 초과")
    small = plan_feed(codes[:3], 40)
    assert small.polled == () and small.describe() == "실시간 3/40"
    refused = plan_feed(codes[:3], 40, refused=[codes[1]])
    assert refused.realtime == (codes[0], codes[2]) and refused.polled == (codes[1],)
    assert "구독 거부 1종목" in refused.describe()


async def test_over_the_kis_limit_the_rest_is_polled_and_every_symbol_gets_a_price(tmp_path):
    async with make_sim() as sim:
        broker = kis_broker(sim, tmp_path)
        await broker.connect()
        codes = sim.exchange.codes()[:45]
        feed = PriceFeed(broker, poll_interval=0.02)
        broker.set_sink(feed.on_event)
        try:
            plan = await feed.set_codes(codes)
            assert feed.limit == 40                     # 41 registrations minus the notice
            assert len(plan.realtime) == 40 and len(plan.polled) == 5
            assert len(broker.realtime.subscriptions) == 41
            feed.start()
            await wait_for(lambda: all(q.last for q in feed.quotes.values()), timeout=10)
            assert {feed.quotes[c].source for c in plan.polled} == {REST}
            assert all(feed.quotes[c].upper > feed.quotes[c].last > feed.quotes[c].lower
                       for c in codes)
            # A trade on a realtime symbol arrives as a tick and moves its row.
            code = plan.realtime[0]
            base = sim.exchange.quote(code).base
            inst = sim.exchange.instrument(code)
            from lucy_tui.domain import krx
            up = krx.tick_up(base, inst.kind, inst.market, n=3)
            sim.exchange.submit(owner="t:a", code=code, side=Side.SELL, qty=inst.lot, price=up)
            sim.exchange.submit(owner="t:b", code=code, side=Side.BUY, qty=inst.lot,
                                type=OrderType.MARKET, tif=TimeInForce.IOC)
            await wait_for(lambda: feed.quotes[code].last == up)
            assert feed.quotes[code].source == REALTIME and feed.quotes[code].change == up - base
            # Shrinking the list gives registrations back.
            await feed.set_codes(codes[:3])
            assert len(broker.realtime.subscriptions) == 4
        finally:
            await feed.stop()
            await broker.close()


async def test_a_refused_subscription_falls_back_to_rest(tmp_path):
    async with make_sim() as sim:
        broker = kis_broker(sim, tmp_path)
        await broker.connect()
        codes = sim.exchange.codes()
        # Someone else took 38 registrations: the feed, told the limit is 40, meets OPSP0008.
        await broker.subscribe_ticks(codes[100:138])
        feed = PriceFeed(broker, poll_interval=0.02)
        try:
            plan = await feed.set_codes(codes[:5])
            assert len(plan.realtime) == 2 and len(plan.refused) == 3
            assert set(plan.polled) == set(codes[2:5])
            assert "구독 거부 3종목 REST 전환" in plan.describe()
        finally:
            await feed.stop()
            await broker.close()


async def test_alert_on_a_crossing_driven_by_the_price_walk(tmp_path):
    """The synthetic market walks 000660; a buy-below level just under the touch is crossed."""
    from lucy_tui.sim.market import SyntheticMarket

    async with make_sim() as sim:
        code = "000660"
        market = SyntheticMarket(sim.exchange, seed=3, codes=[code], daily_vol=0.6,
                                 taker_rate=20.0)
        broker = kis_broker(sim, tmp_path)
        await broker.connect()
        watcher = AlertWatcher()
        alerts = []

        seen = []          # every price the watcher saw, and whether it alerted on it

        def on_update(q):
            fired = watcher.on_price(q.code, q.last, q.time)
            alerts.extend(fired)
            seen.append((q.last, bool(fired)))

        feed = PriceFeed(broker, poll_interval=0.05, on_update=on_update)
        broker.set_sink(feed.on_event)
        try:
            market.step(0.1)
            await feed.set_codes([code])
            feed.start()
            await wait_for(lambda: feed.quotes[code].last)
            start = feed.quotes[code].last
            inst = sim.exchange.instrument(code)
            from lucy_tui.domain import krx
            level = krx.tick_down(start, inst.kind, inst.market, n=2)
            watcher.watch([Entry(code, buy_below=level)])
            watcher.on_price(code, start)
            for _ in range(4000):
                market.step(0.5)
                await asyncio.sleep(0)
                if alerts:
                    break
            await wait_for(lambda: alerts, timeout=5)
            assert alerts[0].level == level and alerts[0].price <= level
            # Once per crossing: between two alerts the price went back 2 ticks above the level.
            rearm = krx.tick_up(level, inst.kind, inst.market, n=2)
            peak = None                    # the highest price since the last alert
            for price, fired in seen:
                if fired:
                    assert peak is None or peak >= rearm
                    peak = 0
                elif peak is not None:
                    peak = max(peak, price)
        finally:
            market.close()
            await feed.stop()
            await broker.close()


async def test_the_same_feed_runs_on_ls_ticks(tmp_path):
    """LS pushes S3_/K3_ trades; its own limit (not KIS's 41) decides the plan."""
    from support.engine import ls_broker

    async with make_sim() as sim:
        broker = ls_broker(sim, tmp_path)
        await broker.connect()
        feed = PriceFeed(broker, poll_interval=0.02)
        broker.set_sink(feed.on_event)
        codes = ["005930", "035420"]
        try:
            plan = await feed.set_codes(codes)
            assert feed.limit == broker.capabilities.max_tick_subscriptions
            assert plan.realtime == tuple(codes) and plan.describe().startswith("실시간 2/")
            feed.start()
            await wait_for(lambda: all(q.last and q.upper for q in feed.quotes.values()))
            code = codes[0]
            base = sim.exchange.quote(code).base
            sim.exchange.submit(owner="t:a", code=code, side=Side.SELL, qty=1, price=base + 500)
            sim.exchange.submit(owner="t:b", code=code, side=Side.BUY, qty=1,
                                type=OrderType.MARKET, tif=TimeInForce.IOC)
            await wait_for(lambda: feed.quotes[code].last == base + 500)
            assert feed.quotes[code].source == REALTIME
        finally:
            await feed.stop()
            await broker.close()
