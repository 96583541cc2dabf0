from datetime import date
from decimal import Decimal

from lucy_tui.sources.judgement import price_vs_band, summary
from lucy_tui.sources.models import IpoPhase, IpoRecord


def rec(**kw):
    base = dict(name="x", band_low=10000, band_high=12000)
    base.update(kw)
    return IpoRecord(**base)


def test_price_against_the_band():
    assert price_vs_band(rec(final_price=None)) is None
    assert price_vs_band(rec(final_price=12000)) == "top of the band"
    assert price_vs_band(rec(final_price=11000)) == "inside the band"
    assert price_vs_band(rec(final_price=15000)) == "above the band (+25.0% over the top)"
    assert price_vs_band(rec(final_price=9000)) == "below the band (-10.0% under the bottom)"
    assert price_vs_band(rec(band_low=8400, band_high=8400, final_price=8400)) == "fixed price"


def test_summary_grades_demand_and_lockup_and_says_what_is_unknown():
    lines = summary(rec(final_price=12000, institutional_competition=Decimal("1075.61"),
                        lockup_ratio=Decimal("4.51"), competition=Decimal("772.80")))
    assert lines == ["Institutional demand 1,075.61:1 — very strong", "Lock-up 4.51% — low",
                     "Final price: top of the band", "Retail subscription 772.80:1"]
    assert summary(rec()) == ["Institutional demand: not published yet", "Lock-up: not known yet"]
    assert summary(rec(name="교보스팩17호", spac=True, band_low=2000, band_high=2000,
                       final_price=2000)) == ["SPAC: fixed 2,000 won, no book-building to judge"]


def test_phases_around_the_subscription_and_listing():
    r = rec(subscription_start=date(2026, 12, 1), subscription_end=date(2026, 12, 2),
            listing=date(2026, 12, 10))
    assert r.phase(date(2026, 11, 30)) is IpoPhase.UPCOMING
    assert r.phase(date(2026, 12, 2)) is IpoPhase.SUBSCRIBING
    assert r.phase(date(2026, 12, 9)) is IpoPhase.LISTING_SOON
    assert r.phase(date(2026, 12, 10)) is IpoPhase.DONE
    unlisted = rec(subscription_start=date(2026, 12, 1), subscription_end=date(2026, 12, 2))
    assert unlisted.phase(date(2026, 12, 20)) is IpoPhase.LISTING_SOON
    assert unlisted.phase(date(2027, 2, 1)) is IpoPhase.DONE
    assert rec().phase(date(2026, 12, 1)) is IpoPhase.UPCOMING


def test_calendar_events_skip_weekends_inside_a_subscription():
    # Friday 12-04 to Monday 12-07: the weekend is not a subscription day.
    r = rec(subscription_start=date(2026, 12, 4), subscription_end=date(2026, 12, 7),
            payment=date(2026, 12, 9), refund=date(2026, 12, 9), listing=date(2026, 12, 15))
    assert r.events() == [(date(2026, 12, 4), "subscription"), (date(2026, 12, 7), "subscription"),
                          (date(2026, 12, 9), "payment"), (date(2026, 12, 9), "refund"),
                          (date(2026, 12, 15), "listing")]
