"""Quotations and instrument information on the wire (kis.md §4.8)."""

from __future__ import annotations

from kiswire import ASKING, HOLIDAY, PRICE, SEARCH_INFO, STOCK_INFO, base_price


def _price_query(code: str = "005930", div: str = "J") -> dict:
    return {"FID_COND_MRKT_DIV_CODE": div, "FID_INPUT_ISCD": code}


async def test_inquire_price_limits_tick_and_sign(real):
    resp = await real.get(PRICE, "FHKST01010100", _price_query())
    body = resp.json()
    assert (body["rt_cd"], body["msg_cd"]) == ("0", "MCA00000")
    out = body["output"]
    assert all(isinstance(v, str) for v in out.values())
    assert (out["stck_sdpr"], out["stck_mxpr"], out["stck_llam"]) == ("269000", "349500", "188500")
    assert out["aspr_unit"] == "500"
    assert (out["stck_prpr"], out["prdy_vrss"], out["prdy_vrss_sign"], out["prdy_ctrt"]) == \
        ("269000", "0", "3", "0.00")
    assert out["stck_shrn_iscd"] == "005930"


async def test_inquire_price_follows_trades(mock):
    price = base_price(mock.sim, "005930") + 5_000
    await mock.order("sell", "005930", 3, price, second=True)
    await mock.order("buy", "005930", 3, price)
    out = (await mock.get(PRICE, "FHKST01010100", _price_query())).json()["output"]
    assert (out["stck_prpr"], out["prdy_vrss"], out["prdy_vrss_sign"]) == (str(price), "5000", "2")
    assert out["prdy_ctrt"] == "1.85"
    assert (out["acml_vol"], out["acml_tr_pbmn"]) == ("3", str(3 * price))
    assert out["stck_oprc"] == out["stck_hgpr"] == out["stck_lwpr"] == str(price)


async def test_upper_limit_sign_is_1(mock):
    upper = mock.sim.exchange.quote("005930").upper_limit
    await mock.order("sell", "005930", 1, upper, second=True)
    await mock.order("buy", "005930", 1, upper)
    out = (await mock.get(PRICE, "FHKST01010100", _price_query())).json()["output"]
    assert out["prdy_vrss_sign"] == "1"


async def test_bad_market_division_and_unknown_code(real):
    bad = await real.get(PRICE, "FHKST01010100", _price_query(div="X"))
    answer = bad.json()
    assert (answer["rt_cd"], answer["msg_cd"], answer["msg1"].rstrip()) == \
        ("2", "OPSQ2001", "ERROR : INPUT INVALID_CHECK_MRKT_DIV_CODE")
    unknown = await real.get(PRICE, "FHKST01010100", _price_query("999999"))
    assert unknown.json()["rt_cd"] == "7"


async def test_rest_order_book(mock):
    price = base_price(mock.sim, "005930")
    await mock.order("sell", "005930", 5, price + 500, second=True)
    await mock.order("sell", "005930", 7, price + 1_000, second=True)
    await mock.order("buy", "005930", 2, price - 500)
    resp = await mock.get(ASKING, "FHKST01010200", _price_query())
    body = resp.json()
    one, two = body["output1"], body["output2"]
    assert (one["askp1"], one["askp_rsqn1"], one["askp2"], one["askp_rsqn2"]) == \
        (str(price + 500), "5", str(price + 1_000), "7")
    assert (one["bidp1"], one["bidp_rsqn1"], one["askp3"]) == (str(price - 500), "2", "0")
    assert (one["total_askp_rsqn"], one["total_bidp_rsqn"]) == ("12", "2")
    assert two["stck_sdpr"] == str(price)


async def test_stock_info_and_search_info_are_real_only(real, mock):
    info = await real.get(STOCK_INFO, "CTPF1002R", {"PRDT_TYPE_CD": "300", "PDNO": "005930"})
    out = info.json()["output"]
    assert (out["pdno"], out["prdt_name"], out["std_pdno"], out["mket_id_cd"]) == \
        ("005930", "삼성전자", "KR7005930003", "STK")
    search = await real.get(SEARCH_INFO, "CTPF1604R", {"PDNO": "069500", "PRDT_TYPE_CD": "300"})
    assert search.json()["msg_cd"] == "KIOK0530"
    assert search.json()["output"]["prdt_name"] == "KODEX 200"
    missing = await real.get(SEARCH_INFO, "CTPF1604R", {"PDNO": "999999", "PRDT_TYPE_CD": "300"})
    assert missing.json()["rt_cd"] == "7"
    for path, tr in ((STOCK_INFO, "CTPF1002R"), (SEARCH_INFO, "CTPF1604R"), (HOLIDAY, "CTCA0903R")):
        resp = await mock.get(path, tr, {"PDNO": "005930", "PRDT_TYPE_CD": "300", "BASS_DT": "20261124"})
        assert resp.status_code == 500
        assert resp.json() == {"rt_cd": "1", "msg_cd": "EGW02006", "msg1": "모의투자 TR 이 아닙니다."}


async def test_holiday_calendar(real):
    resp = await real.get(HOLIDAY, "CTCA0903R", {"BASS_DT": "20261124", "CTX_AREA_NK": "",
                                                  "CTX_AREA_FK": ""})
    days = {d["bass_dt"]: d for d in resp.json()["output"]}
    assert days["20261124"]["opnd_yn"] == "Y" and days["20261124"]["wday_dvsn_cd"] == "03"
    assert days["20261128"]["opnd_yn"] == "N" and days["20261128"]["wday_dvsn_cd"] == "07"
    assert days["20261129"]["wday_dvsn_cd"] == "01"
