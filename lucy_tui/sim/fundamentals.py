"""Synthetic, internally consistent financial statements for the shipped instruments.

Per company (seeded by code) a revenue level is set from today's market value (a price-to-sales
multiple between 1 and 4), then grown year by year; every other line follows from revenue
through margins and balance-sheet proportions, so totals add up (assets = current + fixed,
equity = assets − liabilities, operating profit = gross profit − SG&A …) and every ratio is
computed from the statements, not drawn separately. Amounts are in 억원 (10^8 won), the unit
KIS's finance endpoints use. ETFs and ETNs have no statements.

Quarterly income statements are cumulative from January (KIS: "분기데이터는 연단위 누적합산");
quarterly balance sheets are the position at the quarter's end.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .history import listed_shares

EOK = 100_000_000
ANNUAL_YEARS = 5
QUARTERS = 8


@dataclass(frozen=True, slots=True)
class Period:
    """One fiscal period's statements, amounts in 억원 (Decimal, two places)."""

    yymm: str
    balance: dict[str, Decimal]
    income: dict[str, Decimal]


def _d(x: float) -> Decimal:
    return Decimal(str(round(x, 2))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def periods_of(today: date, quarterly: bool) -> list[tuple[int, int]]:
    """(year, month) of reported period ends, newest first: a period is published about 45
    days after it ends (annual: the previous December once March has come)."""
    if not quarterly:
        last = today.year - 1 if today.month >= 3 else today.year - 2
        return [(last - i, 12) for i in range(ANNUAL_YEARS)]
    y, m = today.year, today.month
    # Step back to the last quarter end at least ~45 days ago.
    q_month = ((m - 1) // 3) * 3
    if q_month == 0:
        y, q_month = y - 1, 12
    if (today.month - q_month) % 12 < 2 and today.day < 15:
        q_month -= 3
        if q_month == 0:
            y, q_month = y - 1, 12
    out = []
    for _ in range(QUARTERS):
        out.append((y, q_month))
        q_month -= 3
        if q_month == 0:
            y, q_month = y - 1, 12
    return out


class Fundamentals:
    def __init__(self, seed: int = 0):
        self.seed = seed

    def company(self, code: str, price: int, this_year: int) -> dict[int, tuple[dict, dict]]:
        """Per fiscal year (the last ten): (year-end balance sheet, full-year income).

        ``price`` sizes the company; callers pass a stable anchor, not the live last price,
        or the statements would move with every tick."""
        rng = random.Random(f"fundamentals:{self.seed}:{code}")
        shares = listed_shares(code)
        market_value = price * shares / EOK                      # 억원
        revenue = market_value / rng.uniform(1.0, 4.0)
        gross_margin = rng.uniform(0.18, 0.45)
        sga_share = rng.uniform(0.45, 0.8)                       # of gross profit
        assets_to_sales = rng.uniform(0.9, 1.8)
        debt_ratio = rng.uniform(0.25, 1.2)                      # liabilities / equity
        current_share = rng.uniform(0.35, 0.6)
        capital = max(1.0, shares * 100 / EOK)                   # 100-won par, in 억원
        years: dict[int, tuple[dict, dict]] = {}
        rev = revenue / (1.06 ** 10)     # about ``revenue`` by the latest year
        for year in range(this_year - 10, this_year + 1):
            growth = rng.gauss(0.06, 0.09)
            rev = max(revenue * 0.2, rev * (1 + growth))
            gm = min(0.7, max(0.05, gross_margin + rng.gauss(0, 0.03)))
            cost = rev * (1 - gm)
            gross = rev - cost
            sga = gross * min(0.95, max(0.3, sga_share + rng.gauss(0, 0.05)))
            depr = sga * rng.uniform(0.15, 0.3)
            operating = gross - sga
            non_op_in = rev * rng.uniform(0.01, 0.04)
            non_op_out = rev * rng.uniform(0.005, 0.03)
            ordinary = operating + non_op_in - non_op_out
            special_gain = rev * rng.uniform(0, 0.004)
            special_loss = rev * rng.uniform(0, 0.004)
            net = (ordinary + special_gain - special_loss) * (0.76 if ordinary > 0 else 1.0)
            assets = rev * assets_to_sales * rng.uniform(0.95, 1.05)
            equity = assets / (1 + debt_ratio * rng.uniform(0.9, 1.1))
            liabilities = assets - equity
            current_assets = assets * current_share
            current_liab = liabilities * rng.uniform(0.45, 0.7)
            capital_surplus = equity * rng.uniform(0.05, 0.15)
            retained = equity - capital - capital_surplus
            borrowings = liabilities * rng.uniform(0.2, 0.5)
            inventory = current_assets * rng.uniform(0.15, 0.35)
            balance = {"cras": current_assets, "fxas": assets - current_assets,
                       "total_aset": assets, "flow_lblt": current_liab,
                       "fix_lblt": liabilities - current_liab, "total_lblt": liabilities,
                       "cpfn": capital, "cfp_surp": capital_surplus, "prfi_surp": retained,
                       "total_cptl": equity, "_borrowings": borrowings, "_inventory": inventory}
            income = {"sale_account": rev, "sale_cost": cost, "sale_totl_prfi": gross,
                      "depr_cost": depr, "sell_mang": sga, "bsop_prti": operating,
                      "bsop_non_ernn": non_op_in, "bsop_non_expn": non_op_out, "op_prfi": ordinary,
                      "spec_prfi": special_gain, "spec_loss": special_loss, "thtr_ntin": net}
            years[year] = (balance, income)
        return years

    def periods(self, code: str, price: int, today: date, quarterly: bool) -> list[Period]:
        years = self.company(code, price, today.year)
        out = [self._period(years, y, m) for y, m in periods_of(today, quarterly)]
        return [p for p in out if p is not None]

    def previous(self, code: str, price: int, today: date, yymm: str) -> Period | None:
        """The same period one year earlier (for growth rates)."""
        return self._period(self.company(code, price, today.year), int(yymm[:4]) - 1,
                            int(yymm[4:]))

    @staticmethod
    def _period(years: dict[int, tuple[dict, dict]], year: int, month: int) -> Period | None:
        if year not in years or year - 1 not in years:
            return None
        balance, income = years[year]
        prev_balance = years[year - 1][0]
        part = month / 12
        # A quarter's balance sheet sits between last year-end's and this one's; its income
        # statement is the year so far.
        bal = {k: _d(prev_balance[k] + (v - prev_balance[k]) * part) for k, v in balance.items()}
        inc = {k: _d(v * part) for k, v in income.items()}
        # Totals are re-derived after rounding so that every sum holds to the last digit.
        bal["total_aset"] = bal["cras"] + bal["fxas"]
        bal["total_lblt"] = bal["flow_lblt"] + bal["fix_lblt"]
        bal["total_cptl"] = bal["total_aset"] - bal["total_lblt"]
        bal["prfi_surp"] = bal["total_cptl"] - bal["cpfn"] - bal["cfp_surp"]
        inc["sale_totl_prfi"] = inc["sale_account"] - inc["sale_cost"]
        inc["bsop_prti"] = inc["sale_totl_prfi"] - inc["sell_mang"]
        inc["op_prfi"] = inc["bsop_prti"] + inc["bsop_non_ernn"] - inc["bsop_non_expn"]
        return Period(f"{year}{month:02d}", bal, inc)


def pct(num: Decimal, den: Decimal) -> Decimal:
    if not den:
        return Decimal("0.00")
    return (num * 100 / den).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def growth(now: Decimal, before: Decimal) -> Decimal:
    if not before:
        return Decimal("0.00")
    return ((now - before) * 100 / abs(before)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
