"""KisBroker's research calls against the simulator over localhost: chart, statements, ratios,
investor flow, opinions, the REST order book, and what a mock session refuses."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from lucy_tui.brokers.base import NotSupported
from lucy_tui.brokers.kis.codes import Domain
from lucy_tui.clock import KST, ManualClock
from lucy_tui.domain.research import ChartPeriod, RatioGroup, Statement, range_52w
from lucy_tui.sim.kis.front import KisOptions
from lucy_tui.sim.server import SimServer

from support.market import research_broker

from datetime import datetime

START = datetime(2026, 11, 24, 10, 0, tzinfo=KST)
CODE = "005930"


@pytest.fixture
async def sim():
    server = SimServer(seed=11, market=False, clock=ManualClock(START),
                       kis_options=KisOptions(rate_limits={Domain.MOCK: 50, Domain.REAL: 50}))
    async with server:
        yield server


@pytest.fixture
async def real(sim, tmp_path):
    broker = research_broker(sim, tmp_path, "real")
    yield broker
    await broker.close()


@pytest.fixture
async def mock(sim, tmp_path):
    broker = research_broker(sim, tmp_path, "mock")
    yield broker
    await broker.close()


async def test_daily_chart_pages_back_and_ends_at_the_base_price(mock, sim):
    candles = await mock.period_chart(CODE, count=250)
    assert len(candles) == 250                                  # three pages of at most 100
    days = [c.day for c in candles]
    assert days == sorted(days) and len(set(days)) == 250
    assert days[-1] == date(2026, 11, 23)
    assert candles[-1].close == sim.exchange.quote(CODE).base
    low, high = range_52w(candles, date(2026, 11, 24))
    assert low <= min(c.close for c in candles[-200:]) and high >= candles[-1].close


async def test_chart_includes_today_once_the_exchange_trades(mock, sim):
    from lucy_tui.domain.model import OrderType, Side, TimeInForce
    base = sim.exchange.quote(CODE).base
    sim.exchange.submit(owner="t:a", code=CODE, side=Side.SELL, qty=10, price=base + 500)
    sim.exchange.submit(owner="t:b", code=CODE, side=Side.BUY, qty=10, type=OrderType.MARKET,
                        tif=TimeInForce.IOC)
    candles = await mock.period_chart(CODE, count=5)
    assert candles[-1].day == date(2026, 11, 24)
    assert candles[-1].close == base + 500 and candles[-1].volume == 10


async def test_weekly_and_monthly_candles(real):
    weeks = await real.period_chart(CODE, ChartPeriod.WEEK, count=20)
    months = await real.period_chart(CODE, ChartPeriod.MONTH, count=12)
    assert len(weeks) == 20 and len(months) == 12
    # Across pages (100 weeks each) no week comes back twice as a partial candle.
    long = await real.period_chart(CODE, ChartPeriod.WEEK, count=140)
    assert len(long) == 140
    iso = [c.day.isocalendar()[:2] for c in long]
    assert len(set(iso)) == len(iso)
    assert [(m.day.year, m.day.month) for m in months][-1] == (2026, 11)
    for c in weeks + months:
        assert c.low <= c.open <= c.high and c.low <= c.close <= c.high


async def test_statements_in_won_and_ratios(real):
    sheet = await real.financials(CODE, Statement.BALANCE_SHEET)
    assert sheet[0].period == "202512"
    row = sheet[0]
    assert row.get("자산총계") == row.get("유동자산") + row.get("고정자산")
    assert row.get("자산총계") % 1_000_000 == 0               # 억원 with two decimals → won
    income = await real.financials(CODE, Statement.INCOME, quarterly=True)
    assert len(income) == 8 and income[0].labels[0] == "매출액"
    stability = await real.ratios(CODE, RatioGroup.STABILITY)
    assert stability[0].get("부채비율") > 0
    for group in RatioGroup:
        rows = await real.ratios(CODE, group)
        assert rows and rows[0].period == "202512"


async def test_investor_flow_and_opinions(real):
    flows = await real.investor_flow(CODE)
    assert len(flows) == 30 and flows[0].day == date(2026, 11, 23)
    assert all(f.individual + f.foreign + f.institution == 0 for f in flows)
    assert all(f.foreign_value % 1_000_000 == 0 for f in flows)   # 백만원 → won
    opinions = await real.opinions(CODE)
    assert opinions and all(o.target > 0 for o in opinions)
    assert opinions[0].day >= opinions[-1].day
    gap = opinions[0].gap(opinions[0].prev_close)
    assert gap is not None


async def test_order_book_over_rest(real, sim):
    from lucy_tui.domain.model import Side
    sim.exchange.submit(owner="t:a", code=CODE, side=Side.BUY, qty=7, price=250_000)
    sim.exchange.submit(owner="t:a", code=CODE, side=Side.SELL, qty=3, price=280_000)
    bids, asks = await real.order_book(CODE)
    assert bids[0].price == 250_000 and bids[0].qty == 7
    assert asks[0].price == 280_000 and asks[0].qty == 3


async def test_mock_session_refuses_real_only_research_without_sending(sim, tmp_path):
    sent: list[str] = []

    async def count(request):
        sent.append(request.url.path)

    mock = research_broker(sim, tmp_path, "mock")
    mock.rest.http = httpx.AsyncClient(timeout=5.0, event_hooks={"request": [count]})
    try:
        with pytest.raises(NotSupported, match="모의투자 미지원"):
            await mock.financials(CODE, Statement.INCOME)
        with pytest.raises(NotSupported):
            await mock.opinions(CODE)
        with pytest.raises(NotSupported):
            await mock.ratios(CODE, RatioGroup.GROWTH)
        assert sent == []
        # Flow and charts are served on mock.
        assert await mock.investor_flow(CODE)
        assert any(path.endswith("inquire-investor") for path in sent)
    finally:
        await mock.close()


def test_the_next_chart_page_ends_before_the_whole_period():
    from lucy_tui.brokers.kis.research import period_start

    friday = date(2026, 11, 20)
    assert period_start(friday, ChartPeriod.WEEK) == date(2026, 11, 16)
    assert period_start(friday, ChartPeriod.MONTH) == date(2026, 11, 1)
    assert period_start(friday, ChartPeriod.YEAR) == date(2026, 1, 1)
    assert period_start(friday, ChartPeriod.DAY) == friday


async def test_minute_chart_from_todays_trades_over_two_pages(mock, sim):
    from lucy_tui.domain.model import OrderType, Side, TimeInForce

    def trade(price: int, qty: int = 1) -> None:
        sim.exchange.submit(owner="t:a", code=CODE, side=Side.SELL, qty=qty, price=price)
        sim.exchange.submit(owner="t:b", code=CODE, side=Side.BUY, qty=qty,
                            type=OrderType.MARKET, tif=TimeInForce.IOC)

    base = sim.exchange.quote(CODE).base
    for minute in range(35):                      # 10:00 … 10:34, one bar a minute
        trade(base + 500 * (minute % 4))
        sim.clock.advance(20)
        if minute == 34:
            trade(base + 2_000, qty=3)            # the last minute gets a high and more volume
        sim.clock.advance(40)
    bars = await mock.minute_chart(CODE, minutes=120)
    assert len(bars) == 35                        # 30 + 5: two calls
    assert [b.time.strftime("%H%M") for b in bars[:2]] == ["1000", "1001"]
    last = bars[-1]
    assert last.time.strftime("%H%M") == "1034"
    assert (last.open, last.high, last.close, last.volume) == (base + 1_000, base + 2_000,
                                                               base + 2_000, 4)
    assert len(await mock.minute_chart(CODE, minutes=10)) == 10
