import csv
from datetime import date
from decimal import Decimal

import pytest

from lucy_tui.sources import text as t
from html_fixtures import HTML


@pytest.mark.parametrize("raw,expected", [
    ("2024.12.17~12.18", (date(2024, 12, 17), date(2024, 12, 18))),
    ("2026.12.31~01.02", (date(2026, 12, 31), date(2027, 1, 2))),       # crosses New Year
    ("2024.05.13 ~\u00a0 2024.05.14", (date(2024, 5, 13), date(2024, 5, 14))),
    (" 2025.03.21~03.24 ", (date(2025, 3, 21), date(2025, 3, 24))),
    ("-", (None, None)), ("", (None, None)), ("\u00a0", (None, None)), ("예정", (None, None)),
])
def test_day_ranges(raw, expected):
    assert t.day_range(raw) == expected


@pytest.mark.parametrize("raw,expected", [
    ("\u00a0 2025.08.07", date(2025, 8, 7)), ("2026/01/30", date(2026, 1, 30)),
    ("20240523", date(2024, 5, 23)), ("예정", None), ("-", None),
])
def test_days(raw, expected):
    assert t.day(raw) == expected


def test_bad_dates_say_what_they_got():
    with pytest.raises(ValueError, match="2024.13.01"):
        t.day("2024.13.01")
    with pytest.raises(ValueError, match="soon"):
        t.day("soon")


@pytest.mark.parametrize("raw,expected", [
    ("24,500", 24500), ("14,000원", 14000), ("500 원", 500), ("- 원", None), ("-", None),
    ("-24,342 (백만원)", -24342), ("1,200,000 주", 1_200_000),
])
def test_won(raw, expected):
    assert t.won(raw) == expected


def test_million_won_keeps_won():
    assert t.million_won("16,800 (백만원)") == 16_800_000_000
    assert t.million_won("- (백만원)") is None


@pytest.mark.parametrize("raw,expected", [
    ("22,000~26,700", (22000, 26700)), ("8,700 ~ 11,000원", (8700, 11000)),
    ("2,000~2,000", (2000, 2000)), ("8,400", (8400, 8400)), ("-", (None, None)),
])
def test_price_bands(raw, expected):
    assert t.won_range(raw) == expected


@pytest.mark.parametrize("raw,expected", [
    ("772.80:1", Decimal("772.80")), ("1,616.27:1", Decimal("1616.27")), ("14.43", Decimal("14.43")),
    ("2071.41:1 (비례 4143:1)", Decimal("2071.41")), ("", None), ("-", None),
])
def test_ratios(raw, expected):
    assert t.ratio(raw) == expected


def test_proportional_ratio():
    assert t.proportional_ratio("2071.41:1 (비례 4143:1)") == Decimal("4143")
    assert t.proportional_ratio("772.80:1") is None


def test_every_real_o_r1_ratio_cell_parses():
    """The raw 기관경쟁률/의무보유확약 cells of derived/38_o-r1_ratio-cells_2022.csv."""
    with open(HTML / "derived" / "38_o-r1_ratio-cells_2022.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 20
    ratios = {r["cor_name"]: t.ratio(r["cor_rate"]) for r in rows}
    lockups = {r["cor_name"]: t.percent(r["obligation"]) for r in rows}
    assert ratios["영창케미칼"] == Decimal("1616.27")
    assert ratios["루닛"] == Decimal("7.10")
    assert ratios["키움스팩7호"] is None and lockups["키움스팩7호"] == Decimal("0.00")
    assert lockups["성일하이텍"] == Decimal("38.66")


@pytest.mark.parametrize("raw,expected", [
    ("9조 8176억원", 9_817_600_000_000), ("2706억원", 270_600_000_000), ("1조\n9358억원", 1_935_800_000_000),
])
def test_korean_amounts(raw, expected):
    assert t.korean_amount(raw) == expected


def test_names_for_matching():
    assert t.match_name("데이원컴퍼니(구.패스트캠퍼스)") == t.match_name("데이원컴퍼니")
    assert t.match_name("더본코리아(유가)") == t.match_name("더본 코리아")
    assert t.match_name("(주)노브랜드") == t.match_name("노브랜드")
    assert t.is_spac("디비금융스팩13호") and not t.is_spac("노브랜드")
