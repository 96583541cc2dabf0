"""CSPAT00601 new, CSPAT00701 amend, CSPAT00801 cancel (ls.md §4.1-4.4) on the shared back office.

Input problems LS catches itself (codes outside the tables, credit codes on a cash account, a
mock order without the ``A`` prefix, a missing price) are refused before the back office sees the
order; buying power, holdings and symbol checks are the back office's; ticks, bands, sessions and
venues are the exchange's. Refusals come back HTTP 200 with the LS code and text, the echo
``OutBlock1`` and a zero-filled ``OutBlock2`` (the official 03181 example); accepted orders with
``00040`` (buy) / ``00039`` (sell) / ``00132`` (amend) / ``00156`` (cancel) and the order number in
``OutBlock2.OrdNo``. An amend or a cancel is an order of its own with a new number;
``PrntOrdNo`` names the order it changed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ...brokers.ls import codes
from ...brokers.ls.codes import Domain, Outcome
from ...domain.model import IMMEDIATE_TYPES, InstrumentKind, Side, TimeInForce
from ..accounts import PlaceResult, Refusal
from .formats import hhmmssmmm, isu_prefix, market_code
from .options import REJECT_AS_SC4
from .rest import Ctx, Reply, envelope

if TYPE_CHECKING:
    from .front import LsFront

O = Outcome

_REFUSALS = {
    Refusal.UNKNOWN_ACCOUNT: O.BAD_INPUT,
    Refusal.UNKNOWN_SYMBOL: O.UNKNOWN_SYMBOL,
    Refusal.BAD_QUANTITY: O.BAD_QUANTITY,
    Refusal.INSUFFICIENT_CASH: O.INSUFFICIENT_CASH,
    Refusal.NO_HOLDINGS: O.NO_HOLDINGS,
    Refusal.INSUFFICIENT_HOLDINGS: O.INSUFFICIENT_HOLDINGS,
    Refusal.ORDER_NOT_FOUND: O.ORDER_NOT_FOUND,
    Refusal.NOTHING_TO_CANCEL: O.NOTHING_TO_CANCEL,
    Refusal.AMEND_QTY_INCREASE: O.AMEND_QTY_INCREASE,
    Refusal.TYPE_CHANGE: O.TYPE_CHANGE,
}

#: The exchange's RejectReason names → outcomes.
REJECTS = {
    "UNKNOWN_SYMBOL": O.UNKNOWN_SYMBOL,
    "BAD_TICK": O.BAD_TICK,
    "ABOVE_UPPER_LIMIT": O.ABOVE_UPPER,
    "BELOW_LOWER_LIMIT": O.BELOW_LOWER,
    "BAD_QUANTITY": O.BAD_QUANTITY,
    "PRICE_REQUIRED": O.PRICE_REQUIRED,
    "PRICE_NOT_ALLOWED": O.PRICE_NOT_ALLOWED,
    "MARKET_CLOSED": O.MARKET_CLOSED,
    "HALTED": O.HALTED,
    "ORDER_TYPE_NOT_ALLOWED": O.ORDER_TYPE_NOT_ALLOWED,
    "VENUE_NOT_ALLOWED": O.VENUE_NOT_ALLOWED,
    "NOTHING_TO_CANCEL": O.NOTHING_TO_CANCEL,
    "NOT_OWNER": O.ORDER_NOT_FOUND,
    "AMEND_QTY_INCREASE": O.AMEND_QTY_INCREASE,
}

_PREFIX_KINDS = {
    codes.ISU_PREFIX_STOCK: (InstrumentKind.STOCK, InstrumentKind.ETF),
    codes.ISU_PREFIX_ELW: (InstrumentKind.ELW,),
    codes.ISU_PREFIX_ETN: (InstrumentKind.ETN,),
}


def reject_outcome(reason: Any) -> Outcome:
    return REJECTS.get(getattr(reason, "name", str(reason)), O.ORDER_TYPE_NOT_ALLOWED)


def price_text(value: Decimal | int | None) -> str:
    """OrdPrc as LS echoes it: a string with two decimals (``"35000.00"``)."""
    return f"{Decimal(value or 0):.2f}"


def zeroed(block: dict[str, Any]) -> dict[str, Any]:
    """A block with every value blanked (numbers 0, texts ""), RecCnt kept."""
    out = {k: (0 if isinstance(v, (int, float)) and not isinstance(v, bool) else "")
           for k, v in block.items()}
    if "RecCnt" in out:
        out["RecCnt"] = 1
    return out


class LsOrders:
    def __init__(self, front: LsFront):
        self.front = front

    def install(self, rest) -> None:
        rest.handle(codes.CSPAT00601, self.new)
        rest.handle(codes.CSPAT00701, self.amend)
        rest.handle(codes.CSPAT00801, self.cancel)

    # ------------------------------------------------------------ helpers

    def _answer(self, ctx: Ctx, outcome: Outcome, out1: dict | None, out2: dict) -> Reply:
        msg = self.front.messages.get(outcome, ctx.domain)
        ok = outcome in (O.BUY_OK, O.SELL_OK, O.AMEND_OK, O.CANCEL_OK)
        blocks: dict[str, Any] = {}
        style = self.front.options.reject_blocks
        if ok or style != "none":
            if out1 is not None:
                blocks[codes.out_block(ctx.tr_cd, 1)] = out1
            if ok:
                blocks[codes.out_block(ctx.tr_cd, 2)] = out2
            else:
                blocks[codes.out_block(ctx.tr_cd, 2)] = zeroed(out2) if style == "zeroed" else {}
        return Reply(envelope(msg, **blocks))

    def _symbol(self, ctx: Ctx) -> tuple[str, str] | Outcome:
        """(IsuNo as sent, short code), or the refusal."""
        sent = ctx.text("IsuNo")
        prefix, code = codes.split_isu_no(sent)
        if not code:
            return O.UNKNOWN_SYMBOL
        if (ctx.domain is Domain.MOCK and self.front.options.mock_requires_prefix
                and not prefix):
            return O.SYMBOL_FORMAT
        inst = self.front.instrument(code)
        if inst is not None and prefix and inst.kind not in _PREFIX_KINDS[prefix]:
            return O.UNKNOWN_SYMBOL
        return sent, code

    def _outcome(self, result: PlaceResult) -> Outcome:
        if result.refusal is not None:
            return _REFUSALS[result.refusal]
        return reject_outcome(result.reject_reason)

    def _kind(self, ctx: Ctx):
        ptn = ctx.text("OrdprcPtnCode")
        cndi = ctx.text("OrdCndiTpCode") or "0"
        if ptn not in codes.ORDPRC_PTN_CODE or cndi not in codes.ORD_CNDI_TP_CODE:
            return O.ORDER_TYPE_NOT_ALLOWED
        type_, tif = codes.order_kind(ptn, cndi)
        if tif is not TimeInForce.DAY and type_ not in IMMEDIATE_TYPES:
            return O.ORDER_TYPE_NOT_ALLOWED
        return type_, tif

    def _common(self, ctx: Ctx, code: str, inst: Any) -> dict[str, Any]:
        """The OutBlock2 fields an accepted order, amend or cancel all carry."""
        key = ctx.key
        return {
            "OrdTime": hhmmssmmm(self.front.clock.now()),
            "OrdMktCode": market_code(inst),
            "ShtnIsuNo": isu_prefix(inst) + code,
            "MgempNo": "",
            "AcntNm": key.holder,
            "IsuNm": inst.name if inst is not None else "",
        }

    # ------------------------------------------------------------ CSPAT00601

    def new(self, ctx: Ctx) -> Reply:
        key = ctx.key
        out1 = {
            "RecCnt": 1, "AcntNo": key.account[:2] + "*" * (len(key.account) - 2),
            "InptPwd": "********", "IsuNo": ctx.text("IsuNo"),
            "OrdQty": ctx.integer("OrdQty") or 0, "OrdPrc": price_text(ctx.number("OrdPrc") or 0),
            "BnsTpCode": ctx.text("BnsTpCode"), "OrdprcPtnCode": ctx.text("OrdprcPtnCode"),
            "PrgmOrdprcPtnCode": "00", "StslAbleYn": "0", "StslOrdprcTpCode": "0",
            "CommdaCode": "40", "MgntrnCode": ctx.text("MgntrnCode") or codes.MGNTRN_NORMAL,
            "LoanDt": ctx.text("LoanDt"), "MbrNo": ctx.text("MbrNo"),
            "OrdCndiTpCode": ctx.text("OrdCndiTpCode") or "0", "StrtgCode": "", "GrpId": "",
            "OrdSeqNo": 0, "PtflNo": 0, "BskNo": 0, "TrchNo": 0, "ItemNo": 0, "OpDrtnNo": "0",
            "LpYn": "0", "CvrgTpCode": "0",
        }
        out2: dict[str, Any] = {
            "RecCnt": 1, "OrdNo": 0, "OrdTime": "", "OrdMktCode": "", "OrdPtnCode": "",
            "ShtnIsuNo": "", "MgempNo": "", "OrdAmt": 0, "SpareOrdNo": 0, "CvrgSeqno": 0,
            "RsvOrdNo": 0, "SpotOrdQty": 0, "RuseOrdQty": 0, "MnyOrdAmt": 0, "SubstOrdAmt": 0,
            "RuseOrdAmt": 0, "AcntNm": "", "IsuNm": "",
        }

        def fail(outcome: Outcome) -> Reply:
            return self._answer(ctx, outcome, out1, out2)

        symbol = self._symbol(ctx)
        if isinstance(symbol, Outcome):
            return fail(symbol)
        _, code = symbol
        side = codes.BNS_TP_CODE.get(ctx.text("BnsTpCode"))
        if side is None:
            return fail(O.BAD_CODE)
        mgntrn = ctx.text("MgntrnCode") or codes.MGNTRN_NORMAL
        if mgntrn not in codes.MGNTRN_CODES:
            return fail(O.BAD_CODE)
        if mgntrn != codes.MGNTRN_NORMAL:
            return fail(O.CREDIT_NOT_ALLOWED)
        kind = self._kind(ctx)
        if isinstance(kind, Outcome):
            return fail(kind)
        type_, tif = kind
        qty = ctx.integer("OrdQty", None)
        if qty is None or qty <= 0:
            return fail(O.BAD_QUANTITY)
        price = ctx.number("OrdPrc")
        if price is None:
            return fail(O.PRICE_REQUIRED)
        if type_.needs_price:
            if price <= 0:
                return fail(O.PRICE_REQUIRED)
            if price != price.to_integral_value():
                return fail(O.BAD_TICK)
        venue = codes.venue_of_mbr_no(ctx.text("MbrNo"))
        result = self.front.back_office.place(
            ctx.owner, code, side, qty, int(price) if type_.needs_price else None,
            type=type_, tif=tif, venue=venue)
        if result.record is None or (result.reject_reason is not None and not self._sc4()):
            if result.record is not None:
                self.front.hidden.add((ctx.owner, result.record.no))
            return fail(self._outcome(result))
        rec = result.record
        inst = self.front.instrument(code)
        amount = qty * (rec.price or 0)
        out2.update(self._common(ctx, code, inst))
        out2.update({"OrdNo": rec.no, "OrdPtnCode": codes.ORD_PTN_CODE[side], "OrdAmt": amount,
                     "SpareOrdNo": rec.no, "MnyOrdAmt": amount})
        return self._answer(ctx, O.BUY_OK if side is Side.BUY else O.SELL_OK, out1, out2)

    def _sc4(self) -> bool:
        return self.front.options.exchange_rejects == REJECT_AS_SC4

    # ------------------------------------------------------------ CSPAT00701

    def amend(self, ctx: Ctx) -> Reply:
        key = ctx.key
        out1 = {
            "RecCnt": 1, "OrgOrdNo": ctx.integer("OrgOrdNo") or 0, "AcntNo": key.account,
            "InptPwd": "********", "IsuNo": ctx.text("IsuNo"), "OrdQty": ctx.integer("OrdQty") or 0,
            "OrdprcPtnCode": ctx.text("OrdprcPtnCode"),
            "OrdCndiTpCode": ctx.text("OrdCndiTpCode") or "0",
            "OrdPrc": price_text(ctx.number("OrdPrc") or 0), "CommdaCode": "40", "StrtgCode": "",
            "GrpId": "", "OrdSeqNo": 0, "PtflNo": 0, "BskNo": 0, "TrchNo": 0, "ItemNo": 0,
        }
        out2: dict[str, Any] = {
            "RecCnt": 1, "OrdNo": 0, "PrntOrdNo": 0, "OrdTime": "", "OrdMktCode": "",
            "OrdPtnCode": "", "ShtnIsuNo": "", "PrgmOrdprcPtnCode": "", "StslOrdprcTpCode": "",
            "StslAbleYn": "", "MgntrnCode": "", "LoanDt": "", "CvrgOrdTp": "", "LpYn": "",
            "MgempNo": "", "OrdAmt": 0, "BnsTpCode": "", "SpareOrdNo": 0, "CvrgSeqno": 0,
            "RsvOrdNo": 0, "MnyOrdAmt": 0, "SubstOrdAmt": 0, "RuseOrdAmt": 0, "AcntNm": "",
            "IsuNm": "",
        }

        def fail(outcome: Outcome) -> Reply:
            return self._answer(ctx, outcome, out1, out2)

        found = self._original(ctx)
        if isinstance(found, Outcome):
            return fail(found)
        orig_no, orig = found
        kind = self._kind(ctx)
        if isinstance(kind, Outcome):
            return fail(kind)
        type_, tif = kind
        qty = ctx.integer("OrdQty", None)
        if qty is None or qty <= 0:
            return fail(O.BAD_QUANTITY)
        price = ctx.number("OrdPrc")
        if price is None or (type_.needs_price and price <= 0):
            return fail(O.PRICE_REQUIRED)
        if type_.needs_price and price != price.to_integral_value():
            return fail(O.BAD_TICK)
        result = self.front.back_office.amend(
            ctx.owner, orig_no, price=int(price) if type_.needs_price else None, qty=qty,
            type=type_, tif=tif)
        if not result.ok:
            return fail(self._outcome(result))
        rec = result.record
        inst = self.front.instrument(rec.code)
        amount = rec.qty * (rec.price or 0)
        out2.update(self._common(ctx, rec.code, inst))
        out2.update({
            "OrdNo": rec.no, "PrntOrdNo": orig_no, "OrdPtnCode": codes.ORD_PTN_CODE[rec.side],
            "PrgmOrdprcPtnCode": "00", "StslOrdprcTpCode": "0", "StslAbleYn": "0",
            "MgntrnCode": codes.MGNTRN_NORMAL, "LoanDt": "00000000", "CvrgOrdTp": "0",
            "LpYn": "0", "OrdAmt": amount, "BnsTpCode": codes.BNS_OF[rec.side],
            "MnyOrdAmt": amount,
        })
        return self._answer(ctx, O.AMEND_OK, out1, out2)

    def _original(self, ctx: Ctx):
        """(OrgOrdNo, its record) after the symbol checks, or the refusal."""
        symbol = self._symbol(ctx)
        if isinstance(symbol, Outcome):
            return symbol
        _, code = symbol
        orig_no = ctx.integer("OrgOrdNo", None)
        if orig_no is None or orig_no <= 0:
            return O.ORDER_NOT_FOUND
        orig = self.front.back_office.order(ctx.owner, orig_no)
        if orig is None or orig.code != code or not self.front.visible(ctx.owner, orig_no):
            return O.ORDER_NOT_FOUND
        return orig_no, orig

    # ------------------------------------------------------------ CSPAT00801

    def cancel(self, ctx: Ctx) -> Reply:
        key = ctx.key
        out1 = {
            "RecCnt": 1, "OrgOrdNo": ctx.integer("OrgOrdNo") or 0, "AcntNo": key.account,
            "InptPwd": "********", "IsuNo": ctx.text("IsuNo"), "OrdQty": ctx.integer("OrdQty") or 0,
            "CommdaCode": "40", "GrpId": "", "StrtgCode": "", "OrdSeqNo": 0, "PtflNo": 0,
            "BskNo": 0, "TrchNo": 0, "ItemNo": 0,
        }
        out2: dict[str, Any] = {
            "RecCnt": 1, "OrdNo": 0, "PrntOrdNo": 0, "OrdTime": "", "OrdMktCode": "",
            "OrdPtnCode": "", "ShtnIsuNo": "", "PrgmOrdprcPtnCode": "", "StslOrdprcTpCode": "",
            "StslAbleYn": "", "MgntrnCode": "", "LoanDt": "", "CvrgOrdTp": "", "LpYn": "",
            "MgempNo": "", "BnsTpCode": "", "SpareOrdNo": 0, "CvrgSeqno": 0, "RsvOrdNo": 0,
            "AcntNm": "", "IsuNm": "",
        }

        def fail(outcome: Outcome) -> Reply:
            return self._answer(ctx, outcome, out1, out2)

        found = self._original(ctx)
        if isinstance(found, Outcome):
            return fail(found)
        orig_no, orig = found
        qty = ctx.integer("OrdQty", None)
        if qty is None or qty <= 0:
            return fail(O.BAD_QUANTITY)
        result = self.front.back_office.cancel(ctx.owner, orig_no, qty=qty)
        if not result.ok:
            return fail(self._outcome(result))
        rec = result.record
        inst = self.front.instrument(rec.code)
        out2.update(self._common(ctx, rec.code, inst))
        out2.update({
            "OrdNo": rec.no, "PrntOrdNo": orig_no, "OrdPtnCode": codes.ORD_PTN_CODE[rec.side],
            "PrgmOrdprcPtnCode": "00", "StslOrdprcTpCode": "0", "StslAbleYn": "0",
            "MgntrnCode": codes.MGNTRN_NORMAL, "LoanDt": "00000000", "CvrgOrdTp": "0",
            "LpYn": "0", "BnsTpCode": codes.BNS_OF[rec.side],
        })
        return self._answer(ctx, O.CANCEL_OK, out1, out2)
