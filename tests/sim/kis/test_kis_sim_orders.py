"""order-cash and order-rvsecncl on the wire: codes and texts per domain (kis.md §4.2, §4.3, §6.3)."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from lucy_tui.clock import KST, ManualClock
from lucy_tui.sim.kis import KisOptions
from kiswire import DAILY_CCLD, HALTED, Wire, base_price, make_server

BUY_OK_MOCK = {"rt_cd": "0", "msg_cd": "40600000", "msg1": "모의투자 매수주문이 완료 되었습니다."}


def _envelope(resp: httpx.Response) -> dict:
    body = resp.json()
    return {"rt_cd": body["rt_cd"], "msg_cd": body["msg_cd"], "msg1": body["msg1"].rstrip()}


def _ccld_query(wire: Wire, **extra: str) -> dict:
    query = {"CANO": wire.cano, "ACNT_PRDT_CD": wire.prdt, "INQR_STRT_DT": "20261124",
             "INQR_END_DT": "20261124", "SLL_BUY_DVSN_CD": "00", "INQR_DVSN": "00", "PDNO": "",
             "CCLD_DVSN": "00", "ORD_GNO_BRNO": "", "ODNO": "", "INQR_DVSN_3": "00",
             "INQR_DVSN_1": "", "CTX_AREA_FK100": "", "CTX_AREA_NK100": ""}
    query.update(extra)
    return query


async def _row(wire: Wire, odno: str) -> dict:
    resp = await wire.get(DAILY_CCLD, f"{wire.v}TTC0081R", _ccld_query(wire, ODNO=odno))
    rows = resp.json()["output1"]
    assert len(rows) == 1, rows
    return rows[0]


async def test_real_buy_is_apbk0013_with_upper_case_output(real):
    resp = await real.order("buy", "005930", 10, 260000)
    assert resp.status_code == 200
    body = resp.json()
    assert _envelope(resp) == {"rt_cd": "0", "msg_cd": "APBK0013", "msg1": "주문 전송 완료 되었습니다."}
    out = body["output"]
    assert set(out) == {"KRX_FWDG_ORD_ORGNO", "ODNO", "ORD_TMD"}
    assert out["KRX_FWDG_ORD_ORGNO"] == "06010"
    assert len(out["ODNO"]) == 10 and out["ODNO"].isdigit()
    assert out["ORD_TMD"] == real.sim.clock.now().strftime("%H%M%S")


async def test_mock_buy_and_sell_codes(mock):
    buy = await mock.order("buy", "005930", 10, 260000)
    assert _envelope(buy) == BUY_OK_MOCK
    assert buy.json()["output"]["KRX_FWDG_ORD_ORGNO"] == "00950"
    sell = await mock.order("sell", "005930", 5, 280000)
    assert _envelope(sell) == {"rt_cd": "0", "msg_cd": "40590000", "msg1": "모의투자 매도주문이 완료 되었습니다."}
    assert int(sell.json()["output"]["ODNO"]) == int(buy.json()["output"]["ODNO"]) + 1


async def test_old_tr_ids_are_still_served(real, mock):
    old_real = await real.order("buy", "005930", 1, 260000, tr_id="TTTC0802U")
    assert _envelope(old_real)["msg_cd"] == "APBK0013"
    old_mock = await mock.order("sell", "005930", 1, 280000, tr_id="VTTC0801U")
    assert _envelope(old_mock)["msg_cd"] == "40590000"


async def test_minimal_body_without_optional_fields(mock):
    body = {"CANO": mock.cano, "ACNT_PRDT_CD": mock.prdt, "PDNO": "005930", "ORD_DVSN": "00",
            "ORD_QTY": "1", "ORD_UNPR": "260000"}
    resp = await mock.post("/uapi/domestic-stock/v1/trading/order-cash", "VTTC0012U", body)
    assert _envelope(resp) == BUY_OK_MOCK


REJECTIONS = [
    # (what, side, code, qty, price, dvsn, real (rt_cd, msg_cd, msg1), mock (rt_cd, msg_cd, msg1))
    ("insufficient cash", "buy", "005930", 10_000, 269_000, "00",
     ("7", "APBK0952", "주문가능금액을 초과 했습니다"), ("1", "40250000", "모의투자 주문가능금액이 부족합니다.")),
    ("no holdings", "sell", "247540", 1, 103_900, "00",
     ("7", "APBK1234", "매도가능수량이 부족합니다."), ("1", "40240000", "모의투자 잔고내역이 없습니다.")),
    ("more than held", "sell", "005930", 2_000, 269_000, "00",
     ("7", "APBK1234", "매도가능수량이 부족합니다."), ("1", "40240000", "모의투자 잔고내역이 없습니다.")),
    ("bad tick", "buy", "005930", 1, 269_100, "00",
     ("1", "APBK0918", "주식주문호가단위 오류입니다."), ("1", "40030000", "모의투자 주문처리가 안되었습니다(호가단위 오류)")),
    ("above the upper limit", "buy", "005930", 1, 350_000, "00",
     ("1", "APBK0406", "주문가격이 상한가를 초과합니다"),
     ("1", "40040000", "모의투자 주문처리가 안되었습니다(가격이 상한가를 초과하였습니다.)")),
    ("below the lower limit", "sell", "005930", 1, 188_000, "00",
     ("1", "APBK0918", "주문가격이 하한가 미만입니다"),
     ("1", "40050000", "모의투자 주문처리가 안되었습니다(가격이 하한가 미만입니다.)")),
    ("unknown symbol", "buy", "999999", 1, 10_000, "00",
     ("7", "APBK0656", "해당 종목 정보가 없습니다."), ("1", "40070000", "모의투자 주문처리가 안되었습니다(매매불가 종목)")),
    ("halted", "buy", HALTED, 1, 1_151, "00",
     ("1", "APBK0918", "거래정지 종목입니다."), ("1", "40070000", "모의투자 주문처리가 안되었습니다(매매불가 종목)")),
    ("zero quantity", "buy", "005930", 0, 269_000, "00",
     ("1", "APBK0918", "주문 수량을 확인해주세요."), ("1", "40080000", "모의투자 주문처리가 안되었습니다(주문수량 오류)")),
    ("limit without price", "buy", "005930", 1, 0, "00",
     ("1", "APBK0918", "주문단가를 확인해주세요."), ("1", "40090000", "모의투자 주문처리가 안되었습니다(주문단가 오류)")),
]


@pytest.mark.parametrize("case", REJECTIONS, ids=[c[0] for c in REJECTIONS])
async def test_business_rejections_are_http_200(case, real, mock):
    _, side, code, qty, price, dvsn, real_msg, mock_msg = case
    for wire, expected in ((real, real_msg), (mock, mock_msg)):
        resp = await wire.order(side, code, qty, price, dvsn)
        assert resp.status_code == 200
        assert _envelope(resp) == dict(zip(("rt_cd", "msg_cd", "msg1"), expected)), wire.domain
        assert "output" not in resp.json()


async def test_market_buy_is_margined_at_the_upper_limit(mock):
    # 3,000 × 269,000 fits in 1,000,000,000 KRW; 3,000 × the upper limit 349,500 does not.
    market = await mock.order("buy", "005930", 3_000, 0, "01")
    assert _envelope(market)["msg_cd"] == "40250000"
    limit = await mock.order("buy", "005930", 3_000, 269_000, "00")
    assert _envelope(limit) == BUY_OK_MOCK


async def test_mock_refuses_order_types_and_venues_it_does_not_serve(mock, real):
    ioc = await mock.order("buy", "005930", 1, 269_000, "11")
    assert _envelope(ioc) == {"rt_cd": "1", "msg_cd": "90000000",
                              "msg1": "모의투자에서는 해당업무가 제공되지 않습니다."}
    nxt = await mock.order("buy", "005930", 1, 269_000, "00", EXCG_ID_DVSN_CD="NXT")
    assert _envelope(nxt)["msg_cd"] == "90000000"
    real_ioc = await real.order("buy", "005930", 1, 260_000, "11")
    assert _envelope(real_ioc)["msg_cd"] == "APBK0013"


async def test_exchange_rejections_stay_on_record_with_rjct_qty(mock):
    resp = await mock.order("buy", "005930", 3, 269_100)
    assert _envelope(resp)["msg_cd"] == "40030000"
    rows = (await mock.get(DAILY_CCLD, "VTTC0081R", _ccld_query(mock))).json()["output1"]
    assert [(r["ord_qty"], r["rjct_qty"], r["rmn_qty"]) for r in rows] == [("3", "3", "0")]


async def test_amend_and_cancel_get_new_order_numbers(mock):
    placed = (await mock.order("buy", "005930", 10, 260_000)).json()["output"]["ODNO"]
    amend = await mock.rvsecncl(placed, "amend", price=261_000)
    assert _envelope(amend) == {"rt_cd": "0", "msg_cd": "40620000", "msg1": "모의투자 정정주문이 완료 되었습니다."}
    amended = amend.json()["output"]["ODNO"]
    assert amended != placed and amend.json()["output"]["KRX_FWDG_ORD_ORGNO"] == "00950"
    # The original is gone after the amend: nothing left to cancel on it.
    again = await mock.rvsecncl(placed, "cancel")
    assert _envelope(again) == {"rt_cd": "1", "msg_cd": "40330000", "msg1": "모의투자 정정/취소할 수량이 없습니다."}
    cancel = await mock.rvsecncl(amended, "cancel")
    assert _envelope(cancel) == {"rt_cd": "0", "msg_cd": "40630000", "msg1": "모의투자 취소주문이 완료 되었습니다."}
    cancelled = cancel.json()["output"]["ODNO"]
    assert len({placed, amended, cancelled}) == 3
    row = await _row(mock, amended)
    assert (row["orgn_odno"], row["ord_unpr"], row["rmn_qty"]) == (placed, "261000", "0")
    cancel_row = await _row(mock, cancelled)
    assert (cancel_row["cncl_yn"], cancel_row["cncl_cfrm_qty"], cancel_row["orgn_odno"]) == ("Y", "10", amended)
    nothing = await mock.rvsecncl(amended, "cancel")
    assert _envelope(nothing)["msg_cd"] == "40330000"


async def test_real_amend_cancel_and_nothing_left(real):
    placed = (await real.order("sell", "005930", 10, 280_000)).json()["output"]["ODNO"]
    partial = await real.rvsecncl(placed, "amend", qty=4, price=281_000, all_qty=False)
    assert _envelope(partial)["msg_cd"] == "APBK0013"
    part = partial.json()["output"]["ODNO"]
    assert (await _row(real, placed))["rmn_qty"] == "6"
    assert (await _row(real, part))["ord_qty"] == "4"
    cancel = await real.rvsecncl(placed, "cancel")
    assert _envelope(cancel)["msg_cd"] == "APBK0013"
    nothing = await real.rvsecncl(placed, "cancel")
    assert _envelope(nothing) == {"rt_cd": "7", "msg_cd": "APBK0918", "msg1": "정정/취소할 수량이 없습니다."}


async def test_amend_without_branch_and_of_an_unknown_order(mock):
    placed = (await mock.order("buy", "005930", 2, 260_000)).json()["output"]["ODNO"]
    blank_branch = await mock.rvsecncl(placed, "cancel", branch="")
    assert _envelope(blank_branch)["msg_cd"] == "40630000"
    unknown = await mock.rvsecncl("0099999999", "cancel")
    assert _envelope(unknown)["msg_cd"] == "40330000"


async def test_a_cross_between_two_accounts_fills_both(mock):
    price = base_price(mock.sim, "005930")
    sell = await mock.order("sell", "005930", 7, price, second=True)
    buy = await mock.order("buy", "005930", 10, price)
    assert _envelope(sell)["rt_cd"] == _envelope(buy)["rt_cd"] == "0"
    buy_row = await _row(mock, buy.json()["output"]["ODNO"])
    assert (buy_row["tot_ccld_qty"], buy_row["rmn_qty"], buy_row["avg_prvs"]) == ("7", "3", str(price))
    assert buy_row["tot_ccld_amt"] == str(7 * price)


@pytest.mark.parametrize("when, expected", [
    (datetime(2026, 11, 24, 21, 0, tzinfo=KST), ("40580000", "모의투자 장종료 입니다.")),
    (datetime(2026, 11, 24, 6, 30, tzinfo=KST), ("40570000", "모의투자 장시작전 입니다.")),
    (datetime(2026, 11, 28, 10, 0, tzinfo=KST), ("40100000", "모의투자 영업일이 아닙니다.")),
])
async def test_mock_market_closed_answers(when, expected):
    async with make_server(session="krx", clock=ManualClock(when)) as sim:
        async with httpx.AsyncClient(base_url=sim.urls["kis"]["rest"]) as http:
            wire = await Wire(sim, "mock", http).login()
            resp = await wire.order("buy", "005930", 1, 269_000)
            assert _envelope(resp)[ "msg_cd"] == expected[0]
            assert _envelope(resp)["msg1"] == expected[1]
            real = await Wire(sim, "real", http).login()
            closed = await real.order("buy", "005930", 1, 269_000)
            assert _envelope(closed)["msg_cd"] == "APBK0919"


async def test_switches_old_tr_ids_off_and_after_market_codes_on():
    options = KisOptions(pingpong_interval=5, accept_old_tr_ids=False, after_market_codes=True)
    async with make_server(kis_options=options) as sim:
        async with httpx.AsyncClient(base_url=sim.urls["kis"]["rest"]) as http:
            wire = await Wire(sim, "real", http).login()
            old = await wire.order("buy", "005930", 1, 260_000, tr_id="TTTC0802U")
            assert (old.status_code, old.json()["msg_cd"]) == (500, "MCA00124")
            after = await wire.order("buy", "005930", 1, 260_000, "41")
            assert after.json()["msg_cd"] == "APBK0013"


async def test_after_market_codes_are_off_by_default(real):
    resp = await real.order("buy", "005930", 1, 260_000, "41")
    assert _envelope(resp) == {"rt_cd": "1", "msg_cd": "APBK0918", "msg1": "주문구분을 확인해주세요."}


async def test_a_halted_stock_can_be_cancelled_not_amended(real):
    placed = (await real.order("buy", "005930", 2, 260_000)).json()["output"]["ODNO"]
    real.sim.exchange.set_halted("005930")
    amend = await real.rvsecncl(placed, "amend", price=261_000)
    assert _envelope(amend) == {"rt_cd": "1", "msg_cd": "APBK0066",
                                "msg1": "거래정지종목(주식)은 취소주문만 가능(정정불가)합니다."}
    assert _envelope(await real.rvsecncl(placed, "cancel"))["msg_cd"] == "APBK0013"
