"""The LS WebSocket on the wire: token in every message, account registration, SC0–SC4 layouts
and order, registrations lost on reconnect, S3_ vs K3_ (ls.md §5)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import websockets

from lucy_tui.domain.model import Side
from lucy_tui.sim.ls import LsOptions
from lswire import Wire, base_price, frames, make_server, recv, register, silence, street

# Typed from ls.md §5.2 (the XING struct order); not imported from the code under test.
HEADER = ("lineseq accno user len gubun compress encrypt offset trcode comid userid media ifid "
          "seq trid pubip prvip pcbpno bpno termno lang proctm msgcode outgu compreq funckey "
          "reqcnt filler cont contkey varlen varhdlen varmsglen trsrc eventid ifinfo filler1").split()
SC0 = HEADER + (
    "ordchegb marketgb ordgb orgordno accno1 accno2 passwd expcode shtcode hname ordqty ordprice "
    "hogagb etfhogagb pgmtype gmhogagb gmhogayn singb loandt cvrgordtp strtgcode groupid "
    "ordseqno prtno basketno trchno itemno brwmgmyn mbrno procgb admbrchno futaccno futmarketgb "
    "tongsingb lpgb dummy ordno ordtm prntordno mgempno orgordundrqty orgordmdfyqty "
    "ordordcancelqty nmcpysndno ordamt bnstp spareordno cvrgseqno rsvordno mtordseqno "
    "spareordqty orduserid spotordqty ordruseqty mnyordamt ordsubstamt ruseordamt ordcmsnamt "
    "crdtuseamt secbalqty spotordableqty ordableruseqty flctqty secbalqtyd2 sellableqty "
    "unercsellordqty avrpchsprc pchsamt deposit substamt csgnmnymgn csgnsubstmgn "
    "crdtpldgruseamt ordablemny ordablesubstamt ruseableamt").split()
SC1 = HEADER + (
    "ordxctptncode ordmktcode ordptncode mgmtbrnno accno1 accno2 acntnm Isuno Isunm ordno "
    "orgordno execno ordqty ordprc execqty execprc mdfycnfqty mdfycnfprc canccnfqty rjtqty "
    "ordtrxptncode mtiordseqno ordcndi ordprcptncode nsavtrdqty shtnIsuno opdrtnno cvrgordtp "
    "unercqty orgordunercqty orgordmdfyqty orgordcancqty ordavrexecprc ordamt stdIsuno "
    "bfstdIsuno bnstp ordtrdptncode mgntrncode adduptp commdacode Loandt mbrnmbrno ordacntno "
    "agrgbrnno mgempno futsLnkbrnno futsLnkacntno futsmkttp regmktcode mnymgnrat substmgnrat "
    "mnyexecamt ubstexecamt cmsnamtexecamt crdtpldgexecamt crdtexecamt prdayruseexecval "
    "crdayruseexecval spotexecqty stslexecqty strtgcode grpId ordseqno ptflno bskno trchno "
    "itemno orduserId brwmgmtYn frgrunqno trtzxLevytp lptp exectime rcptexectime rmndLoanamt "
    "secbalqty spotordableqty ordableruseqty flctqty secbalqtyd2 sellableqty unercsellordqty "
    "avrpchsprc pchsant deposit substamt csgnmnymgn csgnsubstmgn crdtpldgruseamt ordablemny "
    "ordablesubstamt ruseableamt").split()
S3 = ("chetime sign change drate price opentime open hightime high lowtime low cgubun cvolume "
      "volume value mdvolume mdchecnt msvolume mschecnt cpower w_avrg offerho bidho status "
      "jnilvolume shcode exchname").split()
SC_TRS = ("SC0", "SC1", "SC2", "SC3", "SC4")


def check_layout(frame: dict) -> dict:
    tr, body = frame["header"]["tr_cd"], frame["body"]
    assert frame["header"] == {"tr_cd": tr}                  # account pushes: tr_cd only
    assert list(body) == (SC0 if tr == "SC0" else SC1)
    assert all(isinstance(v, str) for v in body.values())
    return body


async def account_socket(wire: Wire, ws, tr_cd: str = "SC1") -> None:
    ack = await register(ws, wire, "1", tr_cd)
    assert ack == {"header": {"tr_cd": tr_cd, "tr_key": "", "tr_type": "1", "rsp_cd": "00000",
                              "rsp_msg": ack["header"]["rsp_msg"]}}


async def test_every_message_needs_the_token(real, sim):
    async with websockets.connect(real.ws_url()) as ws:
        await ws.send(real.ws_msg("1", "SC1", token=""))
        missing = await recv(ws)
        assert "body" not in missing
        assert (missing["header"]["rsp_cd"], missing["header"]["rsp_msg"]) == \
            ("IGW00122", "token을 찾을 수 없습니다")
        await ws.send(real.ws_msg("3", "S3_", "005930", token="not-a-token"))
        assert (await recv(ws))["header"]["rsp_cd"] == "IGW00121"
        old = real.token
        await real.login()
        await ws.send(real.ws_msg("3", "S3_", "005930", token=old))
        assert (await recv(ws))["header"]["rsp_cd"] == "IGW00121"    # superseded token
        ok = await register(ws, real, "3", "S3_", "005930")
        assert ok["header"]["rsp_cd"] == "00000" and ok["header"]["tr_type"] == "3"
        await ws.send("not json")
        assert (await recv(ws))["header"]["rsp_cd"] != "00000"
        bad_type = await register(ws, real, "9", "S3_", "005930")
        assert bad_type["header"]["rsp_cd"] != "00000"
        wrong = await register(ws, real, "1", "S3_", "")
        assert wrong["header"]["rsp_cd"] != "00000"


async def test_accept_partial_full_fill_amend_cancel(real, real_b, sim):
    price = base_price(sim, "005930")
    async with websockets.connect(real.ws_url()) as ws:
        await account_socket(real, ws)                      # one registration, SC1 only
        buy = await real.ordno("buy", "005930", 10, price)
        (accepted,) = await frames(ws, 1)
        assert accepted["header"]["tr_cd"] == "SC0"
        sc0 = check_layout(accepted)
        assert (sc0["ordchegb"], sc0["trcode"], sc0["msgcode"], sc0["ordno"], sc0["prntordno"]) == \
            ("01", "SONAT000", "0040", str(buy), str(buy))
        assert (sc0["ordgb"], sc0["bnstp"], sc0["shtcode"], sc0["ordqty"], sc0["ordprice"]) == \
            ("02", "2", "A005930", "10", str(price))
        assert (sc0["accno"], sc0["accno1"], sc0["expcode"]) == \
            (real.cred["account"], real.cred["account"], "KR7005930003")
        assert sc0["secbalqty"] == "0"                       # "실서버 데이터 미제공" on real
        await real_b.order("sell", "005930", 4, price)
        (part,) = await frames(ws, 1)
        fill = check_layout(part)
        assert part["header"]["tr_cd"] == "SC1"
        assert (fill["ordxctptncode"], fill["trcode"], fill["msgcode"], fill["ordno"]) == \
            ("11", "SONAS100", "9999", str(buy))
        assert (fill["execqty"], fill["execprc"], fill["unercqty"], fill["orgordno"]) == \
            ("4", str(price), "6", "0")
        assert (fill["shtnIsuno"], fill["Isuno"], fill["bnstp"], fill["ordmktcode"]) == \
            ("A005930", "KR7005930003", "2", "10")
        assert fill["mnyexecamt"] == str(4 * price) and len(fill["exectime"]) == 9
        street(sim, Side.SELL, "005930", 6, price)
        (full,) = await frames(ws, 1)
        last = check_layout(full)
        assert (last["execqty"], last["unercqty"], last["ordavrexecprc"]) == ("6", "0", str(price))
        assert last["execno"] != fill["execno"]              # one execno per fill

        resting = await real.ordno("buy", "005930", 5, price - 5_000)
        await frames(ws, 1)
        amend = (await real.amend(resting, "005930", 5, price - 4_000)).json()
        new_no = amend["CSPAT00701OutBlock2"]["OrdNo"]
        sc0_amend, sc2 = await frames(ws, 2)
        assert [sc0_amend["header"]["tr_cd"], sc2["header"]["tr_cd"]] == ["SC0", "SC2"]
        assert (check_layout(sc0_amend)["ordchegb"], sc0_amend["body"]["trcode"]) == \
            ("02", "SONAT001")
        body = check_layout(sc2)
        assert (body["ordxctptncode"], body["ordno"], body["orgordno"]) == \
            ("12", str(new_no), str(resting))
        assert (body["mdfycnfqty"], body["mdfycnfprc"], body["unercqty"]) == \
            ("5", str(price - 4_000), "5")
        cancel = (await real.cancel(new_no, "005930", 5)).json()["CSPAT00801OutBlock2"]["OrdNo"]
        sc0_cancel, sc3 = await frames(ws, 2)
        assert (check_layout(sc0_cancel)["ordchegb"], sc0_cancel["body"]["trcode"]) == \
            ("03", "SONAT002")
        body = check_layout(sc3)
        assert sc3["header"]["tr_cd"] == "SC3"
        assert (body["ordxctptncode"], body["ordno"], body["orgordno"], body["canccnfqty"],
                body["unercqty"]) == ("13", str(cancel), str(new_no), "5", "0")


async def test_reject_as_sc4_is_an_option():
    async with make_server(ls_options=LsOptions(exchange_rejects="sc4")) as sim:
        async with httpx.AsyncClient(base_url=sim.urls["ls"]["rest"]) as http:
            real = await Wire(sim, "real", http).login()
            async with websockets.connect(real.ws_url()) as ws:
                await account_socket(real, ws, "SC4")
                off_tick = base_price(sim, "005930") + 100
                resp = (await real.order("buy", "005930", 3, off_tick)).json()
                assert resp["rsp_cd"] == "00040"
                number = resp["CSPAT00601OutBlock2"]["OrdNo"]
                sc0, sc4 = await frames(ws, 2)
                assert [sc0["header"]["tr_cd"], sc4["header"]["tr_cd"]] == ["SC0", "SC4"]
                body = check_layout(sc4)
                assert (body["ordxctptncode"], body["ordno"], body["rjtqty"], body["unercqty"]) == \
                    ("14", str(number), "3", "0")
                assert body["msgcode"] == "3182"
            rows = (await real.t0425()).json()["t0425OutBlock1"]
            assert [(r["ordno"], r["status"]) for r in rows] == [(number, "거부")]


async def test_default_rejects_push_nothing(real, sim):
    async with websockets.connect(real.ws_url()) as ws:
        await account_socket(real, ws)
        resp = await real.order("buy", "005930", 3, base_price(sim, "005930") + 100)
        assert resp.json()["rsp_cd"] == "03182"
        await silence(ws)


async def test_registration_per_tr_and_one_unregister(mock, sim):
    price = base_price(sim, "005930")
    async with websockets.connect(mock.ws_url()) as ws:
        for tr in SC_TRS:
            await account_socket(mock, ws, tr)
        await mock.ordno("buy", "005930", 1, price - 1_000)
        (sc0,) = await frames(ws, 1)
        body = check_layout(sc0)
        assert body["secbalqty"] == "1000" and body["deposit"] == "1000000000"   # mock fills them
        off = await register(ws, mock, "2", "SC0")
        assert off["header"]["rsp_cd"] == "00000" and off["header"]["tr_type"] == "2"
        await mock.ordno("buy", "005930", 1, price - 2_000)
        await silence(ws)


async def test_registrations_are_lost_on_reconnect(real, sim):
    price = base_price(sim, "005930")
    async with websockets.connect(real.ws_url()) as ws:
        await account_socket(real, ws)
        await register(ws, real, "3", "S3_", "005930")
    async with websockets.connect(real.ws_url()) as ws:
        await real.ordno("buy", "005930", 1, price)
        street(sim, Side.SELL, "005930", 1, price)
        await silence(ws)
        await account_socket(real, ws)
        await real.ordno("buy", "005930", 1, price - 1_000)
        assert (await frames(ws, 1))[0]["header"]["tr_cd"] == "SC0"


async def test_events_reach_only_their_account(real, real_b, sim):
    async with websockets.connect(real.ws_url()) as ws:
        await account_socket(real, ws)
        await real_b.ordno("buy", "005930", 1, base_price(sim, "005930") - 1_000)
        await silence(ws)


async def test_s3_for_kospi_k3_for_kosdaq(real, sim):
    samsung, ecopro = base_price(sim, "005930"), base_price(sim, "247540")
    async with websockets.connect(real.ws_url("/websocket/stock")) as ws:
        assert (await register(ws, real, "3", "S3_", "005930"))["header"]["rsp_cd"] == "00000"
        wrong = await register(ws, real, "3", "S3_", "247540")
        assert wrong["header"]["rsp_cd"] == "00000"              # accepted, and then nothing
        street(sim, Side.SELL, "247540", 2, ecopro)
        street(sim, Side.BUY, "247540", 2, ecopro)
        await silence(ws)
        street(sim, Side.SELL, "005930", 3, samsung + 500)
        street(sim, Side.BUY, "005930", 3, samsung + 500)
        (tick,) = await frames(ws, 1)
        assert tick["header"] == {"tr_cd": "S3_", "tr_key": "005930"}
        body = tick["body"]
        assert list(body) == S3 and all(isinstance(v, str) for v in body.values())
        assert (body["price"], body["sign"], body["change"], body["cvolume"], body["cgubun"]) == \
            (str(samsung + 500), "2", "500", "3", "+")
        assert (body["shcode"], body["status"], body["exchname"], body["volume"]) == \
            ("005930", "00", "KRX", "3")
        assert (await register(ws, real, "3", "K3_", "247540"))["header"]["rsp_cd"] == "00000"
        street(sim, Side.BUY, "247540", 1, ecopro + 500)
        street(sim, Side.SELL, "247540", 1, ecopro + 500)
        (kosdaq,) = await frames(ws, 1)
        assert kosdaq["header"] == {"tr_cd": "K3_", "tr_key": "247540"}
        assert kosdaq["body"]["cgubun"] == "-" and list(kosdaq["body"]) == S3
        off = await register(ws, real, "4", "K3_", "247540")
        assert off["header"]["rsp_cd"] == "00000"
        street(sim, Side.BUY, "247540", 1, ecopro + 500)
        street(sim, Side.SELL, "247540", 1, ecopro + 500)
        await silence(ws)


async def test_protocol_pings_are_answered_and_none_are_sent(real):
    async with websockets.connect(real.ws_url(), ping_interval=None) as ws:
        waiter = await ws.ping()
        await asyncio.wait_for(waiter, 1)
        await silence(ws, 0.3)


@pytest.mark.parametrize("path", ["/websocket", "/websocket/stock"])
async def test_both_paths(mock, path):
    async with websockets.connect(mock.ws_url(path)) as ws:
        ack = await register(ws, mock, "3", "S3_", "005930")
        assert json.dumps(ack["header"]["rsp_cd"]) == '"00000"'
