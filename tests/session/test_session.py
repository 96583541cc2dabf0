"""The trading session over the in-process simulators: brokers connect side by side, one that
cannot connect is reported and the others go on, the desk follows fills and refreshes."""

from __future__ import annotations

import dataclasses

from lucy_tui.brokers.base import Tick
from lucy_tui.config import Config
from lucy_tui.domain.model import Side
from lucy_tui.engine import PlaceOrder
from lucy_tui.session import TradingSession
from lucy_tui.session.demo import demo_spec, make_sim
from lucy_tui.session.desk import Desk
from support.engine import wait_for


def _sim():
    return make_sim(dataclasses.replace(Config(), demo=dataclasses.replace(Config().demo, seed=3)))


async def test_demo_session_connects_both_brokers_and_trades_a_plan(tmp_path):
    sim = _sim()
    await sim.start()
    try:
        spec = demo_spec(sim, tmp_path)
        session = TradingSession(spec)
        steps = []
        desk = Desk(spec)
        session.engine.subscribe(desk.apply)
        await session.start(steps.append)
        assert {(s.broker, s.state) for s in steps} >= {("kis", "live"), ("ls", "live"),
                                                       ("", "ready")}
        assert set(session.engine.brokers) == {"kis", "ls"}
        assert await desk.refresh(session.engine) == []
        before = {v.account.key: v.cash for v in desk.accounts()}
        assert all(cash > 0 for cash in before.values())
        quote = await session.engine.brokers["kis"].quote("005930")
        price = quote.upper_limit      # marketable: fills against the synthetic market's asks
        placed = await session.engine.place(PlaceOrder("005930", Side.BUY, 20, price, plan="core"))
        assert placed.ok, placed.message
        parent = session.engine.parent(placed.local_id)
        assert sorted(leg.qty for leg in parent.legs) == [5, 7, 8]

        def all_filled():
            return session.engine.parent(placed.local_id).filled_qty == 20

        await wait_for(all_filled, 10)
        await wait_for(lambda: sum(v.cash for v in desk.accounts()) < sum(before.values()), 5)
        assert sum(p.qty for v in desk.accounts() for p in v.positions if p.code == "005930") >= 20
        await session.close()
    finally:
        await sim.stop()


async def test_a_broker_that_cannot_connect_is_reported_and_the_other_trades(tmp_path):
    sim = _sim()
    await sim.start()
    try:
        spec = demo_spec(sim, tmp_path)
        ls = spec.brokers[1]
        broken = dataclasses.replace(ls, settings=dataclasses.replace(
            ls.settings, rest_url="http://127.0.0.1:9", ws_url="ws://127.0.0.1:9/websocket",
            request_timeout=0.5, token_max_wait=0.5, ws_open_timeout=0.5))
        spec = dataclasses.replace(spec, brokers=(spec.brokers[0], broken))
        session = TradingSession(spec)
        steps = []
        await session.start(steps.append)
        assert "ls" in session.failed and ("ls", "failed") in {(s.broker, s.state) for s in steps}
        assert set(session.engine.brokers) == {"kis"}
        placed = await session.engine.place(PlaceOrder("005930", Side.BUY, 1, 269000,
                                                       account=spec.default_account))
        assert placed.ok, placed.message
        await session.close()
    finally:
        await sim.stop()


def test_desk_values_positions_at_the_last_price_and_sums_funds(tmp_path):
    from decimal import Decimal

    from lucy_tui.domain.model import AccountRef, Position
    from lucy_tui.engine import BalanceChanged, PositionChanged
    from lucy_tui.session.spec import FundAccount, SessionSpec

    a = AccountRef("kis", "50000001", "01", "A")
    b = AccountRef("ls", "55500001", "", "C")
    spec = SessionSpec("t", "demo", (), (FundAccount(a, "알파"), FundAccount(b, "알파")))
    desk = Desk(spec)
    assert desk.apply(PositionChanged(Position(a, "005930", 10, 700_000)))
    desk.apply(BalanceChanged(a, 1_000_000))
    desk.apply(BalanceChanged(b, 2_000_000))
    desk.mark("005930", 71_000)
    view = next(v for v in desk.accounts() if v.account == a)
    assert view.positions[0].last == 71_000 and view.pnl == 10_000
    assert view.positions[0].return_rate == Decimal("1.43")
    (fund,) = desk.funds()
    assert fund.fund == "알파" and fund.total("cash") == 3_000_000 and fund.total("pnl") == 10_000
    desk.apply(PositionChanged(Position(a, "005930", 0, 0)))
    assert next(v for v in desk.accounts() if v.account == a).positions == ()


async def test_ticks_reach_market_listeners_not_the_engine(tmp_path):
    sim = _sim()
    await sim.start()
    try:
        session = TradingSession(demo_spec(sim, tmp_path))
        ticks = []
        session.on_market(ticks.append)
        await session.start()
        await session.engine.brokers["kis"].subscribe_ticks(["005930"])
        # A trade of our own, so a tick is certain whatever the synthetic market does.
        quote = await session.engine.brokers["kis"].quote("005930")
        await session.engine.place(PlaceOrder("005930", Side.BUY, 1, quote.upper_limit,
                                              account=session.spec.default_account))
        await wait_for(lambda: any(isinstance(t, Tick) and t.code == "005930" for t in ticks), 10)
        await session.close()
    finally:
        await sim.stop()
