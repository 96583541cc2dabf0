"""KRX tick sizes, price bands and order validation against specs/krx.md §1, §2 and §9."""

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lucy_tui.clock import KST
from lucy_tui.domain.krx import (
    ETP_FINE_TICKS_FROM,
    Violation,
    ViolationCode,
    check_order,
    check_price,
    check_quantity,
    format_krw,
    is_valid_tick,
    listing_day_band,
    order_violations,
    price_band,
    round_to_tick,
    tick_down,
    tick_size,
    tick_up,
)
from lucy_tui.domain.model import Instrument, InstrumentKind, Market, OrderType, TimeInForce, Venue

STOCK, ETF, ETN, ELW = InstrumentKind.STOCK, InstrumentKind.ETF, InstrumentKind.ETN, InstrumentKind.ELW
KOSPI, KOSDAQ, KONEX = Market.KOSPI, Market.KOSDAQ, Market.KONEX


def all_valid_prices(limit: int = 3_000_000) -> list[int]:
    out, p = [], 1
    while p <= limit:
        out.append(p)
        p = tick_up(p)
    return out


VALID_BASES = all_valid_prices()


# -- §1 ticks ----------------------------------------------------------------------------------

@pytest.mark.parametrize("price, tick", [
    (1, 1), (1_999, 1), (2_000, 5), (4_995, 5), (5_000, 10), (19_990, 10), (20_000, 50),
    (49_950, 50), (50_000, 100), (199_900, 100), (200_000, 500), (499_500, 500),
    (500_000, 1_000), (2_000_000, 1_000),
])
def test_unified_table_bands_include_lower_bound(price, tick):
    assert tick_size(price) == tick
    assert tick_size(price, STOCK, KOSDAQ) == tick  # one table for every market since 2023-01-25


@pytest.mark.parametrize("price, market, before, after", [
    (1_500, KOSPI, 5, 1),
    (15_000, KOSPI, 50, 10),
    (150_000, KOSPI, 500, 100),
    (166_500, KOSPI, 500, 100),   # Hyundai Motor in the reports
    (195_500, KOSPI, 500, 100),   # NAVER in the reports
    (600_000, KOSDAQ, 100, 1_000),
    (150_000, KOSDAQ, 100, 100),
    (800, KOSPI, 1, 1),
])
def test_tick_table_by_date(price, market, before, after):
    assert tick_size(price, STOCK, market, date(2023, 1, 24)) == before
    assert tick_size(price, STOCK, market, date(2023, 1, 25)) == after


def test_old_kosdaq_table_has_flat_100_top_band():
    old = date(2020, 5, 4)
    assert tick_size(100_000, STOCK, KOSDAQ, old) == 100
    assert tick_size(100_000, STOCK, KOSPI, old) == 500
    assert tick_size(500_000, STOCK, KOSPI, old) == 1_000
    assert tick_size(1_000, STOCK, KONEX, old) == 5


@pytest.mark.parametrize("kind", [ETF, ETN])
def test_etp_ticks_before_and_after_the_december_2023_change(kind):
    assert tick_size(1_500, kind, on=date(2023, 12, 7)) == 5
    assert tick_size(1_500, kind, on=date(2023, 12, 18)) == 1
    assert tick_size(1_999, kind, on=date(2024, 5, 2)) == 1
    assert tick_size(2_000, kind, on=date(2024, 5, 2)) == 5
    assert tick_size(150_000, kind, on=date(2024, 5, 2)) == 5
    assert tick_size(1_500, kind) == 1  # today's rules


def test_etp_window_is_configurable():
    inside = date(2023, 12, 11)  # between the two reported effective dates
    assert ETP_FINE_TICKS_FROM == date(2023, 12, 18)
    assert tick_size(1_501, ETF, on=inside) == 5
    assert tick_size(1_501, ETF, on=inside, etp_fine_from=date(2023, 12, 8)) == 1
    assert check_price(1_501, kind=ETF, on=inside).code is ViolationCode.BAD_TICK
    assert check_price(1_501, kind=ETF, on=inside, etp_fine_from=date(2023, 12, 8)) is None
    assert not is_valid_tick(1_501, ETF, on=inside)
    assert is_valid_tick(1_501, ETF, on=inside, etp_fine_from=date(2023, 12, 8))


def test_elw_is_five_won_at_every_price_and_date():
    for on in (None, date(2020, 1, 2), date(2024, 1, 2)):
        assert tick_size(100, ELW, on=on) == 5
        assert tick_size(3_000, ELW, on=on) == 5


@pytest.mark.parametrize("fn, price, expected", [
    (tick_down, 2_000, 1_999), (tick_up, 1_999, 2_000), (tick_up, 19_990, 20_000),
    (tick_up, 20_000, 20_050), (tick_down, 20_000, 19_990), (tick_down, 5_000, 4_995),
    (tick_up, 499_500, 500_000), (tick_down, 500_000, 499_500), (tick_up, 1, 2),
    (tick_down, 1, 1),
])
def test_tick_steps_across_band_boundaries(fn, price, expected):
    assert fn(price) == expected


def test_tick_steps_n_and_rounding():
    assert tick_up(19_980, n=3) == 20_050
    assert tick_down(20_050, n=3) == 19_980
    assert round_to_tick(20_010) == 20_000
    assert round_to_tick(20_010, up=True) == 20_050
    assert round_to_tick(19_995, up=True) == 20_000
    assert round_to_tick(20_000, up=True) == 20_000


# -- §2 bands ----------------------------------------------------------------------------------

@pytest.mark.parametrize("base, upper, lower", [
    (1_000, 1_300, 700),
    (9_940, 12_920, 6_960),       # KRX's own example
    (10_550, 13_710, 7_390),      # LS t8436: 동화약품
    (15_550, 20_200, 10_890),     # raw upper 20,210 lands between ticks
    (24_250, 31_500, 17_000),
    (55_000, 71_500, 38_500),
    (107_900, 140_200, 75_600),   # LS t8436: 현대차우
    (239_000, 310_500, 167_500),
    (269_000, 349_500, 188_500),
    (2_005, 2_605, 1_405),        # base − width, not 0.7 × base rounded up (1,404)
])
def test_worked_band_values(base, upper, lower):
    assert price_band(base) == (lower, upper)
    assert price_band(base, STOCK, KOSDAQ) == (lower, upper)


def test_boundary_upper_is_largest_valid_tick_below_raw_limit():
    lower, upper = price_band(15_550)
    assert upper == 20_200
    assert check_price(20_200, base=15_550) is None
    assert check_price(20_250, base=15_550).code is ViolationCode.ABOVE_UPPER_LIMIT


def test_exhaustive_bases_match_the_spec_counts():
    """§2.1: over the 9,300 valid bases up to 3,000,000 the 1.3× rule always agrees, and the
    symmetric 0.7× shortcut disagrees with base − width 732 times."""
    assert len(VALID_BASES) == 9_300
    symmetric_differs = 0
    for base in VALID_BASES:
        lower, upper = price_band(base)
        assert upper == round_to_tick(base * 13 // 10)
        symmetric_differs += round_to_tick(-(-base * 7 // 10), up=True) != lower
    assert symmetric_differs == 732


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(VALID_BASES))
def test_band_properties(base):
    lower, upper = price_band(base)
    assert is_valid_tick(lower) or lower == 0
    assert is_valid_tick(upper)
    rate_width = base * 30 // 100
    width = rate_width - rate_width % tick_size(base)
    assert base - width == lower
    assert upper <= base + width
    assert tick_up(upper) > base + width


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(VALID_BASES[100:]), st.integers(0, 10**9))
def test_every_valid_price_inside_the_band_passes(base, seed):
    lower, upper = price_band(base)
    price = round_to_tick(lower + seed % (upper - lower + 1))
    assert lower <= price <= upper
    assert check_price(price, base=base) is None
    assert check_price(tick_up(upper), base=base).code is ViolationCode.ABOVE_UPPER_LIMIT
    if lower > 1:
        assert check_price(tick_down(lower), base=base).code is ViolationCode.BELOW_LOWER_LIMIT


def test_konex_band_is_15_percent():
    assert price_band(10_000, STOCK, KONEX) == (8_500, 11_500)
    assert price_band(10_000, STOCK, KONEX, date(2014, 3, 3)) == (8_500, 11_500)


def test_band_was_15_percent_before_2015_06_15():
    # Old table: 10,000 sits in the 50-won band.
    assert price_band(10_000, STOCK, KOSPI, date(2015, 6, 12)) == (8_500, 11_500)
    assert price_band(10_000, STOCK, KOSPI, date(2015, 6, 15)) == (7_000, 13_000)


def test_listing_day_band():
    assert listing_day_band(20_000) == (12_000, 80_000)
    assert listing_day_band(15_550) == (9_330, 62_200)


# -- check_price --------------------------------------------------------------------------------

def test_bad_tick_message_names_the_tick_and_neighbours():
    v = check_price(20_010)
    assert isinstance(v, Violation) and v.code is ViolationCode.BAD_TICK
    assert v.ko == "20,010원은 호가단위(50원)에 맞지 않습니다 (20,000원 또는 20,050원)"
    assert v.en.startswith("20,010 is not a valid price: the tick at that price is 50 won")
    assert "20,000 or 20,050" in v.en
    assert str(v) == v.ko
    assert check_price(19_990) is None  # tick of its own band (10), not of 20,000's


def test_band_messages():
    v = check_price(71_600, base=55_000)
    assert v.code is ViolationCode.ABOVE_UPPER_LIMIT
    assert v.ko == "71,600원은 상한가(71,500원)를 초과합니다"
    assert "71,500" in v.en
    v = check_price(38_400, base=55_000)
    assert v.code is ViolationCode.BELOW_LOWER_LIMIT
    assert v.ko == "38,400원은 하한가(38,500원)보다 낮습니다"
    assert check_price(71_500, base=55_000) is None  # limits are inclusive
    assert check_price(38_500, base=55_000) is None


def test_tick_is_checked_before_band():
    assert check_price(90_050, base=55_000).code is ViolationCode.BAD_TICK


def test_non_positive_price():
    assert check_price(0).code is ViolationCode.PRICE_REQUIRED
    assert check_price(-100).code is ViolationCode.PRICE_REQUIRED


def test_broker_limits_win_over_the_computed_band():
    assert check_price(20_250, base=15_550, upper=20_300) is None
    assert check_price(10_890, base=15_550, lower=11_000).code is ViolationCode.BELOW_LOWER_LIMIT
    assert check_price(71_600, upper=71_500).code is ViolationCode.ABOVE_UPPER_LIMIT
    assert check_price(999_000) is None  # no base, no broker limits: tick check only


def _instrument(**kw) -> Instrument:
    fields = dict(code="005930", isin="KR7005930003", name="삼성전자", name_en="Samsung Electronics",
                  market=KOSPI, kind=STOCK, base_price=55_000)
    fields.update(kw)
    return Instrument(**fields)


def test_instrument_supplies_base_kind_and_market():
    inst = _instrument()
    assert check_price(71_600, instrument=inst).code is ViolationCode.ABOVE_UPPER_LIMIT
    etf = _instrument(code="069500", kind=ETF, base_price=1_500)
    assert check_price(1_501, instrument=etf, on=date(2024, 2, 1)) is None
    assert check_price(1_501, instrument=etf, on=date(2023, 11, 1)).code is ViolationCode.BAD_TICK


def test_liquidation_and_elw_have_no_band():
    inst = _instrument(liquidation=True)
    assert check_price(200_000, instrument=inst) is None
    elw = _instrument(kind=ELW, base_price=100)
    assert check_price(1_000, instrument=elw) is None
    assert check_price(1_001, instrument=elw).code is ViolationCode.BAD_TICK


def test_listing_day_band_applies_from_2023_06_26():
    day = date(2024, 1, 10)
    ipo = _instrument(base_price=20_000, listed_on=day, ipo_price=20_000)
    assert check_price(80_000, instrument=ipo, on=day) is None
    assert check_price(80_100, instrument=ipo, on=day).code is ViolationCode.ABOVE_UPPER_LIMIT
    assert check_price(11_990, instrument=ipo, on=day).code is ViolationCode.BELOW_LOWER_LIMIT
    # The day after listing, the normal ±30 % of the base applies.
    assert check_price(80_000, instrument=ipo, on=date(2024, 1, 11)).code is ViolationCode.ABOVE_UPPER_LIMIT
    # Before 2023-06-26 the listing day used the normal band around the auction-set base.
    old = _instrument(base_price=20_000, listed_on=date(2023, 6, 23), ipo_price=20_000)
    assert check_price(80_000, instrument=old, on=date(2023, 6, 23)).code is ViolationCode.ABOVE_UPPER_LIMIT
    konex = _instrument(market=KONEX, base_price=20_000, listed_on=day, ipo_price=20_000)
    assert check_price(80_000, instrument=konex, on=day).code is ViolationCode.ABOVE_UPPER_LIMIT


# -- quantity and whole orders ------------------------------------------------------------------

def test_check_quantity():
    assert check_quantity(0).ko == "수량은 1주 이상이어야 합니다"
    assert check_quantity(-3).code is ViolationCode.BAD_QUANTITY
    assert check_quantity(1) is None
    assert check_quantity(10, 10) is None
    v = check_quantity(15, 10)
    assert v.code is ViolationCode.NOT_LOT_MULTIPLE
    assert "10주 또는 20주" in v.ko
    assert check_quantity(5, 10).code is ViolationCode.BAD_QUANTITY


def test_format_krw():
    assert format_krw(20_010) == "20,010"
    assert format_krw(0) == "0"
    assert format_krw(1_234_567) == "1,234,567"


def test_check_order_price_presence():
    assert check_order(OrderType.LIMIT, 71_000, 10, base=55_000) is None
    assert check_order(OrderType.LIMIT, None, 10).code is ViolationCode.PRICE_REQUIRED
    assert check_order(OrderType.CONDITIONAL, 0, 10).code is ViolationCode.PRICE_REQUIRED
    assert check_order(OrderType.MARKET, None, 10) is None
    assert check_order(OrderType.MARKET, 0, 10) is None  # KIS sends "0" for priceless orders
    v = check_order(OrderType.MARKET, 70_000, 10)
    assert v.code is ViolationCode.PRICE_NOT_ALLOWED and "시장가" in v.ko
    assert check_order(OrderType.BEST, 70_000, 10).code is ViolationCode.PRICE_NOT_ALLOWED
    assert check_order(OrderType.STOP_LIMIT, 70_000, 10).code is ViolationCode.PRICE_REQUIRED
    assert check_order(OrderType.STOP_LIMIT, 70_000, 10, stop_price=69_500) is None
    assert check_order(OrderType.STOP_LIMIT, 70_000, 10, stop_price=69_550).code is ViolationCode.BAD_TICK


def test_check_order_returns_the_most_blocking_violation():
    halted = _instrument(halted=True)
    violations = order_violations(OrderType.LIMIT, 20_010, 0, instrument=halted)
    assert [v.code for v in violations] == [
        ViolationCode.HALTED, ViolationCode.BAD_QUANTITY, ViolationCode.BAD_TICK]
    assert check_order(OrderType.LIMIT, 20_010, 0, instrument=halted).code is ViolationCode.HALTED
    assert check_order(OrderType.LIMIT, 20_010, 0).code is ViolationCode.BAD_QUANTITY
    assert check_order(OrderType.LIMIT, 90_000, 5, base=55_000).code is ViolationCode.ABOVE_UPPER_LIMIT


def test_check_order_venue_eligibility_and_lot():
    inst = _instrument(nxt=False)
    assert check_order(OrderType.LIMIT, 55_000, 1, instrument=inst, venue=Venue.NXT).code \
        is ViolationCode.VENUE_NOT_ALLOWED
    assert check_order(OrderType.LIMIT, 55_000, 1, instrument=inst, venue=Venue.SOR) is None
    assert check_order(OrderType.LIMIT, 55_000, 1, instrument=_instrument(nxt=True), venue=Venue.NXT) is None
    elw = _instrument(kind=ELW, base_price=100, lot=10)
    assert check_order(OrderType.LIMIT, 100, 15, instrument=elw).code is ViolationCode.NOT_LOT_MULTIPLE
    assert check_order(OrderType.LIMIT, 100, 15, kind=ELW).code is ViolationCode.NOT_LOT_MULTIPLE


def test_check_order_with_time_checks_session_and_type():
    at = datetime(2025, 6, 2, 10, 0, tzinfo=KST)
    night = datetime(2025, 6, 2, 21, 0, tzinfo=KST)
    assert check_order(OrderType.LIMIT, 55_000, 1, base=55_000, when=at) is None
    assert check_order(OrderType.LIMIT, 55_000, 1, base=55_000, when=night).code \
        is ViolationCode.SESSION_CLOSED
    assert check_order(OrderType.MARKET, None, 1, venue=Venue.NXT, when=at).code \
        is ViolationCode.VENUE_NOT_ALLOWED
    assert check_order(OrderType.TOP, None, 1, tif=TimeInForce.IOC, when=at).code \
        is ViolationCode.ORDER_TYPE_NOT_ALLOWED
    # ``when`` also dates the tick table: an ETF at 1,501 before the December 2023 change.
    old = datetime(2023, 11, 1, 10, 0, tzinfo=KST)
    assert check_order(OrderType.LIMIT, 1_501, 1, kind=ETF, when=old).code is ViolationCode.BAD_TICK
