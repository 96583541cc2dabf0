"""What a stock's detail page shows beyond the quote: price history, statements, ratios, investor
flow and brokers' opinions, as broker-neutral values.

Money is whole won (statements arrive in 억원 and are converted once, in the broker layer);
ratios are ``Decimal`` percent. Rows carry Korean labels because those are what a Korean
statement calls its lines; wire field names stay in the broker packages.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


class ChartPeriod(enum.Enum):
    """Candle length of a period chart."""

    DAY = "D"
    WEEK = "W"
    MONTH = "M"
    YEAR = "Y"

    @property
    def korean(self) -> str:
        return {"D": "일", "W": "주", "M": "월", "Y": "년"}[self.value]


@dataclass(frozen=True, slots=True)
class Candle:
    """One period's prices; ``day`` is the period's last trading day."""

    day: date
    open: int
    high: int
    low: int
    close: int
    volume: int = 0
    turnover: int = 0

    def __post_init__(self) -> None:
        if not (self.low <= min(self.open, self.close) and max(self.open, self.close) <= self.high):
            raise ValueError(f"inconsistent candle {self.day}: O{self.open} H{self.high} "
                             f"L{self.low} C{self.close}")


@dataclass(frozen=True, slots=True)
class IntradayBar:
    """One minute of today's trading; ``time`` is the minute's start."""

    time: datetime
    open: int
    high: int
    low: int
    close: int
    volume: int = 0


class Statement(enum.Enum):
    BALANCE_SHEET = "balance_sheet"      # 대차대조표
    INCOME = "income"                    # 손익계산서

    @property
    def korean(self) -> str:
        return {"balance_sheet": "대차대조표", "income": "손익계산서"}[self.value]


class RatioGroup(enum.Enum):
    FINANCIAL = "financial"              # 재무비율
    PROFIT = "profit"                    # 수익성비율
    STABILITY = "stability"              # 안정성비율
    GROWTH = "growth"                    # 성장성비율

    @property
    def korean(self) -> str:
        return {"financial": "재무비율", "profit": "수익성비율", "stability": "안정성비율",
                "growth": "성장성비율"}[self.value]


def period_label(yyyymm: str) -> str:
    """``202412`` → ``2024.12`` (a fiscal period as statements print it)."""
    text = yyyymm.strip()
    return f"{text[:4]}.{text[4:6]}" if len(text) >= 6 else text


class _Labelled:
    """Rows of (label, value) pairs read by label, in the broker's order."""

    __slots__ = ()
    items: tuple

    def get(self, label: str):
        for name, value in self.items:
            if name == label:
                return value
        return None

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.items)


@dataclass(frozen=True, slots=True)
class FinancialRow(_Labelled):
    """One fiscal period of one statement: (label, won) lines in the statement's order.

    Quarterly income statements are cumulative from the start of the fiscal year, as KIS
    publishes them.
    """

    statement: Statement
    period: str                          # YYYYMM of the period's end
    items: tuple[tuple[str, int], ...]



@dataclass(frozen=True, slots=True)
class RatioRow(_Labelled):
    """One fiscal period of one ratio group; values are percent except EPS/BPS/SPS (won)."""

    group: RatioGroup
    period: str
    items: tuple[tuple[str, Decimal], ...]



@dataclass(frozen=True, slots=True)
class InvestorFlow:
    """Net buying (buys minus sells) of one day by investor group, in shares and won."""

    day: date
    close: int
    change: int
    individual: int
    foreign: int
    institution: int
    individual_value: int = 0
    foreign_value: int = 0
    institution_value: int = 0


@dataclass(frozen=True, slots=True)
class Opinion:
    """One broker's published opinion and target price."""

    day: date
    broker: str
    opinion: str
    previous_opinion: str
    target: int                          # 0 when the report gave none
    prev_close: int                      # the close before the report

    def gap(self, price: int) -> Decimal | None:
        """How far ``price`` would have to move to reach the target, in percent."""
        if not self.target or not price:
            return None
        return (Decimal(self.target - price) * 100 / price).quantize(Decimal("0.01"))


def aggregate(candles: list[Candle], period: ChartPeriod) -> list[Candle]:
    """Daily candles (oldest first) folded into weeks, months or years."""
    if period is ChartPeriod.DAY:
        return list(candles)

    def key(day: date) -> tuple[int, ...]:
        if period is ChartPeriod.WEEK:
            iso = day.isocalendar()
            return (iso[0], iso[1])
        if period is ChartPeriod.MONTH:
            return (day.year, day.month)
        return (day.year,)

    out: list[Candle] = []
    group: list[Candle] = []
    for candle in candles:
        if group and key(group[0].day) != key(candle.day):
            out.append(_fold(group))
            group = []
        group.append(candle)
    if group:
        out.append(_fold(group))
    return out


def _fold(group: list[Candle]) -> Candle:
    return Candle(day=group[-1].day, open=group[0].open, high=max(c.high for c in group),
                  low=min(c.low for c in group), close=group[-1].close,
                  volume=sum(c.volume for c in group), turnover=sum(c.turnover for c in group))


def range_52w(candles: list[Candle], today: date) -> tuple[int, int] | None:
    """(low, high) over the 52 weeks to ``today`` from daily candles, None without any."""
    start = date(today.year - 1, today.month, min(today.day, 28))
    window = [c for c in candles if c.day > start]
    if not window:
        return None
    return min(c.low for c in window), max(c.high for c in window)
