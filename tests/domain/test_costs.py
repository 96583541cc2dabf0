"""Commission and sell-side tax (specs/krx.md §5.2-5.3)."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from lucy_tui.domain.costs import (
    DEFAULT_COMMISSION_RATE,
    TradeCost,
    commission,
    round_trip_pnl,
    sell_tax,
    sell_tax_parts,
    sell_tax_rate,
    sell_tax_rates,
    trade_cost,
)
from lucy_tui.domain.model import InstrumentKind, Market, Side

KOSPI, KOSDAQ, KONEX = Market.KOSPI, Market.KOSDAQ, Market.KONEX
STOCK = InstrumentKind.STOCK


def pct(s: str) -> Decimal:
    return Decimal(s) / 100


@pytest.mark.parametrize("on, kospi, kosdaq, konex", [
    (date(2023, 6, 1), "0.20", "0.20", "0.10"),
    (date(2024, 6, 1), "0.18", "0.18", "0.10"),
    (date(2025, 6, 1), "0.15", "0.15", "0.10"),
    (date(2025, 12, 31), "0.15", "0.15", "0.10"),
    (date(2026, 1, 1), "0.20", "0.20", "0.10"),
    (date(2026, 11, 24), "0.20", "0.20", "0.10"),
])
def test_tax_table_2023_to_2026(on, kospi, kosdaq, konex):
    assert sell_tax_rate(on, KOSPI, STOCK) == pct(kospi)
    assert sell_tax_rate(on, KOSDAQ, STOCK) == pct(kosdaq)
    assert sell_tax_rate(on, KONEX, STOCK) == pct(konex)


@pytest.mark.parametrize("on, securities, total_kosdaq", [
    (date(2019, 6, 2), "0.15", "0.30"),
    (date(2019, 6, 3), "0.10", "0.25"),
    (date(2020, 12, 31), "0.10", "0.25"),
    (date(2021, 1, 1), "0.08", "0.23"),
    (date(2022, 12, 30), "0.08", "0.23"),
])
def test_earlier_steps_for_backtests(on, securities, total_kosdaq):
    assert sell_tax_rates(on, KOSPI, STOCK) == (pct(securities), pct("0.15"))
    assert sell_tax_rate(on, KOSDAQ, STOCK) == pct(total_kosdaq)


def test_split_into_securities_and_rural_special_tax():
    assert sell_tax_rates(date(2026, 3, 3), KOSPI) == (pct("0.05"), pct("0.15"))
    assert sell_tax_rates(date(2025, 3, 4), KOSPI) == (Decimal(0), pct("0.15"))
    assert sell_tax_rates(date(2024, 3, 4), KOSPI) == (pct("0.03"), pct("0.15"))
    # No rural special tax outside KOSPI.
    assert sell_tax_rates(date(2026, 3, 3), KOSDAQ) == (pct("0.20"), Decimal(0))


@pytest.mark.parametrize("kind", [InstrumentKind.ETF, InstrumentKind.ETN, InstrumentKind.ELW])
def test_etp_and_elw_pay_no_sell_tax(kind):
    assert sell_tax_rate(date(2026, 3, 3), KOSPI, kind) == 0
    assert sell_tax(1_000_000, date(2026, 3, 3), KOSPI, kind) == 0


def test_rates_are_decimal():
    assert isinstance(sell_tax_rate(date(2026, 3, 3), KOSPI, STOCK), Decimal)
    assert DEFAULT_COMMISSION_RATE == Decimal("0.00015")


def test_commission_truncates_to_whole_won():
    assert commission(700_000) == 105
    assert commission(750_000) == 112          # 112.5
    assert commission(750_000, rounding=ROUND_HALF_UP) == 113
    assert commission(6_666) == 0              # 0.9999
    assert commission(1_000_000, Decimal("0.000140527")) == 140
    with pytest.raises(ValueError):
        commission(-1)


def test_spec_worked_example():
    """KOSPI stock, 2026, 0.015 %: buy 10 @ 70,000, sell 10 @ 75,000 → net 48,283."""
    on = date(2026, 3, 3)
    buy = trade_cost(Side.BUY, 10 * 70_000, on, KOSPI, STOCK)
    sell = trade_cost(Side.SELL, 10 * 75_000, on, KOSPI, STOCK)
    assert buy == TradeCost(Side.BUY, 700_000, 105, 0, 0)
    assert sell.commission == 112
    assert (sell.securities_tax, sell.rural_tax) == (375, 1_125)
    assert sell.tax == 1_500 == sell_tax(750_000, on, KOSPI, STOCK)
    assert sell_tax_parts(750_000, on, KOSPI, STOCK) == (375, 1_125)
    assert buy.cash == -700_105
    assert sell.cash == 750_000 - 112 - 1_500
    assert round_trip_pnl(buy, sell) == 48_283
    with pytest.raises(ValueError):
        round_trip_pnl(sell, buy)


def test_each_levy_is_truncated_on_its_own():
    # 333,333 × 0.05 % = 166.67 → 166; × 0.15 % = 499.99 → 499; the sum of the parts is 665,
    # one won less than truncating the 0.20 % total (666.67 → 666).
    assert sell_tax_parts(333_333, date(2026, 3, 3), KOSPI) == (166, 499)
    assert sell_tax(333_333, date(2026, 3, 3), KOSPI) == 665


def test_buys_pay_no_tax():
    cost = trade_cost(Side.BUY, 1_000_000, date(2026, 3, 3), KOSDAQ)
    assert cost.tax == 0 and cost.total == cost.commission == 150
