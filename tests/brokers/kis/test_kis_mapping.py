"""Wire rows → domain objects, and order codes both ways."""

from datetime import date

import pytest

from lucy_tui.brokers.base import NotSupported
from lucy_tui.brokers.kis import mapping
from lucy_tui.brokers.kis.environment import MOCK, REAL
from lucy_tui.domain.model import (
    AccountRef, InstrumentKind, Market, OrderType, Side, TimeInForce, Venue,
)

ACCOUNT = AccountRef("kis", "50123456", "01")
TODAY = date(2026, 11, 24)


@pytest.mark.parametrize("type, tif, code", [
    (OrderType.LIMIT, TimeInForce.DAY, "00"), (OrderType.MARKET, TimeInForce.DAY, "01"),
    (OrderType.BEST, TimeInForce.DAY, "03"), (OrderType.LIMIT, TimeInForce.IOC, "11"),
    (OrderType.MARKET, TimeInForce.FOK, "14"), (OrderType.STOP_LIMIT, TimeInForce.DAY, "22"),
])
def test_ord_dvsn_both_ways_on_real(type, tif, code):
    assert mapping.ord_dvsn(type, tif, REAL) == code
    assert mapping.kind_of(code) == (type, tif)


def test_mock_refuses_what_it_does_not_offer_before_sending():
    with pytest.raises(NotSupported, match="mock"):
        mapping.ord_dvsn(OrderType.LIMIT, TimeInForce.IOC, MOCK)
    with pytest.raises(NotSupported):
        mapping.venue_code(Venue.NXT, MOCK)
    assert mapping.venue_code(Venue.NXT, REAL) == "NXT"


def test_order_numbers_are_padded_and_numbers_parsed():
    assert mapping.order_no("42") == "0000000042" and mapping.order_no(" 0000000042 ") == "0000000042"
    assert mapping.num("000071000") == 71000 and mapping.num("") == 0
    assert mapping.num("-100") == -100 and mapping.num("71050.5") == 71050


def row(**over):
    base = {
        "ord_dt": "20261124", "ord_gno_brno": "00950", "odno": "0000000042", "orgn_odno": "",
        "ord_dvsn_name": "지정가", "sll_buy_dvsn_cd": "02", "sll_buy_dvsn_cd_name": "현금매수",
        "pdno": "005930", "prdt_name": "삼성전자", "ord_qty": "10", "ord_unpr": "71000",
        "ord_tmd": "093015", "tot_ccld_qty": "4", "avg_prvs": "71000", "cncl_yn": "N",
        "tot_ccld_amt": "284000", "ord_dvsn_cd": "00", "cncl_cfrm_qty": "0", "rmn_qty": "6",
        "rjct_qty": "0", "excg_id_dvsn_Cd": "KRX",
    }
    base.update(over)
    return base


def test_daily_ccld_row():
    r = mapping.order_report(row(), ACCOUNT, TODAY)
    assert (r.order_no, r.code, r.side, r.qty, r.price) == ("0000000042", "005930", Side.BUY, 10, 71000)
    assert (r.filled_qty, r.filled_amount, r.leaves_qty, r.avg_price) == (4, 284000, 6, 71000)
    assert r.time.strftime("%Y%m%d %H%M%S") == "20261124 093015"
    assert not r.is_amend and not r.is_cancel and r.orig_order_no == "" and r.name == "삼성전자"


def test_amend_cancel_and_rejected_rows_are_flagged():
    amend = mapping.order_report(row(odno="0000000050", orgn_odno="0000000042",
                                     sll_buy_dvsn_cd_name="매수정정*"), ACCOUNT, TODAY)
    assert amend.is_amend and not amend.is_cancel and amend.orig_order_no == "0000000042"
    cancel = mapping.order_report(row(odno="0000000051", orgn_odno="0000000050", cncl_yn="Y",
                                      sll_buy_dvsn_cd_name="매수취소*"), ACCOUNT, TODAY)
    assert cancel.is_cancel and cancel.leaves_qty == 0
    rejected = mapping.order_report(row(tot_ccld_qty="0", tot_ccld_amt="0", rjct_qty="10"),
                                    ACCOUNT, TODAY)
    assert rejected.rejected_qty == 10 and rejected.leaves_qty == 0
    cancelled = mapping.order_report(row(cncl_cfrm_qty="6"), ACCOUNT, TODAY)
    assert cancelled.cancelled_qty == 6 and cancelled.leaves_qty == 0
    market = mapping.order_report(row(ord_dvsn_cd="01", ord_unpr="0"), ACCOUNT, TODAY)
    assert market.type is OrderType.MARKET and market.price is None


def test_balance_and_positions():
    totals = {"dnca_tot_amt": "10000000", "prvs_rcdl_excc_amt": "9716000",
              "scts_evlu_amt": "284400", "tot_evlu_amt": "10000400",
              "pchs_amt_smtl_amt": "284000", "evlu_pfls_smtl_amt": "400"}
    b = mapping.balance(totals, ACCOUNT)
    assert (b.cash, b.cash_d2, b.buying_power, b.stock_value, b.total_value, b.pnl) == (
        10_000_000, 9_716_000, 9_716_000, 284_400, 10_000_400, 400)
    p = mapping.position({"pdno": "005930", "hldg_qty": "4", "pchs_amt": "284000",
                          "ord_psbl_qty": "4", "prpr": "71100"}, ACCOUNT)
    assert (p.qty, p.cost, p.sellable_qty, p.market_value, p.pnl) == (4, 284000, 4, 284400, 400)


def test_quote_and_instrument():
    q = mapping.quote({"stck_prpr": "71000", "stck_sdpr": "70000", "stck_mxpr": "91000",
                       "stck_llam": "49000", "acml_vol": "123", "stck_oprc": "70500",
                       "stck_hgpr": "71200", "stck_lwpr": "70100"}, "005930", None)
    assert (q.last, q.base, q.change, q.upper_limit, q.lower_limit, q.volume) == (
        71000, 70000, 1000, 91000, 49000, 123)
    i = mapping.instrument({"pdno": "00000A005930", "std_pdno": "KR7005930003",
                            "prdt_abrv_name": "삼성전자", "prdt_eng_name": "SamsungElec",
                            "mket_id_cd": "STK", "scty_grp_id_cd": "ST", "bfdy_clpr": "70000",
                            "tr_stop_yn": "N", "admn_item_yn": "N", "cptt_trad_tr_psbl_yn": "Y",
                            "scts_mket_lstg_dt": "19750611"}, "005930")
    assert (i.code, i.isin, i.name, i.market, i.kind, i.nxt, i.base_price) == (
        "005930", "KR7005930003", "삼성전자", Market.KOSPI, InstrumentKind.STOCK, True, 70000)
    assert i.listed_on == date(1975, 6, 11) and not i.halted


def test_quantity_moved_by_an_amend_leaves_the_original_closed():
    original = mapping.order_report(row(tot_ccld_qty="4", rmn_qty="0", cncl_cfrm_qty="0"),
                                    ACCOUNT, TODAY)
    assert original.cancelled_qty == 6 and original.leaves_qty == 0
