"""Market-research endpoints of the KIS front: period chart, finance statements and ratios,
investor flow, brokers' opinions. Layouts (field names, units, which domain serves what) are
recorded in :mod:`lucy_tui.brokers.kis.research_codes`.

Everything answered here is derived from the exchange: the chart's past comes from
:class:`~lucy_tui.sim.history.PriceHistory` (walked back from today's base price, so yesterday's
close is today's ``stck_sdpr``) and its last candle is the live day; investor flow closes are the
chart's closes; statements come from :class:`~lucy_tui.sim.fundamentals.Fundamentals` sized by
the symbol's first price this process saw, and every ratio is computed from those statements.

``inquire-price`` is answered here too, as :class:`KisQuotes` answers it but with the fields the
history and the statements know replacing its placeholders: the 52-week, 250-day and
year-to-date highs and lows (with dates and distances) and EPS, BPS, PER and PBR, so a client
reading both endpoints sees one company.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from ...brokers.kis import codes
from ...brokers.kis import research_codes as rc
from ...brokers.kis.codes import Outcome
from ...domain.research import Candle, ChartPeriod, aggregate
from ..fundamentals import Fundamentals, Period, growth, pct
from ..history import PriceHistory, listed_shares
from ..intraday import MinuteTape
from .inquiries import rate
from .quotes import MARKET_DIV, NO_DATA, KisQuotes, _strip_etn, sign
from .rest import Ctx, Reply, envelope, ymd_arg

if TYPE_CHECKING:
    from .front import KisFront

O = Outcome
#: Periods answered per chart call (official sample: at most 100).
BAD_PERIOD = codes.Msg("2", "OPSQ2001", "ERROR : INPUT INVALID_CHECK_PERIOD_DIV_CODE")
BAD_DATE = codes.Msg("2", "OPSQ2001", "ERROR : INPUT INVALID_CHECK_INPUT_DATE")
BAD_DIV = codes.Msg("2", "OPSQ2001", "ERROR : INPUT INVALID_CHECK_DIV_CLS_CODE")
BAD_HOUR = codes.Msg("2", "OPSQ2001", "ERROR : INPUT INVALID_CHECK_INPUT_HOUR")
EOK = Decimal(rc.EOK)



def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


class KisResearch:
    def __init__(self, front: KisFront):
        self.front = front
        self.history = PriceHistory(front.exchange)
        self.tape = MinuteTape(front.exchange)
        self.fundamentals = Fundamentals(front.exchange.seed)
        #: The price that sizes each company, fixed at first use so statements do not move.
        self._anchor: dict[str, int] = {}
        self._quotes = KisQuotes(front)

    def install(self, rest) -> None:
        rest.handle("price", self.price)          # replaces KisQuotes' own (see the docstring)
        rest.handle(rc.DAILY_CHART, self.daily_chart)
        rest.handle(rc.MINUTE_CHART, self.minute_chart)
        rest.handle(rc.INVESTOR, self.investor)
        rest.handle(rc.OPINION, self.opinion)
        rest.handle(rc.BALANCE_SHEET, self.balance_sheet)
        rest.handle(rc.INCOME, self.income_statement)
        rest.handle(rc.FIN_RATIO, self.financial_ratio)
        rest.handle(rc.PROFIT_RATIO, self.profit_ratio)
        rest.handle(rc.STABILITY_RATIO, self.stability_ratio)
        rest.handle(rc.GROWTH_RATIO, self.growth_ratio)

    def _ok(self, ctx: Ctx, **outputs) -> Reply:
        return Reply(envelope(self.front.messages.get(ctx.domain, O.QUOTE_OK), **outputs))

    def _symbol(self, ctx: Ctx):
        code = _strip_etn(ctx.arg("FID_INPUT_ISCD"))
        inst = self.front.instrument(code) if code else None
        return code, inst

    # ------------------------------------------------------------ inquire-price

    def price(self, ctx: Ctx) -> Reply:
        reply = self._quotes.price(ctx)
        out = reply.body.get("output")
        if isinstance(out, dict) and out.get("stck_shrn_iscd"):
            code = out["stck_shrn_iscd"]
            out.update(self._extremes(code, int(out["stck_prpr"])))
            out.update(self._valuation(code, int(out["stck_prpr"])))
        return reply

    def _extremes(self, code: str, last: int) -> dict[str, str]:
        daily = self.history.daily(code)
        today = self.front.exchange.day
        out: dict[str, str] = {}
        for prefix, start, hi_key, lo_key, rate_key in (
                ("w52", date(today.year - 1, today.month, min(today.day, 28)),
                 "w52_hgpr", "w52_lwpr", "ctrt"),
                ("d250", None, "d250_hgpr", "d250_lwpr", "rate"),
                ("dryy", date(today.year, 1, 1), "stck_dryy_hgpr", "stck_dryy_lwpr", "rate")):
            window = daily[-250:] if start is None else [c for c in daily if c.day >= start]
            if not window:
                continue
            top = max(window, key=lambda c: c.high)
            bottom = min(window, key=lambda c: c.low)
            out[hi_key] = str(top.high)
            out[lo_key] = str(bottom.low)
            stem_hi = "dryy_hgpr" if prefix == "dryy" else hi_key
            stem_lo = "dryy_lwpr" if prefix == "dryy" else lo_key
            out[f"{stem_hi}_date"] = top.day.strftime("%Y%m%d")
            out[f"{stem_lo}_date"] = bottom.day.strftime("%Y%m%d")
            out[f"{stem_hi}_vrss_prpr_{rate_key}"] = rate(last - top.high, top.high)
            out[f"{stem_lo}_vrss_prpr_{rate_key}"] = rate(last - bottom.low, bottom.low)
        return out

    def _valuation(self, code: str, last: int) -> dict[str, str]:
        inst = self.front.instrument(code)
        if inst is None or inst.is_etp:
            return {}
        anchor = self._anchor.setdefault(code, inst.base_price or 1)
        today = self.front.clock.now().date()
        periods = self.fundamentals.periods(code, anchor, today, False)
        if not periods:
            return {}
        latest = periods[0]
        won = EOK / listed_shares(code)
        eps = (latest.income["thtr_ntin"] * won).quantize(Decimal("0.01"))
        bps = (latest.balance["total_cptl"] * won).quantize(Decimal("0.01"))

        def multiple(per_share: Decimal) -> str:
            return f"{Decimal(last) / per_share:.2f}" if per_share > 0 else "0.00"

        return {"eps": f"{eps:.2f}", "bps": f"{bps:.2f}", "per": multiple(eps),
                "pbr": multiple(bps)}

    # ------------------------------------------------------------ period chart

    def daily_chart(self, ctx: Ctx) -> Reply:
        if ctx.arg("FID_COND_MRKT_DIV_CODE").strip().upper() not in MARKET_DIV:
            return Reply(envelope(codes.INPUT_INVALID_MRKT_DIV))
        try:
            period = ChartPeriod(ctx.arg("FID_PERIOD_DIV_CODE").strip().upper() or "D")
        except ValueError:
            return Reply(envelope(BAD_PERIOD))
        start, end = ymd_arg(ctx.arg("FID_INPUT_DATE_1")), ymd_arg(ctx.arg("FID_INPUT_DATE_2"))
        if start is None or end is None:
            return Reply(envelope(BAD_DATE))
        code, inst = self._symbol(ctx)
        if inst is None:
            return Reply(envelope(NO_DATA))
        q = self.front.quote(code)
        daily = self.history.daily(code)
        candles = aggregate(daily, period)
        chosen = [c for c in candles if start <= c.day <= end][-rc.CHART_ROWS:]
        prev_of = {c.day: (candles[i - 1].close if i else c.open) for i, c in enumerate(candles)}
        rows = [self._candle_row(c, prev_of[c.day]) for c in reversed(chosen)]
        return self._ok(ctx, output1=self._chart_summary(inst, q, daily), output2=rows)

    @staticmethod
    def _candle_row(c: Candle, prev: int) -> dict[str, str]:
        return {
            "stck_bsop_date": c.day.strftime("%Y%m%d"),
            "stck_clpr": str(c.close),
            "stck_oprc": str(c.open),
            "stck_hgpr": str(c.high),
            "stck_lwpr": str(c.low),
            "acml_vol": str(c.volume),
            "acml_tr_pbmn": str(c.turnover),
            "flng_cls_code": "00",
            "prtt_rate": "0.00",
            "mod_yn": "N",
            "prdy_vrss_sign": sign(c.close, prev),
            "prdy_vrss": str(c.close - prev),
            "revl_issu_reas": "",
        }

    def _chart_summary(self, inst, q, daily: list[Candle]) -> dict[str, str]:
        last = q.last or q.base
        past = self.history.past(inst.code)
        prev = past[-1] if past else None
        listed = listed_shares(inst.code)
        return {
            "prdy_vrss": str(last - q.base),
            "prdy_vrss_sign": sign(last, q.base, q.upper_limit, q.lower_limit),
            "prdy_ctrt": rate(last - q.base, q.base),
            "stck_prdy_clpr": str(q.base),
            "acml_vol": str(q.volume),
            "acml_tr_pbmn": str(q.turnover),
            "hts_kor_isnm": inst.name,
            "stck_prpr": str(last),
            "stck_shrn_iscd": inst.code,
            "prdy_vol": str(prev.volume if prev else 0),
            "stck_mxpr": str(q.upper_limit),
            "stck_llam": str(q.lower_limit),
            "stck_oprc": str(q.open),
            "stck_hgpr": str(q.high),
            "stck_lwpr": str(q.low),
            "stck_prdy_oprc": str(prev.open if prev else 0),
            "stck_prdy_hgpr": str(prev.high if prev else 0),
            "stck_prdy_lwpr": str(prev.low if prev else 0),
            "askp": str(q.best_ask or 0),
            "bidp": str(q.best_bid or 0),
            "prdy_vrss_vol": str(q.volume - (prev.volume if prev else 0)),
            "vol_tnrt": rate(q.volume, listed),
            "stck_fcam": "100",
            "lstn_stcn": str(listed),
            "cpfn": str(listed * 100 // rc.EOK),
            "hts_avls": str(last * listed // rc.EOK),
            "per": "0.00",
            "eps": "0.00",
            "pbr": "0.00",
            "itewhol_loan_rmnd_ratem": "0.00",
        }

    # ------------------------------------------------------------ minute chart

    def minute_chart(self, ctx: Ctx) -> Reply:
        if ctx.arg("FID_COND_MRKT_DIV_CODE").strip().upper() not in MARKET_DIV:
            return Reply(envelope(codes.INPUT_INVALID_MRKT_DIV))
        hour = ctx.arg("FID_INPUT_HOUR_1").strip()
        if len(hour) != 6 or not hour.isdigit() or int(hour[:2]) > 23 or int(hour[2:4]) > 59:
            return Reply(envelope(BAD_HOUR))
        code, inst = self._symbol(ctx)
        if inst is None:
            return Reply(envelope(NO_DATA))
        now = self.front.clock.now()
        # A future time answers as of now (the portal's note on FID_INPUT_HOUR_1).
        upto = min(hour, now.strftime("%H%M%S"))
        bars = [b for b in self.tape.bars(code, self.front.exchange.day)
                if b.minute.strftime("%H%M%S") <= upto][-rc.MINUTE_ROWS:]
        rows = [{
            "stck_bsop_date": b.minute.strftime("%Y%m%d"),
            "stck_cntg_hour": b.minute.strftime("%H%M%S"),
            "stck_prpr": str(b.close),
            "stck_oprc": str(b.open),
            "stck_hgpr": str(b.high),
            "stck_lwpr": str(b.low),
            "cntg_vol": str(b.volume),
            "acml_tr_pbmn": str(b.turnover_after),
        } for b in reversed(bars)]
        summary = self._chart_summary(inst, self.front.quote(code), [])
        keep = ("prdy_vrss", "prdy_vrss_sign", "prdy_ctrt", "stck_prdy_clpr", "acml_vol",
                "acml_tr_pbmn", "hts_kor_isnm", "stck_prpr")
        return self._ok(ctx, output1={k: summary[k] for k in keep}, output2=rows)

    # ------------------------------------------------------------ investor flow

    def investor(self, ctx: Ctx) -> Reply:
        if ctx.arg("FID_COND_MRKT_DIV_CODE").strip().upper() not in MARKET_DIV:
            return Reply(envelope(codes.INPUT_INVALID_MRKT_DIV))
        code, inst = self._symbol(ctx)
        if inst is None:
            return Reply(envelope(NO_DATA))
        rows = []
        for day in self.history.flows(code):
            f = day.flow
            avg = f.close
            row = {"stck_bsop_date": f.day.strftime("%Y%m%d"), "stck_clpr": str(f.close),
                   "prdy_vrss": str(f.change), "prdy_vrss_sign": sign(f.close, f.close - f.change)}
            for prefix, net, value, bought in (("prsn", f.individual, f.individual_value, day.buys[0]),
                                               ("frgn", f.foreign, f.foreign_value, day.buys[1]),
                                               ("orgn", f.institution, f.institution_value,
                                                day.buys[2])):
                sold = bought - net
                row[f"{prefix}_ntby_qty"] = str(net)
                row[f"{prefix}_ntby_tr_pbmn"] = str(value // rc.MILLION)
                row[f"{prefix}_shnu_vol"] = str(bought)
                row[f"{prefix}_seln_vol"] = str(sold)
                row[f"{prefix}_shnu_tr_pbmn"] = str(bought * avg // rc.MILLION)
                row[f"{prefix}_seln_tr_pbmn"] = str(sold * avg // rc.MILLION)
            rows.append(row)
        return self._ok(ctx, output=rows)

    # ------------------------------------------------------------ opinions

    def opinion(self, ctx: Ctx) -> Reply:
        code, inst = self._symbol(ctx)
        if inst is None:
            return Reply(envelope(NO_DATA))
        start, end = ymd_arg(ctx.arg("FID_INPUT_DATE_1")), ymd_arg(ctx.arg("FID_INPUT_DATE_2"))
        if start is None or end is None:
            return Reply(envelope(BAD_DATE))
        candles = self.history.past(code)
        closes = {c.day: c.close for c in candles}
        last_close = candles[-1].close if candles else 0
        rows = []
        for op, cls, prev_cls in self.history.opinions(code):
            if not (start <= op.day <= end):
                continue
            day_close = closes.get(op.day, op.prev_close)
            rows.append({
                "stck_bsop_date": op.day.strftime("%Y%m%d"),
                "invt_opnn": op.opinion,
                "invt_opnn_cls_code": cls,
                "rgbf_invt_opnn": op.previous_opinion,
                "rgbf_invt_opnn_cls_code": prev_cls,
                "mbcr_name": op.broker,
                "hts_goal_prc": str(op.target),
                "stck_prdy_clpr": str(op.prev_close),
                "stck_nday_esdg": str(last_close - op.target),
                "nday_dprt": rate(last_close - op.target, op.target),
                "stft_esdg": str(day_close - op.target),
                "dprt": rate(day_close - op.target, op.target),
            })
        return self._ok(ctx, output=rows)

    # ------------------------------------------------------------ finance

    def _periods(self, ctx: Ctx) -> tuple[list[Period], str, int] | Reply:
        div = ctx.arg("FID_DIV_CLS_CODE").strip() or "0"
        if div not in ("0", "1"):
            return Reply(envelope(BAD_DIV))
        code, inst = self._symbol(ctx)
        if inst is None:
            return Reply(envelope(NO_DATA))
        if inst.is_etp:
            return [], code, 0      # funds publish no statements: an empty answer, not an error
        anchor = self._anchor.setdefault(code, inst.base_price or 1)
        today = self.front.clock.now().date()
        return self.fundamentals.periods(code, anchor, today, div == "1"), code, anchor

    def _statement(self, ctx: Ctx, part: str, fields: tuple[str, ...]) -> Reply:
        got = self._periods(ctx)
        if isinstance(got, Reply):
            return got
        periods, _, _ = got
        rows = []
        for p in periods:
            source = p.balance if part == "balance" else p.income
            row = {"stac_yymm": p.yymm}
            row.update({name: _amount(source[name]) for name in fields})
            rows.append(row)
        return self._ok(ctx, output=rows)

    def balance_sheet(self, ctx: Ctx) -> Reply:
        return self._statement(ctx, "balance", ("cras", "fxas", "total_aset", "flow_lblt",
                                                "fix_lblt", "total_lblt", "cpfn", "cfp_surp",
                                                "prfi_surp", "total_cptl"))

    def income_statement(self, ctx: Ctx) -> Reply:
        return self._statement(ctx, "income", ("sale_account", "sale_cost", "sale_totl_prfi",
                                               "depr_cost", "sell_mang", "bsop_prti",
                                               "bsop_non_ernn", "bsop_non_expn", "op_prfi",
                                               "spec_prfi", "spec_loss", "thtr_ntin"))

    def _ratios(self, ctx: Ctx, compute) -> Reply:
        got = self._periods(ctx)
        if isinstance(got, Reply):
            return got
        periods, code, anchor = got
        today = self.front.clock.now().date()
        rows = []
        for p in periods:
            before = self.fundamentals.previous(code, anchor, today, p.yymm)
            row = {"stac_yymm": p.yymm}
            row.update({k: f"{v:.2f}" for k, v in compute(p, before, listed_shares(code)).items()})
            rows.append(row)
        return self._ok(ctx, output=rows)

    def financial_ratio(self, ctx: Ctx) -> Reply:
        def compute(p: Period, before: Period | None, shares: int) -> dict[str, Decimal]:
            b, i = p.balance, p.income
            pb = before.income if before else i
            won = EOK / shares
            return {
                "grs": growth(i["sale_account"], pb["sale_account"]),
                "bsop_prfi_inrt": growth(i["bsop_prti"], pb["bsop_prti"]),
                "ntin_inrt": growth(i["thtr_ntin"], pb["thtr_ntin"]),
                "roe_val": pct(i["thtr_ntin"], b["total_cptl"]),
                "eps": (i["thtr_ntin"] * won).quantize(Decimal("0.01")),
                "sps": (i["sale_account"] * won).quantize(Decimal("0.01")),
                "bps": (b["total_cptl"] * won).quantize(Decimal("0.01")),
                "rsrv_rate": pct(b["cfp_surp"] + b["prfi_surp"], b["cpfn"]),
                "lblt_rate": pct(b["total_lblt"], b["total_cptl"]),
            }
        return self._ratios(ctx, compute)

    def profit_ratio(self, ctx: Ctx) -> Reply:
        def compute(p: Period, before: Period | None, shares: int) -> dict[str, Decimal]:
            b, i = p.balance, p.income
            return {
                "cptl_ntin_rate": pct(i["thtr_ntin"], b["total_aset"]),
                "self_cptl_ntin_inrt": pct(i["thtr_ntin"], b["total_cptl"]),
                "sale_ntin_rate": pct(i["thtr_ntin"], i["sale_account"]),
                "sale_totl_rate": pct(i["sale_totl_prfi"], i["sale_account"]),
            }
        return self._ratios(ctx, compute)

    def stability_ratio(self, ctx: Ctx) -> Reply:
        def compute(p: Period, before: Period | None, shares: int) -> dict[str, Decimal]:
            b = p.balance
            return {
                "lblt_rate": pct(b["total_lblt"], b["total_cptl"]),
                "bram_depn": pct(b["_borrowings"], b["total_aset"]),
                "crnt_rate": pct(b["cras"], b["flow_lblt"]),
                "quck_rate": pct(b["cras"] - b["_inventory"], b["flow_lblt"]),
            }
        return self._ratios(ctx, compute)

    def growth_ratio(self, ctx: Ctx) -> Reply:
        def compute(p: Period, before: Period | None, shares: int) -> dict[str, Decimal]:
            b, i = p.balance, p.income
            pb, pi = (before.balance, before.income) if before else (b, i)
            return {
                "grs": growth(i["sale_account"], pi["sale_account"]),
                "bsop_prfi_inrt": growth(i["bsop_prti"], pi["bsop_prti"]),
                "equt_inrt": growth(b["total_cptl"], pb["total_cptl"]),
                "totl_aset_inrt": growth(b["total_aset"], pb["total_aset"]),
            }
        return self._ratios(ctx, compute)
