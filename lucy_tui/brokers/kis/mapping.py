"""KIS wire fields ↔ domain objects (kis.md §4): order codes, venues, inquiry rows, quotes.

Wire values are strings (numbers zero-padded, blanks possible); everything leaving this module is
a domain type with ``int`` money and quantities.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from ...clock import KST
from ...domain.model import (
    AccountRef, Balance, Instrument, InstrumentKind, Market, OrderType, Position, Quote, Side,
    TimeInForce, Venue,
)
from .codes import AFTER_MARKET_ORD_DVSN, DVSN_OF, ORD_DVSN
from ..base import BuyingPower, NotSupported, OrderReport
from .environment import KisEnvironment

SELL_CODE, BUY_CODE = "01", "02"
#: RVSE_CNCL_DVSN_CD of order-rvsecncl.
AMEND_CODE, CANCEL_CODE = "01", "02"
#: ORD_EXG_GB of notices: where the order went (SOR lands on KRX or NXT).
_EXG_GB_ORDER = {"1": Venue.KRX, "2": Venue.NXT, "3": Venue.SOR, "4": Venue.SOR}
_EXG_GB_FILL = {"1": Venue.KRX, "2": Venue.NXT, "3": Venue.KRX, "4": Venue.NXT}
#: search-stock-info mket_id_cd / scty_grp_id_cd.
_MARKETS = {"STK": Market.KOSPI, "KSQ": Market.KOSDAQ, "KNX": Market.KONEX}
_KINDS = {"ST": InstrumentKind.STOCK, "EF": InstrumentKind.ETF, "EN": InstrumentKind.ETN,
          "EW": InstrumentKind.ELW}


def num(value: object) -> int:
    """A KIS number field as an int: blanks are 0, decimals (avg prices) are truncated."""
    text = str(value if value is not None else "").strip().replace(",", "")
    if not text:
        return 0
    try:
        return int(text)
    except ValueError:
        pass
    # Decimal, not float: a 16-digit amount with ".0000" must not lose its last won.
    try:
        return int(Decimal(text).to_integral_value(rounding=ROUND_DOWN))
    except (InvalidOperation, ValueError, OverflowError):
        return 0


def order_no(text: str) -> str:
    """Order numbers in one form everywhere: KIS pads them to 10 digits in notices and
    inquiries, while mock REST answers have been seen un-padded."""
    text = (text or "").strip()
    return text.zfill(10) if text.isdigit() else text


def side_code(side: Side) -> str:
    return SELL_CODE if side is Side.SELL else BUY_CODE


def side_of(code: str) -> Side:
    return Side.SELL if code.strip() == SELL_CODE else Side.BUY


def ord_dvsn(type: OrderType, tif: TimeInForce, env: KisEnvironment) -> str:
    code = DVSN_OF.get((type, tif))
    if code is None or code not in env.ord_dvsn:
        where = "KIS mock (모의투자)" if env.name == "mock" else "KIS"
        raise NotSupported(f"{type.korean} {tif.value.upper()} is not offered by {where}",
                           broker="kis")
    return code


def kind_of(code: str) -> tuple[OrderType, TimeInForce]:
    code = code.strip()
    return ORD_DVSN.get(code) or AFTER_MARKET_ORD_DVSN.get(code) or (OrderType.LIMIT, TimeInForce.DAY)


def venue_code(venue: Venue, env: KisEnvironment) -> str:
    if venue not in env.venues:
        raise NotSupported(f"venue {venue.value} is not offered by KIS {env.name}", broker="kis")
    return venue.value


def venue_of(code: str) -> Venue:
    try:
        return Venue(code.strip().upper())
    except ValueError:
        return Venue.KRX


def notice_venue(exg_gb: str, *, fill: bool) -> Venue:
    return (_EXG_GB_FILL if fill else _EXG_GB_ORDER).get(exg_gb.strip(), Venue.KRX)


def price_field(price: int | None) -> str:
    return str(price) if price else "0"


def hhmmss(text: str, day: date) -> datetime:
    text = text.strip()
    try:
        t = time(int(text[0:2]), int(text[2:4]), int(text[4:6])) if len(text) >= 6 else time()
    except ValueError:
        t = time()
    return datetime.combine(day, t, KST)


def yyyymmdd(text: str) -> date | None:
    text = (text or "").strip()
    try:
        return date(int(text[0:4]), int(text[4:6]), int(text[6:8])) if len(text) == 8 else None
    except ValueError:
        return None


# ---------------------------------------------------------------- inquiries


def order_report(row: dict, account: AccountRef, today: date) -> OrderReport:
    """One ``inquire-daily-ccld`` output1 row."""
    type, tif = kind_of(str(row.get("ord_dvsn_cd", "")))
    orig = order_no(str(row.get("orgn_odno", "")))
    odno = order_no(str(row.get("odno", "")))
    label = str(row.get("sll_buy_dvsn_cd_name", ""))
    correction = bool(orig.strip("0")) and orig != odno
    is_cancel = correction and (str(row.get("cncl_yn", "")).strip() == "Y" or "취소" in label
                                or "CANCEL" in label.upper())
    price = num(row.get("ord_unpr"))
    qty, filled, rejected = num(row.get("ord_qty")), num(row.get("tot_ccld_qty")), num(row.get("rjct_qty"))
    cancelled = num(row.get("cncl_cfrm_qty"))
    if str(row.get("rmn_qty", "")).strip() and not is_cancel:
        # What an amend moved to its new number is gone from this one but is not "cancelled"
        # in cncl_cfrm_qty; rmn_qty (the open rest) says how much that was.
        cancelled = max(cancelled, qty - filled - rejected - num(row.get("rmn_qty")))
    day = yyyymmdd(str(row.get("ord_dt", ""))) or today
    venue = str(row.get("excg_id_dvsn_Cd") or row.get("excg_id_dvsn_cd") or "KRX")
    return OrderReport(
        account=account, order_no=odno, code=str(row.get("pdno", "")).strip(),
        side=side_of(str(row.get("sll_buy_dvsn_cd", ""))),
        qty=qty, price=price or None, type=type, tif=tif,
        filled_qty=filled, filled_amount=num(row.get("tot_ccld_amt")),
        cancelled_qty=cancelled, rejected_qty=rejected,
        orig_order_no=orig if correction else "", venue=venue_of(venue),
        time=hhmmss(str(row.get("ord_tmd", "")), day),
        is_amend=correction and not is_cancel, is_cancel=is_cancel,
        name=str(row.get("prdt_name", "")).strip())


def position(row: dict, account: AccountRef) -> Position:
    """One ``inquire-balance`` output1 row."""
    return Position(account=account, code=str(row.get("pdno", "")).strip(),
                    qty=num(row.get("hldg_qty")), cost=num(row.get("pchs_amt")),
                    sellable=num(row.get("ord_psbl_qty")), last=num(row.get("prpr")))


def balance(totals: dict, account: AccountRef) -> Balance:
    """``inquire-balance`` output2[0]. The balance TR has no 주문가능금액; D+2 cash is what a
    cash account can spend (the exact figure per order comes from :func:`buying_power`)."""
    cash_d2 = num(totals.get("prvs_rcdl_excc_amt"))
    return Balance(account=account, cash=num(totals.get("dnca_tot_amt")), cash_d2=cash_d2,
                   buying_power=cash_d2, stock_value=num(totals.get("scts_evlu_amt")),
                   total_value=num(totals.get("tot_evlu_amt")),
                   purchase_amount=num(totals.get("pchs_amt_smtl_amt")),
                   pnl=num(totals.get("evlu_pfls_smtl_amt")))


def buying_power(output: dict, account: AccountRef, code: str) -> BuyingPower:
    """``inquire-psbl-order`` output: cash and the quantity a cash-only account can buy."""
    return BuyingPower(account=account, code=code, cash=num(output.get("ord_psbl_cash")),
                       max_qty=num(output.get("nrcvb_buy_qty")))


def quote(output: dict, code: str, now: datetime) -> Quote:
    """``inquire-price`` output."""
    return Quote(code=str(output.get("stck_shrn_iscd") or code).strip(),
                 last=num(output.get("stck_prpr")), base=num(output.get("stck_sdpr")),
                 open=num(output.get("stck_oprc")), high=num(output.get("stck_hgpr")),
                 low=num(output.get("stck_lwpr")), volume=num(output.get("acml_vol")),
                 turnover=num(output.get("acml_tr_pbmn")),
                 upper_limit=num(output.get("stck_mxpr")),
                 lower_limit=num(output.get("stck_llam")), time=now)


def instrument(output: dict, code: str) -> Instrument:
    """``search-stock-info`` output."""
    listed = (yyyymmdd(str(output.get("scts_mket_lstg_dt", "")))
              or yyyymmdd(str(output.get("kosdaq_mket_lstg_dt", ""))))
    return Instrument(
        # pdno may come back padded to 12 characters; the code asked for is the short code.
        code=code,
        isin=str(output.get("std_pdno", "")).strip(),
        name=str(output.get("prdt_abrv_name") or output.get("prdt_name") or "").strip(),
        name_en=str(output.get("prdt_eng_name", "")).strip(),
        market=_MARKETS.get(str(output.get("mket_id_cd", "")).strip(), Market.KOSPI),
        kind=_KINDS.get(str(output.get("scty_grp_id_cd", "")).strip(), InstrumentKind.STOCK),
        nxt=str(output.get("cptt_trad_tr_psbl_yn", "")).strip() == "Y",
        base_price=num(output.get("bfdy_clpr")),
        halted=str(output.get("tr_stop_yn", "")).strip() == "Y",
        managed=str(output.get("admn_item_yn", "")).strip() == "Y",
        listed_on=listed)
