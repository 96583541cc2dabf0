"""Account TRs on ``/stock/accno`` (ls.md §4.5-4.7, §4.9): t0425 today's orders and fills,
t0424 positions, CSPAQ12200 cash and buying power, CSPAQ13700 orders and fills of any day.

Every row is one numbered order of the back office: a new order, an amend (its own number,
``orgordno`` the order it changed) or a cancel. Orders the REST call refused carry no number and
are not shown. Integers are JSON numbers, decimals strings with fixed places (the official
examples); in mock the messages start with "모의투자".
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ...brokers.ls import codes
from ...brokers.ls.codes import Outcome
from ...domain import costs
from ...domain.model import OrderStatus, Side
from ..accounts import Account, OrderRecord
from .formats import fraction, hhmmsscc, hhmmssmmm, isu_prefix, market_code, rate
from .orders import price_text
from .paging import paginate
from .rest import Ctx, Reply, envelope

if TYPE_CHECKING:
    from .front import LsFront

O = Outcome
_ACTION_TRX = {"new": (0, "정상", codes.MRC_TP_NORMAL, "정상"),
               "amend": (2, "정정", codes.MRC_TP_AMEND, "정정"),
               "cancel": (3, "취소", codes.MRC_TP_CANCEL, "취소")}


def t0425_status(rec: OrderRecord) -> str:
    """The ``status`` text of a t0425 row (see codes.T0425_STATUS)."""
    names = codes.T0425_STATUS
    if rec.status is OrderStatus.REJECTED:
        return names["rejected"]
    if rec.action == "cancel":
        return names["cancel_confirmed"]
    if rec.filled_qty:
        return names["partial"] if rec.leaves_qty else names["filled"]
    if rec.replaced_qty and not rec.leaves_qty:
        return names["amended"]
    if rec.cancelled_qty and not rec.leaves_qty:
        return names["cancelled"]
    return names["amend_confirmed"] if rec.action == "amend" else names["accepted"]


def _day(text: str, default: date) -> date:
    try:
        return datetime.strptime(text.strip(), "%Y%m%d").date()
    except ValueError:
        return default


class LsInquiries:
    def __init__(self, front: LsFront):
        self.front = front

    def install(self, rest) -> None:
        rest.handle(codes.T0425, self.t0425)
        rest.handle(codes.T0424, self.t0424)
        rest.handle(codes.CSPAQ12200, self.cspaq12200)
        rest.handle(codes.CSPAQ13700, self.cspaq13700)

    def _msg(self, ctx: Ctx, outcome: Outcome):
        return self.front.messages.get(outcome, ctx.domain)

    def _account(self, ctx: Ctx) -> Account:
        acct = self.front.back_office.account(ctx.owner)
        assert acct is not None, "every key's account is opened at start"
        return acct

    def _records(self, ctx: Ctx, day: date) -> list[OrderRecord]:
        return [r for r in self.front.back_office.orders_of(ctx.owner, day, day)
                if self.front.visible(ctx.owner, r.no)]

    def _last(self, code: str) -> int:
        quote = self.front.quote(code)
        return (quote.last or quote.base) if quote is not None else 0

    def _continue(self, ctx: Ctx, condition: str, cursor: str) -> str:
        """The body cursor a t-series call may continue from (see paging)."""
        if not cursor:
            return ""
        if self.front.options.strict_cont_key:
            issued = self.front.cont_keys.cursor(ctx.tr_cont_key, ctx.owner, ctx.tr_cd, condition)
            if ctx.tr_cont != codes.CONT_YES or issued != cursor:
                return ""
        return cursor

    def _paged(self, ctx: Ctx, page, condition: str, cursor: str | None = None) -> tuple[str, str]:
        """Response headers (tr_cont, tr_cont_key); the key remembers ``cursor`` (the body
        cursor as the client will send it back), else the page's own sort key."""
        if not page.more:
            return codes.CONT_NO, ""
        return codes.CONT_YES, self.front.cont_keys.issue(
            ctx.owner, ctx.tr_cd, condition, page.cursor if cursor is None else cursor)

    # ------------------------------------------------------------ t0425

    def t0425(self, ctx: Ctx) -> Reply:
        _, code = codes.split_isu_no(ctx.text("expcode"))
        chegb = ctx.text("chegb") or "0"
        medosu = ctx.text("medosu") or "0"
        sortgb = ctx.text("sortgb") or "1"
        rows = []
        for rec in self._records(ctx, self.front.clock.now().date()):
            if code and rec.code != code:
                continue
            if medosu == codes.BNS_SELL and rec.side is not Side.SELL \
                    or medosu == codes.BNS_BUY and rec.side is not Side.BUY:
                continue
            if chegb == "1" and not rec.filled_qty or chegb == "2" and not rec.leaves_qty:
                continue
            rows.append(rec)
        descending = sortgb != "2"
        rows.sort(key=lambda r: r.no, reverse=descending)
        condition = "^".join((code, chegb, medosu, sortgb))
        cts = ctx.text("cts_ordno")
        after = self._continue(ctx, condition, cts)
        page = paginate(rows, size=self.front.options.page_size(codes.T0425),
                        key=lambda r: f"{r.no:010d}",
                        after=f"{int(after):010d}" if after.isdigit() else "",
                        descending=descending)
        cts_out = str(int(page.cursor)) if page.more else ""
        tr_cont, cont_key = self._paged(ctx, page, condition, cts_out)
        summary = {
            "tqty": sum(r.qty for r in rows),
            "tcheqty": sum(r.filled_qty for r in rows),
            "tordrem": sum(r.leaves_qty for r in rows),
            "cmss": sum(r.commission for r in rows),
            "tamt": sum(r.qty * (r.price or 0) for r in rows if r.action != "cancel"),
            "tmdamt": sum(r.filled_amount for r in rows if r.side is Side.SELL),
            "tmsamt": sum(r.filled_amount for r in rows if r.side is Side.BUY),
            "tax": sum(r.tax for r in rows),
            "cts_ordno": cts_out,
        }
        out_rows = [self._t0425_row(r, i) for i, r in enumerate(page.rows, 1)]
        outcome = O.QUERY_OK if rows else O.QUERY_EMPTY
        return Reply(envelope(self._msg(ctx, outcome), t0425OutBlock=summary,
                              t0425OutBlock1=out_rows), tr_cont, cont_key)

    def _t0425_row(self, rec: OrderRecord, seq: int) -> dict[str, Any]:
        confirmed = rec.qty if rec.action in ("amend", "cancel") else 0
        return {
            "ordno": rec.no,
            "expcode": rec.code,
            "medosu": codes.MEDOSU_TEXT[rec.side],
            "qty": rec.qty,
            "price": rec.price or 0,
            "cheqty": rec.filled_qty,
            "cheprice": rec.avg_price,
            "ordrem": rec.leaves_qty,
            "cfmqty": confirmed,
            "status": t0425_status(rec),
            "orgordno": rec.orig_no,
            "ordgb": codes.ORD_CNDI_NAME[codes.ORD_CNDI_OF[rec.tif]],
            "ordtime": hhmmsscc(rec.time),
            "ordermtd": codes.T0425_ORDERMTD,
            "sysprocseq": rec.no,
            "hogagb": codes.ORDPRC_PTN_OF.get(rec.type, "00"),
            "price1": self._last(rec.code),
            "orggb": codes.ORD_PTN_CODE[rec.side],
            "singb": "00",
            "loandt": "",
            "exchname": rec.venue.value,
        }

    # ------------------------------------------------------------ t0424

    def t0424(self, ctx: Ctx) -> Reply:
        """Holdings on the trade basis whatever ``chegb`` asks (the back office books fills at
        once); ``charge`` 1 deducts the estimated sell costs; realised P&L (``dtsunik`` of the
        summary) is not kept by the back office and stays 0."""
        acct = self._account(ctx)
        charge = ctx.text("charge") == "1"
        today = self.front.clock.now().date()
        lines = []
        for code in sorted(acct.holdings):
            h = acct.holdings[code]
            if h.qty <= 0:
                continue
            price = self._last(code)
            gross = h.qty * price
            inst = self.front.instrument(code)
            fee = tax = 0
            if inst is not None:
                cost = costs.trade_cost(Side.SELL, gross, today, inst.market, inst.kind)
                fee, tax = cost.commission, cost.tax
            appamt = gross - fee - tax if charge else gross
            lines.append((h, inst, price, appamt, fee, tax))
        total_eval = sum(line[3] for line in lines)
        total_cost = sum(line[0].cost for line in lines)
        rows = []
        for seq, (h, inst, price, appamt, fee, tax) in enumerate(lines, 1):
            pnl = appamt - h.cost
            rows.append({
                "expcode": h.code, "jangb": "", "janqty": h.qty, "mdposqt": h.sellable,
                "pamt": h.avg_price, "mamt": h.cost, "sinamt": 0, "lastdt": "",
                "msat": h.bought_amount_today,
                "mpms": h.bought_amount_today // h.bought_today if h.bought_today else 0,
                "mdat": h.sold_amount_today,
                "mpmd": h.sold_amount_today // h.sold_today if h.sold_today else 0,
                "jsat": 0, "jpms": 0, "jdat": 0, "jpmd": 0, "sysprocseq": seq, "loandt": "",
                "hname": inst.name if inst is not None else "", "marketgb": "", "jonggb": "3",
                "janrt": rate(appamt, total_eval), "price": price, "appamt": appamt,
                "dtsunik": pnl, "sunikrt": rate(pnl, h.cost), "fee": fee, "tax": tax,
                "sininter": 0,
            })
        condition = "^".join(ctx.text(n) for n in ("prcgb", "chegb", "dangb", "charge"))
        after = self._continue(ctx, condition, ctx.text("cts_expcode"))
        page = paginate(rows, size=self.front.options.page_size(codes.T0424),
                        key=lambda r: r["expcode"], after=after)
        tr_cont, cont_key = self._paged(ctx, page, condition)
        summary = {
            "sunamt": acct.cash_d2 + total_eval,
            "dtsunik": 0,
            "mamt": total_cost,
            "sunamt1": acct.cash_d2,
            "cts_expcode": page.cursor,
            "tappamt": total_eval,
            "tdtsunik": total_eval - total_cost,
        }
        outcome = O.QUERY_OK if rows else O.QUERY_EMPTY
        return Reply(envelope(self._msg(ctx, outcome), t0424OutBlock=summary,
                              t0424OutBlock1=page.rows), tr_cont, cont_key)

    # ------------------------------------------------------------ CSPAQ12200

    def cspaq12200(self, ctx: Ctx) -> Reply:
        acct = self._account(ctx)
        today = self.front.clock.now().date()
        d1 = acct.cash_by(self.front.exchange.calendar.next_trading_day(today))
        power = acct.buying_power
        evaluation = sum(h.qty * self._last(c) for c, h in acct.holdings.items())
        cost = sum(h.cost for h in acct.holdings.values())
        withdrawable = max(0, min(acct.cash, acct.cash_d2) - acct.reserved_cash)
        values: dict[str, Any] = dict.fromkeys(codes.CSPAQ12200_FIELDS, 0)
        values.update({
            "RecCnt": 1, "BrnNm": "", "AcntNm": ctx.key.holder,
            "MnyOrdAbleAmt": power, "MnyoutAbleAmt": withdrawable,
            "SeOrdAbleAmt": power, "KdqOrdAbleAmt": power,
            "BalEvalAmt": evaluation, "DpsastTotamt": acct.cash_d2 + evaluation,
            "PnlRat": fraction(evaluation - cost, cost), "InvstOrgAmt": cost,
            "InvstPlAmt": evaluation - cost, "Dps": acct.cash, "D1Dps": d1, "D2Dps": acct.cash_d2,
            "MgnRat100pctOrdAbleAmt": power,
            # The official example's ratios: 35 % and 50 % columns at ×10/3 and ×10/4.
            "MgnRat35ordAbleAmt": (power * 10 + 1) // 3, "MgnRat50ordAbleAmt": power * 10 // 4,
            "CrdaySellAdjstAmt": acct.sell_amount_today,
            "CrdayBuyAdjstAmt": acct.buy_amount_today,
            "D1PrsmptWthdwAbleAmt": d1, "D2PrsmptWthdwAbleAmt": acct.cash_d2,
            "ChgAfPldgRat": "0.000", "D1OrdAbleAmt": power,
        })
        out1 = {"RecCnt": 1, "MgmtBrnNo": "", "AcntNo": ctx.key.account, "Pwd": "********",
                "BalCreTp": ctx.text("BalCreTp") or "0"}
        return Reply(envelope(self._msg(ctx, O.ACCOUNT_OK), CSPAQ12200OutBlock1=out1,
                              CSPAQ12200OutBlock2=values))

    # ------------------------------------------------------------ CSPAQ13700

    def cspaq13700(self, ctx: Ctx) -> Reply:
        today = self.front.clock.now().date()
        market = ctx.text("OrdMktCode") or "00"
        bns = ctx.text("BnsTpCode") or "0"
        _, code = codes.split_isu_no(ctx.text("IsuNo"))
        exec_yn = ctx.text("ExecYn") or "0"
        day = _day(ctx.text("OrdDt"), today)
        start = ctx.integer("SrtOrdNo2", 0) or 0
        forward = ctx.text("BkseqTpCode") == "1"
        ptn = ctx.text("OrdPtnCode") or "00"
        rows = []
        for rec in self._records(ctx, day):
            inst = self.front.instrument(rec.code)
            if market != "00" and market_code(inst) != market:
                continue
            if bns != "0" and codes.BNS_OF[rec.side] != bns:
                continue
            if code and rec.code != code:
                continue
            if exec_yn == "1" and not rec.filled_qty or exec_yn == "3" and not rec.leaves_qty:
                continue
            if ptn in ("98", "01") and rec.side is not Side.SELL \
                    or ptn in ("99", "02") and rec.side is not Side.BUY:
                continue
            if ptn not in ("00", "98", "99", "01", "02"):
                continue
            if forward and start and rec.no < start or not forward and start and rec.no > start:
                continue
            rows.append(rec)
        rows.sort(key=lambda r: r.no, reverse=not forward)
        condition = json.dumps(ctx.block, sort_keys=True, ensure_ascii=False, default=str)
        after = ""
        if ctx.tr_cont == codes.CONT_YES:
            after = self.front.cont_keys.cursor(ctx.tr_cont_key, ctx.owner, ctx.tr_cd,
                                                condition) or ""
        page = paginate(rows, size=self.front.options.page_size(codes.CSPAQ13700),
                        key=lambda r: f"{r.no:010d}", after=after, descending=not forward)
        tr_cont, cont_key = self._paged(ctx, page, condition)
        sells = [r for r in rows if r.side is Side.SELL]
        buys = [r for r in rows if r.side is Side.BUY]
        summary = {
            "RecCnt": 1,
            "SellExecAmt": sum(r.filled_amount for r in sells),
            "BuyExecAmt": sum(r.filled_amount for r in buys),
            "SellExecQty": sum(r.filled_qty for r in sells),
            "BuyExecQty": sum(r.filled_qty for r in buys),
            "SellOrdQty": sum(r.qty for r in sells if r.action != "cancel"),
            "BuyOrdQty": sum(r.qty for r in buys if r.action != "cancel"),
        }
        out1 = {"RecCnt": 1, "AcntNo": ctx.key.account, "InptPwd": "********",
                "OrdMktCode": market, "BnsTpCode": bns, "IsuNo": ctx.text("IsuNo"),
                "ExecYn": exec_yn, "OrdDt": day.strftime("%Y%m%d"), "SrtOrdNo2": start,
                "BkseqTpCode": "1" if forward else "0", "OrdPtnCode": ptn}
        out3 = [self._cspaq13700_row(ctx, r) for r in page.rows]
        outcome = O.ACCOUNT_OK if rows else O.ACCOUNT_EMPTY
        return Reply(envelope(self._msg(ctx, outcome), CSPAQ13700OutBlock1=out1,
                              CSPAQ13700OutBlock2=summary, CSPAQ13700OutBlock3=out3),
                     tr_cont, cont_key)

    def _cspaq13700_row(self, ctx: Ctx, rec: OrderRecord) -> dict[str, Any]:
        inst = self.front.instrument(rec.code)
        trx_code, trx_name, mrc_code, mrc_name = _ACTION_TRX[rec.action]
        ptn = codes.ORDPRC_PTN_OF.get(rec.type, "00")
        last_fill = rec.fills[-1].time if rec.fills else None
        changed = rec.replaced_qty + rec.cancelled_qty if rec.action == "new" else rec.qty
        return {
            "OrdDt": rec.time.strftime("%Y%m%d"), "MgmtBrnNo": "", "OrdMktCode": market_code(inst),
            "OrdNo": rec.no, "OrgOrdNo": rec.orig_no, "IsuNo": isu_prefix(inst) + rec.code,
            "IsuNm": rec.name, "BnsTpCode": codes.BNS_OF[rec.side],
            "BnsTpNm": codes.BNS_TP_NAME[codes.BNS_OF[rec.side]],
            "OrdPtnCode": codes.ORD_PTN_CODE[rec.side],
            "OrdPtnNm": "현금" + codes.MEDOSU_TEXT[rec.side],
            "OrdTrxPtnCode": trx_code, "OrdTrxPtnNm": trx_name, "MrcTpCode": mrc_code,
            "MrcTpNm": mrc_name, "MrcQty": changed, "MrcAbleQty": rec.leaves_qty,
            "OrdQty": rec.qty, "OrdPrc": price_text(rec.price), "ExecQty": rec.filled_qty,
            "ExecPrc": price_text(rec.avg_price),
            "ExecTrxTime": hhmmssmmm(last_fill) if last_fill else "",
            "LastExecTime": hhmmssmmm(last_fill) if last_fill else "",
            "OrdprcPtnCode": ptn, "OrdprcPtnNm": codes.ORDPRC_PTN_NAME.get(ptn, ""),
            "OrdCndiTpCode": codes.ORD_CNDI_OF[rec.tif], "AllExecQty": rec.filled_qty,
            "RegCommdaCode": "40", "CommdaNm": "OPEN API", "MbrNo": rec.venue.value,
            "RsvOrdYn": "N", "LoanDt": "", "OrdTime": hhmmssmmm(rec.time), "OpDrtnNo": "",
            "OdrrId": ctx.key.user_id, "RmnOrdQty": rec.leaves_qty, "OrdGb": "", "Rectgb": "",
        }
