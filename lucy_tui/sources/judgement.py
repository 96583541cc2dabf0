"""A short reading of an offering's book-building, for the IPO detail pane.

Rules of thumb Korean retail subscribers use (institutional demand, lock-up commitments, where the
final price landed against the band). They summarise the numbers; they are not advice. The
thresholds are the commonly quoted ones and live here as constants so they are easy to change.
"""

from __future__ import annotations

from decimal import Decimal

from .models import IpoRecord

#: 기관경쟁률 (N:1): at or above each threshold, the word.
DEMAND = ((Decimal(1000), "very strong"), (Decimal(500), "strong"), (Decimal(100), "moderate"),
          (Decimal(0), "weak"))
#: 의무보유확약 (% of allocated shares locked up).
LOCKUP = ((Decimal(15), "high"), (Decimal(5), "moderate"), (Decimal(0), "low"))


def _grade(value: Decimal, table) -> str:
    return next(word for floor, word in table if value >= floor)


def price_vs_band(record: IpoRecord) -> str | None:
    low, high, final = record.band_low, record.band_high, record.final_price
    if final is None or low is None or high is None:
        return None
    if low == high:
        return "fixed price" if final == high else f"priced at {final:,} against a fixed {high:,}"
    if final > high:
        return f"above the band (+{(final - high) * 100 / high:.1f}% over the top)"
    if final == high:
        return "top of the band"
    if final < low:
        return f"below the band ({(final - low) * 100 / low:.1f}% under the bottom)"
    return "inside the band"


def summary(record: IpoRecord) -> list[str]:
    """One line per judgement that the data supports; what is not known yet says so."""
    lines = []
    if record.spac:
        lines.append("SPAC: fixed 2,000 won, no book-building to judge")
    inst = record.institutional_competition
    if inst is not None:
        lines.append(f"Institutional demand {inst:,}:1 — {_grade(inst, DEMAND)}")
    elif not record.spac:
        lines.append("Institutional demand: not published yet")
    lockup = record.lockup_ratio
    if lockup is not None:
        lines.append(f"Lock-up {lockup}% — {_grade(lockup, LOCKUP)}")
    elif not record.spac:
        lines.append("Lock-up: not known yet")
    band = price_vs_band(record)
    if band is not None and not record.spac:
        lines.append(f"Final price: {band}")
    if record.competition is not None:
        lines.append(f"Retail subscription {record.competition:,}:1")
    return lines
