"""KRX/NXT trading days, sessions and order types by phase (specs/krx.md §3, §4, §5.1, §6)."""

from datetime import date, datetime, timedelta, timezone

import pytest

from lucy_tui.clock import KST
from lucy_tui.domain import calendar as cal
from lucy_tui.domain.calendar import (
    KrxCalendar,
    Phase,
    SessionWindow,
    is_trading_day,
    next_trading_day,
    order_type_allowed,
    order_type_allowed_at,
    phases_at,
    previous_trading_day,
    session_at,
    sessions_on,
    settlement_date,
    shifted,
    trading_days,
)
from lucy_tui.domain.krx import ViolationCode
from lucy_tui.domain.model import IMMEDIATE_TYPES, OrderType, TimeInForce, Venue

KRX, NXT, SOR = Venue.KRX, Venue.NXT, Venue.SOR
DAY, IOC, FOK = TimeInForce.DAY, TimeInForce.IOC, TimeInForce.FOK

# §6.1 and §6.2, date by date.
HOLIDAYS_2025 = {
    date(2025, 1, 1), date(2025, 1, 27), date(2025, 1, 28), date(2025, 1, 29), date(2025, 1, 30),
    date(2025, 3, 3), date(2025, 5, 1), date(2025, 5, 5), date(2025, 5, 6), date(2025, 6, 3),
    date(2025, 6, 6), date(2025, 8, 15), date(2025, 10, 3), date(2025, 10, 6), date(2025, 10, 7),
    date(2025, 10, 8), date(2025, 10, 9), date(2025, 12, 25), date(2025, 12, 31),
}
HOLIDAYS_2026 = {
    date(2026, 1, 1), date(2026, 2, 16), date(2026, 2, 17), date(2026, 2, 18), date(2026, 3, 2),
    date(2026, 5, 1), date(2026, 5, 5), date(2026, 5, 25), date(2026, 6, 3), date(2026, 7, 17),
    date(2026, 8, 17), date(2026, 9, 24), date(2026, 9, 25), date(2026, 10, 5), date(2026, 10, 9),
    date(2026, 12, 25), date(2026, 12, 31),
}


def at(y, m, d, hh, mm=0, ss=0):
    return datetime(y, m, d, hh, mm, ss, tzinfo=KST)


@pytest.fixture
def restore_default():
    """Tests that change the shared calendar put it back."""
    saved_csat = cal.default_calendar.csat_days
    saved_delay = cal.default_calendar.nxt_open_delay
    yield cal.default_calendar
    cal.set_csat_days(saved_csat)
    cal.set_nxt_open_delay(saved_delay)
    for day in (date(2025, 6, 2), date(2025, 6, 4)):
        cal.clear_override(day)


# -- holidays and trading days -------------------------------------------------------------------

@pytest.mark.parametrize("year, table, count", [(2025, HOLIDAYS_2025, 242), (2026, HOLIDAYS_2026, 244)])
def test_holiday_tables_match_the_spec_date_by_date(year, table, count):
    assert KrxCalendar().holidays_in(year) == frozenset(table)
    for day in table:
        assert not is_trading_day(day), day
    days = trading_days(date(year, 1, 1), date(year, 12, 31))
    assert len(days) == count
    weekdays = [date(year, 1, 1) + timedelta(n) for n in range(366)]
    weekdays = [d for d in weekdays if d.year == year and d.weekday() < 5]
    assert set(days) == set(weekdays) - table


def test_2025_10_10_was_a_trading_day():
    assert is_trading_day(date(2025, 10, 10))


def test_weekends_are_closed():
    assert not is_trading_day(date(2025, 6, 7))
    assert not is_trading_day(date(2025, 6, 8))
    assert sessions_on(date(2025, 6, 7)) == []
    assert sessions_on(date(2025, 6, 3), NXT) == []  # holiday: no NXT either


def test_next_and_previous_trading_day():
    assert next_trading_day(date(2025, 10, 2)) == date(2025, 10, 10)
    assert previous_trading_day(date(2025, 10, 10)) == date(2025, 10, 2)
    assert next_trading_day(date(2025, 12, 30)) == date(2026, 1, 2)
    assert previous_trading_day(date(2026, 1, 2)) == date(2025, 12, 30)
    assert next_trading_day(date(2025, 6, 13)) == date(2025, 6, 16)


def test_settlement_is_t_plus_2_business_days():
    assert settlement_date(date(2025, 6, 13)) == date(2025, 6, 17)      # Friday → Tuesday
    assert settlement_date(date(2025, 6, 11)) == date(2025, 6, 13)
    assert settlement_date(date(2025, 10, 2)) == date(2025, 10, 13)     # over Chuseok
    assert settlement_date(date(2025, 12, 30)) == date(2026, 1, 5)      # over year-end
    assert settlement_date(date(2026, 7, 16)) == date(2026, 7, 21)      # over Constitution Day
    with pytest.raises(ValueError):
        settlement_date(date(2025, 6, 3))


def test_ad_hoc_closures_and_openings_are_data():
    c = KrxCalendar(extra_holidays=[date(2025, 6, 4)])
    assert not c.is_trading_day(date(2025, 6, 4))
    assert c.next_trading_day(date(2025, 6, 2)) == date(2025, 6, 5)
    c.add_trading_day(date(2025, 6, 4))
    assert c.is_trading_day(date(2025, 6, 4))
    assert c.sessions_on(date(2025, 6, 4))
    c.add_holiday(date(2025, 10, 10))
    assert c.sessions_on(date(2025, 10, 10)) == []


# -- session tables ------------------------------------------------------------------------------

def _shape(day, venue=KRX, c=None):
    windows = (c or cal.default_calendar).sessions_on(day, venue)
    return [(w.phase, w.entry_start.strftime("%H:%M:%S"), w.start.strftime("%H:%M:%S"),
             w.end.strftime("%H:%M")) for w in windows]


def test_krx_sessions_before_2026_09_14():
    assert _shape(date(2025, 6, 2)) == [
        (Phase.PRE_CLOSE_TRADE, "08:30:00", "08:30:00", "08:40"),
        (Phase.OPENING_AUCTION, "08:30:00", "08:30:00", "09:00"),
        (Phase.CONTINUOUS, "09:00:00", "09:00:00", "15:20"),
        (Phase.CLOSING_AUCTION, "15:20:00", "15:20:00", "15:30"),
        (Phase.POST_CLOSE_TRADE, "15:30:00", "15:40:00", "16:00"),
        (Phase.AFTER_SINGLE, "16:00:00", "16:00:00", "18:00"),
    ]
    w = sessions_on(date(2025, 6, 2))[0]
    assert isinstance(w, SessionWindow) and w.start.tzinfo is not None
    assert w.start.utcoffset() == timedelta(hours=9)


def test_krx_sessions_from_2026_09_14():
    assert _shape(date(2026, 9, 11))[-1] == (Phase.AFTER_SINGLE, "16:00:00", "16:00:00", "18:00")
    assert _shape(date(2026, 9, 14)) == [
        (Phase.PRE_MARKET, "07:00:00", "07:00:00", "08:00"),
        (Phase.PRE_CLOSE_TRADE, "08:30:00", "08:30:00", "08:40"),
        (Phase.OPENING_AUCTION, "08:30:00", "08:30:00", "09:00"),
        (Phase.CONTINUOUS, "09:00:00", "09:00:00", "15:20"),
        (Phase.CLOSING_AUCTION, "15:20:00", "15:20:00", "15:30"),
        (Phase.POST_CLOSE_TRADE, "15:30:00", "15:40:00", "16:00"),
        (Phase.AFTER_MARKET, "16:00:00", "16:00:00", "20:00"),
    ]


def test_nxt_sessions():
    assert _shape(date(2025, 3, 3), NXT) == []   # a holiday anyway, and before launch
    assert _shape(date(2025, 2, 28), NXT) == []  # before launch
    assert _shape(date(2025, 3, 4), NXT) == [
        (Phase.PRE_MARKET, "08:00:00", "08:00:00", "08:50"),
        (Phase.HALTED, "08:50:00", "08:50:00", "09:00"),
        (Phase.CONTINUOUS, "09:00:00", "09:00:00", "15:20"),
        (Phase.HALTED, "15:20:00", "15:20:00", "15:30"),
        (Phase.AFTER_MARKET, "15:30:00", "15:40:00", "20:00"),
    ]


def test_first_trading_day_opens_at_ten():
    for day in (date(2025, 1, 2), date(2026, 1, 2)):
        shape = _shape(day)
        assert (Phase.OPENING_AUCTION, "09:30:00", "09:30:00", "10:00") in shape
        assert (Phase.CONTINUOUS, "10:00:00", "10:00:00", "15:20") in shape
        assert (Phase.CLOSING_AUCTION, "15:20:00", "15:20:00", "15:30") in shape  # close unchanged
    assert session_at(at(2026, 1, 2, 9, 0)) is Phase.CLOSED
    assert session_at(at(2026, 1, 2, 9, 59)) is Phase.OPENING_AUCTION
    assert session_at(at(2026, 1, 2, 10, 0)) is Phase.CONTINUOUS
    assert session_at(at(2026, 1, 5, 9, 0)) is Phase.CONTINUOUS
    # NXT holds no pre-market that day and opens its main market with KRX.
    assert _shape(date(2026, 1, 2), NXT)[0] == (Phase.CONTINUOUS, "10:00:00", "10:00:00", "15:20")
    assert session_at(at(2026, 1, 2, 8, 10), NXT) is Phase.CLOSED


def test_csat_day_shifts_one_hour():
    day = date(2025, 11, 13)
    assert _shape(day) == [
        (Phase.PRE_CLOSE_TRADE, "09:30:00", "09:30:00", "09:40"),
        (Phase.OPENING_AUCTION, "09:30:00", "09:30:00", "10:00"),
        (Phase.CONTINUOUS, "10:00:00", "10:00:00", "16:20"),
        (Phase.CLOSING_AUCTION, "16:20:00", "16:20:00", "16:30"),
        (Phase.POST_CLOSE_TRADE, "16:30:00", "16:40:00", "17:00"),
        (Phase.AFTER_SINGLE, "17:00:00", "17:00:00", "18:00"),  # still ends at 18:00
    ]
    assert _shape(day, NXT) == [
        (Phase.CONTINUOUS, "10:00:00", "10:00:00", "16:20"),
        (Phase.HALTED, "16:20:00", "16:20:00", "16:30"),
        (Phase.AFTER_MARKET, "16:30:00", "16:40:00", "20:00"),
    ]
    assert session_at(at(2025, 11, 13, 9, 0)) is Phase.CLOSED
    assert session_at(at(2025, 11, 13, 16, 0)) is Phase.CONTINUOUS
    assert session_at(at(2025, 11, 13, 8, 30), NXT) is Phase.CLOSED


def test_csat_table_is_configurable(restore_default):
    assert date(2026, 11, 19) in cal.default_calendar.csat_days
    assert session_at(at(2026, 11, 19, 9, 30)) is Phase.OPENING_AUCTION
    cal.set_csat_days({date(2025, 11, 13), date(2026, 11, 12)})
    assert session_at(at(2026, 11, 19, 9, 30)) is Phase.CONTINUOUS
    assert session_at(at(2026, 11, 12, 9, 30)) is Phase.OPENING_AUCTION
    own = KrxCalendar(csat_days=())
    assert own.session_at(at(2025, 11, 13, 9, 30)) is Phase.CONTINUOUS


def test_nxt_open_delay_is_configurable(restore_default):
    assert session_at(at(2025, 6, 2, 9, 0, 10), NXT) is Phase.CONTINUOUS
    cal.set_nxt_open_delay(timedelta(seconds=30))
    assert session_at(at(2025, 6, 2, 9, 0, 10), NXT) is Phase.HALTED
    assert session_at(at(2025, 6, 2, 9, 0, 30), NXT) is Phase.CONTINUOUS
    assert _shape(date(2026, 1, 2), NXT)[0][2] == "10:00:30"
    with pytest.raises(ValueError):
        cal.set_nxt_open_delay(timedelta(minutes=-1))


def test_ad_hoc_override(restore_default):
    day = date(2025, 6, 2)
    late = shifted(sessions_on(day), timedelta(minutes=30))
    cal.register_override(day, KRX, late)
    assert session_at(at(2025, 6, 2, 9, 10)) is Phase.OPENING_AUCTION
    assert session_at(at(2025, 6, 2, 9, 30)) is Phase.CONTINUOUS
    assert session_at(at(2025, 6, 2, 9, 10), NXT) is Phase.CONTINUOUS  # other venue untouched
    cal.clear_override(day, KRX)
    assert session_at(at(2025, 6, 2, 9, 10)) is Phase.CONTINUOUS
    with pytest.raises(ValueError):
        cal.register_override(day, SOR, late)


# -- session_at at many instants -----------------------------------------------------------------

BEFORE = (2025, 6, 2)   # a Monday after NXT launch, before the KRX extended hours
AFTER = (2026, 9, 15)   # a Tuesday after 2026-09-14


@pytest.mark.parametrize("ymd, hm, venue, phase", [
    (BEFORE, (6, 59), KRX, Phase.CLOSED),
    (BEFORE, (7, 0), KRX, Phase.CLOSED),
    (BEFORE, (8, 29), KRX, Phase.CLOSED),
    (BEFORE, (8, 30), KRX, Phase.OPENING_AUCTION),
    (BEFORE, (8, 45), KRX, Phase.OPENING_AUCTION),
    (BEFORE, (9, 0), KRX, Phase.CONTINUOUS),
    (BEFORE, (15, 19), KRX, Phase.CONTINUOUS),
    (BEFORE, (15, 20), KRX, Phase.CLOSING_AUCTION),
    (BEFORE, (15, 30), KRX, Phase.POST_CLOSE_TRADE),
    (BEFORE, (15, 45), KRX, Phase.POST_CLOSE_TRADE),
    (BEFORE, (16, 0), KRX, Phase.AFTER_SINGLE),
    (BEFORE, (17, 59), KRX, Phase.AFTER_SINGLE),
    (BEFORE, (18, 0), KRX, Phase.CLOSED),
    (BEFORE, (19, 0), KRX, Phase.CLOSED),
    (BEFORE, (7, 59), NXT, Phase.CLOSED),
    (BEFORE, (8, 0), NXT, Phase.PRE_MARKET),
    (BEFORE, (8, 49), NXT, Phase.PRE_MARKET),
    (BEFORE, (8, 50), NXT, Phase.HALTED),
    (BEFORE, (9, 0), NXT, Phase.CONTINUOUS),
    (BEFORE, (15, 20), NXT, Phase.HALTED),
    (BEFORE, (15, 30), NXT, Phase.AFTER_MARKET),
    (BEFORE, (19, 59), NXT, Phase.AFTER_MARKET),
    (BEFORE, (20, 0), NXT, Phase.CLOSED),
    (AFTER, (6, 59), KRX, Phase.CLOSED),
    (AFTER, (7, 0), KRX, Phase.PRE_MARKET),
    (AFTER, (7, 59), KRX, Phase.PRE_MARKET),
    (AFTER, (8, 0), KRX, Phase.CLOSED),
    (AFTER, (8, 30), KRX, Phase.OPENING_AUCTION),
    (AFTER, (9, 0), KRX, Phase.CONTINUOUS),
    (AFTER, (15, 25), KRX, Phase.CLOSING_AUCTION),
    (AFTER, (15, 35), KRX, Phase.POST_CLOSE_TRADE),
    (AFTER, (16, 0), KRX, Phase.AFTER_MARKET),
    (AFTER, (18, 30), KRX, Phase.AFTER_MARKET),
    (AFTER, (20, 0), KRX, Phase.CLOSED),
    (AFTER, (8, 10), NXT, Phase.PRE_MARKET),
    (AFTER, (16, 30), NXT, Phase.AFTER_MARKET),
    (AFTER, (8, 55), SOR, Phase.OPENING_AUCTION),
    (AFTER, (7, 30), SOR, Phase.PRE_MARKET),
    (AFTER, (8, 10), SOR, Phase.PRE_MARKET),
    (AFTER, (15, 25), SOR, Phase.CLOSING_AUCTION),
    (BEFORE, (17, 0), SOR, Phase.AFTER_SINGLE),
    (BEFORE, (19, 0), SOR, Phase.AFTER_MARKET),
    ((2025, 6, 7), (10, 0), KRX, Phase.CLOSED),   # Saturday
    ((2025, 6, 3), (10, 0), NXT, Phase.CLOSED),   # election day
    ((2025, 2, 28), (10, 0), NXT, Phase.CLOSED),  # before NXT launched
    ((2025, 2, 28), (10, 0), KRX, Phase.CONTINUOUS),
])
def test_session_at(ymd, hm, venue, phase):
    assert session_at(at(*ymd, *hm), venue) is phase


def test_overlapping_phases():
    assert phases_at(at(2025, 6, 2, 8, 35)) == {Phase.PRE_CLOSE_TRADE, Phase.OPENING_AUCTION}
    assert session_at(at(2025, 6, 2, 8, 35)) is Phase.OPENING_AUCTION
    assert phases_at(at(2025, 6, 2, 8, 45)) == {Phase.OPENING_AUCTION}
    assert phases_at(at(2025, 6, 2, 15, 35)) == {Phase.POST_CLOSE_TRADE}  # entry only
    assert phases_at(at(2025, 6, 2, 21, 0)) == {Phase.CLOSED}
    assert phases_at(at(2025, 6, 2, 17, 0), SOR) == {Phase.AFTER_SINGLE, Phase.AFTER_MARKET}
    # Order intake for the post-close trade starts before it matches.
    post = [w for w in sessions_on(date(2025, 6, 2)) if w.phase is Phase.POST_CLOSE_TRADE][0]
    assert post.accepts_orders(at(2025, 6, 2, 15, 35)) and not post.is_matching(at(2025, 6, 2, 15, 35))


def test_times_are_converted_to_kst_and_must_be_aware():
    utc = datetime(2025, 6, 2, 0, 30, tzinfo=timezone.utc)  # 09:30 KST
    assert session_at(utc) is Phase.CONTINUOUS
    with pytest.raises(ValueError):
        session_at(datetime(2025, 6, 2, 9, 30))


# -- order types by phase and venue --------------------------------------------------------------

ON = date(2025, 6, 2)


@pytest.mark.parametrize("otype, tif, phase, venue, code", [
    # Continuous KRX takes everything; IOC/FOK only with IMMEDIATE_TYPES.
    (OrderType.LIMIT, DAY, Phase.CONTINUOUS, KRX, None),
    (OrderType.MARKET, DAY, Phase.CONTINUOUS, KRX, None),
    (OrderType.CONDITIONAL, DAY, Phase.CONTINUOUS, KRX, None),
    (OrderType.BEST, IOC, Phase.CONTINUOUS, KRX, None),
    (OrderType.MIDPOINT, FOK, Phase.CONTINUOUS, KRX, None),
    (OrderType.STOP_LIMIT, DAY, Phase.CONTINUOUS, KRX, None),
    (OrderType.TOP, IOC, Phase.CONTINUOUS, KRX, ViolationCode.ORDER_TYPE_NOT_ALLOWED),
    (OrderType.CONDITIONAL, FOK, Phase.CONTINUOUS, KRX, ViolationCode.ORDER_TYPE_NOT_ALLOWED),
    (OrderType.STOP_LIMIT, IOC, Phase.CONTINUOUS, KRX, ViolationCode.ORDER_TYPE_NOT_ALLOWED),
    # Market orders: not on NXT, except as IOC/FOK; via SOR yes.
    (OrderType.MARKET, DAY, Phase.CONTINUOUS, NXT, ViolationCode.VENUE_NOT_ALLOWED),
    (OrderType.MARKET, IOC, Phase.CONTINUOUS, NXT, None),
    (OrderType.MARKET, DAY, Phase.CONTINUOUS, SOR, None),
    # KRX-only types.
    (OrderType.CONDITIONAL, DAY, Phase.CONTINUOUS, NXT, ViolationCode.VENUE_NOT_ALLOWED),
    (OrderType.CONDITIONAL, DAY, Phase.CONTINUOUS, SOR, ViolationCode.VENUE_NOT_ALLOWED),
    (OrderType.PRE_CLOSE, DAY, Phase.PRE_CLOSE_TRADE, KRX, None),
    (OrderType.PRE_CLOSE, DAY, Phase.PRE_CLOSE_TRADE, NXT, ViolationCode.VENUE_NOT_ALLOWED),
    (OrderType.PRE_CLOSE, DAY, Phase.CONTINUOUS, KRX, ViolationCode.ORDER_TYPE_NOT_ALLOWED),
    (OrderType.POST_CLOSE, DAY, Phase.POST_CLOSE_TRADE, KRX, None),
    (OrderType.POST_CLOSE, DAY, Phase.AFTER_SINGLE, KRX, ViolationCode.ORDER_TYPE_NOT_ALLOWED),
    (OrderType.POST_CLOSE, IOC, Phase.POST_CLOSE_TRADE, KRX, ViolationCode.ORDER_TYPE_NOT_ALLOWED),
    (OrderType.AFTER_SINGLE, DAY, Phase.AFTER_SINGLE, KRX, None),
    (OrderType.AFTER_SINGLE, DAY, Phase.CONTINUOUS, KRX, ViolationCode.ORDER_TYPE_NOT_ALLOWED),
    (OrderType.AFTER_SINGLE, DAY, Phase.AFTER_SINGLE, NXT, ViolationCode.VENUE_NOT_ALLOWED),
    (OrderType.LIMIT, DAY, Phase.AFTER_SINGLE, KRX, ViolationCode.ORDER_TYPE_NOT_ALLOWED),
    # Mid-point: continuous only, KRX and NXT, not SOR.
    (OrderType.MIDPOINT, DAY, Phase.CONTINUOUS, NXT, None),
    (OrderType.MIDPOINT, DAY, Phase.OPENING_AUCTION, KRX, ViolationCode.ORDER_TYPE_NOT_ALLOWED),
    (OrderType.MIDPOINT, DAY, Phase.AFTER_MARKET, NXT, ViolationCode.ORDER_TYPE_NOT_ALLOWED),
    (OrderType.MIDPOINT, DAY, Phase.CONTINUOUS, SOR, ViolationCode.VENUE_NOT_ALLOWED),
    (OrderType.STOP_LIMIT, DAY, Phase.CONTINUOUS, NXT, None),
    (OrderType.STOP_LIMIT, DAY, Phase.CONTINUOUS, SOR, ViolationCode.VENUE_NOT_ALLOWED),
    # Auctions collect limit and market orders.
    (OrderType.LIMIT, DAY, Phase.OPENING_AUCTION, KRX, None),
    (OrderType.MARKET, DAY, Phase.CLOSING_AUCTION, KRX, None),
    (OrderType.BEST, DAY, Phase.OPENING_AUCTION, KRX, ViolationCode.ORDER_TYPE_NOT_ALLOWED),
    (OrderType.LIMIT, IOC, Phase.CLOSING_AUCTION, KRX, ViolationCode.ORDER_TYPE_NOT_ALLOWED),
    # NXT pre/after market: limit, best, top.
    (OrderType.LIMIT, DAY, Phase.PRE_MARKET, NXT, None),
    (OrderType.TOP, DAY, Phase.AFTER_MARKET, NXT, None),
    (OrderType.BEST, IOC, Phase.AFTER_MARKET, NXT, None),
    (OrderType.MARKET, IOC, Phase.PRE_MARKET, NXT, ViolationCode.ORDER_TYPE_NOT_ALLOWED),
    (OrderType.STOP_LIMIT, DAY, Phase.PRE_MARKET, NXT, ViolationCode.ORDER_TYPE_NOT_ALLOWED),
    # Closed and halted.
    (OrderType.LIMIT, DAY, Phase.CLOSED, KRX, ViolationCode.SESSION_CLOSED),
    (OrderType.LIMIT, DAY, Phase.HALTED, NXT, ViolationCode.HALTED),
    # SOR takes what the open venue takes.
    (OrderType.LIMIT, DAY, Phase.PRE_MARKET, SOR, None),
    (OrderType.LIMIT, DAY, Phase.CONTINUOUS, SOR, None),
])
def test_order_type_matrix(otype, tif, phase, venue, code):
    v = order_type_allowed(otype, tif, phase, venue, ON)
    assert (v.code if v else None) is code, v


def test_immediacy_follows_model_immediate_types():
    for otype in OrderType:
        v = order_type_allowed(otype, IOC, Phase.CONTINUOUS, KRX, ON)
        assert (v is None) == (otype in IMMEDIATE_TYPES), otype


def test_dated_order_type_rules():
    old = date(2025, 2, 28)
    assert order_type_allowed(OrderType.LIMIT, DAY, Phase.CONTINUOUS, NXT, old).code \
        is ViolationCode.VENUE_NOT_ALLOWED
    assert order_type_allowed(OrderType.MIDPOINT, DAY, Phase.CONTINUOUS, KRX, old).code \
        is ViolationCode.ORDER_TYPE_NOT_ALLOWED
    v = order_type_allowed(OrderType.AFTER_SINGLE, DAY, Phase.AFTER_SINGLE, KRX, date(2026, 9, 14))
    assert v.code is ViolationCode.ORDER_TYPE_NOT_ALLOWED and "2026-09-14" in v.ko
    # From 2026-09-14 the KRX extended sessions take limit/best/top.
    new = date(2026, 9, 15)
    assert order_type_allowed(OrderType.LIMIT, DAY, Phase.AFTER_MARKET, KRX, new) is None
    assert order_type_allowed(OrderType.BEST, FOK, Phase.PRE_MARKET, KRX, new) is None
    assert order_type_allowed(OrderType.TOP, IOC, Phase.AFTER_MARKET, KRX, new).code \
        is ViolationCode.ORDER_TYPE_NOT_ALLOWED
    assert order_type_allowed(OrderType.MARKET, DAY, Phase.AFTER_MARKET, KRX, new).code \
        is ViolationCode.ORDER_TYPE_NOT_ALLOWED


def test_messages_name_type_venue_and_phase():
    v = order_type_allowed(OrderType.MARKET, DAY, Phase.CONTINUOUS, NXT, ON)
    assert v.ko == "시장가 주문은 NXT에서 받지 않습니다 (가능: KRX, SOR)"
    assert "NXT does not accept market orders" in v.en
    v = order_type_allowed(OrderType.BEST, DAY, Phase.OPENING_AUCTION, KRX, ON)
    assert v.ko == "최유리지정가 주문은 장전 동시호가 시간에 낼 수 없습니다"


def test_order_type_allowed_at_uses_every_open_phase():
    t = at(2025, 6, 2, 8, 35)  # pre-close trade and opening auction at once
    assert order_type_allowed_at(OrderType.PRE_CLOSE, DAY, t) is None
    assert order_type_allowed_at(OrderType.LIMIT, DAY, t) is None
    assert order_type_allowed_at(OrderType.PRE_CLOSE, DAY, at(2025, 6, 2, 8, 45)).code \
        is ViolationCode.ORDER_TYPE_NOT_ALLOWED
    assert order_type_allowed_at(OrderType.POST_CLOSE, DAY, at(2025, 6, 2, 15, 31)) is None
    assert order_type_allowed_at(OrderType.LIMIT, DAY, at(2025, 6, 2, 15, 31)).code \
        is ViolationCode.ORDER_TYPE_NOT_ALLOWED
    assert order_type_allowed_at(OrderType.LIMIT, DAY, at(2025, 6, 2, 8, 55), NXT).code \
        is ViolationCode.HALTED
    assert order_type_allowed_at(OrderType.LIMIT, DAY, at(2025, 6, 2, 21, 0)).code \
        is ViolationCode.SESSION_CLOSED
    assert order_type_allowed_at(OrderType.LIMIT, DAY, at(2025, 6, 2, 19, 0), SOR) is None
