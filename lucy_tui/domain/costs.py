"""Trading costs: broker commission on both sides, transaction tax on sells (specs/krx.md §5.2-5.3).

Rates are Decimal and amounts whole won; every charge is truncated to the won by default, the
common broker practice (§5.2 leaves per-broker rounding [U], hence the ``rounding`` argument).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from .model import InstrumentKind, Market, Side

#: Suggested simulator default, per side (§5.3).
DEFAULT_COMMISSION_RATE = Decimal("0.00015")



def _pct(text: str) -> Decimal:
    return Decimal(text) / 100


#: Sale date from which each step holds: (securities tax, rural special tax). The rural special
#: tax (농어촌특별세) is levied on KOSPI sales only, so KOSDAQ and KONEX rows are all securities tax.
_STEPS: dict[Market, tuple[tuple[date, Decimal, Decimal], ...]] = {
    Market.KOSPI: (
        (date.min, _pct("0.15"), _pct("0.15")),
        (date(2019, 6, 3), _pct("0.10"), _pct("0.15")),
        (date(2021, 1, 1), _pct("0.08"), _pct("0.15")),
        (date(2023, 1, 1), _pct("0.05"), _pct("0.15")),
        (date(2024, 1, 1), _pct("0.03"), _pct("0.15")),
        (date(2025, 1, 1), _pct("0.00"), _pct("0.15")),
        # The 2025-12 decree restored the 2023 rates once the investment income tax was dropped.
        (date(2026, 1, 1), _pct("0.05"), _pct("0.15")),
    ),
    Market.KOSDAQ: (
        (date.min, _pct("0.30"), Decimal(0)),
        (date(2019, 6, 3), _pct("0.25"), Decimal(0)),
        (date(2021, 1, 1), _pct("0.23"), Decimal(0)),
        (date(2023, 1, 1), _pct("0.20"), Decimal(0)),
        (date(2024, 1, 1), _pct("0.18"), Decimal(0)),
        (date(2025, 1, 1), _pct("0.15"), Decimal(0)),
        (date(2026, 1, 1), _pct("0.20"), Decimal(0)),
    ),
    # §5.2 gives KONEX 0.10 % for 2023-2026; the same 2019-06-03 decree that cut KOSPI/KOSDAQ
    # brought KONEX from 0.30 % to 0.10 % (outside the spec's table, for backtests only).
    Market.KONEX: (
        (date.min, _pct("0.30"), Decimal(0)),
        (date(2019, 6, 3), _pct("0.10"), Decimal(0)),
    ),
}
_STEP_DAYS = {market: [d for d, _, _ in steps] for market, steps in _STEPS.items()}

#: Exempt from the securities transaction tax: domestic ETFs and ETNs (§5.2), and ELWs, which as
#: derivative-linked securities are outside it too (not stated in the spec).
TAX_EXEMPT_KINDS = frozenset({InstrumentKind.ETF, InstrumentKind.ETN, InstrumentKind.ELW})


def sell_tax_rates(on: date, market: Market, kind: InstrumentKind = InstrumentKind.STOCK
                   ) -> tuple[Decimal, Decimal]:
    """(securities tax, rural special tax) rates on a sale made on ``on``."""
    if kind in TAX_EXEMPT_KINDS:
        return Decimal(0), Decimal(0)
    steps = _STEPS[market]
    _, securities, rural = steps[bisect_right(_STEP_DAYS[market], on) - 1]
    return securities, rural


def sell_tax_rate(on: date, market: Market, kind: InstrumentKind = InstrumentKind.STOCK) -> Decimal:
    """The total sell-side tax rate: 0.0020 for a KOSPI stock sold in 2026."""
    securities, rural = sell_tax_rates(on, market, kind)
    return securities + rural


def _charge(amount: int, rate: Decimal, rounding: str) -> int:
    if amount < 0:
        raise ValueError(f"negative amount {amount}")
    return int((amount * rate).to_integral_value(rounding=rounding))


def commission(amount: int, rate: Decimal = DEFAULT_COMMISSION_RATE, rounding: str = ROUND_DOWN) -> int:
    """Broker commission on a traded amount, whole won (750,000 × 0.015 % = 112.5 → 112)."""
    return _charge(amount, rate, rounding)


def sell_tax_parts(amount: int, on: date, market: Market,
                   kind: InstrumentKind = InstrumentKind.STOCK, rounding: str = ROUND_DOWN
                   ) -> tuple[int, int]:
    """(securities tax, rural special tax) in won; each is a separate levy, rounded on its own."""
    securities, rural = sell_tax_rates(on, market, kind)
    return _charge(amount, securities, rounding), _charge(amount, rural, rounding)


def sell_tax(amount: int, on: date, market: Market, kind: InstrumentKind = InstrumentKind.STOCK,
             rounding: str = ROUND_DOWN) -> int:
    return sum(sell_tax_parts(amount, on, market, kind, rounding))


@dataclass(frozen=True, slots=True)
class TradeCost:
    """What one buy or sell costs beyond the traded amount."""

    side: Side
    amount: int
    commission: int
    securities_tax: int = 0
    rural_tax: int = 0

    @property
    def tax(self) -> int:
        return self.securities_tax + self.rural_tax

    @property
    def total(self) -> int:
        return self.commission + self.tax

    @property
    def cash(self) -> int:
        """The signed cash movement: a buy pays amount + costs, a sell receives amount − costs."""
        return -(self.amount + self.total) if self.side is Side.BUY else self.amount - self.total


def trade_cost(
    side: Side,
    amount: int,
    on: date,
    market: Market = Market.KOSPI,
    kind: InstrumentKind = InstrumentKind.STOCK,
    rate: Decimal = DEFAULT_COMMISSION_RATE,
    rounding: str = ROUND_DOWN,
) -> TradeCost:
    """Commission on either side; the transaction tax only on a sell (§5.2)."""
    fee = commission(amount, rate, rounding)
    if side is Side.BUY:
        return TradeCost(side, amount, fee)
    securities, rural = sell_tax_parts(amount, on, market, kind, rounding)
    return TradeCost(side, amount, fee, securities, rural)


def round_trip_pnl(buy: TradeCost, sell: TradeCost) -> int:
    """Net P&L of a buy and a sell of the same shares, after every cost."""
    if buy.side is not Side.BUY or sell.side is not Side.SELL:
        raise ValueError("round_trip_pnl takes a buy and then a sell")
    return buy.cash + sell.cash
