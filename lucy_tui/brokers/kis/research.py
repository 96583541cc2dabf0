"""What a stock's detail page asks of KIS: period chart, statements, ratios, investor flow,
brokers' opinions and the REST order book, mapped to :mod:`lucy_tui.domain.research` values.

Mixed into :class:`~lucy_tui.brokers.kis.client.KisBroker` (it needs the broker's ``rest``,
``env`` and ``clock``). Wire layouts are in :mod:`.research_codes`. The finance and opinion
endpoints are real-only (모의투자 미지원): on a mock session they raise :class:`NotSupported`
before sending anything, with a message a screen can show as it is.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from ...domain.model import Level
from ...domain.research import (
    Candle, ChartPeriod, FinancialRow, IntradayBar, InvestorFlow, Opinion, RatioGroup, RatioRow,
    Statement,
)
from ..base import BrokerError, NotSupported
from . import research_codes as rc
from .mapping import num, yyyymmdd

#: (wire field, label) per statement, in the statement's order.
STATEMENT_FIELDS: dict[Statement, tuple[tuple[str, str], ...]] = {
    Statement.BALANCE_SHEET: (
        ("cras", "유동자산"), ("fxas", "고정자산"), ("total_aset", "자산총계"),
        ("flow_lblt", "유동부채"), ("fix_lblt", "고정부채"), ("total_lblt", "부채총계"),
        ("cpfn", "자본금"), ("cfp_surp", "자본잉여금"), ("prfi_surp", "이익잉여금"),
        ("total_cptl", "자본총계"),
    ),
    Statement.INCOME: (
        ("sale_account", "매출액"), ("sale_cost", "매출원가"), ("sale_totl_prfi", "매출총이익"),
        ("depr_cost", "감가상각비"), ("sell_mang", "판매관리비"), ("bsop_prti", "영업이익"),
        ("bsop_non_ernn", "영업외수익"), ("bsop_non_expn", "영업외비용"),
        ("op_prfi", "경상이익"), ("spec_prfi", "특별이익"), ("spec_loss", "특별손실"),
        ("thtr_ntin", "당기순이익"),
    ),
}
STATEMENT_FUNCTION = {Statement.BALANCE_SHEET: rc.BALANCE_SHEET, Statement.INCOME: rc.INCOME}

RATIO_FIELDS: dict[RatioGroup, tuple[tuple[str, str], ...]] = {
    RatioGroup.FINANCIAL: (
        ("grs", "매출액증가율"), ("bsop_prfi_inrt", "영업이익증가율"), ("ntin_inrt", "순이익증가율"),
        ("roe_val", "ROE"), ("eps", "EPS"), ("sps", "주당매출액"), ("bps", "BPS"),
        ("rsrv_rate", "유보율"), ("lblt_rate", "부채비율"),
    ),
    RatioGroup.PROFIT: (
        ("cptl_ntin_rate", "총자본순이익률"), ("self_cptl_ntin_inrt", "자기자본순이익률"),
        ("sale_ntin_rate", "매출액순이익률"), ("sale_totl_rate", "매출액총이익률"),
    ),
    RatioGroup.STABILITY: (
        ("lblt_rate", "부채비율"), ("bram_depn", "차입금의존도"), ("crnt_rate", "유동비율"),
        ("quck_rate", "당좌비율"),
    ),
    RatioGroup.GROWTH: (
        ("grs", "매출액증가율"), ("bsop_prfi_inrt", "영업이익증가율"), ("equt_inrt", "자기자본증가율"),
        ("totl_aset_inrt", "총자산증가율"),
    ),
}
RATIO_FUNCTION = {RatioGroup.FINANCIAL: rc.FIN_RATIO, RatioGroup.PROFIT: rc.PROFIT_RATIO,
                  RatioGroup.STABILITY: rc.STABILITY_RATIO, RatioGroup.GROWTH: rc.GROWTH_RATIO}


def dec(value: object) -> Decimal:
    text = str(value if value is not None else "").strip().replace(",", "")
    try:
        return Decimal(text) if text else Decimal(0)
    except InvalidOperation:
        raise BrokerError(f"kis: not a number in a research answer: {text!r}", broker="kis") from None


def eok_to_won(value: object) -> int:
    """Statement amounts come in 억원 with decimals; whole won from here on."""
    return int(dec(value) * rc.EOK)


def _rows(body: dict, key: str = "output") -> list[dict]:
    rows = body.get(key) or []
    if isinstance(rows, dict):
        rows = [rows]
    return [r for r in rows if isinstance(r, dict)]


class KisResearchMixin:
    """Research calls of a KIS session (see the module docstring)."""

    def _require(self, function: str, what: str) -> None:
        if not self.env.serves(function):
            raise NotSupported(f"{what}: KIS 모의투자 미지원 (served on the real domain only)",
                               broker="kis")

    async def period_chart(self, code: str, period: ChartPeriod = ChartPeriod.DAY, *,
                           start: date | None = None, end: date | None = None,
                           count: int = 100) -> list[Candle]:
        """Candles oldest first: the last ``count`` periods up to ``end`` (today by default),
        fetched 100 at a time as KIS pages them (by moving the end date back)."""
        end = end or self.clock.now().date()
        start = start or date(1990, 1, 1)
        out: list[Candle] = []
        upto = end
        while len(out) < count and upto >= start:
            params = {"FID_COND_MRKT_DIV_CODE": "J", "FID_INPUT_ISCD": code,
                      "FID_INPUT_DATE_1": start.strftime("%Y%m%d"),
                      "FID_INPUT_DATE_2": upto.strftime("%Y%m%d"),
                      "FID_PERIOD_DIV_CODE": period.value, "FID_ORG_ADJ_PRC": "0"}
            envelope = await self.rest.call("GET", rc.DAILY_CHART, params=params)
            page = [c for c in (_candle(r) for r in _rows(envelope.body, "output2")) if c]
            if not page:
                break
            out.extend(page)
            oldest = min(c.day for c in page)
            if len(page) < rc.CHART_ROWS:
                break
            # The next page ends before the oldest candle's whole period, or a week or month
            # cut at the page boundary would come back as a second, partial candle.
            upto = period_start(oldest, period) - timedelta(days=1)
        unique = {c.day: c for c in out}
        return sorted(unique.values(), key=lambda c: c.day)[-count:]

    async def minute_chart(self, code: str, *, minutes: int = 120) -> list[IntradayBar]:
        """Today's one-minute bars, oldest first: the last ``minutes`` of them, fetched 30 at a
        time backwards from now (a quiet minute has no bar)."""
        today = self.clock.now()
        cursor = today.strftime("%H%M%S")
        out: dict[datetime, IntradayBar] = {}
        for _ in range(max(1, -(-minutes // rc.MINUTE_ROWS))):
            params = {"FID_ETC_CLS_CODE": "", "FID_COND_MRKT_DIV_CODE": "J",
                      "FID_INPUT_ISCD": code, "FID_INPUT_HOUR_1": cursor,
                      "FID_PW_DATA_INCU_YN": "N"}
            envelope = await self.rest.call("GET", rc.MINUTE_CHART, params=params)
            page = [b for b in (_bar(r, today) for r in _rows(envelope.body, "output2")) if b]
            for bar in page:
                out[bar.time] = bar
            if len(page) < rc.MINUTE_ROWS:
                break
            oldest = min(b.time for b in page)
            if oldest.hour == 0 and oldest.minute == 0:
                break
            cursor = (oldest - timedelta(minutes=1)).strftime("%H%M%S")
        return sorted(out.values(), key=lambda b: b.time)[-minutes:]

    async def financials(self, code: str, statement: Statement, *,
                         quarterly: bool = False) -> list[FinancialRow]:
        """Newest first, as KIS lists them."""
        function = STATEMENT_FUNCTION[statement]
        self._require(function, statement.korean)
        envelope = await self.rest.call("GET", function, params=_finance_params(code, quarterly))
        fields = STATEMENT_FIELDS[statement]
        return [FinancialRow(statement, str(r.get("stac_yymm", "")).strip(),
                             tuple((label, eok_to_won(r.get(name))) for name, label in fields))
                for r in _rows(envelope.body)]

    async def ratios(self, code: str, group: RatioGroup, *,
                     quarterly: bool = False) -> list[RatioRow]:
        function = RATIO_FUNCTION[group]
        self._require(function, group.korean)
        envelope = await self.rest.call("GET", function, params=_finance_params(code, quarterly))
        fields = RATIO_FIELDS[group]
        return [RatioRow(group, str(r.get("stac_yymm", "")).strip(),
                         tuple((label, dec(r.get(name))) for name, label in fields))
                for r in _rows(envelope.body)]

    async def investor_flow(self, code: str) -> list[InvestorFlow]:
        """The last 30 days' net buying by individuals, foreigners and institutions, newest
        first. Values arrive in 백만원 and are kept in won."""
        params = {"FID_COND_MRKT_DIV_CODE": "J", "FID_INPUT_ISCD": code}
        envelope = await self.rest.call("GET", rc.INVESTOR, params=params)
        out = []
        for r in _rows(envelope.body):
            day = yyyymmdd(str(r.get("stck_bsop_date", "")))
            if day is None:
                continue
            out.append(InvestorFlow(
                day=day, close=num(r.get("stck_clpr")), change=num(r.get("prdy_vrss")),
                individual=num(r.get("prsn_ntby_qty")), foreign=num(r.get("frgn_ntby_qty")),
                institution=num(r.get("orgn_ntby_qty")),
                individual_value=num(r.get("prsn_ntby_tr_pbmn")) * rc.MILLION,
                foreign_value=num(r.get("frgn_ntby_tr_pbmn")) * rc.MILLION,
                institution_value=num(r.get("orgn_ntby_tr_pbmn")) * rc.MILLION))
        return out

    async def opinions(self, code: str, *, start: date | None = None,
                       end: date | None = None) -> list[Opinion]:
        """Brokers' opinions between ``start`` and ``end`` (the last 180 days by default),
        newest first."""
        self._require(rc.OPINION, "종목투자의견")
        end = end or self.clock.now().date()
        start = start or end - timedelta(days=180)
        params = {"FID_COND_MRKT_DIV_CODE": "J", "FID_COND_SCR_DIV_CODE": rc.OPINION_SCREEN,
                  "FID_INPUT_ISCD": code, "FID_INPUT_DATE_1": start.strftime("%Y%m%d"),
                  "FID_INPUT_DATE_2": end.strftime("%Y%m%d")}
        envelope = await self.rest.call("GET", rc.OPINION, params=params)
        out = []
        for r in _rows(envelope.body):
            day = yyyymmdd(str(r.get("stck_bsop_date", "")))
            if day is None:
                continue
            out.append(Opinion(day=day, broker=str(r.get("mbcr_name", "")).strip(),
                               opinion=str(r.get("invt_opnn", "")).strip(),
                               previous_opinion=str(r.get("rgbf_invt_opnn", "")).strip(),
                               target=num(r.get("hts_goal_prc")),
                               prev_close=num(r.get("stck_prdy_clpr"))))
        out.sort(key=lambda o: o.day, reverse=True)
        return out

    async def order_book(self, code: str) -> tuple[tuple[Level, ...], tuple[Level, ...]]:
        """(bids, asks), best first, ten levels each, from the REST order book."""
        params = {"FID_COND_MRKT_DIV_CODE": "J", "FID_INPUT_ISCD": code}
        envelope = await self.rest.call("GET", rc.ASKING, params=params)
        out = envelope.body.get("output1") or {}
        if isinstance(out, list):
            out = out[0] if out else {}
        bids = tuple(Level(num(out.get(f"bidp{i}")), num(out.get(f"bidp_rsqn{i}")))
                     for i in range(1, 11) if num(out.get(f"bidp{i}")))
        asks = tuple(Level(num(out.get(f"askp{i}")), num(out.get(f"askp_rsqn{i}")))
                     for i in range(1, 11) if num(out.get(f"askp{i}")))
        return bids, asks


def period_start(day: date, period: ChartPeriod) -> date:
    """The first calendar day of the period (week from Monday) that ``day`` ends."""
    if period is ChartPeriod.WEEK:
        return day - timedelta(days=day.weekday())
    if period is ChartPeriod.MONTH:
        return day.replace(day=1)
    if period is ChartPeriod.YEAR:
        return day.replace(month=1, day=1)
    return day


def _finance_params(code: str, quarterly: bool) -> dict[str, str]:
    # Lower-case market/symbol keys, as the official sample sends them.
    return {"FID_DIV_CLS_CODE": "1" if quarterly else "0", "fid_cond_mrkt_div_code": "J",
            "fid_input_iscd": code}


def _bar(r: dict, now: datetime) -> IntradayBar | None:
    hhmmss = str(r.get("stck_cntg_hour", "")).strip()
    close = num(r.get("stck_prpr"))
    day = yyyymmdd(str(r.get("stck_bsop_date", ""))) or now.date()
    if len(hhmmss) != 6 or not hhmmss.isdigit() or not close:
        return None
    when = datetime(day.year, day.month, day.day, int(hhmmss[:2]), int(hhmmss[2:4]),
                    tzinfo=now.tzinfo)
    o = num(r.get("stck_oprc")) or close
    return IntradayBar(when, o, max(num(r.get("stck_hgpr")), o, close),
                       min(x for x in (num(r.get("stck_lwpr")) or close, o, close)), close,
                       num(r.get("cntg_vol")))


def _candle(r: dict) -> Candle | None:
    day = yyyymmdd(str(r.get("stck_bsop_date", "")))
    close = num(r.get("stck_clpr"))
    if day is None or not close:
        return None
    o, h, l = num(r.get("stck_oprc")) or close, num(r.get("stck_hgpr")), num(r.get("stck_lwpr"))
    # A halted day can come with zero open/high/low: draw it flat at the close.
    h = max(h, o, close)
    l = min(x for x in (l or close, o, close) if x)
    return Candle(day, o, h, l, close, num(r.get("acml_vol")), num(r.get("acml_tr_pbmn")))
