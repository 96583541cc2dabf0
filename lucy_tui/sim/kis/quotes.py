"""Quotations and instrument information (kis.md §4.8): inquire-price, the REST order book,
search-stock-info, search-info, chk-holiday.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING

from ...domain import krx
from ...domain.model import InstrumentKind, Market, Quote
from ...brokers.kis import codes
from ...brokers.kis.codes import Msg, Outcome
from .inquiries import rate
from .paging import pad
from .rest import Ctx, Reply, envelope

if TYPE_CHECKING:
    from .front import KisFront

O = Outcome
#: What KIS answers when a lookup finds nothing; clients read rt_cd 7 as "no such symbol" (§4.8).
NO_DATA = Msg("7", "KIOK0560", "조회할 내용이 없습니다")
MARKET_DIV = ("J", "NX", "UN")

_MKET_ID = {Market.KOSPI: "STK", Market.KOSDAQ: "KSQ", Market.KONEX: "KNX"}
_GROUP = {InstrumentKind.STOCK: "ST", InstrumentKind.ETF: "EF", InstrumentKind.ETN: "EN",
          InstrumentKind.ELW: "EW"}
_MARKET_KO = {Market.KOSPI: "KOSPI", Market.KOSDAQ: "KOSDAQ", Market.KONEX: "KONEX"}


def sign(price: int, base: int, upper: int = 0, lower: int = 0) -> str:
    """prdy_vrss_sign: 1 upper limit, 2 up, 3 flat, 4 lower limit, 5 down."""
    if upper and price >= upper:
        return "1"
    if lower and price <= lower:
        return "4"
    return "2" if price > base else "5" if price < base else "3"


def _strip_etn(code: str) -> str:
    code = code.strip()
    return code[1:] if len(code) == 7 and code[0] in "Qq" else code


class KisQuotes:
    def __init__(self, front: KisFront):
        self.front = front

    def install(self, rest) -> None:
        rest.handle("price", self.price)
        rest.handle("asking", self.asking)
        rest.handle("stock_info", self.stock_info)
        rest.handle("search_info", self.search_info)
        rest.handle("holiday", self.holiday)

    def _lookup(self, ctx: Ctx, name: str):
        code = _strip_etn(ctx.arg(name))
        inst = self.front.instrument(code) if code else None
        quote = self.front.quote(code) if inst is not None else None
        return code, inst, quote

    # ------------------------------------------------------------ inquire-price

    def price(self, ctx: Ctx) -> Reply:
        if ctx.arg("FID_COND_MRKT_DIV_CODE").strip().upper() not in MARKET_DIV:
            return Reply(envelope(codes.INPUT_INVALID_MRKT_DIV))
        code, inst, q = self._lookup(ctx, "FID_INPUT_ISCD")
        if inst is None:
            return Reply(envelope(NO_DATA))
        return Reply(envelope(self.front.messages.get(ctx.domain, O.QUOTE_OK),
                              output=self.price_output(inst, q)))

    def price_output(self, inst, q: Quote) -> dict[str, str]:
        last = q.last or q.base
        base = q.base
        volume, turnover = q.volume, q.turnover
        vwap = Decimal(turnover) / volume if volume else Decimal(last)
        tick = krx.tick_size(last, inst.kind, inst.market) if last else 1
        change = last - base
        listed = 5_969_782_550 if inst.code == "005930" else 100_000_000
        return {
            "iscd_stat_cls_code": "55",
            "marg_rate": "20.00",
            "rprs_mrkt_kor_name": _MARKET_KO[inst.market],
            "bstp_kor_isnm": "",
            "temp_stop_yn": "Y" if inst.halted else "N",
            "oprc_rang_cont_yn": "N",
            "clpr_rang_cont_yn": "N",
            "crdt_able_yn": "Y",
            "grmn_rate_cls_code": "40",
            "elw_pblc_yn": "N",
            "stck_prpr": str(last),
            "prdy_vrss": str(change),
            "prdy_vrss_sign": sign(last, base, q.upper_limit, q.lower_limit),
            "prdy_ctrt": rate(change, base),
            "acml_tr_pbmn": str(turnover),
            "acml_vol": str(volume),
            "prdy_vrss_vol_rate": "0.00",
            "stck_oprc": str(q.open or 0),
            "stck_hgpr": str(q.high or 0),
            "stck_lwpr": str(q.low or 0),
            "stck_mxpr": str(q.upper_limit),
            "stck_llam": str(q.lower_limit),
            "stck_sdpr": str(base),
            "wghn_avrg_stck_prc": f"{vwap.quantize(Decimal('0.01'), rounding=ROUND_DOWN):.2f}",
            "hts_frgn_ehrt": "0.00",
            "frgn_ntby_qty": "0",
            "pgtr_ntby_qty": "0",
            "pvt_scnd_dmrs_prc": "0",
            "pvt_frst_dmrs_prc": "0",
            "pvt_pont_val": "0",
            "pvt_frst_dmsp_prc": "0",
            "pvt_scnd_dmsp_prc": "0",
            "dmrs_val": "0",
            "dmsp_val": "0",
            "cpfn": "0",
            "rstc_wdth_prc": str(q.upper_limit - base if q.upper_limit else 0),
            "stck_fcam": "100",
            "stck_sspr": str(last * 70 // 100),
            "aspr_unit": str(tick),
            "hts_deal_qty_unit_val": str(inst.lot),
            "lstn_stcn": str(listed),
            "hts_avls": str(last * listed // 100_000_000),
            "per": "0.00",
            "pbr": "0.00",
            "stac_month": "12",
            "vol_tnrt": rate(volume, listed),
            "eps": "0.00",
            "bps": "0.00",
            "d250_hgpr": str(q.upper_limit),
            "d250_hgpr_date": "",
            "d250_hgpr_vrss_prpr_rate": "0.00",
            "d250_lwpr": str(q.lower_limit),
            "d250_lwpr_date": "",
            "d250_lwpr_vrss_prpr_rate": "0.00",
            "stck_dryy_hgpr": str(q.high or last),
            "dryy_hgpr_vrss_prpr_rate": "0.00",
            "dryy_hgpr_date": "",
            "stck_dryy_lwpr": str(q.low or last),
            "dryy_lwpr_vrss_prpr_rate": "0.00",
            "dryy_lwpr_date": "",
            "w52_hgpr": str(q.upper_limit),
            "w52_hgpr_vrss_prpr_ctrt": "0.00",
            "w52_hgpr_date": "",
            "w52_lwpr": str(q.lower_limit),
            "w52_lwpr_vrss_prpr_ctrt": "0.00",
            "w52_lwpr_date": "",
            "whol_loan_rmnd_rate": "0.00",
            "ssts_yn": "Y",
            "stck_shrn_iscd": inst.code,
            "fcam_cnnm": "100",
            "cpfn_cnnm": "0",
            "frgn_hldn_qty": "0",
            "vi_cls_code": "N",
            "ovtm_vi_cls_code": "N",
            "last_ssts_cntg_qty": "0",
            "invt_caful_yn": "N",
            "mrkt_warn_cls_code": "00",
            "short_over_yn": "N",
            "sltr_yn": "N",
            "mang_issu_cls_code": "Y" if inst.managed else "N",
        }

    # ------------------------------------------------------------ inquire-asking-price-exp-ccn

    def asking(self, ctx: Ctx) -> Reply:
        if ctx.arg("FID_COND_MRKT_DIV_CODE").strip().upper() not in MARKET_DIV:
            return Reply(envelope(codes.INPUT_INVALID_MRKT_DIV))
        code, inst, q = self._lookup(ctx, "FID_INPUT_ISCD")
        if inst is None:
            return Reply(envelope(NO_DATA))
        asks, bids = self.front.levels(code)
        out1: dict[str, str] = {"aspr_acpt_hour": self.front.clock.now().strftime("%H%M%S")}
        for i in range(10):
            out1[f"askp{i + 1}"] = str(asks[i].price if i < len(asks) else 0)
        for i in range(10):
            out1[f"bidp{i + 1}"] = str(bids[i].price if i < len(bids) else 0)
        for i in range(10):
            out1[f"askp_rsqn{i + 1}"] = str(asks[i].qty if i < len(asks) else 0)
        for i in range(10):
            out1[f"bidp_rsqn{i + 1}"] = str(bids[i].qty if i < len(bids) else 0)
        for i in range(10):
            out1[f"askp_rsqn_icdc{i + 1}"] = "0"
        for i in range(10):
            out1[f"bidp_rsqn_icdc{i + 1}"] = "0"
        out1.update({
            "total_askp_rsqn": str(sum(lv.qty for lv in asks)),
            "total_bidp_rsqn": str(sum(lv.qty for lv in bids)),
            "total_askp_rsqn_icdc": "0",
            "total_bidp_rsqn_icdc": "0",
            "ovtm_total_askp_icdc": "0",
            "ovtm_total_bidp_icdc": "0",
            "ovtm_total_askp_rsqn": "0",
            "ovtm_total_bidp_rsqn": "0",
            "ntby_aspr_rsqn": str(sum(lv.qty for lv in bids) - sum(lv.qty for lv in asks)),
            "new_mkop_cls_code": "20",
        })
        last = q.last or q.base
        out2 = {
            "antc_mkop_cls_code": "311",
            "stck_prpr": str(last),
            "stck_oprc": str(q.open or 0),
            "stck_hgpr": str(q.high or 0),
            "stck_lwpr": str(q.low or 0),
            "stck_sdpr": str(q.base),
            "antc_cnpr": "0",
            "antc_cntg_vrss_sign": "3",
            "antc_cntg_vrss": "0",
            "antc_cntg_prdy_ctrt": "0.00",
            "antc_vol": "0",
            "stck_shrn_iscd": code,
            "vi_cls_code": "N",
        }
        return Reply(envelope(self.front.messages.get(ctx.domain, O.QUOTE_OK),
                              output1=out1, output2=out2))

    # ------------------------------------------------------------ search-stock-info (real only)

    def stock_info(self, ctx: Ctx) -> Reply:
        code, inst, q = self._lookup(ctx, "PDNO")
        if inst is None:
            return Reply(envelope(NO_DATA))
        listed = inst.listed_on.strftime("%Y%m%d") if inst.listed_on else ""
        output = {
            "pdno": code,
            "prdt_type_cd": ctx.arg("PRDT_TYPE_CD", "300") or "300",
            "mket_id_cd": _MKET_ID[inst.market],
            "scty_grp_id_cd": _GROUP[inst.kind],
            "excg_dvsn_cd": "02" if inst.market is Market.KOSPI else "03",
            "setl_mmdd": "1231",
            "lstg_stqt": "0",
            "lstg_cptl_amt": "0",
            "cpta": "0",
            "papr": "100",
            "issu_pric": str(inst.ipo_price or 0),
            "kospi200_item_yn": "N",
            "scts_mket_lstg_dt": listed if inst.market is Market.KOSPI else "",
            "scts_mket_lstg_abol_dt": "",
            "kosdaq_mket_lstg_dt": listed if inst.market is Market.KOSDAQ else "",
            "kosdaq_mket_lstg_abol_dt": "",
            "frbd_mket_lstg_dt": "",
            "frbd_mket_lstg_abol_dt": "",
            "reits_kind_cd": "",
            "etf_dvsn_cd": "1" if inst.kind is InstrumentKind.ETF else "",
            "oilf_fund_yn": "N",
            "idx_bztp_lcls_cd": "",
            "idx_bztp_mcls_cd": "",
            "idx_bztp_scls_cd": "",
            "stck_kind_cd": "101" if inst.kind is InstrumentKind.STOCK else "",
            "mfnd_opng_dt": "",
            "mfnd_end_dt": "",
            "dpsi_erlm_cncl_dt": "",
            "etf_cu_qty": "0",
            "prdt_name": inst.name,
            "prdt_name120": inst.name,
            "prdt_abrv_name": inst.name,
            "std_pdno": inst.isin,
            "prdt_eng_name": inst.name_en,
            "prdt_eng_name120": inst.name_en,
            "prdt_eng_abrv_name": inst.name_en,
            "dpsi_aptm_erlm_yn": "Y",
            "etf_txtn_type_cd": "",
            "etf_type_cd": "",
            "lstg_abol_dt": "",
            "nwst_odst_dvsn_cd": "",
            "sbst_pric": str((q.last or q.base) * 70 // 100),
            "thco_sbst_pric": str((q.last or q.base) * 70 // 100),
            "thco_sbst_pric_chng_dt": "",
            "tr_stop_yn": "Y" if inst.halted else "N",
            "admn_item_yn": "Y" if inst.managed else "N",
            "thdt_clpr": str(q.last or q.base),
            "bfdy_clpr": str(q.base),
            "clpr_chng_dt": "",
            "std_idst_clsf_cd": "",
            "std_idst_clsf_cd_name": "",
            "idx_bztp_lcls_cd_name": "",
            "idx_bztp_mcls_cd_name": "",
            "idx_bztp_scls_cd_name": "",
            "ocr_no": "",
            "crfd_item_yn": "N",
            "elec_scty_yn": "Y",
            "issu_istt_cd": "",
            "etf_chas_erng_rt_dbnb": "0",
            "etf_etn_ivst_heed_item_yn": "N",
            "stln_int_rt_dvsn_cd": "",
            "frnr_psnl_lmt_rt": "0.00000000",
            "lstg_rqsr_issu_istt_cd": "",
            "lstg_rqsr_item_cd": "",
            "trst_istt_issu_istt_cd": "",
            "cptt_trad_tr_psbl_yn": "Y" if inst.nxt else "N",
            "nxt_tr_stop_yn": "N" if inst.nxt else "Y",
        }
        return Reply(envelope(self.front.messages.get(ctx.domain, O.INQUIRY_OK),
                              output=output))

    # ------------------------------------------------------------ search-info (real only)

    def search_info(self, ctx: Ctx) -> Reply:
        code, inst, _ = self._lookup(ctx, "PDNO")
        if inst is None:
            return Reply(envelope(NO_DATA))
        output = {
            "pdno": code,
            "prdt_type_cd": ctx.arg("PRDT_TYPE_CD", "300") or "300",
            "prdt_name": inst.name,
            "prdt_name120": inst.name,
            "prdt_abrv_name": inst.name,
            "prdt_eng_name": inst.name_en,
            "prdt_eng_name120": inst.name_en,
            "prdt_eng_abrv_name": inst.name_en,
            "std_pdno": inst.isin,
            "shtn_pdno": code,
            "prdt_sale_stat_cd": "",
            "prdt_risk_grad_cd": "",
            "prdt_clsf_cd": "",
            "prdt_clsf_name": "",
            "sale_strt_dt": "",
            "sale_end_dt": "",
            "wrap_asst_type_cd": "",
            "ivst_prdt_type_cd": "",
            "ivst_prdt_type_cd_name": "",
            "frst_erlm_dt": inst.listed_on.strftime("%Y%m%d") if inst.listed_on else "",
        }
        return Reply(envelope(self.front.messages.get(ctx.domain, O.INFO_OK),
                              output=output))

    # ------------------------------------------------------------ chk-holiday (real only)

    def holiday(self, ctx: Ctx) -> Reply:
        text = ctx.arg("BASS_DT").strip()
        try:
            start = date(int(text[:4]), int(text[4:6]), int(text[6:8]))
        except ValueError:
            start = self.front.clock.now().date()
        rows = []
        for i in range(30):
            day = start + timedelta(days=i)
            open_ = self.front.is_trading_day(day)
            business = day.weekday() < 5 and open_
            rows.append({
                "bass_dt": day.strftime("%Y%m%d"),
                "wday_dvsn_cd": f"{(day.isoweekday() % 7) + 1:02d}",
                "bzdy_yn": "Y" if business else "N",
                "tr_day_yn": "Y" if business else "N",
                "opnd_yn": "Y" if open_ else "N",
                "sttl_day_yn": "Y" if business else "N",
            })
        body = envelope(self.front.messages.get(ctx.domain, O.INQUIRY_OK),
                        ctx_area_nk=pad(""), ctx_area_fk=pad(""), output=rows)
        return Reply(body, "D")

