"""LS wire fields ↔ domain objects (ls.md §4, §5.3): codes, order kinds, inquiry rows, quotes,
the stock master and trade ticks.

LS mixes JSON numbers and strings (an echoed ``OrdPrc`` comes back as ``"35000.00"``) and sends
every websocket value as a string; everything leaving this module is a domain type with ``int``
money and quantities.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from ...clock import KST
from ...domain import costs
from ...domain.model import (
    AccountRef, Balance, Instrument, InstrumentKind, Market, OrderType, Position, Quote, Side,
    TimeInForce, Venue,
)
from ..base import BrokerError, NotSupported, OrderReport, Tick
from . import codes
from .environment import LsEnvironment
from .errors import BROKER

_KIND_PREFIX = {InstrumentKind.ELW: codes.ISU_PREFIX_ELW, InstrumentKind.ETN: codes.ISU_PREFIX_ETN}
_MASTER_MARKET = {v: k for k, v in codes.MASTER_GUBUN.items()}
_ETF_KIND = {codes.ETF_GUBUN["etf"]: InstrumentKind.ETF, codes.ETF_GUBUN["etn"]: InstrumentKind.ETN}
#: t0425 ``ordgb`` text → OrdCndiTpCode.
_CNDI_OF_NAME = {name: code for code, name in codes.ORD_CNDI_NAME.items()}
_DOWN_SIGNS = frozenset({codes.SIGN_LOWER, codes.SIGN_DOWN})


def num(value: object) -> int:
    """An LS number as an int: blanks are 0; decimals ("35000.00", averages) are truncated."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value if value is not None else "").strip().replace(",", "")
    if not text:
        return 0
    try:
        return int(text)
    except ValueError:
        pass
    # Decimal, not float: a 16-digit amount with decimals must not lose its last won.
    try:
        return int(Decimal(text).to_integral_value(rounding=ROUND_DOWN))
    except (InvalidOperation, ValueError):
        return 0


def text(value: object) -> str:
    return str(value if value is not None else "").strip()


def order_no(value: object) -> str:
    """Order numbers in one form everywhere: LS sends them as numbers in REST and as (possibly
    zero-padded) strings in pushes; 0 means "none" (``orgordno`` of a new order)."""
    raw = text(value)
    if raw.isdigit():
        raw = raw.lstrip("0")
    return raw


def short_code(value: object) -> str:
    """``A005930`` / ``005930`` → ``005930``."""
    return codes.split_isu_no(text(value))[1]


def isu_no(code: str, kind: InstrumentKind | None, env: LsEnvironment) -> str:
    """What goes into ``IsuNo``: ELW ``J``/ETN ``Q`` always; ``A`` for stocks where required."""
    prefix = _KIND_PREFIX.get(kind) if kind else None
    if prefix:
        return codes.isu_no(code, prefix)
    return codes.isu_no(code) if env.prefix_codes else code


def side_of(bnstp: object) -> Side:
    return codes.BNS_TP_CODE.get(text(bnstp), Side.BUY)


def side_of_text(label: object) -> Side:
    """t0425 ``medosu`` is Korean text: "매도" (possibly "매도정정", ...) or "매수"."""
    return Side.SELL if codes.MEDOSU_TEXT[Side.SELL] in text(label) else Side.BUY


def order_codes(type: OrderType, tif: TimeInForce, env: LsEnvironment) -> tuple[str, str]:
    """(OrdprcPtnCode, OrdCndiTpCode) of an order, or NotSupported before anything is sent."""
    if not env.supports(type, tif):
        where = "LS mock (모의투자)" if env.name == "mock" else "LS"
        raise NotSupported(f"{type.korean} {tif.value.upper()} is not offered by {where}",
                           broker=BROKER)
    return codes.order_codes(type, tif)


def kind_of(ptn: object, cndi: object = "0") -> tuple[OrderType, TimeInForce]:
    try:
        return codes.order_kind(text(ptn) or "00", text(cndi) or "0")
    except KeyError:
        return OrderType.LIMIT, TimeInForce.DAY


def mbr_no(venue: Venue, env: LsEnvironment) -> str:
    if venue not in env.venues:
        raise NotSupported(f"venue {venue.value} is not offered by LS {env.name}", broker=BROKER)
    return venue.value


def venue_of(value: object) -> Venue:
    return codes.venue_of_mbr_no(text(value))


def clock_time(value: object, day: date) -> datetime:
    """``HHMMSS`` or ``HHMMSSmmm`` (LS order and execution times) on ``day``, in KST."""
    raw = text(value)
    try:
        if len(raw) < 6 or not raw[:6].isdigit():
            raise ValueError(raw)
        micro = int(raw[6:9].ljust(3, "0")) * 1000 if raw[6:9].isdigit() else 0
        t = time(int(raw[0:2]), int(raw[2:4]), int(raw[4:6]), micro)
    except ValueError:
        t = time()
    return datetime.combine(day, t, KST)


# ---------------------------------------------------------------- orders


def placed_fields(block: dict) -> tuple[str, str]:
    """(OrdNo, OrdTime) of a CSPAT00601/701/801 ``OutBlock2``."""
    return order_no(block.get("OrdNo")), text(block.get("OrdTime"))


# ---------------------------------------------------------------- inquiries


def order_report(row: dict, account: AccountRef, today: date) -> OrderReport:
    """One ``t0425OutBlock1`` row.

    An amend (정정) or cancel (취소) has an order number of its own whose ``orgordno`` is the
    order it changed. What an amend moved to its new number is gone from the original but was
    not "cancelled" there as a fill would count it: ``ordrem`` (the open rest) says how much
    that was, so ``cancelled = qty - filled - open``.
    """
    number, orig = order_no(row.get("ordno")), order_no(row.get("orgordno"))
    status, medosu = text(row.get("status")), text(row.get("medosu"))
    correction = bool(orig) and orig != number
    # A cancel record says 취소확인; an amend that was cancelled later says 취소 and stays an
    # amend. Some clients show the action in medosu ("매수취소") instead.
    is_cancel = correction and (status == codes.T0425_STATUS["cancel_confirmed"]
                                or "취소" in medosu)
    is_amend = correction and not is_cancel
    qty, filled = num(row.get("qty")), num(row.get("cheqty"))
    rejected = cancelled = 0
    if codes.T0425_STATUS["rejected"] in status:
        rejected = max(qty - filled, 0)
    elif not is_cancel:
        cancelled = max(qty - filled - num(row.get("ordrem")), 0)
    else:
        # A cancel record: what it cancelled, confirmed.
        cancelled = num(row.get("cfmqty")) or qty
    type, tif = kind_of(row.get("hogagb"), _CNDI_OF_NAME.get(text(row.get("ordgb")), "0"))
    price = num(row.get("price"))
    return OrderReport(
        account=account, order_no=number, code=short_code(row.get("expcode")),
        side=side_of_text(medosu), qty=qty, price=price or None, type=type, tif=tif,
        filled_qty=filled, filled_amount=filled * num(row.get("cheprice")),
        cancelled_qty=cancelled, rejected_qty=rejected,
        orig_order_no=orig if correction else "", venue=venue_of(row.get("exchname")),
        time=clock_time(row.get("ordtime"), today), is_amend=is_amend, is_cancel=is_cancel)


def day_order_report(row: dict, account: AccountRef, day: date) -> OrderReport:
    """One ``CSPAQ13700OutBlock3`` row (orders of any day, ls.md §4.6); ``day`` is the
    ``OrdDt`` asked for, used when the row lacks its own.

    Amends and cancels are records of their own, as in t0425: ``OrgOrdNo`` names the order they
    changed and ``MrcTpCode`` says which (``1`` 정정, ``2`` 취소). On an original or an amend,
    ``cancelled = qty - filled - open`` (``RmnOrdQty``); a cancel record cancelled its own
    ``OrdQty``. ``ExecPrc`` is the average fill price.
    """
    number, orig = order_no(row.get("OrdNo")), order_no(row.get("OrgOrdNo"))
    correction = bool(orig) and orig != number
    mrc = text(row.get("MrcTpCode"))
    is_cancel = correction and (mrc == codes.MRC_TP_CANCEL or (
        mrc != codes.MRC_TP_AMEND and "취소" in text(row.get("MrcTpNm"))))
    qty, filled = num(row.get("OrdQty")), num(row.get("ExecQty"))
    if is_cancel:
        cancelled = qty
    else:
        cancelled = max(qty - filled - num(row.get("RmnOrdQty")), 0)
    type, tif = kind_of(row.get("OrdprcPtnCode"), row.get("OrdCndiTpCode"))
    when = day_of(row.get("OrdDt")) or day
    return OrderReport(
        account=account, order_no=number, code=short_code(row.get("IsuNo")),
        side=side_of(row.get("BnsTpCode")), qty=qty, price=num(row.get("OrdPrc")) or None,
        type=type, tif=tif, filled_qty=filled, filled_amount=amount(filled, row.get("ExecPrc")),
        cancelled_qty=cancelled, orig_order_no=orig if correction else "",
        venue=venue_of(row.get("MbrNo")), time=clock_time(row.get("OrdTime"), when),
        is_amend=correction and not is_cancel, is_cancel=is_cancel, name=text(row.get("IsuNm")))


def day_of(value: object) -> date | None:
    """``YYYYMMDD`` (``OrdDt``) as a date; None when blank or not a date."""
    try:
        return datetime.strptime(text(value), "%Y%m%d").date()
    except ValueError:
        return None


def amount(qty: int, price: object) -> int:
    """``qty`` shares at an LS price that may carry decimals (an average ``"35012.50"``), to
    the nearest won."""
    try:
        exact = Decimal(text(price).replace(",", "") or "0") * qty
    except InvalidOperation:
        return 0
    return int(exact.to_integral_value(rounding=ROUND_HALF_UP))


def position(row: dict, account: AccountRef) -> Position:
    """One ``t0424OutBlock1`` row."""
    return Position(account=account, code=short_code(row.get("expcode")),
                    qty=num(row.get("janqty")), cost=num(row.get("mamt")),
                    sellable=num(row.get("mdposqt")), last=num(row.get("price")))


def balance(totals: dict, cash: dict, account: AccountRef) -> Balance:
    """``t0424OutBlock`` (valuation) with ``CSPAQ12200OutBlock2`` (deposits and 주문가능금액)."""
    deposit = num(cash.get("Dps"))
    return Balance(
        account=account, cash=deposit, cash_d2=num(cash.get("D2Dps")),
        # Clients read MnyOrdAbleAmt as buying power and fall back to Dps (ls.md §4.9).
        buying_power=num(cash.get("MnyOrdAbleAmt")) or deposit,
        stock_value=num(totals.get("tappamt")) or num(cash.get("BalEvalAmt")),
        total_value=num(totals.get("sunamt")) or num(cash.get("DpsastSum")),
        purchase_amount=num(totals.get("mamt")), pnl=num(totals.get("tdtsunik")))


def affordable(cash: int, price: int, commission_rate: Decimal) -> int:
    """Shares whose cost plus commission stays within ``cash``."""
    if price <= 0 or cash <= 0:
        return 0
    qty = cash // price
    while qty > 0 and qty * price + costs.commission(qty * price, commission_rate) > cash:
        qty -= 1
    return qty


def signed_change(sign: object, change: object) -> int:
    """LS sends ``change`` unsigned; ``sign`` 4 (lower limit) and 5 (down) make it negative."""
    value = abs(num(change))
    return -value if text(sign) in _DOWN_SIGNS else value


def quote(block: dict, code: str, now: datetime) -> Quote:
    """``t1102OutBlock``. ``value`` is in millions of won."""
    if not block:
        raise BrokerError(f"t1102 gave no quote for {code}", broker=BROKER)
    return Quote(code=short_code(block.get("shcode")) or code, last=num(block.get("price")),
                 base=num(block.get("recprice")), open=num(block.get("open")),
                 high=num(block.get("high")), low=num(block.get("low")),
                 volume=num(block.get("volume")), turnover=num(block.get("value")) * 1_000_000,
                 upper_limit=num(block.get("uplmtprice")),
                 lower_limit=num(block.get("dnlmtprice")), time=now)


def master_market(gubun: object) -> Market | None:
    return _MASTER_MARKET.get(text(gubun))


def instrument(row: dict, *, nxt: bool = False, name_en: str = "") -> Instrument:
    """One ``t8436OutBlock`` row. The master has no English name and no NXT flag; the caller
    adds what it knows from elsewhere."""
    return Instrument(
        code=text(row.get("shcode")), isin=text(row.get("expcode")), name=text(row.get("hname")),
        name_en=name_en, market=master_market(row.get("gubun")) or Market.KOSPI,
        kind=_ETF_KIND.get(text(row.get("etfgubun")), InstrumentKind.STOCK), nxt=nxt,
        base_price=num(row.get("recprice")), lot=max(num(row.get("memedan")), 1),
        spac=text(row.get("spac_gubun")).upper() == "Y")


def tick(body: dict, day: date) -> Tick:
    """One ``S3_``/``K3_`` body. ``cgubun`` "+" is a buy-initiated trade, "-" sell-initiated."""
    aggressor = {"+": Side.BUY, "-": Side.SELL}.get(text(body.get("cgubun")))
    return Tick(code=short_code(body.get("shcode")), price=num(body.get("price")),
                qty=num(body.get("cvolume")), time=clock_time(body.get("chetime"), day),
                cum_volume=num(body.get("volume")),
                change=signed_change(body.get("sign"), body.get("change")), side=aggressor,
                bid=num(body.get("bidho")) or None, ask=num(body.get("offerho")) or None)
