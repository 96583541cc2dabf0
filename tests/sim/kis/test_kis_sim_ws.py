"""The KIS WebSocket on the wire: ACKs, OPSP codes, AES notices, market data, PINGPONG (kis.md §5)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import websockets

from lucy_tui.sim.kis import KisOptions
from kiswire import Wire, base_price, decrypt, make_server, recv_data, recv_json, subscribe


class Notices:
    """An execution-notice subscription: decrypts records with the key/iv its ACK gave."""

    def __init__(self, ws, tr: str, key: str, iv: str):
        self.ws, self.tr, self.key, self.iv = ws, tr, key, iv

    async def next(self, n: int) -> list[list[str]]:
        out = []
        while len(out) < n:
            enc, _, count, payload = await recv_data(self.ws, self.tr)
            assert enc == "1" and count == 1
            fields = decrypt(payload, self.key, self.iv).split("^")
            assert len(fields) == 26
            out.append(fields)
        return out


async def _notice_session(wire: Wire, ws) -> Notices:
    tr = "H0STCNI0" if wire.domain == "real" else "H0STCNI9"
    ack = await subscribe(ws, wire, await wire.approval(), tr, wire.cred["hts_id"])
    assert ack["body"]["msg_cd"] == "OPSP0000"
    return Notices(ws, tr, ack["body"]["output"]["key"], ack["body"]["output"]["iv"])


async def test_subscribe_ack_carries_iv_and_key(real):
    approval = await real.approval()
    async with websockets.connect(real.ws_url()) as ws:
        ack = await subscribe(ws, real, approval, "H0STCNI0", real.cred["hts_id"])
        assert ack["header"] == {"tr_id": "H0STCNI0", "tr_key": real.cred["hts_id"], "encrypt": "Y"}
        body = ack["body"]
        assert (body["rt_cd"], body["msg_cd"], body["msg1"]) == ("0", "OPSP0000", "SUBSCRIBE SUCCESS")
        assert len(body["output"]["iv"]) == 16 and len(body["output"]["key"]) == 32
        tick = await subscribe(ws, real, await real.approval(), "H0STCNT0", "005930")
        assert tick["header"]["encrypt"] == "N"
        assert len(tick["body"]["output"]["key"]) == 32
        again = await subscribe(ws, real, approval, "H0STCNT0", "005930")
        assert (again["body"]["rt_cd"], again["body"]["msg_cd"], again["body"]["msg1"]) == \
            ("1", "OPSP0002", "ALREADY IN SUBSCRIBE")
        assert "iv" in again["body"]["output"]          # clients read it on every ACK
        await ws.send(real.subscribe_msg(approval, "H0STCNT0", "005930", tr_type="2"))
        off = await recv_json(ws)
        assert (off["body"]["msg_cd"], off["body"]["msg1"]) == ("OPSP0001", "UNSUBSCRIBE SUCCESS")
        await ws.send(real.subscribe_msg(approval, "H0STCNT0", "005930", tr_type="2"))
        assert (await recv_json(ws))["body"]["msg_cd"] == "OPSP0003"


@pytest.mark.parametrize("path", ["/", "/tryitout", "/tryitout/H0STCNT0"])
async def test_every_documented_path_serves_the_websocket(mock, path):
    async with websockets.connect(mock.ws_url(path)) as ws:
        ack = await subscribe(ws, mock, await mock.approval(), "H0STCNT0", "005930")
        assert ack["body"]["msg_cd"] == "OPSP0000"


async def test_the_42nd_registration_is_opsp0008(real):
    approval = await real.approval()
    codes = real.sim.exchange.codes()[:41]
    async with websockets.connect(real.ws_url()) as ws:
        assert (await subscribe(ws, real, approval, "H0STCNI0", real.cred["hts_id"]))["body"]["rt_cd"] == "0"
        for code in codes[:40]:
            assert (await subscribe(ws, real, approval, "H0STCNT0", code))["body"]["rt_cd"] == "0"
        over = await subscribe(ws, real, approval, "H0STCNT0", codes[40])
        assert (over["body"]["rt_cd"], over["body"]["msg_cd"], over["body"]["msg1"]) == \
            ("1", "OPSP0008", "MAX SUBSCRIBE OVER")


async def test_one_session_per_app_key(mock):
    async with websockets.connect(mock.ws_url()) as first:
        assert (await subscribe(first, mock, await mock.approval(), "H0STCNT0", "005930"))["body"]["rt_cd"] == "0"
        async with websockets.connect(mock.ws_url()) as second:
            busy = await subscribe(second, mock, await mock.approval(), "H0STCNT0", "000660")
            assert (busy["body"]["msg_cd"], busy["body"]["msg1"]) == ("OPSP8996", "ALREADY IN USE appkey")
    # Once the first session is gone the key is free again.
    await asyncio.sleep(0.05)
    async with websockets.connect(mock.ws_url()) as third:
        assert (await subscribe(third, mock, await mock.approval(), "H0STCNT0", "005930"))["body"]["rt_cd"] == "0"


async def test_domain_trs_and_bad_requests(mock):
    approval = await mock.approval()
    async with websockets.connect(mock.ws_url()) as ws:
        real_tr = await subscribe(ws, mock, approval, "H0STCNI0", mock.cred["hts_id"])
        assert real_tr["body"]["msg_cd"] == "OPSP8991"
        ack = await subscribe(ws, mock, approval, "H0STCNI9", mock.cred["hts_id"])
        assert (ack["header"]["encrypt"], ack["body"]["msg_cd"]) == ("Y", "OPSP0000")
        bad_key = await subscribe(ws, mock, "not-an-approval-key", "H0STCNT0", "005930")
        assert bad_key["body"]["msg_cd"] == "OPSP0011"
        await ws.send("this is not json")
        assert (await recv_json(ws))["body"]["msg_cd"] == "OPSP9999"


async def test_a_wrong_hts_id_drops_the_connection(real):
    async with websockets.connect(real.ws_url()) as ws:
        await ws.send(real.subscribe_msg(await real.approval(), "H0STCNI0", "someone-else"))
        with pytest.raises(websockets.ConnectionClosedError):
            await asyncio.wait_for(ws.recv(), 2)


async def test_notice_ack_partial_and_full_fill(real):
    price = base_price(real.sim, "005930")
    async with websockets.connect(real.ws_url()) as ws:
        feed = await _notice_session(real, ws)
        sell = (await real.order("sell", "005930", 4, price, second=True)).json()["output"]["ODNO"]
        (ack_b,) = await feed.next(1)
        assert ack_b[2] == sell and ack_b[4] == "01" and ack_b[1] == real.cano2 + real.prdt2
        buy = (await real.order("buy", "005930", 10, price)).json()["output"]["ODNO"]
        records = await feed.next(3)
        mine = [r for r in records if r[2] == buy]
        ack, fill = mine
        assert ack[0] == real.cred["hts_id"] and ack[1] == real.cano + real.prdt
        assert (ack[12], ack[13], ack[14], ack[5]) == ("0", "1", "1", "0")
        assert (ack[9], ack[10], ack[16], ack[25]) == ("0000000010", f"{price:09d}", "000000010", f"{price:09d}")
        assert (ack[4], ack[6], ack[7], ack[8], ack[15], ack[19]) == ("02", "00", "0", "005930", "06010", "1")
        assert ack[24] == "삼성전자" and ack[17] == real.cred["account_name"]
        assert (fill[13], fill[12], fill[9], fill[10]) == ("2", "0", "0000000004", f"{price:09d}")
        (their_fill,) = [r for r in records if r[2] == sell]
        assert (their_fill[13], their_fill[9]) == ("2", "0000000004")
        # The rest of the buy fills against a new seller.
        await real.order("sell", "005930", 6, price, second=True)
        records = await feed.next(3)
        (last,) = [r for r in records if r[2] == buy and r[13] == "2"]
        assert last[9] == "0000000006"


async def test_notice_amend_cancel_reject_and_ioc_remainder(real):
    price = base_price(real.sim, "005930")
    async with websockets.connect(real.ws_url()) as ws:
        feed = await _notice_session(real, ws)
        placed = (await real.order("buy", "005930", 10, price - 10_000)).json()["output"]["ODNO"]
        await feed.next(1)
        amended = (await real.rvsecncl(placed, "amend", price=price - 9_500)).json()["output"]["ODNO"]
        (amend,) = await feed.next(1)
        assert (amend[2], amend[3], amend[5], amend[13], amend[14]) == (amended, placed, "1", "1", "2")
        assert (amend[9], amend[10]) == ("0000000010", f"{price - 9_500:09d}")
        cancelled = (await real.rvsecncl(amended, "cancel")).json()["output"]["ODNO"]
        (cancel,) = await feed.next(1)
        assert (cancel[2], cancel[3], cancel[5], cancel[13], cancel[12]) == (cancelled, amended, "2", "1", "0")
        assert cancel[9] == "0000000010"
        await real.order("buy", "005930", 1, price + 100)          # bad tick: the exchange refuses
        (reject,) = await feed.next(1)
        assert (reject[12], reject[13], reject[9]) == ("1", "1", "0000000001")
        await real.order("sell", "005930", 3, price, second=True)
        await feed.next(1)
        ioc = (await real.order("buy", "005930", 5, price, "11")).json()["output"]["ODNO"]
        records = [r for r in await feed.next(4) if r[2] == ioc]
        assert [(r[13], r[14], r[9]) for r in records] == [
            ("1", "1", "0000000005"), ("2", "2", "0000000003"), ("1", "3", "0000000002")]
        assert records[0][7] == "1" and records[0][6] == "11"


async def test_mock_notices_use_h0stcni9(mock):
    price = base_price(mock.sim, "005930")
    async with websockets.connect(mock.ws_url()) as ws:
        feed = await _notice_session(mock, ws)
        odno = (await mock.order("buy", "005930", 1, price - 5_000)).json()["output"]["ODNO"]
        (ack,) = await feed.next(1)
        assert (ack[2], ack[15]) == (odno, "00950")


async def test_trade_ticks_are_46_fields_and_batched(mock):
    price = base_price(mock.sim, "005930")
    for step in (0, 500, 1_000):
        await mock.order("sell", "005930", 1, price + step, second=True)
    async with websockets.connect(mock.ws_url()) as ws:
        await subscribe(ws, mock, await mock.approval(), "H0STCNT0", "005930")
        await mock.order("buy", "005930", 3, price + 1_000)
        enc, _, count, payload = await recv_data(ws, "H0STCNT0")
        fields = payload.split("^")
        assert (enc, count, len(fields)) == ("0", 3, 3 * 46)
        records = [fields[i:i + 46] for i in range(0, len(fields), 46)]
        assert [r[2] for r in records] == [str(price), str(price + 500), str(price + 1_000)]
        assert [r[12] for r in records] == ["1", "1", "1"]
        assert [r[13] for r in records] == ["1", "2", "3"]
        last = records[-1]
        assert (last[0], last[3], last[4], last[21], last[33]) == \
            ("005930", "2", "1000", "1", "20261124")


async def test_order_book_frames_are_59_fields(mock):
    price = base_price(mock.sim, "005930")
    async with websockets.connect(mock.ws_url()) as ws:
        await subscribe(ws, mock, await mock.approval(), "H0STASP0", "005930")
        await mock.order("sell", "005930", 7, price + 500, second=True)
        _, _, count, payload = await recv_data(ws, "H0STASP0")
        fields = payload.split("^")
        assert count == 1 and len(fields) == 59
        assert (fields[0], fields[3], fields[23], fields[43]) == ("005930", str(price + 500), "7", "7")


async def test_pingpong_is_sent_and_client_pings_answered(mock):
    async with websockets.connect(mock.ws_url(), ping_interval=None) as ws:
        msg = await recv_json(ws, skip_ping=False)
        assert msg == {"header": {"tr_id": "PINGPONG",
                                  "datetime": mock.sim.clock.now().strftime("%Y%m%d%H%M%S")}}
        waiter = await ws.ping()
        await asyncio.wait_for(waiter, 1)


async def _pingpong_server():
    return make_server(kis_options=KisOptions(pingpong_interval=0.2, pingpong_timeout=0.15))


@pytest.mark.parametrize("answer", ["echo", "pong", "silence"])
async def test_silent_sessions_are_dropped_answering_ones_kept(answer):
    async with await _pingpong_server() as sim:
        url = sim.urls["kis"]["ws"] + "/tryitout"
        async with websockets.connect(url, ping_interval=None) as ws:
            pings = 0
            try:
                while pings < 4:
                    text = await asyncio.wait_for(ws.recv(), 1)
                    if json.loads(text)["header"]["tr_id"] != "PINGPONG":
                        continue
                    pings += 1
                    if answer == "echo":
                        await ws.send(text)
                    elif answer == "pong":
                        await ws.pong(text.encode())
                survived = True
            except websockets.ConnectionClosed:
                survived = False
        assert survived is (answer != "silence")


async def test_notices_reach_only_the_owning_domain(real, mock):
    async with websockets.connect(mock.ws_url()) as ws:
        feed = await _notice_session(mock, ws)
        await real.order("buy", "005930", 1, 250_000)
        with pytest.raises(asyncio.TimeoutError):
            await recv_data(ws, feed.tr, timeout=0.3)


async def test_cross_domain_http_client_still_fine(sim):
    # Two domains on one port: a real and a mock client side by side.
    async with httpx.AsyncClient(base_url=sim.urls["kis"]["rest"]) as http:
        real = await Wire(sim, "real", http).login()
        mock = await Wire(sim, "mock", http).login()
        assert (await real.order("buy", "005930", 1, 250_000)).json()["msg_cd"] == "APBK0013"
        assert (await mock.order("buy", "005930", 1, 250_000)).json()["msg_cd"] == "40600000"


async def test_market_cls_code_switch_adds_a_47th_field():
    async with make_server(kis_options=KisOptions(pingpong_interval=5, market_cls_code=True)) as sim:
        async with httpx.AsyncClient(base_url=sim.urls["kis"]["rest"]) as http:
            mock = await Wire(sim, "mock", http).login()
            price = base_price(sim, "005930")
            await mock.order("sell", "005930", 1, price, second=True)
            async with websockets.connect(mock.ws_url()) as ws:
                await subscribe(ws, mock, await mock.approval(), "H0STCNT0", "005930")
                await mock.order("buy", "005930", 1, price)
                _, _, count, payload = await recv_data(ws, "H0STCNT0")
                assert count == 1 and len(payload.split("^")) == 47
