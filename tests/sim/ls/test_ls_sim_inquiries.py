"""Account and market TRs: t0425 paging, t0424, CSPAQ12200, CSPAQ13700, t1102, t8436
(ls.md §3.5, §4.5-4.11)."""

from __future__ import annotations

import httpx

from lucy_tui.domain.model import Side
from lucy_tui.sim.ls import LsOptions
from lswire import ACCNO, ETC, MARKET, Wire, base_price, make_server, street

T0425_ROW = ["ordno", "expcode", "medosu", "qty", "price", "cheqty", "cheprice", "ordrem",
             "cfmqty", "status", "orgordno", "ordgb", "ordtime", "ordermtd", "sysprocseq",
             "hogagb", "price1", "orggb", "singb", "loandt", "exchname"]
T0425_OUT = ["tqty", "tcheqty", "tordrem", "cmss", "tamt", "tmdamt", "tmsamt", "tax", "cts_ordno"]
T0424_ROW = ["expcode", "jangb", "janqty", "mdposqt", "pamt", "mamt", "sinamt", "lastdt", "msat",
             "mpms", "mdat", "mpmd", "jsat", "jpms", "jdat", "jpmd", "sysprocseq", "loandt",
             "hname", "marketgb", "jonggb", "janrt", "price", "appamt", "dtsunik", "sunikrt",
             "fee", "tax", "sininter"]
T8436_ROW = ["hname", "shcode", "expcode", "etfgubun", "uplmtprice", "dnlmtprice", "jnilclose",
             "memedan", "recprice", "gubun", "bu12gubun", "spac_gubun", "filler"]


async def _paged_server(**options):
    sizes = {"t0425": 3, "t0424": 2, "CSPAQ13700": 2}
    return make_server(ls_options=LsOptions(page_sizes=sizes, **options))


async def _place(wire: Wire, sim, n: int) -> list[int]:
    price = base_price(sim, "005930")
    return [await wire.ordno("buy", "005930", 1, price - 1_000 * (i + 1)) for i in range(n)]


async def test_t0425_pages_with_tr_cont_and_cts_ordno():
    async with await _paged_server() as sim:
        async with httpx.AsyncClient(base_url=sim.urls["ls"]["rest"]) as http:
            real = await Wire(sim, "real", http).login()
            numbers = await _place(real, sim, 7)
            first = await real.t0425()
            body = first.json()
            assert (body["rsp_cd"], body["rsp_msg"]) == ("00000", "조회가 완료되었습니다.")
            assert list(body["t0425OutBlock"]) == T0425_OUT
            rows = body["t0425OutBlock1"]
            assert [list(r) for r in rows] == [T0425_ROW] * 3
            assert [r["ordno"] for r in rows] == numbers[::-1][:3]            # newest first
            assert first.headers["tr_cont"] == "Y"
            key = first.headers["tr_cont_key"]
            assert key and len(key) <= 18
            cursor = body["t0425OutBlock"]["cts_ordno"]
            assert cursor == str(rows[-1]["ordno"])
            assert body["t0425OutBlock"]["tqty"] == 7                        # totals of all pages
            seen = [r["ordno"] for r in rows]
            while True:
                resp = await real.t0425(cts_ordno=cursor, tr_cont="Y", tr_cont_key=key)
                out = resp.json()
                seen += [r["ordno"] for r in out["t0425OutBlock1"]]
                if resp.headers["tr_cont"] == "N":
                    assert resp.headers["tr_cont_key"] == ""
                    assert out["t0425OutBlock"]["cts_ordno"] == ""
                    break
                cursor, key = out["t0425OutBlock"]["cts_ordno"], resp.headers["tr_cont_key"]
            assert seen == numbers[::-1]
            oldest = await real.t0425(sortgb="2")
            assert [r["ordno"] for r in oldest.json()["t0425OutBlock1"]] == numbers[:3]


async def test_strict_continuation_needs_the_key():
    async with await _paged_server(strict_cont_key=True) as sim:
        async with httpx.AsyncClient(base_url=sim.urls["ls"]["rest"]) as http:
            real = await Wire(sim, "real", http).login()
            numbers = await _place(real, sim, 4)
            first = await real.t0425()
            cursor = first.json()["t0425OutBlock"]["cts_ordno"]
            without = await real.t0425(cts_ordno=cursor)
            assert without.json()["t0425OutBlock1"][0]["ordno"] == numbers[-1]   # starts over
            keyed = await real.t0425(cts_ordno=cursor, tr_cont="Y",
                                     tr_cont_key=first.headers["tr_cont_key"])
            assert [r["ordno"] for r in keyed.json()["t0425OutBlock1"]] == [numbers[0]]


async def test_t0425_rows_filters_and_fills(real, sim):
    price = base_price(sim, "005930")
    buy = await real.ordno("buy", "005930", 5, price)
    sell = await real.ordno("sell", "000660", 3, base_price(sim, "000660") + 10_000)
    street(sim, Side.SELL, "005930", 2, price)
    rows = {r["ordno"]: r for r in (await real.t0425()).json()["t0425OutBlock1"]}
    b = rows[buy]
    assert (b["medosu"], b["qty"], b["price"], b["cheqty"], b["cheprice"], b["ordrem"]) == \
        ("매수", 5, price, 2, price, 3)
    assert (b["status"], b["ordgb"], b["hogagb"], b["orggb"], b["ordermtd"]) == \
        ("부분체결", "보통", "00", "02", "씽(Xing)-F")
    assert len(b["ordtime"]) == 8 and b["price1"] == price
    assert rows[sell]["medosu"] == "매도" and rows[sell]["status"] == "접수"
    only_sells = (await real.t0425(medosu="1")).json()["t0425OutBlock1"]
    assert [r["ordno"] for r in only_sells] == [sell]
    filled = (await real.t0425(chegb="1")).json()["t0425OutBlock1"]
    assert [r["ordno"] for r in filled] == [buy]
    by_code = (await real.t0425(expcode="000660")).json()["t0425OutBlock1"]
    assert [r["ordno"] for r in by_code] == [sell]
    summary = (await real.t0425()).json()["t0425OutBlock"]
    assert (summary["tcheqty"], summary["tmsamt"], summary["tmdamt"]) == (2, 2 * price, 0)
    assert summary["cmss"] > 0


async def test_t0425_empty_and_mock_text(mock):
    body = (await mock.t0425()).json()
    assert (body["rsp_cd"], body["rsp_msg"]) == ("00000", "모의투자 해당자료가 없습니다.")
    assert body["t0425OutBlock1"] == []


async def test_t0424_positions(real, sim):
    price = base_price(sim, "005930")
    await real.ordno("sell", "005930", 100, price + 5_000)
    resp = await real.tr(ACCNO, "t0424", {"prcgb": "1", "chegb": "2", "dangb": "0",
                                          "charge": "1", "cts_expcode": ""})
    body = resp.json()
    assert body["rsp_cd"] == "00000" and resp.headers["tr_cont"] == "N"
    rows = {r["expcode"]: r for r in body["t0424OutBlock1"]}
    assert set(rows) == {"005930", "000660", "035420", "069500"}
    s = rows["005930"]
    assert list(s) == T0424_ROW
    assert (s["janqty"], s["mdposqt"], s["hname"], s["price"]) == (1_000, 900, "삼성전자", price)
    assert s["mamt"] == 1_000 * s["pamt"] and isinstance(s["sunikrt"], str)
    assert s["appamt"] < 1_000 * price                     # charge=1: sell costs deducted
    out = body["t0424OutBlock"]
    assert out["tappamt"] == sum(r["appamt"] for r in rows.values())
    assert out["mamt"] == sum(r["mamt"] for r in rows.values())


async def test_t0424_pages_by_cts_expcode():
    async with await _paged_server() as sim:
        async with httpx.AsyncClient(base_url=sim.urls["ls"]["rest"]) as http:
            real = await Wire(sim, "real", http).login()
            block = {"prcgb": "1", "chegb": "2", "dangb": "0", "charge": "0", "cts_expcode": ""}
            first = await real.tr(ACCNO, "t0424", block)
            rows = first.json()["t0424OutBlock1"]
            assert first.headers["tr_cont"] == "Y" and len(rows) == 2
            cursor = first.json()["t0424OutBlock"]["cts_expcode"]
            assert cursor == rows[-1]["expcode"]
            second = await real.tr(ACCNO, "t0424", dict(block, cts_expcode=cursor), tr_cont="Y",
                                   tr_cont_key=first.headers["tr_cont_key"])
            codes = [r["expcode"] for r in rows + second.json()["t0424OutBlock1"]]
            assert codes == sorted({"005930", "000660", "035420", "069500"})
            assert second.headers["tr_cont"] == "N"


async def test_cspaq12200_buying_power(mock, sim):
    before = (await mock.tr(ACCNO, "CSPAQ12200", {"BalCreTp": "0"})).json()
    assert (before["rsp_cd"], before["rsp_msg"]) == ("00136", "모의투자 조회가 완료되었습니다.")
    out1, out2 = before["CSPAQ12200OutBlock1"], before["CSPAQ12200OutBlock2"]
    assert out1["AcntNo"] == mock.cred["account"]
    assert out2["MnyOrdAbleAmt"] == out2["Dps"] == out2["D2Dps"] == 1_000_000_000
    assert out2["PnlRat"].count(".") == 1 and out2["ChgAfPldgRat"] == "0.000"
    price = base_price(sim, "005930")
    await mock.ordno("buy", "005930", 10, price)
    after = (await mock.tr(ACCNO, "CSPAQ12200", {"BalCreTp": "0"})).json()["CSPAQ12200OutBlock2"]
    assert after["MnyOrdAbleAmt"] < 1_000_000_000 - 10 * price
    assert after["Dps"] == 1_000_000_000


async def test_cspaq13700_rows_empty_and_header_paging():
    async with await _paged_server() as sim:
        async with httpx.AsyncClient(base_url=sim.urls["ls"]["rest"]) as http:
            real = await Wire(sim, "real", http).login()
            block = {"OrdMktCode": "00", "BnsTpCode": "0", "IsuNo": "", "ExecYn": "0",
                     "OrdDt": "20261124", "SrtOrdNo2": 999999999, "BkseqTpCode": "0",
                     "OrdPtnCode": "00"}
            empty = (await real.tr(ACCNO, "CSPAQ13700", block)).json()
            assert (empty["rsp_cd"], empty["rsp_msg"]) == ("00200", "조회내역이 없습니다.")
            assert empty["CSPAQ13700OutBlock3"] == []
            numbers = await _place(real, sim, 3)
            first = await real.tr(ACCNO, "CSPAQ13700", block)
            body = first.json()
            assert body["rsp_cd"] == "00136" and first.headers["tr_cont"] == "Y"
            assert [r["OrdNo"] for r in body["CSPAQ13700OutBlock3"]] == numbers[::-1][:2]
            row = body["CSPAQ13700OutBlock3"][0]
            assert (row["IsuNo"], row["BnsTpCode"], row["BnsTpNm"], row["OrdprcPtnCode"]) == \
                ("A005930", "2", "매수", "00")
            assert row["OrdPrc"].endswith(".00") and len(row["OrdTime"]) == 9
            assert body["CSPAQ13700OutBlock2"]["BuyOrdQty"] == 3
            more = await real.tr(ACCNO, "CSPAQ13700", block, tr_cont="Y",
                                 tr_cont_key=first.headers["tr_cont_key"])
            assert [r["OrdNo"] for r in more.json()["CSPAQ13700OutBlock3"]] == [numbers[0]]
            assert more.headers["tr_cont"] == "N"
            other_day = (await real.tr(ACCNO, "CSPAQ13700", dict(block, OrdDt="20261123"))).json()
            assert other_day["rsp_cd"] == "00200"


async def test_t1102_quote(real, sim):
    resp = await real.tr(MARKET, "t1102", {"shcode": "005930", "exchgubun": "K"})
    body = resp.json()
    assert body["rsp_cd"] == "00000"
    out = body["t1102OutBlock"]
    assert list(out)[:12] == ["hname", "price", "sign", "change", "diff", "volume", "recprice",
                              "avg", "uplmtprice", "dnlmtprice", "jnilvolume", "volumediff"]
    for name in ("krx_mcls_price", "nxt_janginfo", "shterm_text", "svi_uplmtprice", "info5"):
        assert name in out
    quote = sim.exchange.quote("005930")
    assert (out["hname"], out["price"], out["recprice"], out["sign"], out["diff"]) == \
        ("삼성전자", quote.base, quote.base, "3", "0.00")
    assert (out["uplmtprice"], out["dnlmtprice"], out["shcode"]) == \
        (quote.upper_limit, quote.lower_limit, "005930")
    street(sim, Side.SELL, "005930", 1, quote.base - 500)
    street(sim, Side.BUY, "005930", 1, quote.base - 500)
    moved = (await real.tr(MARKET, "t1102", {"shcode": "005930", "exchgubun": ""})).json()
    out = moved["t1102OutBlock"]
    assert (out["price"], out["sign"], out["change"], out["volume"]) == (quote.base - 500, "5", 500, 1)
    assert out["diff"].startswith("-")
    missing = (await real.tr(MARKET, "t1102", {"shcode": "999999", "exchgubun": "K"})).json()
    assert missing["rsp_msg"] == "해당자료가 없습니다." and "t1102OutBlock" not in missing


async def test_t8436_master(real, sim):
    every = (await real.tr(ETC, "t8436", {"gubun": "0"})).json()["t8436OutBlock"]
    kospi = (await real.tr(ETC, "t8436", {"gubun": "1"})).json()["t8436OutBlock"]
    kosdaq = (await real.tr(ETC, "t8436", {"gubun": "2"})).json()["t8436OutBlock"]
    assert len(every) == len(kospi) + len(kosdaq) == len(sim.exchange.codes())
    assert {r["gubun"] for r in kospi} == {"1"} and {r["gubun"] for r in kosdaq} == {"2"}
    rows = {r["shcode"]: r for r in every}
    samsung = rows["005930"]
    assert list(samsung) == T8436_ROW
    quote = sim.exchange.quote("005930")
    assert (samsung["expcode"], samsung["etfgubun"], samsung["memedan"]) == \
        ("KR7005930003", "0", "00001")
    assert (samsung["uplmtprice"], samsung["dnlmtprice"], samsung["recprice"]) == \
        (quote.upper_limit, quote.lower_limit, quote.base)
    assert rows["069500"]["etfgubun"] == "1" and rows["247540"]["gubun"] == "2"
