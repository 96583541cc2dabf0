"""38.co.kr parsers on the real captures (tests/fixtures/html/38) and on edge cases."""

import json
from datetime import date
from decimal import Decimal

import pytest

from lucy_tui.sources import ipo38
from lucy_tui.sources.models import ScheduleStatus
from html_fixtures import HTML, read, wrap_table

SCHEDULE_2024 = "38/o-k_schedule-table_2024-11.html"


@pytest.fixture(scope="module")
def rows_2024():
    return ipo38.parse_schedule(read(SCHEDULE_2024))


def test_schedule_page_has_its_30_rows_in_page_order(rows_2024):
    assert len(rows_2024) == 30
    assert rows_2024[0].no == 2133 and rows_2024[-1].no == 2102
    assert [r.status for r in rows_2024].count(ScheduleStatus.UPCOMING) == 16
    assert [r.status for r in rows_2024].count(ScheduleStatus.SUBSCRIBING) == 5
    assert [r.status for r in rows_2024].count(ScheduleStatus.FINISHED) == 9


def test_schedule_rows_exact_values(rows_2024):
    by_no = {r.no: r for r in rows_2024}
    first = by_no[2133]
    assert first.name == "데이원컴퍼니(구.패스트캠퍼스)" and not first.kospi
    assert (first.subscription_start, first.subscription_end) == (date(2024, 12, 17), date(2024, 12, 18))
    assert first.final_price is None and (first.band_low, first.band_high) == (22000, 26700)
    assert first.competition is None and first.underwriters == ("미래에셋증권", "삼성증권")

    baek = by_no[2103]        # 더본코리아: a KOSPI deal, finished, over-priced band
    assert baek.name == "더본코리아" and baek.kospi and baek.status is ScheduleStatus.FINISHED
    assert baek.final_price == 34000 and (baek.band_low, baek.band_high) == (23000, 28000)
    assert baek.competition == Decimal("772.80")
    assert baek.underwriters == ("한국투자증권", "NH투자증권")

    infra = by_no[2136]       # infra fund: one price twice, comma-space underwriter list
    assert (infra.band_low, infra.band_high, infra.final_price) == (8400, 8400, 8400)
    assert infra.underwriters == ("KB증권", "키움증권", "대신증권")

    assert by_no[2139].underwriters == ("DB금융투자",)      # the trailing tab is gone
    assert by_no[2128].underwriters == ("신한투자",)        # abbreviated names kept as shown
    assert by_no[2124].status is ScheduleStatus.SUBSCRIBING and by_no[2124].final_price == 24500
    assert by_no[2109].competition == Decimal("2.62")


def test_spac_rows(rows_2024):
    spacs = [r for r in rows_2024 if r.spac]
    assert {r.name for r in spacs} == {"디비금융스팩13호", "대신밸런스스팩19호", "교보스팩17호",
                                       "하나스팩34호", "신한스팩15호"}
    assert all((r.band_low, r.band_high) == (2000, 2000) for r in spacs)
    assert next(r for r in spacs if r.no == 2117).competition == Decimal("559.56")


def test_schedule_rows_2025_browser_copy_with_nbsp():
    rows = ipo38.parse_schedule(wrap_table("공모주 청약일정", read("38/o-k_schedule-rows_2025-03.html")))
    assert [(r.no, r.name, r.status) for r in rows] == [
        (2175, "나우로보틱스(구.나우테크닉스)", ScheduleStatus.UPCOMING),
        (2165, "더즌", ScheduleStatus.SUBSCRIBING),
        (2164, "티엑스알로보틱스", ScheduleStatus.FINISHED)]
    assert rows[1].final_price == 9000 and (rows[1].band_low, rows[1].band_high) == (10500, 12500)
    assert rows[2].underwriters == ("NH투자증권", "신한투자증권", "유진투자증권")
    assert rows[0].subscription_end == date(2025, 3, 24)


def test_cp949_bytes_decode_to_the_same_rows(rows_2024):
    raw = read(SCHEDULE_2024).replace("\u00a0", "&nbsp;").encode("cp949")
    assert ipo38.parse_schedule(ipo38.decode(raw)) == rows_2024


def test_single_quoted_raw_attributes_parse_the_same():
    html = read("38/o-k_schedule-rows_2025-03.html").replace('"', "'")
    rows = ipo38.parse_schedule(wrap_table("공모주 청약일정", html))
    assert [r.no for r in rows] == [2175, 2165, 2164]


def test_year_crossing_schedule_row():
    row = ('<tr><td height="30">&nbsp;<a href="/html/fund/?o=v&amp;no=2400&amp;l=&amp;page=1">'
           '<font color="#0066CC">새해전자</font></a></td><td>2026.12.31~01.02</td>'
           '<td align="center">-</td><td align="center">5,000~6,000</td><td></td>'
           '<td>KB증권</td><td></td></tr>')
    (parsed,) = ipo38.parse_schedule(wrap_table("공모주 청약일정", row))
    assert (parsed.subscription_start, parsed.subscription_end) == (date(2026, 12, 31), date(2027, 1, 2))


def test_a_row_with_missing_cells_is_reported_not_guessed():
    row = ('<tr><td height="30"><a href="/html/fund/?o=v&amp;no=7&amp;page=1">x</a></td>'
           '<td>2024.01.02~01.03</td><td>-</td></tr>')
    with pytest.raises(ipo38.MarkupChanged, match="no=7: expected 7 cells"):
        ipo38.parse_schedule(wrap_table("공모주 청약일정", row))


def test_a_malformed_cell_names_the_offering_and_column():
    row = ('<tr><td><a href="/html/fund/?o=v&amp;no=9">x</a></td><td>곧</td><td>-</td>'
           '<td>1,000~2,000</td><td></td><td>KB증권</td><td></td></tr>')
    with pytest.raises(ipo38.MarkupChanged, match="no=9 공모주일정"):
        ipo38.parse_schedule(wrap_table("공모주 청약일정", row))


def test_changed_markup_names_the_missing_table():
    with pytest.raises(ipo38.MarkupChanged,
                       match="38.co.kr: table '공모주 청약일정' not found — markup changed\\?"):
        ipo38.parse_schedule("<html><table summary='공모일정'><tr><td>x</td></tr></table></html>")


def test_header_spacer_and_ad_rows_are_not_data():
    html = wrap_table("공모주 청약일정", '<tr><th>종목명</th></tr><tr><td colspan="8"></td></tr>'
                      '<tr><td><a href="/ad">광고</a></td></tr>')
    assert ipo38.parse_schedule(html) == []


def test_detail_rows_demand_forecast_and_listing_date():
    rows = (read("38/o-v_detail-row_demand-forecast-result_2025.html")
            + read("38/o-v_detail-row_listing-date_2025-08.html"))
    labels = ipo38.detail_labels(wrap_table("공모청약일정", rows), require=("공모청약일정",))
    assert labels == {"기관경쟁률": "951.52:1", "의무보유확약": "19.74%", "상장일": "2025.08.07"}
    detail = ipo38.detail_from_labels(labels)
    assert detail.institutional_competition == Decimal("951.52")
    assert detail.lockup_ratio == Decimal("19.74") and detail.listing == date(2025, 8, 7)


def test_detail_from_the_real_label_text_of_145170():
    """derived/38_o-v_detail-label-text_145170_2024-05.json: what a real o=v page says."""
    data = json.loads((HTML / "derived" / "38_o-v_detail-label-text_145170_2024-05.json").read_text())
    labels = {**data["company_info"], **data["offering_info"], **data["schedule_info"]}
    d = ipo38.detail_from_labels(labels, no=2050)
    assert (d.name, d.code, d.market, d.progress) == ("노브랜드", "145170", "코스닥", "공모주")
    assert (d.total_shares, d.face_value) == (1_200_000, 500)
    assert (d.band_low, d.band_high, d.final_price) == (8700, 11000, 14000)
    assert d.offering_amount == 16_800_000_000
    assert (d.subscription_start, d.subscription_end) == (date(2024, 5, 13), date(2024, 5, 14))
    assert d.payment == d.refund == date(2024, 5, 17) and d.listing == date(2024, 5, 23)
    assert d.institutional_competition == Decimal("1075.61") and d.lockup_ratio == Decimal("4.51")
    assert d.underwriters == ("삼성증권",)


def test_zero_lockup_without_book_building_is_unknown():
    d = ipo38.detail_from_labels({"종목명": "교보스팩17호", "의무보유확약": "0.00%", "기관경쟁률": ""})
    assert d.lockup_ratio is None


def test_detail_page_missing_or_throttled():
    with pytest.raises(ipo38.MarkupChanged, match="no such offering"):
        ipo38.parse_detail("<html><body>해당 정보가 없습니다</body></html>")
    with pytest.raises(ipo38.MarkupChanged, match="table '기업개요' not found"):
        ipo38.parse_detail("<html><body>잠시 후 다시 이용해 주세요</body></html>")


def test_listings_with_nested_kospi_font_and_placeholders():
    html = ('<table summary="신규상장종목"><tr><th>기업명</th></tr><tr><td colspan=9></td></tr>'
            '<tr><td><a href="./?o=v&amp;no=2103&amp;l=&amp;page=1"><font color="#333333">더본코리아'
            '<font color="660000">(유가)</font></font></a></td><td>2024/11/06</td><td>43,300</td>'
            '<td>-2.15%</td><td>34,000</td><td>27.35%</td><td>64,500</td><td>89.71%</td>'
            '<td>51,400</td></tr>'
            '<tr><td><a href="./?o=v&amp;no=2099&amp;l=&amp;page=1"><font>쓰리빌리언</font></a></td>'
            '<td>예정</td><td>상장</td><td>-</td><td>4,500</td><td>-</td><td></td><td>-</td>'
            '<td>-</td></tr></table>')
    first, second = ipo38.parse_listings(html)
    assert (first.no, first.name, first.kospi, first.listing) == (2103, "더본코리아", True, date(2024, 11, 6))
    assert (first.price, first.change_pct, first.offer_price) == (43300, Decimal("-2.15"), 34000)
    assert (first.open_price, first.open_vs_offer_pct, first.first_close) == (64500, Decimal("89.71"), 51400)
    assert (second.listing, second.price, second.open_price, second.offer_price) == (None, None, None, 4500)


def test_parse_by_kind_rejects_unknown_kinds():
    with pytest.raises(ValueError, match="unknown page kind"):
        ipo38.parse("calendar", "")


def test_subscription_limit_of_a_single_underwriter():
    html = ('<table summary="기업개요"><tr><td>종목명</td><td>알파</td><td>시장구분</td><td>코스닥</td></tr>'
            '</table><table summary="공모정보"><tr><td>주간사</td><td>&nbsp;삼성증권</td>'
            '<td>주식수:&nbsp;1,306,000~1,567,200&nbsp;주&nbsp;/&nbsp;청약한도:&nbsp;130,000&nbsp;주</td>'
            '</tr></table><table summary="공모청약일정"><tr><td>상장일</td><td></td></tr></table>')
    d = ipo38.parse_detail(html, no=1)
    assert d.underwriters == ("삼성증권",) and d.subscription_limits == (("삼성증권", 130_000),)


def test_subscription_limits_of_several_underwriters():
    html = ('<table summary="기업개요"><tr><td>종목명</td><td>베타</td><td>시장구분</td><td>코스닥</td></tr>'
            '</table><table summary="공모정보"><tr><td>주간사</td><td>NH투자증권,신한투자증권</td></tr>'
            '</table><table><tr><td>인수회사</td><td>주식수</td><td>청약한도</td><td>기타</td></tr>'
            '<tr><td>NH투자증권</td><td>600,000 주</td><td>30,000 주</td><td></td></tr>'
            '<tr><td>신한투자증권</td><td>400,000 주</td><td>- 주</td><td></td></tr></table>'
            '<table summary="공모청약일정"><tr><td>상장일</td><td></td></tr></table>')
    d = ipo38.parse_detail(html)
    assert d.subscription_limits == (("NH투자증권", 30_000), ("신한투자증권", None))
