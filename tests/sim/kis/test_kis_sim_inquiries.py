"""Account inquiries on the wire: paging, balance, buying power, cancellable orders (kis.md §3.3, §4.4-4.7)."""

from __future__ import annotations

from lucy_tui.sim.accounts import Holding
from kiswire import BALANCE, DAILY_CCLD, PSBL_ORDER, PSBL_RVSECNCL, Wire, base_price


def _ccld_query(wire: Wire, **extra: str) -> dict:
    query = {"CANO": wire.cano, "ACNT_PRDT_CD": wire.prdt, "INQR_STRT_DT": "20261124",
             "INQR_END_DT": "20261124", "SLL_BUY_DVSN_CD": "00", "INQR_DVSN": "00", "PDNO": "",
             "CCLD_DVSN": "00", "ORD_GNO_BRNO": "", "ODNO": "", "INQR_DVSN_3": "00",
             "INQR_DVSN_1": "", "CTX_AREA_FK100": "", "CTX_AREA_NK100": ""}
    query.update(extra)
    return query


def _balance_query(wire: Wire, **extra: str) -> dict:
    query = {"CANO": wire.cano, "ACNT_PRDT_CD": wire.prdt, "AFHR_FLPR_YN": "N", "OFL_YN": "",
             "INQR_DVSN": "01", "UNPR_DVSN": "01", "FUND_STTL_ICLD_YN": "N",
             "FNCG_AMT_AUTO_RDPT_YN": "N", "PRCS_DVSN": "00", "CTX_AREA_FK100": "",
             "CTX_AREA_NK100": ""}
    query.update(extra)
    return query


async def test_mock_daily_ccld_pages_of_fifteen(mock):
    placed = []
    for i in range(40):
        resp = await mock.order("buy", "005930", 1, 250_000 + 500 * (i % 20))
        placed.append(resp.json()["output"]["ODNO"])
    first = await mock.get(DAILY_CCLD, "VTTC0081R", _ccld_query(mock))
    body = first.json()
    assert first.headers["tr_cont"] == "F"
    assert body["rt_cd"] == "0" and body["msg_cd"] == "20310000"
    assert len(body["output1"]) == 15
    assert len(body["ctx_area_fk100"]) == 100 and len(body["ctx_area_nk100"]) == 100
    assert body["ctx_area_nk100"].strip()
    seen = [r["odno"] for r in body["output1"]]
    # Follow-ups as some clients send them: lower-case cursor keys and tr_cont N.
    query = _ccld_query(mock)
    del query["CTX_AREA_FK100"], query["CTX_AREA_NK100"]
    query.update(ctx_area_fk100=body["ctx_area_fk100"], ctx_area_nk100=body["ctx_area_nk100"])
    second = await mock.get(DAILY_CCLD, "VTTC0081R", query, tr_cont="N")
    assert second.headers["tr_cont"] == "M"
    assert len(second.json()["output1"]) == 15
    seen += [r["odno"] for r in second.json()["output1"]]
    query.update(ctx_area_fk100=second.json()["ctx_area_fk100"],
                 ctx_area_nk100=second.json()["ctx_area_nk100"])
    third = await mock.get(DAILY_CCLD, "VTTC0081R", query, tr_cont="N")
    assert third.headers["tr_cont"] == "E"
    assert len(third.json()["output1"]) == 10
    assert not third.json()["ctx_area_nk100"].strip()
    seen += [r["odno"] for r in third.json()["output1"]]
    assert seen == sorted(placed, reverse=True)          # INQR_DVSN 00: newest first
    assert third.json()["output2"]["tot_ord_qty"] == "40"


async def test_real_daily_ccld_single_page_is_d_and_oldest_first(real):
    odnos = [(await real.order("buy", "005930", 1, 260_000)).json()["output"]["ODNO"] for _ in range(3)]
    resp = await real.get(DAILY_CCLD, "TTTC0081R", _ccld_query(real, INQR_DVSN="01"))
    assert resp.headers["tr_cont"] == "D"
    body = resp.json()
    assert body["msg_cd"] == "KIOK0510" and body["msg1"].rstrip() == "조회가 완료되었습니다"
    assert [r["odno"] for r in body["output1"]] == odnos
    old = await real.get(DAILY_CCLD, "TTTC8001R", _ccld_query(real))
    assert [r["odno"] for r in old.json()["output1"]] == odnos[::-1]


async def test_daily_ccld_filters(mock):
    price = base_price(mock.sim, "005930")
    await mock.order("sell", "005930", 2, price, second=True)
    filled = (await mock.order("buy", "005930", 2, price)).json()["output"]["ODNO"]
    open_ = (await mock.order("buy", "005930", 1, price - 5_000)).json()["output"]["ODNO"]
    only_filled = await mock.get(DAILY_CCLD, "VTTC0081R", _ccld_query(mock, CCLD_DVSN="01"))
    assert [r["odno"] for r in only_filled.json()["output1"]] == [filled]
    only_open = await mock.get(DAILY_CCLD, "VTTC0081R", _ccld_query(mock, CCLD_DVSN="02"))
    assert [r["odno"] for r in only_open.json()["output1"]] == [open_]
    sells = await mock.get(DAILY_CCLD, "VTTC0081R", _ccld_query(mock, SLL_BUY_DVSN_CD="01"))
    assert sells.json()["output1"] == []


async def test_balance_inqr_dvsn_02_is_opsq2001(real, mock):
    for wire in (real, mock):
        resp = await wire.get(BALANCE, f"{wire.v}TTC8434R", _balance_query(wire, INQR_DVSN="02"))
        assert resp.status_code == 200
        body = resp.json()
        assert (body["rt_cd"], body["msg_cd"], body["msg1"].rstrip()) == \
            ("2", "OPSQ2001", "ERROR : INPUT INVALID_CHECK_INQR_DVSN")


async def test_balance_holdings_and_totals(mock):
    resp = await mock.get(BALANCE, "VTTC8434R", _balance_query(mock))
    body = resp.json()
    assert resp.headers["tr_cont"] == "D" and body["rt_cd"] == "0"
    rows = {r["pdno"]: r for r in body["output1"]}
    assert rows["005930"]["hldg_qty"] == "1000" and rows["005930"]["ord_psbl_qty"] == "1000"
    assert rows["005930"]["prdt_name"] == "삼성전자"
    assert rows["005930"]["pchs_avg_pric"].endswith(".0000")
    assert isinstance(body["output2"], list) and len(body["output2"]) == 1
    totals = body["output2"][0]
    assert totals["dnca_tot_amt"] == "1000000000"
    assert all(isinstance(v, str) for row in body["output1"] for v in row.values())


async def test_a_buy_settles_on_d_plus_2_and_open_sells_reserve_shares(mock):
    price = base_price(mock.sim, "005930")
    await mock.order("sell", "005930", 10, price, second=True)
    await mock.order("buy", "005930", 10, price)
    await mock.order("sell", "005930", 300, price + 10_000)        # rests, reserving 300 shares
    totals = (await mock.get(BALANCE, "VTTC8434R", _balance_query(mock))).json()
    row = {r["pdno"]: r for r in totals["output1"]}["005930"]
    assert (row["hldg_qty"], row["ord_psbl_qty"], row["thdt_buyqty"]) == ("1010", "710", "10")
    money = totals["output2"][0]
    fee = 10 * price * 15 // 100_000
    assert money["dnca_tot_amt"] == "1000000000"              # D+0 unchanged until settlement
    assert money["prvs_rcdl_excc_amt"] == str(1_000_000_000 - 10 * price - fee)
    assert money["thdt_buy_amt"] == str(10 * price)


async def test_balance_paging_mock_twenty(mock):
    # 25 more holdings put straight into the back office; the wire only reads them.
    back = mock.sim.back_office
    owner = f"kis:mock:{mock.cano}-{mock.prdt}"
    codes = [c for c in mock.sim.exchange.codes() if c not in back.account(owner).holdings][:25]
    for code in codes:
        back.account(owner).holdings[code] = Holding(code, 1, 1000)
    first = await mock.get(BALANCE, "VTTC8434R", _balance_query(mock))
    assert first.headers["tr_cont"] == "F" and len(first.json()["output1"]) == 20
    nxt = _balance_query(mock, CTX_AREA_FK100=first.json()["ctx_area_fk100"],
                         CTX_AREA_NK100=first.json()["ctx_area_nk100"])
    second = await mock.get(BALANCE, "VTTC8434R", nxt, tr_cont="N")
    assert second.headers["tr_cont"] == "E"
    total = len(first.json()["output1"]) + len(second.json()["output1"])
    assert total == 25 + 4


async def test_buying_power_and_market_order_quantity(mock):
    resp = await mock.get(PSBL_ORDER, "VTTC8908R", {
        "CANO": mock.cano, "ACNT_PRDT_CD": mock.prdt, "PDNO": "005930", "ORD_UNPR": "",
        "ORD_DVSN": "01", "CMA_EVLU_AMT_ICLD_YN": "N", "OVRS_ICLD_YN": "N"})
    out = resp.json()["output"]
    upper = mock.sim.exchange.quote("005930").upper_limit
    assert out["ord_psbl_cash"] == "1000000000"
    assert out["psbl_qty_calc_unpr"] == str(upper)
    qty = int(out["nrcvb_buy_qty"])

    def cost(n: int) -> int:  # price plus 0.015 % commission
        return n * upper + n * upper * 15 // 100_000

    assert cost(qty) <= 1_000_000_000 < cost(qty + 1)


async def test_psbl_rvsecncl_is_real_only(real, mock):
    query = {"CANO": mock.cano, "ACNT_PRDT_CD": mock.prdt, "INQR_DVSN_1": "0", "INQR_DVSN_2": "0",
             "CTX_AREA_FK100": "", "CTX_AREA_NK100": ""}
    rewritten = await mock.get(PSBL_RVSECNCL, "VTTC0084R", query)
    assert rewritten.status_code == 200
    answer = rewritten.json()
    assert (answer["rt_cd"], answer["msg_cd"], answer["msg1"].rstrip()) == \
        ("1", "90000000", "모의투자에서는 해당업무가 제공되지 않습니다.")
    real_tr = await mock.get(PSBL_RVSECNCL, "TTTC0084R", query)
    assert real_tr.status_code == 500 and real_tr.json()["msg_cd"] == "EGW02006"
    placed = (await real.order("buy", "005930", 5, 260_000)).json()["output"]["ODNO"]
    query.update(CANO=real.cano, ACNT_PRDT_CD=real.prdt)
    for tr in ("TTTC0084R", "TTTC8036R"):
        resp = await real.get(PSBL_RVSECNCL, tr, query)
        rows = resp.json()["output"]
        assert resp.headers["tr_cont"] == "D"
        assert [(r["odno"], r["psbl_qty"], r["sll_buy_dvsn_cd"]) for r in rows] == [(placed, "5", "02")]
