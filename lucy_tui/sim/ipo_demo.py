"""The demo IPO calendar and theme lists the simulator serves (as 38.co.kr and judal pages, and
through the KIS pub-offer endpoint), laid out around the current day so the demo always shows
upcoming, open, listing-soon and listed offerings.

Names, bands, underwriters and ratios are from the real 38.co.kr capture of Nov 2024 and the judal
제약 page capture (tests/fixtures/html); dates and codes are made up relative to ``today``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..domain import calendar


@dataclass(frozen=True)
class DemoOffering:
    no: int
    name: str
    code: str
    kospi: bool
    industry: str
    start: date
    end: date
    payment: date
    refund: date
    listing: date | None
    band_low: int
    band_high: int
    final_price: int | None
    shares: int
    underwriters: tuple[str, ...]
    competition: Decimal | None
    institutional: Decimal | None
    lockup: Decimal | None
    first_open: int | None
    first_close: int | None

    @property
    def spac(self) -> bool:
        return "스팩" in self.name


# (no, name, kospi, industry, start offset in trading days, band, final, shares, underwriters,
#  retail ratio, institutional ratio, lock-up %)
_TEMPLATES = (
    (2133, "데이원컴퍼니(구.패스트캠퍼스)", False, "교육 서비스업", 8, (22000, 26700), None, 2_000_000,
     ("미래에셋증권", "삼성증권"), None, None, None),
    (2138, "아이지넷", False, "보험 대리 및 중개업", 6, (6000, 7000), None, 1_500_000,
     ("한국투자증권",), None, None, None),
    (2122, "쓰리에이로직스", False, "반도체 제조업", 4, (15700, 18200), None, 1_300_000,
     ("미래에셋증권", "신한투자증권"), None, None, None),
    (2129, "디비금융스팩13호", False, "금융 지원 서비스업", 3, (2000, 2000), 2000, 5_000_000,
     ("DB금융투자",), None, None, Decimal("0.00")),
    (2121, "파인메딕스", False, "의료용 기기 제조업", 1, (9000, 10000), 10000, 1_700_000,
     ("한국투자증권",), None, Decimal("1010.47"), Decimal("12.34")),
    (2124, "사이냅소프트", False, "소프트웨어 개발 및 공급업", 0, (21000, 24500), 24500, 1_000_000,
     ("NH투자증권",), None, Decimal("951.52"), Decimal("19.74")),
    (2106, "위츠", False, "전자부품 제조업", -1, (5300, 6400), 6400, 2_600_000,
     ("신한투자증권",), None, Decimal("612.40"), Decimal("3.10")),
    (2099, "쓰리빌리언", False, "자연과학 연구개발업", -4, (4500, 6500), 4500, 4_000_000,
     ("한국투자증권",), Decimal("23.32"), Decimal("70.20"), Decimal("0.90")),
    (2104, "닷밀", False, "영상 제작업", -6, (11000, 13000), 13000, 1_500_000,
     ("미래에셋증권",), Decimal("58.40"), Decimal("210.58"), Decimal("2.66")),
    (2103, "더본코리아", True, "음식점업", -10, (23000, 28000), 34000, 6_000_000,
     ("한국투자증권", "NH투자증권"), Decimal("772.80"), Decimal("1075.61"), Decimal("4.51")),
    (2100, "토모큐브", False, "의료용 기기 제조업", -13, (10900, 13400), 16000, 1_200_000,
     ("대신증권",), Decimal("39.94"), Decimal("1011.50"), Decimal("0.49")),
    (2102, "탑런토탈솔루션", False, "전자부품 제조업", -16, (12000, 14000), 18000, 2_300_000,
     ("KB증권",), Decimal("984.39"), Decimal("1200.33"), Decimal("7.07")),
)


def shift_trading_days(day: date, n: int) -> date:
    while n > 0:
        day = calendar.next_trading_day(day)
        n -= 1
    while n < 0:
        day = calendar.previous_trading_day(day)
        n += 1
    return day


def offerings(today: date) -> list[DemoOffering]:
    """The demo offerings, newest subscription first (the order 38.co.kr lists them in)."""
    anchor = today if calendar.is_trading_day(today) else calendar.next_trading_day(today)
    out = []
    for (no, name, kospi, industry, offset, band, final, shares, firms, retail, inst,
         lockup) in _TEMPLATES:
        start = shift_trading_days(anchor, offset)
        end = shift_trading_days(start, 1)
        payment = shift_trading_days(end, 2)
        listing = shift_trading_days(end, 6) if offset <= 1 else None
        listed = listing is not None and listing <= today
        price = final or band[1]
        out.append(DemoOffering(
            no=no, name=name, code=f"4{no:05d}", kospi=kospi, industry=industry,
            start=start, end=end, payment=payment, refund=payment, listing=listing,
            band_low=band[0], band_high=band[1], final_price=final, shares=shares,
            underwriters=firms, competition=retail if end < today else None,
            institutional=inst, lockup=lockup,
            first_open=price * 2 if listed else None,
            first_close=price * 2 + price // 5 if listed else None))
    return sorted(out, key=lambda o: (o.start, o.no), reverse=True)


# ---------------------------------------------------------------- judal


@dataclass(frozen=True)
class DemoStock:
    code: str
    name: str
    market: str
    price: int
    change: int
    change_pct: str
    market_cap: str       # as judal writes it: "9조 8176억원"
    reason: str
    related: tuple[str, ...]


@dataclass(frozen=True)
class DemoTheme:
    idx: int
    name: str
    change_pct: str
    stocks: tuple[DemoStock, ...]


_PHARMA = (   # the judal 제약 page capture (stocklist_themeIdx-225_rendered-text.txt)
    DemoStock("000100", "유한양행", "KOSPI", 122400, 2200, "1.83%", "9조 8176억원",
              "폐암 치료제 렉라자 보유", ("미용기기", "제약", "비만치료제(위고비)", "겨울", "MSCI Korea")),
    DemoStock("128940", "한미약품", "KOSPI", 324000, 9000, "2.86%", "4조 1508억원",
              "비만 치료제 파이프라인", ("제약", "비만치료제(위고비)", "바이오", "겨울", "MSCI Korea")),
    DemoStock("000250", "삼천당제약", "KOSDAQ", 130900, 2400, "1.87%", "3조 917억원",
              "안과 질환 치료제", ("제약", "바이오")),
    DemoStock("068760", "셀트리온제약", "KOSDAQ", 67200, 1800, "2.75%", "2조 7207억원",
              "바이오시밀러 국내 판매", ("제약", "바이오", "비만치료제(위고비)", "MSCI Korea")),
    DemoStock("008930", "한미사이언스", "KOSPI", 33200, 550, "1.68%", "2조 2706억원",
              "한미약품 지주사", ("제약", "지주사")),
    DemoStock("237690", "에스티팜", "KOSDAQ", 98800, 2000, "2.07%", "1조 9358억원",
              "올리고 원료의약품 CDMO", ("제약",)),
    DemoStock("009420", "한올바이오파마", "KOSPI", 34950, -50, "-0.14%", "1조 8258억원",
              "자가면역 항체 치료제", ("제약", "바이오")),
)
_TRAVEL = (   # the 2026-10 stock-name cells capture (stocklist_name-cells_2026-10.html)
    DemoStock("039130", "하나투어", "KOSPI", 52300, 700, "1.36%", "8102억원",
              "국내 1위 여행사", ("여행", "중국 관광객")),
    DemoStock("048550", "SM C&C", "KOSDAQ", 1650, -12, "-0.72%", "1567억원",
              "여행 플랫폼 보유", ("여행", "엔터")),
    DemoStock("080160", "모두투어", "KOSDAQ", 10800, 150, "1.41%", "2041억원",
              "패키지 여행사", ("여행",)),
)
_NAND = (
    DemoStock("005930", "삼성전자", "KOSPI", 71000, 500, "0.71%", "423조 8500억원",
              "3D 낸드 세계 1위", ("반도체 기술(3D 낸드)", "MSCI Korea")),
    DemoStock("000660", "SK하이닉스", "KOSPI", 182000, -1000, "-0.55%", "132조 4900억원",
              "3D 낸드, HBM", ("반도체 기술(3D 낸드)", "MSCI Korea")),
)
_SUMMER = (
    DemoStock("002700", "신일전자", "KOSPI", 1480, 35, "2.42%", "1016억원",
              "선풍기 제조", ("여름(폭염)",)),
)


def themes(day: date) -> list[DemoTheme]:
    """The demo theme list of ``day``: on odd days 여름(폭염) is gone and 셀트리온제약 has left
    제약, so consecutive snapshots differ the way real ones do."""
    odd = day.toordinal() % 2 == 1
    pharma = tuple(s for s in _PHARMA if not (odd and s.code == "068760"))
    out = [DemoTheme(225, "제약", "1.51%", pharma), DemoTheme(53, "여행", "0.82%", _TRAVEL),
           DemoTheme(202, "반도체 기술(3D 낸드)", "0.12%", _NAND)]
    if not odd:
        out.append(DemoTheme(135, "여름(폭염)", "-2.10%", _SUMMER))
    return out

