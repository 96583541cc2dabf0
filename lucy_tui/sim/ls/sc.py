"""SC0–SC4 order-event bodies (ls.md §5.2): every field of the layout, in order, as a string.

How back-office notices become LS events:

=================  =====================================================================
notice             frames
=================  =====================================================================
ACCEPTED (new)     SC0 ``ordchegb`` 01, ``trcode`` SONAT000, ``msgcode`` 0040
FILLED             SC1 ``ordxctptncode`` 11, one ``execno`` per fill, ``unercqty`` remaining
AMENDED            SC0 ``ordchegb`` 02 (SONAT001), then SC2 ``ordxctptncode`` 12: the new
                   ``ordno``, ``orgordno`` the amended order, ``mdfycnfqty`` / ``mdfycnfprc``
CANCELLED          SC0 ``ordchegb`` 03 (SONAT002), then SC3 ``ordxctptncode`` 13: the cancel
                   order's ``ordno``, ``canccnfqty``, ``unercqty`` what stays open
EXPIRED            SC3 with ``ordno`` = ``orgordno`` = the order the exchange cancelled
                   (an IOC/FOK remainder or the session's end)
REJECTED           SC0 then SC4 ``ordxctptncode`` 14, ``rjtqty`` (only when the front answers
                   exchange refusals with SC4, see LsOptions.exchange_rejects)
=================  =====================================================================

SC2/SC3/SC4 share the SC1 layout. The balance fields LS marks "실서버 데이터 미제공" are zero for
real keys and filled for mock keys (LsOptions.real_balance_fields fills them for real too).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ...brokers.ls import codes
from ...domain.model import Side
from ..accounts import Account, NoticeKind, OrderNotice, OrderRecord
from .auth import LsKey
from .formats import hhmmssmmm, isu_prefix, market_code

#: The balance fields LS leaves at zero on the real server.
REAL_ZERO = frozenset({"secbalqty", "spotordableqty", "ordableruseqty", "secbalqtyd2",
                       "sellableqty", "unercsellordqty", "avrpchsprc", "pchsamt", "pchsant"})


@dataclass
class EventContext:
    key: LsKey
    inst: Any
    account: Account | None
    lineseq: int
    fill_balances: bool


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def _header(ctx: EventContext, trcode: str, msgcode: str, when: datetime) -> dict[str, str]:
    values = dict.fromkeys(codes.SC_HEADER_FIELDS, "")
    values.update({
        "lineseq": str(ctx.lineseq), "accno": ctx.key.account, "user": ctx.key.user_id,
        "len": "0", "gubun": "B", "compress": "0", "encrypt": "0", "offset": "212",
        "trcode": trcode, "comid": "063", "userid": ctx.key.user_id, "media": "OA",
        "ifid": "000", "lang": "K", "proctm": hhmmssmmm(when), "msgcode": msgcode,
        "compreq": "0", "reqcnt": "0", "cont": "N", "varlen": "0", "varhdlen": "0",
        "varmsglen": "0",
    })
    return values


def _balances(ctx: EventContext, code: str) -> dict[str, str]:
    acct = ctx.account
    holding = acct.holdings.get(code) if acct is not None else None
    qty = holding.qty if holding else 0
    values = {
        "secbalqty": qty, "spotordableqty": holding.sellable if holding else 0,
        "ordableruseqty": 0, "flctqty": 0, "secbalqtyd2": qty,
        "sellableqty": holding.sellable if holding else 0,
        "unercsellordqty": holding.reserved if holding else 0,
        "avrpchsprc": holding.avg_price if holding else 0,
        "pchsamt": holding.cost if holding else 0, "pchsant": holding.cost if holding else 0,
        "deposit": acct.cash if acct else 0, "substamt": 0,
        "csgnmnymgn": acct.reserved_cash if acct else 0, "csgnsubstmgn": 0,
        "crdtpldgruseamt": 0, "ordablemny": acct.buying_power if acct else 0,
        "ordablesubstamt": 0, "ruseableamt": 0,
    }
    if not ctx.fill_balances:
        values.update(dict.fromkeys(REAL_ZERO, 0))
    return {k: _s(v) for k, v in values.items()}


def _ordered(layout: tuple[str, ...], values: dict[str, str]) -> dict[str, str]:
    missing = [name for name in layout if name not in values]
    assert not missing, f"unset SC fields {missing}"
    return {name: values[name] for name in layout}


def sc0(ctx: EventContext, rec: OrderRecord, when: datetime, ordchegb: str) -> dict[str, str]:
    trcode = {codes.ORDCHEGB_NEW: codes.TRCODE_NEW, codes.ORDCHEGB_AMEND: codes.TRCODE_AMEND,
              codes.ORDCHEGB_CANCEL: codes.TRCODE_CANCEL}[ordchegb]
    inst = ctx.inst
    price = rec.price or 0
    values = _header(ctx, trcode, codes.SC0_MSGCODE, when)
    values.update(dict.fromkeys(codes.SC0_FIELDS[len(codes.SC_HEADER_FIELDS):], ""))
    values.update({
        "ordchegb": ordchegb, "marketgb": market_code(inst),
        "ordgb": codes.ORD_PTN_CODE[rec.side], "orgordno": _s(rec.orig_no),
        "accno1": ctx.key.account, "accno2": "", "passwd": "********",
        "expcode": getattr(inst, "isin", rec.code), "shtcode": isu_prefix(inst) + rec.code,
        "hname": rec.name, "ordqty": _s(rec.qty), "ordprice": _s(price),
        "hogagb": codes.ORD_CNDI_OF[rec.tif], "etfhogagb": codes.ORDPRC_PTN_OF.get(rec.type, "00"),
        "pgmtype": "00", "gmhogagb": "0", "gmhogayn": "0", "singb": codes.MGNTRN_NORMAL,
        "cvrgordtp": "0", "ordseqno": "0", "prtno": "0", "basketno": "0", "trchno": "0",
        "itemno": "0", "brwmgmyn": "0", "mbrno": rec.venue.value, "tongsingb": "40",
        "lpgb": "0", "ordno": _s(rec.no), "ordtm": hhmmssmmm(rec.time),
        "prntordno": _s(rec.orig_no or rec.no), "orgordundrqty": "0", "orgordmdfyqty": "0",
        "ordordcancelqty": "0", "ordamt": _s(rec.qty * price), "bnstp": codes.BNS_OF[rec.side],
        "spareordno": "0", "cvrgseqno": "0", "rsvordno": "0", "mtordseqno": "0",
        "spareordqty": "0", "orduserid": ctx.key.user_id,
        "spotordqty": _s(rec.qty if rec.side is Side.SELL else 0), "ordruseqty": "0",
        "mnyordamt": _s(rec.qty * price if rec.side is Side.BUY else 0), "ordsubstamt": "0",
        "ruseordamt": "0", "ordcmsnamt": "0", "crdtuseamt": "0",
    })
    if rec.action == "amend":
        values["orgordmdfyqty"] = _s(rec.qty)
    elif rec.action == "cancel":
        values["ordordcancelqty"] = _s(rec.qty)
    values.update(_balances(ctx, rec.code))
    return _ordered(codes.SC0_FIELDS, values)


def sc1(ctx: EventContext, rec: OrderRecord, when: datetime, xct: str, *, ordno: int,
        orgordno: int, execno: str = "0", execqty: int = 0, execprc: int = 0,
        mdfycnfqty: int = 0, mdfycnfprc: int = 0, canccnfqty: int = 0, rjtqty: int = 0,
        unercqty: int = 0, orig: OrderRecord | None = None, commission: int = 0,
        msgcode: str = codes.SC_EXEC_MSGCODE) -> dict[str, str]:
    """An SC1-layout body (SC1 fill, SC2 amend, SC3 cancel, SC4 reject)."""
    inst = ctx.inst
    price = rec.price or 0
    isin = getattr(inst, "isin", rec.code)
    market = market_code(inst)
    values = _header(ctx, codes.TRCODE_EXEC, msgcode, when)
    values.update(dict.fromkeys(codes.SC1_FIELDS[len(codes.SC_HEADER_FIELDS):], ""))
    values.update({
        "ordxctptncode": xct, "ordmktcode": market, "ordptncode": codes.ORD_PTN_CODE[rec.side],
        "mgmtbrnno": "", "accno1": ctx.key.account, "accno2": "", "acntnm": ctx.key.holder,
        "Isuno": isin, "Isunm": rec.name, "ordno": _s(ordno), "orgordno": _s(orgordno),
        "execno": execno, "ordqty": _s(rec.qty), "ordprc": _s(price), "execqty": _s(execqty),
        "execprc": _s(execprc), "mdfycnfqty": _s(mdfycnfqty), "mdfycnfprc": _s(mdfycnfprc),
        "canccnfqty": _s(canccnfqty), "rjtqty": _s(rjtqty), "ordtrxptncode": "0",
        "mtiordseqno": "0", "ordcndi": codes.ORD_CNDI_OF[rec.tif],
        "ordprcptncode": codes.ORDPRC_PTN_OF.get(rec.type, "00"), "nsavtrdqty": "0",
        "shtnIsuno": isu_prefix(inst) + rec.code, "opdrtnno": "", "cvrgordtp": "0",
        "unercqty": _s(unercqty),
        "orgordunercqty": _s(orig.leaves_qty if orig is not None else 0),
        "orgordmdfyqty": _s(orig.replaced_qty if orig is not None else 0),
        "orgordcancqty": _s(orig.cancelled_qty if orig is not None else 0),
        "ordavrexecprc": _s(rec.avg_price), "ordamt": _s(rec.qty * price), "stdIsuno": isin,
        "bfstdIsuno": "", "bnstp": codes.BNS_OF[rec.side], "ordtrdptncode": "00",
        "mgntrncode": codes.MGNTRN_NORMAL, "adduptp": "", "commdacode": "40", "Loandt": "",
        "mbrnmbrno": rec.venue.value, "ordacntno": ctx.key.account, "agrgbrnno": "",
        "mgempno": "", "futsLnkbrnno": "", "futsLnkacntno": "", "futsmkttp": "",
        "regmktcode": market, "mnymgnrat": "100", "substmgnrat": "0",
        "mnyexecamt": _s(execqty * execprc), "ubstexecamt": "0",
        "cmsnamtexecamt": _s(commission), "crdtpldgexecamt": "0", "crdtexecamt": "0",
        "prdayruseexecval": "0", "crdayruseexecval": "0", "spotexecqty": _s(execqty),
        "stslexecqty": "0", "strtgcode": "", "grpId": "", "ordseqno": "0", "ptflno": "0",
        "bskno": "0", "trchno": "0", "itemno": "0", "orduserId": ctx.key.user_id,
        "brwmgmtYn": "0", "frgrunqno": "", "trtzxLevytp": "", "lptp": "0",
        "exectime": hhmmssmmm(when), "rcptexectime": hhmmssmmm(when), "rmndLoanamt": "0",
    })
    values.update(_balances(ctx, rec.code))
    return _ordered(codes.SC1_FIELDS, values)


def events_of(notice: OrderNotice, ctx: EventContext, *, orig: OrderRecord | None,
              execno: str = "0", reject_code: str = "") -> list[tuple[str, dict[str, str]]]:
    """The (tr_cd, body) frames one back-office notice produces, in the order LS sends them."""
    rec = notice.order
    when = notice.time
    kind = notice.kind
    if kind is NoticeKind.ACCEPTED:
        return [(codes.SC0, sc0(ctx, rec, when, codes.ORDCHEGB_NEW))]
    if kind is NoticeKind.FILLED:
        fill = rec.fills[-1] if rec.fills else None
        return [(codes.SC1, sc1(
            ctx, rec, when, codes.XCT_FILL, ordno=rec.no, orgordno=rec.orig_no, execno=execno,
            execqty=notice.qty, execprc=notice.price, unercqty=rec.leaves_qty, orig=orig,
            commission=fill.commission if fill is not None else 0))]
    if kind is NoticeKind.AMENDED:
        return [(codes.SC0, sc0(ctx, rec, when, codes.ORDCHEGB_AMEND)),
                (codes.SC2, sc1(ctx, rec, when, codes.XCT_AMEND_CONFIRMED, ordno=rec.no,
                                orgordno=rec.orig_no, mdfycnfqty=notice.qty,
                                mdfycnfprc=rec.price or 0, unercqty=rec.leaves_qty, orig=orig))]
    if kind is NoticeKind.CANCELLED:
        return [(codes.SC0, sc0(ctx, rec, when, codes.ORDCHEGB_CANCEL)),
                (codes.SC3, sc1(ctx, rec, when, codes.XCT_CANCEL_CONFIRMED, ordno=rec.no,
                                orgordno=rec.orig_no, canccnfqty=notice.qty,
                                unercqty=orig.leaves_qty if orig is not None else 0, orig=orig))]
    if kind is NoticeKind.EXPIRED:
        return [(codes.SC3, sc1(ctx, rec, when, codes.XCT_CANCEL_CONFIRMED, ordno=rec.no,
                                orgordno=rec.no, canccnfqty=notice.qty,
                                unercqty=rec.leaves_qty, orig=rec))]
    if kind is NoticeKind.REJECTED:
        return [(codes.SC0, sc0(ctx, rec, when, codes.ORDCHEGB_NEW)),
                (codes.SC4, sc1(ctx, rec, when, codes.XCT_REJECTED, ordno=rec.no,
                                orgordno=rec.orig_no, rjtqty=notice.qty, unercqty=0, orig=orig,
                                msgcode=reject_code or codes.SC_EXEC_MSGCODE))]
    return []
