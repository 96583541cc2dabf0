"""Account inquiries: daily orders/fills, balance, buying power, sellable qty, cancellable orders
(kis.md §4.4-4.7). All values are strings; output keys are lower-case.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING

from ...domain.model import Side, TimeInForce
from ..accounts import Account, Holding, OrderRecord
from ...brokers.kis import codes
from ...brokers.kis.codes import Domain, Outcome
from .paging import StaleCursor, condition, paginate
from .rest import Ctx, Reply, envelope

if TYPE_CHECKING:
    from .front import KisFront

O = Outcome


def rate(numerator: int, denominator: int, places: int = 2) -> str:
    """A percentage as KIS writes it: ``"1.23"``, ``"-0.14"``, ``"0.00"`` when undefined."""
    if not denominator:
        return f"{Decimal(0):.{places}f}"
    value = (Decimal(numerator) * 100 / denominator).quantize(Decimal(1).scaleb(-places),
                                                               rounding=ROUND_DOWN)
    return f"{value:.{places}f}"


def price4(value: Decimal | int) -> str:
    return f"{Decimal(value).quantize(Decimal('0.0001'), rounding=ROUND_DOWN):.4f}"


def _date(text: str, default: date) -> date:
    try:
        return datetime.strptime(text.strip(), "%Y%m%d").date()
    except ValueError:
        return default


class KisInquiries:
    def __init__(self, front: KisFront):
        self.front = front

    def install(self, rest) -> None:
        rest.handle("daily_ccld", self.daily_ccld)
        rest.handle("daily_ccld_old", self.daily_ccld)
        rest.handle("balance", self.balance)
        rest.handle("psbl_order", self.psbl_order)
        rest.handle("psbl_sell", self.psbl_sell)
        rest.handle("psbl_rvsecncl", self.psbl_rvsecncl)

    def _msg(self, ctx: Ctx, outcome: Outcome):
        return self.front.messages.get(ctx.domain, outcome)

    def _fail(self, ctx: Ctx, outcome: Outcome) -> Reply:
        return Reply(envelope(self._msg(ctx, outcome)))

    def _page_msg(self, ctx: Ctx, page) -> dict:
        if page.more:
            outcome = O.INQUIRY_MORE
        elif page.tr_cont == "E":
            outcome = O.INQUIRY_LAST
        else:
            outcome = O.INQUIRY_OK
        return envelope(self._msg(ctx, outcome))

    def _account(self, ctx: Ctx) -> tuple[str, Account] | None:
        owner = self.front.owner_of(ctx.key, ctx.arg("CANO"), ctx.arg("ACNT_PRDT_CD"))
        if owner is None:
            return None
        acct = self.front.back_office.account(owner)
        return (owner, acct) if acct is not None else None

    # ------------------------------------------------------------ inquire-daily-ccld

    def daily_ccld(self, ctx: Ctx) -> Reply:
        found = self._account(ctx)
        if found is None:
            return self._fail(ctx, O.BAD_ACCOUNT)
        owner, _ = found
        today = self.front.clock.now().date()
        start = _date(ctx.arg("INQR_STRT_DT"), today)
        end = _date(ctx.arg("INQR_END_DT"), today)
        side = ctx.arg("SLL_BUY_DVSN_CD", "00").strip() or "00"
        pdno = ctx.arg("PDNO").strip()
        odno = ctx.arg("ODNO").strip().lstrip("0")
        ccld = ctx.arg("CCLD_DVSN", "00").strip() or "00"
        order = ctx.arg("INQR_DVSN", "00").strip() or "00"
        venue = ctx.arg("EXCG_ID_DVSN_CD").strip().upper()
        if ctx.domain is Domain.MOCK and venue not in ("", "KRX"):
            return self._fail(ctx, O.VENUE_NOT_ALLOWED)
        rows = []
        for rec in self.front.back_office.orders_of(owner, start, end):
            if side == "01" and rec.side is not Side.SELL or side == "02" and rec.side is not Side.BUY:
                continue
            if pdno and rec.code != pdno:
                continue
            if odno and str(rec.no) != odno:
                continue
            if ccld == "01" and not rec.filled_qty or ccld == "02" and not rec.leaves_qty:
                continue
            if venue not in ("", "ALL") and rec.venue.value != venue:
                continue
            rows.append(rec)
        descending = order != "01"
        rows.sort(key=lambda r: r.no, reverse=descending)
        fk = condition(ctx.arg("CANO"), ctx.arg("ACNT_PRDT_CD"), start.strftime("%Y%m%d"),
                       end.strftime("%Y%m%d"), side, pdno, odno, ccld, order,
                       ctx.arg("INQR_DVSN_1"), ctx.arg("INQR_DVSN_3"), venue)
        try:
            page = paginate(rows, size=codes.PAGE_SIZE[(codes.P_DAILY_CCLD, ctx.domain)], fk=fk,
                            request_fk=ctx.arg("CTX_AREA_FK100"),
                            request_nk=ctx.arg("CTX_AREA_NK100"),
                            key=lambda r: f"{r.no:010d}", descending=descending)
        except StaleCursor:
            return Reply(envelope(self._msg(ctx, O.CURSOR_STALE)))
        body = self._page_msg(ctx, page)
        body.update({
            "ctx_area_fk100": page.fk,
            "ctx_area_nk100": page.nk,
            "output1": [self._ccld_row(ctx, r) for r in page.rows],
            "output2": self._ccld_totals(rows),
        })
        return Reply(body, page.tr_cont)

    def _ccld_row(self, ctx: Ctx, rec: OrderRecord) -> dict[str, str]:
        dvsn = codes.DVSN_OF.get((rec.type, rec.tif), "00")
        side_ko = "매도" if rec.side is Side.SELL else "매수"
        name = {"new": f"현금{side_ko}", "amend": f"{side_ko}정정*", "cancel": f"{side_ko}취소*"}[rec.action]
        branch = codes.BRANCH[ctx.domain]
        cancel = rec.action == "cancel"
        return {
            "ord_dt": rec.time.strftime("%Y%m%d"),
            "ord_gno_brno": branch,
            "odno": f"{rec.no:010d}",
            "orgn_odno": f"{rec.orig_no:010d}" if rec.orig_no else "",
            "ord_dvsn_name": codes.ORD_DVSN_NAME.get(dvsn, ""),
            "sll_buy_dvsn_cd": "01" if rec.side is Side.SELL else "02",
            "sll_buy_dvsn_cd_name": name,
            "pdno": rec.code,
            "prdt_name": rec.name,
            "ord_qty": str(rec.qty),
            "ord_unpr": str(rec.price or 0),
            "ord_tmd": rec.time.strftime("%H%M%S"),
            "tot_ccld_qty": str(rec.filled_qty),
            "avg_prvs": str(rec.avg_price),
            "cncl_yn": "Y" if cancel else "N",
            "tot_ccld_amt": str(rec.filled_amount),
            "loan_dt": "",
            "ordr_empno": "OpnAPI",
            "ord_dvsn_cd": dvsn,
            "cncl_cfrm_qty": str(rec.cancelled_qty if cancel else 0),
            "rmn_qty": str(rec.leaves_qty),
            "rjct_qty": str(rec.rejected_qty),
            "ccld_cndt_name": {TimeInForce.DAY: "없음", TimeInForce.IOC: "IOC",
                               TimeInForce.FOK: "FOK"}[rec.tif],
            "inqr_ip_addr": "",
            "cpbc_ordp_ord_rcit_dvsn_cd": "",
            "cpbc_ordp_infm_mthd_dvsn_cd": "",
            "infm_tmd": rec.fills[-1].time.strftime("%H%M%S") if rec.fills else "",
            "ctac_tlno": "",
            "prdt_type_cd": "300",
            "excg_dvsn_cd": "02",
            "cpbc_ordp_mtrl_dvsn_cd": "",
            "ord_orgno": branch,
            "rsvn_ord_end_dt": "",
            "excg_id_dvsn_Cd": rec.venue.value,
            "stpm_cndt_pric": str(rec.stop_price or 0),
            "stpm_efct_occr_dtmd": "",
        }

    @staticmethod
    def _ccld_totals(rows: list[OrderRecord]) -> dict[str, str]:
        filled_qty = sum(r.filled_qty for r in rows)
        filled_amt = sum(r.filled_amount for r in rows)
        buys = [r for r in rows if r.side is Side.BUY]
        buy_qty = sum(r.filled_qty for r in buys)
        buy_amt = sum(r.filled_amount for r in buys)
        return {
            "tot_ord_qty": str(sum(r.qty for r in rows if r.action != "cancel")),
            "tot_ccld_qty": str(filled_qty),
            "tot_ccld_amt": str(filled_amt),
            "prsm_tlex_smtl": str(sum(r.commission + r.tax for r in rows)),
            "pchs_avg_pric": price4(Decimal(buy_amt) / buy_qty if buy_qty else 0),
        }

    # ------------------------------------------------------------ inquire-balance

    def balance(self, ctx: Ctx) -> Reply:
        found = self._account(ctx)
        if found is None:
            return self._fail(ctx, O.BAD_ACCOUNT)
        _, acct = found
        if (ctx.arg("INQR_DVSN", "01").strip() or "01") != "01":
            return Reply(envelope(codes.INPUT_INVALID_INQR_DVSN))
        today = self.front.clock.now().date()
        # A line sold out today stays (hldg_qty 0) until the sale settles on D+2 (§4.6).
        holdings = sorted((h for h in acct.holdings.values()
                           if h.qty or (h.settles_on is not None and h.settles_on > today)),
                          key=lambda h: h.code)
        fk = condition(ctx.arg("CANO"), ctx.arg("ACNT_PRDT_CD"), ctx.arg("AFHR_FLPR_YN", "N"),
                       ctx.arg("OFL_YN"), "01", ctx.arg("UNPR_DVSN", "01"),
                       ctx.arg("FUND_STTL_ICLD_YN", "N"), ctx.arg("FNCG_AMT_AUTO_RDPT_YN", "N"),
                       ctx.arg("PRCS_DVSN", "00"))
        try:
            page = paginate(holdings, size=codes.PAGE_SIZE[(codes.P_BALANCE, ctx.domain)], fk=fk,
                            request_fk=ctx.arg("CTX_AREA_FK100"),
                            request_nk=ctx.arg("CTX_AREA_NK100"), key=lambda h: h.code)
        except StaleCursor:
            return Reply(envelope(self._msg(ctx, O.CURSOR_STALE)))
        body = self._page_msg(ctx, page)
        body.update({
            "ctx_area_fk100": page.fk,
            "ctx_area_nk100": page.nk,
            "output1": [self._holding_row(h) for h in page.rows],
            "output2": [self._totals(acct)],
        })
        return Reply(body, page.tr_cont)

    def _holding_row(self, h: Holding) -> dict[str, str]:
        front = self.front
        quote = front.quote(h.code)
        last = quote.last or quote.base if quote else 0
        base = quote.base if quote else 0
        inst = front.instrument(h.code)
        value = h.qty * last
        return {
            "pdno": h.code,
            "prdt_name": inst.name if inst else "",
            "trad_dvsn_name": "현금",
            "bfdy_buy_qty": "0",
            "bfdy_sll_qty": "0",
            "thdt_buyqty": str(h.bought_today),
            "thdt_sll_qty": str(h.sold_today),
            "hldg_qty": str(h.qty),
            "ord_psbl_qty": str(h.sellable),
            "pchs_avg_pric": price4(Decimal(h.cost) / h.qty if h.qty else 0),
            "pchs_amt": str(h.cost),
            "prpr": str(last),
            "evlu_amt": str(value),
            "evlu_pfls_amt": str(value - h.cost),
            "evlu_pfls_rt": rate(value - h.cost, h.cost),
            "evlu_erng_rt": "0.00000000",
            "loan_dt": "",
            "loan_amt": "0",
            "stln_slng_chgs": "0",
            "expd_dt": "",
            "fltt_rt": rate(last - base, base, 8),
            "bfdy_cprs_icdc": str(last - base if base else 0),
            "item_mgna_rt_name": "20%",
            "grta_rt_name": "",
            "sbst_pric": str(last * 70 // 100),
            "stck_loan_unpr": "0.0000",
        }

    def _totals(self, acct: Account) -> dict[str, str]:
        today = self.front.clock.now().date()
        front = self.front
        scts = 0
        cost = 0
        for h in acct.holdings.values():
            quote = front.quote(h.code)
            last = (quote.last or quote.base) if quote else 0
            scts += h.qty * last
            cost += h.cost
        d1 = acct.cash_by(_next_day(front, today))
        d2 = acct.cash_d2
        total = scts + d2
        return {
            "dnca_tot_amt": str(acct.cash),
            "nxdy_excc_amt": str(d1),
            "prvs_rcdl_excc_amt": str(d2),
            "cma_evlu_amt": "0",
            "bfdy_buy_amt": "0",
            "thdt_buy_amt": str(acct.buy_amount_today),
            "nxdy_auto_rdpt_amt": "0",
            "bfdy_sll_amt": "0",
            "thdt_sll_amt": str(acct.sell_amount_today),
            "d2_auto_rdpt_amt": "0",
            "bfdy_tlex_amt": "0",
            "thdt_tlex_amt": str(acct.fees_today + acct.taxes_today),
            "tot_loan_amt": "0",
            "scts_evlu_amt": str(scts),
            "tot_evlu_amt": str(total),
            "nass_amt": str(total),
            "fncg_gld_auto_rdpt_yn": "",
            "pchs_amt_smtl_amt": str(cost),
            "evlu_amt_smtl_amt": str(scts),
            "evlu_pfls_smtl_amt": str(scts - cost),
            "tot_stln_slng_chgs": "0",
            "bfdy_tot_asst_evlu_amt": str(acct.prev_total),
            "asst_icdc_amt": str(total - acct.prev_total),
            "asst_icdc_erng_rt": rate(total - acct.prev_total, acct.prev_total, 8),
        }

    # ------------------------------------------------------------ inquire-psbl-order

    def psbl_order(self, ctx: Ctx) -> Reply:
        found = self._account(ctx)
        if found is None:
            return self._fail(ctx, O.BAD_ACCOUNT)
        owner, acct = found
        code = ctx.arg("PDNO").strip()
        price = ctx.arg("ORD_UNPR").strip()
        dvsn = ctx.arg("ORD_DVSN", "00").strip() or "00"
        back = self.front.back_office
        calc = 0
        qty = 0
        if code and self.front.instrument(code) is not None:
            unit = int(price) if price.isdigit() else 0
            priceless = dvsn in ("01", "03", "04", "05", "06", "07", "13", "14", "15", "16", "21",
                                 "23", "24")
            if priceless or unit <= 0:
                quote = self.front.quote(code)
                unit = quote.upper_limit or quote.last if priceless else (quote.last or quote.base)
            calc = unit
            qty = back.max_buy_qty(owner, code, unit)
        power = acct.buying_power
        output = {
            "ord_psbl_cash": str(power),
            "ord_psbl_sbst": "0",
            "ruse_psbl_amt": str(max(0, sum(s.amount for s in acct.pending if s.amount > 0))),
            "fund_rpch_chgs": "0",
            "psbl_qty_calc_unpr": str(calc),
            "nrcvb_buy_amt": str(power),
            "nrcvb_buy_qty": str(qty),
            "max_buy_amt": str(power),
            "max_buy_qty": str(qty),
            "cma_evlu_amt": "0",
            "ovrs_re_use_amt_wcrc": "0",
            "ord_psbl_frcr_amt_wcrc": "0",
        }
        return Reply(envelope(self._msg(ctx, O.INQUIRY_OK), output=output))

    # ------------------------------------------------------------ inquire-psbl-sell (real only)

    def psbl_sell(self, ctx: Ctx) -> Reply:
        found = self._account(ctx)
        if found is None:
            return self._fail(ctx, O.BAD_ACCOUNT)
        _, acct = found
        code = ctx.arg("PDNO").strip()
        h = acct.holdings.get(code)
        inst = self.front.instrument(code)
        if inst is None:
            return Reply(envelope(self._msg(ctx, O.UNKNOWN_SYMBOL)))
        quote = self.front.quote(code)
        last = quote.last or quote.base
        qty = h.qty if h else 0
        cost = h.cost if h else 0
        output = {
            "pdno": code,
            "prdt_name": inst.name,
            "buy_qty": str(h.bought_today if h else 0),
            "sll_qty": str(h.sold_today if h else 0),
            "cblc_qty": str(qty),
            "nsvg_qty": "0",
            "ord_psbl_qty": str(h.sellable if h else 0),
            "pchs_avg_pric": price4(Decimal(cost) / qty if qty else 0),
            "pchs_amt": str(cost),
            "now_pric": str(last),
            "evlu_amt": str(qty * last),
            "evlu_pfls_amt": str(qty * last - cost),
            "evlu_pfls_rt": rate(qty * last - cost, cost),
        }
        return Reply(envelope(self._msg(ctx, O.INQUIRY_OK), output=output))

    # ------------------------------------------------------------ inquire-psbl-rvsecncl (real only)

    def psbl_rvsecncl(self, ctx: Ctx) -> Reply:
        found = self._account(ctx)
        if found is None:
            return self._fail(ctx, O.BAD_ACCOUNT)
        owner, _ = found
        by_stock = ctx.arg("INQR_DVSN_1", "0").strip() == "1"
        side = ctx.arg("INQR_DVSN_2", "0").strip() or "0"
        today = self.front.clock.now().date()
        rows = [r for r in self.front.back_office.orders_of(owner, today, today)
                if r.action != "cancel" and r.is_open
                and not (side == "1" and r.side is not Side.SELL)
                and not (side == "2" and r.side is not Side.BUY)]
        sort_key = (lambda r: f"{r.code}{r.no:010d}") if by_stock else (lambda r: f"{r.no:010d}")
        rows.sort(key=sort_key)
        fk = condition(ctx.arg("CANO"), ctx.arg("ACNT_PRDT_CD"), "1" if by_stock else "0", side)
        try:
            page = paginate(rows, size=codes.PAGE_SIZE[(codes.P_PSBL_RVSECNCL, ctx.domain)], fk=fk,
                            request_fk=ctx.arg("CTX_AREA_FK100"),
                            request_nk=ctx.arg("CTX_AREA_NK100"), key=sort_key)
        except StaleCursor:
            return Reply(envelope(self._msg(ctx, O.CURSOR_STALE)))
        body = self._page_msg(ctx, page)
        body.update({
            "ctx_area_fk100": page.fk,
            "ctx_area_nk100": page.nk,
            "output": [self._cancellable_row(ctx, r) for r in page.rows],
        })
        return Reply(body, page.tr_cont)

    def _cancellable_row(self, ctx: Ctx, rec: OrderRecord) -> dict[str, str]:
        dvsn = codes.DVSN_OF.get((rec.type, rec.tif), "00")
        side_ko = "매도" if rec.side is Side.SELL else "매수"
        return {
            "ord_gno_brno": codes.BRANCH[ctx.domain],
            "odno": f"{rec.no:010d}",
            "orgn_odno": f"{rec.orig_no:010d}" if rec.orig_no else "",
            "ord_dvsn_name": codes.ORD_DVSN_NAME.get(dvsn, ""),
            "pdno": rec.code,
            "prdt_name": rec.name,
            "rvse_cncl_dvsn_name": f"{side_ko}정정*" if rec.action == "amend" else f"현금{side_ko}",
            "ord_qty": str(rec.qty),
            "ord_unpr": str(rec.price or 0),
            "ord_tmd": rec.time.strftime("%H%M%S"),
            "tot_ccld_qty": str(rec.filled_qty),
            "tot_ccld_amt": str(rec.filled_amount),
            "psbl_qty": str(rec.leaves_qty),
            "sll_buy_dvsn_cd": "01" if rec.side is Side.SELL else "02",
            "ord_dvsn_cd": dvsn,
            "mgco_aptm_odno": "",
            "excg_dvsn_cd": "02",
            "excg_id_dvsn_cd": rec.venue.value,
            "excg_id_dvsn_name": rec.venue.value,
            "stpm_cndt_pric": str(rec.stop_price or 0),
            "stpm_efct_occr_yn": "N",
        }


def _next_day(front: KisFront, day: date) -> date:
    return front.next_trading_day(day)
