"""judal parsers: both markups, the real captures, and loud failure on an empty result."""

from datetime import date
from decimal import Decimal

import pytest

from lucy_tui.sim import ipo_demo
from lucy_tui.sim.pages import PagesFront
from lucy_tui.sources import judal
from html_fixtures import read


def test_home_2026_10_items_names_outside_span_deduplicated():
    themes = judal.parse_themes(read("judal/home_theme-list-items_2026-10.html"))
    assert [(t.idx, t.name, t.count) for t in themes] == [(53, "여행", 9), (202, "반도체 기술(3D 낸드)", 9)]


def test_home_older_markup_name_and_count_inside_span():
    html = ('<div class="list-group-item list-group-item-action disabled"></div>'
            '<a class="list-group-item" href="https://www.judal.co.kr/?view=stockList&themeIdx=31">'
            '<span>원자재(구리)(6)</span></a>'
            '<a class="list-group-item" href="https://www.judal.co.kr/?view=stockList&themeIdx=225">'
            '<span>제약(45)</span></a>')
    assert [(t.idx, t.name, t.count) for t in judal.parse_themes(html)] == [
        (31, "원자재(구리)", 6), (225, "제약", 45)]


def test_zero_themes_fails_loudly():
    with pytest.raises(judal.MarkupChanged, match="no theme links"):
        judal.parse_themes("<ul><li><span>여행(9)</span></li></ul>")


def test_stock_name_cells_2026_10():
    stocks = judal.parse_theme_stocks(read("judal/stocklist_name-cells_2026-10.html"))
    assert [(s.code, s.name) for s in stocks] == [("039130", "하나투어"), ("048550", "SM C&C")]


def test_zero_stocks_fails_loudly():
    with pytest.raises(judal.MarkupChanged, match="no stock rows"):
        judal.parse_theme_stocks("<table><tr><th>종목명</th></tr></table>")


@pytest.mark.parametrize("markup", ["2024", "2026"])
def test_full_theme_page_in_both_markups_gives_the_captured_values(markup):
    """The 제약 page (values of judal/stocklist_themeIdx-225_rendered-text.txt) as the simulator
    serves it in each markup."""
    pages = PagesFront(judal_markup=markup)
    pharma = next(t for t in ipo_demo.themes(date(2026, 12, 2)) if t.idx == 225)
    html = pages.stock_page(pharma)
    assert ("finance.naver.com" in html) == (markup == "2024")
    stocks = judal.parse_theme_stocks(html)
    assert len(stocks) == 7
    yuhan = stocks[0]
    assert (yuhan.code, yuhan.name, yuhan.market) == ("000100", "유한양행", "KOSPI")
    assert (yuhan.price, yuhan.change, yuhan.change_pct) == (122400, 2200, Decimal("1.83"))
    assert yuhan.market_cap == 9_817_600_000_000
    assert yuhan.related == ("미용기기", "제약", "비만치료제(위고비)", "겨울", "MSCI Korea")
    assert yuhan.reason == "폐암 치료제 렉라자 보유"
    last = stocks[-1]
    assert (last.code, last.change, last.change_pct) == ("009420", -50, Decimal("-0.14"))


def test_theme_list_table_gives_change_rates():
    pages = PagesFront()
    themes = judal.parse_themes(pages.theme_list_page(ipo_demo.themes(date(2026, 12, 2))))
    assert [(t.idx, t.name, t.change_pct) for t in themes][:2] == [
        (225, "제약", Decimal("1.51")), (53, "여행", Decimal("0.82"))]
    assert all("Information" not in t.name for t in themes)
