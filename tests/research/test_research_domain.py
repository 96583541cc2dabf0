"""Domain values of the research screens: candles, folding days into periods, 52-week range,
opinion gaps."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from lucy_tui.domain.research import Candle, ChartPeriod, Opinion, aggregate, range_52w


def days(n: int, start: date = date(2026, 1, 5)) -> list[Candle]:
    out, day, price = [], start, 10_000
    while len(out) < n:
        if day.weekday() < 5:
            out.append(Candle(day, price, price + 200, price - 100, price + 50, 10, 100_000))
            price += 50
        day += timedelta(days=1)
    return out


def test_a_candle_must_hold_its_open_and_close_between_low_and_high():
    with pytest.raises(ValueError, match="inconsistent candle"):
        Candle(date(2026, 1, 5), 100, 110, 95, 120)


def test_weeks_and_months_fold_days():
    daily = days(30)                                   # six weeks from Monday 2026-01-05
    weeks = aggregate(daily, ChartPeriod.WEEK)
    assert len(weeks) == 6
    first = weeks[0]
    assert first.day == date(2026, 1, 9) and first.open == daily[0].open
    assert first.close == daily[4].close and first.volume == 50
    assert first.high == max(c.high for c in daily[:5])
    months = aggregate(daily, ChartPeriod.MONTH)
    assert [m.day.month for m in months] == [1, 2]
    assert sum(m.volume for m in months) == sum(c.volume for c in daily)
    assert aggregate(daily, ChartPeriod.DAY) == daily


def test_52_week_range_looks_back_one_year_only():
    daily = days(300, start=date(2025, 9, 1))
    low, high = range_52w(daily, daily[-1].day)
    year_ago = date(daily[-1].day.year - 1, daily[-1].day.month, daily[-1].day.day)
    window = [c for c in daily if c.day > year_ago]
    assert (low, high) == (min(c.low for c in window), max(c.high for c in window))
    assert low > daily[0].low
    assert range_52w([], date(2026, 1, 1)) is None


def test_opinion_gap_to_the_target():
    op = Opinion(date(2026, 11, 2), "KB증권", "매수", "매수", 300_000, 260_000)
    assert op.gap(250_000) == Decimal("20.00")
    assert op.gap(330_000) == Decimal("-9.09")
    assert Opinion(date(2026, 11, 2), "x", "중립", "", 0, 1).gap(100) is None
