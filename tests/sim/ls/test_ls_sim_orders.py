"""CSPAT00601 / CSPAT00701 / CSPAT00801 on the wire: blocks, codes and texts (ls.md §4.1-4.4, §6.3)."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from lucy_tui.clock import KST, ManualClock
from lucy_tui.domain.model import Side
from lucy_tui.sim.ls import LsOptions
from lswire import HALTED, Wire, base_price, make_server, street

OUT1_NEW = ["RecCnt", "AcntNo", "InptPwd", "IsuNo", "OrdQty", "OrdPrc", "BnsTpCode",
            "OrdprcPtnCode", "PrgmOrdprcPtnCode", "StslAbleYn", "StslOrdprcTpCode", "CommdaCode",
            "MgntrnCode", "LoanDt", "MbrNo", "OrdCndiTpCode", "StrtgCode", "GrpId", "OrdSeqNo",
            "PtflNo", "BskNo", "TrchNo", "ItemNo", "OpDrtnNo", "LpYn", "CvrgTpCode"]
OUT2_NEW = ["RecCnt", "OrdNo", "OrdTime", "OrdMktCode", "OrdPtnCode", "ShtnIsuNo", "MgempNo",
            "OrdAmt", "SpareOrdNo", "CvrgSeqno", "RsvOrdNo", "SpotOrdQty", "RuseOrdQty",
            "MnyOrdAmt", "SubstOrdAmt", "RuseOrdAmt", "AcntNm", "IsuNm"]
OUT2_AMEND = ["RecCnt", "OrdNo", "PrntOrdNo", "OrdTime", "OrdMktCode", "OrdPtnCode", "ShtnIsuNo",
              "PrgmOrdprcPtnCode", "StslOrdprcTpCode", "StslAbleYn", "MgntrnCode", "LoanDt",
              "CvrgOrdTp", "LpYn", "MgempNo", "OrdAmt", "BnsTpCode", "SpareOrdNo", "CvrgSeqno",
              "RsvOrdNo", "MnyOrdAmt", "SubstOrdAmt", "RuseOrdAmt", "AcntNm", "IsuNm"]


def rsp(resp: httpx.Response) -> tuple[str, str]:
    body = resp.json()
    return body["rsp_cd"], body["rsp_msg"]


async def _rows(wire: Wire) -> list[dict]:
    return (await wire.t0425()).json()["t0425OutBlock1"]


async def test_real_buy_takes_a_bare_code(real, sim):
    price = base_price(sim, "005930")
    resp = await real.order("buy", "005930", 3, price, prefix=False, mbr="")
    assert resp.status_code == 200
    assert rsp(resp) == ("00040", "매수 주문이 완료되었습니다.")
    body = resp.json()
    out1, out2 = body["CSPAT00601OutBlock1"], body["CSPAT00601OutBlock2"]
    assert list(out1) == OUT1_NEW and list(out2) == OUT2_NEW
    assert out1["OrdPrc"] == f"{price}.00" and out1["OrdQty"] == 3
    assert out1["InptPwd"] == "********" and out1["AcntNo"].startswith("20")
    assert "*" in out1["AcntNo"]
    assert isinstance(out2["OrdNo"], int) and out2["OrdNo"] > 0
    now = sim.clock.now()
    assert out2["OrdTime"] == now.strftime("%H%M%S") + f"{now.microsecond // 1000:03d}"
    assert (out2["OrdMktCode"], out2["OrdPtnCode"], out2["ShtnIsuNo"]) == ("10", "02", "A005930")
    assert out2["OrdAmt"] == 3 * price and out2["IsuNm"] == "삼성전자"


async def test_sell_is_00039_and_numbers_rise(real, sim):
    price = base_price(sim, "005930")
    buy = await real.ordno("buy", "005930", 1, price - 1_000)
    sell = await real.order("sell", "005930", 2, price + 1_000)
    assert rsp(sell) == ("00039", "매도 주문이 완료되었습니다.")
    assert sell.json()["CSPAT00601OutBlock2"]["OrdPtnCode"] == "01"
    assert sell.json()["CSPAT00601OutBlock2"]["OrdNo"] == buy + 1


async def test_mock_needs_the_a_prefix(mock, sim):
    price = base_price(sim, "005930")
    bare = await mock.order("buy", "005930", 1, price, prefix=False)
    assert rsp(bare) == ("01901", "종목번호를 확인하십시오. 모의투자는 A+종목코드로 주문하십시오.")
    assert bare.json()["CSPAT00601OutBlock2"]["OrdNo"] == 0
    ok = await mock.order("buy", "005930", 1, price)
    assert rsp(ok) == ("00040", "매수 주문이 완료되었습니다.")      # order texts carry no 모의투자
    assert len(await _rows(mock)) == 1


async def test_mock_prefix_rule_can_be_relaxed():
    async with make_server(ls_options=LsOptions(mock_requires_prefix=False)) as sim:
        async with httpx.AsyncClient(base_url=sim.urls["ls"]["rest"]) as http:
            mock = await Wire(sim, "mock", http).login()
            resp = await mock.order("buy", "005930", 1, base_price(sim, "005930"), prefix=False)
            assert rsp(resp)[0] == "00040"


async def test_amend_gives_a_new_number_and_the_old_one_is_spent(real, sim):
    price = base_price(sim, "005930")
    first = await real.ordno("buy", "005930", 10, price - 5_000)
    amended = await real.amend(first, "005930", 10, price - 4_500)
    assert rsp(amended) == ("00132", "정정주문이 완료되었습니다.")
    out2 = amended.json()["CSPAT00701OutBlock2"]
    assert list(out2) == OUT2_AMEND
    assert out2["OrdNo"] != first and out2["PrntOrdNo"] == first
    assert (out2["BnsTpCode"], out2["OrdAmt"]) == ("2", 10 * (price - 4_500))
    assert amended.json()["CSPAT00701OutBlock1"]["OrgOrdNo"] == first
    stale = await real.cancel(first, "005930", 10)
    assert rsp(stale)[0] == "02817"                  # later changes must target the newest number
    done = await real.cancel(out2["OrdNo"], "005930", 10)
    assert rsp(done) == ("00156", "취소주문이 완료되었습니다.")
    cancel = done.json()["CSPAT00801OutBlock2"]
    assert cancel["PrntOrdNo"] == out2["OrdNo"] and cancel["OrdNo"] > out2["OrdNo"]
    rows = {r["ordno"]: r for r in await _rows(real)}
    assert rows[out2["OrdNo"]]["orgordno"] == first and rows[out2["OrdNo"]]["ordrem"] == 0
    assert rows[cancel["OrdNo"]]["orgordno"] == out2["OrdNo"]


async def test_partial_amend_and_partial_cancel(real, sim):
    price = base_price(sim, "005930")
    first = await real.ordno("buy", "005930", 10, price - 5_000)
    part = (await real.amend(first, "005930", 4, price - 4_000)).json()["CSPAT00701OutBlock2"]
    cut = await real.cancel(first, "005930", 2)
    assert rsp(cut)[0] == "00156"
    rows = {r["ordno"]: r for r in await _rows(real)}
    assert rows[first]["ordrem"] == 4 and rows[part["OrdNo"]]["ordrem"] == 4


REJECTIONS = [
    # (what, side, code, qty, price offset or absolute, extra fields, rsp_cd, rsp_msg)
    ("below the lower limit", "buy", "005930", 1, "lower-1", {},
     "03181", "주문가격이 하한가 미달입니다."),
    ("above the upper limit", "buy", "005930", 1, "upper+1", {},
     "03180", "주문가격이 상한가 초과입니다."),
    ("off tick", "buy", "005930", 1, "base+100", {},
     "03182", "주문가격이 호가단위에 맞지 않습니다."),
    ("insufficient cash", "buy", "005930", 10_000, "base", {},
     "02705", "주문가능금액이 부족합니다."),
    ("no holdings", "sell", "247540", 1, "base", {},
     "02714", "매도가능수량이 부족합니다. 잔고가 없습니다."),
    ("more than held", "sell", "005930", 2_000, "base", {},
     "02714", "매도가능수량이 부족합니다."),
    ("unknown symbol", "buy", "999999", 1, 1_000, {},
     "01901", "종목번호를 확인하십시오. 매매할 수 없는 종목입니다."),
    ("halted", "buy", HALTED, 1, "base", {}, "03190", "거래정지 종목입니다."),
    ("zero quantity", "buy", "005930", 0, "base", {}, "03100", "주문수량을 확인하십시오."),
    ("limit without a price", "buy", "005930", 1, 0, {},
     "03101", "주문가격을 확인하십시오. 호가유형에 맞는 가격을 입력하십시오."),
    ("unknown price type", "buy", "005930", 1, "base", {"OrdprcPtnCode": "99"},
     "03103", "주문할 수 없는 호가유형입니다."),
    ("IOC on a best-same-side order", "buy", "005930", 1, 0,
     {"OrdprcPtnCode": "07", "OrdCndiTpCode": "1"}, "03103", "주문할 수 없는 호가유형입니다."),
    ("NXT for a KRX-only ETF", "buy", "069500", 1, "base", {"MbrNo": "NXT"},
     "03104", "해당 거래소에서 주문할 수 없는 호가유형입니다."),
    ("bad side code", "buy", "005930", 1, "base", {"BnsTpCode": "3"},
     "01900", "입력값을 확인하십시오."),
    ("credit order", "buy", "005930", 1, "base", {"MgntrnCode": "003"},
     "03105", "신용거래가 불가능한 계좌입니다. 신용거래코드를 확인하십시오."),
]


def _price(sim, code: str, spec) -> int:
    if isinstance(spec, int):
        return spec
    quote = sim.exchange.quote(code)
    return {"lower-1": quote.lower_limit - 1 if quote.lower_limit > 1 else 0,
            "upper+1": quote.upper_limit + 500, "base+100": quote.base + 100,
            "base": quote.base}[spec]


@pytest.mark.parametrize("what,side,code,qty,price,extra,cd,msg", REJECTIONS,
                         ids=[r[0] for r in REJECTIONS])
async def test_rejections(real, sim, what, side, code, qty, price, extra, cd, msg):
    if what == "below the lower limit":
        price = sim.exchange.quote(code).lower_limit - 100
    else:
        price = _price(sim, code, price)
    resp = await real.order(side, code, qty, price, **extra)
    assert resp.status_code == 200
    assert rsp(resp) == (cd, msg)
    body = resp.json()
    assert list(body["CSPAT00601OutBlock1"]) == OUT1_NEW
    out2 = body["CSPAT00601OutBlock2"]
    assert list(out2) == OUT2_NEW and out2["OrdNo"] == 0 and out2["RecCnt"] == 1
    assert out2["ShtnIsuNo"] == "" and out2["OrdAmt"] == 0
    assert await _rows(real) == []                      # a refused order has no number


async def test_change_rejections(real, sim):
    price = base_price(sim, "005930")
    unknown = await real.amend(123, "005930", 1, price)
    assert rsp(unknown) == ("02816", "원주문번호를 확인하십시오. 해당 주문번호가 없습니다.")
    assert unknown.json()["CSPAT00701OutBlock2"]["OrdNo"] == 0
    no = await real.ordno("buy", "005930", 5, price - 5_000)
    wrong_symbol = await real.cancel(no, "000660", 5)
    assert rsp(wrong_symbol)[0] == "02816"
    more = await real.amend(no, "005930", 6, price - 4_000)
    assert rsp(more) == ("02818", "정정수량이 원주문 잔량을 초과합니다.")
    to_market = await real.amend(no, "005930", 5, 0, ptn="03")
    assert rsp(to_market) == ("02819", "원주문의 주문조건은 정정할 수 없습니다.")
    below = await real.amend(no, "005930", 5, sim.exchange.quote("005930").lower_limit - 100)
    assert rsp(below) == ("03181", "주문가격이 하한가 미달입니다.")
    street(sim, Side.SELL, "005930", 5, price - 5_000)
    filled = await real.cancel(no, "005930", 5)
    assert rsp(filled) == ("02817", "정정/취소 가능수량이 없습니다. 원주문번호를 확인하십시오.")
    zero = await real.cancel(no, "005930", 0)
    assert rsp(zero)[0] == "03100"


async def test_market_closed_has_the_words_clients_look_for():
    night = ManualClock(datetime(2026, 11, 24, 22, 0, tzinfo=KST))
    async with make_server(clock=night, session="krx") as sim:
        async with httpx.AsyncClient(base_url=sim.urls["ls"]["rest"]) as http:
            real = await Wire(sim, "real", http).login()
            resp = await real.order("buy", "005930", 1, base_price(sim, "005930"))
            code, msg = rsp(resp)
            assert code == "03563" and "장종료" in msg and "장운영" in msg


@pytest.mark.parametrize("style,expect", [("empty", {}), ("none", None)])
async def test_reject_block_styles(style, expect):
    async with make_server(ls_options=LsOptions(reject_blocks=style)) as sim:
        async with httpx.AsyncClient(base_url=sim.urls["ls"]["rest"]) as http:
            real = await Wire(sim, "real", http).login()
            resp = await real.order("buy", "005930", 0, base_price(sim, "005930"))
            body = resp.json()
            assert body["rsp_cd"] == "03100"
            assert body.get("CSPAT00601OutBlock2") == expect


async def test_venue_codes(real, sim):
    price = base_price(sim, "005930")
    # Blank or anything but KRX/NXT is KRX (§4.1).
    for mbr in ("KRX", "", "SOR", "XYZ"):
        resp = await real.order("buy", "005930", 1, price - 10_000, mbr=mbr)
        assert rsp(resp)[0] == "00040", (mbr, resp.json())
        assert resp.json()["CSPAT00601OutBlock1"]["MbrNo"] == mbr
        assert (await _rows(real))[0]["exchname"] == "KRX"
    # NXT reaches the exchange as an NXT order; the simulated exchange is KRX's, so it refuses.
    nxt = await real.order("buy", "005930", 1, price - 10_000, mbr="NXT")
    assert rsp(nxt)[0] == "03104"


async def test_market_order_sends_price_zero_and_fills(real, sim):
    price = base_price(sim, "005930")
    street(sim, Side.SELL, "005930", 3, price)
    resp = await real.order("buy", "005930", 3, 0, ptn="03")
    assert rsp(resp)[0] == "00040"
    row = (await _rows(real))[0]
    assert (row["cheqty"], row["cheprice"], row["hogagb"], row["status"]) == (3, price, "03", "체결")


async def test_ioc_remainder_is_cancelled(real, sim):
    price = base_price(sim, "005930")
    street(sim, Side.SELL, "005930", 2, price)
    resp = await real.order("buy", "005930", 5, price, cndi="1")
    assert rsp(resp)[0] == "00040"
    row = (await _rows(real))[0]
    assert (row["cheqty"], row["ordrem"], row["ordgb"]) == (2, 0, "IOC")


async def test_mock_amend_and_cancel(mock, sim):
    price = base_price(sim, "005930")
    first = await mock.ordno("buy", "005930", 4, price - 5_000)
    bare = await mock.tr("/stock/order", "CSPAT00701", {
        "OrgOrdNo": first, "IsuNo": "005930", "OrdQty": 4, "OrdprcPtnCode": "00",
        "OrdCndiTpCode": "0", "OrdPrc": price - 4_000})
    assert rsp(bare)[0] == "01901"                   # mock: A+code here too
    amended = await mock.amend(first, "005930", 4, price - 4_000)
    assert rsp(amended) == ("00132", "정정주문이 완료되었습니다.")
    new_no = amended.json()["CSPAT00701OutBlock2"]["OrdNo"]
    cancelled = await mock.cancel(new_no, "005930", 4)
    assert rsp(cancelled) == ("00156", "취소주문이 완료되었습니다.")
    rows = {r["ordno"]: r["status"] for r in await _rows(mock)}
    assert rows == {first: "정정", new_no: "취소", cancelled.json()["CSPAT00801OutBlock2"]["OrdNo"]: "취소확인"}
