"""The fault switchboard as the KIS front carries it out: in-process and over /__sim/faults."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest
import websockets

from kiswire import DAILY_CCLD, PRICE, recv_json, subscribe

PRICE_Q = {"FID_COND_MRKT_DIV_CODE": "J", "FID_INPUT_ISCD": "005930"}
RATE = {"rt_cd": "1", "msg_cd": "EGW00201", "msg1": "초당 거래건수를 초과하였습니다."}


async def test_forced_rate_limit_answers_only_what_matches(real):
    real.sim.faults.rate_limit(2, key="FHKST01010100")
    first = await real.get(PRICE, "FHKST01010100", PRICE_Q)
    assert (first.status_code, first.json()) == (500, RATE)
    order = await real.order("buy", "005930", 1, 260_000)       # another tr: untouched
    assert order.json()["rt_cd"] == "0"
    second = await real.get(PRICE, "FHKST01010100", PRICE_Q)
    assert second.status_code == 500
    assert (await real.get(PRICE, "FHKST01010100", PRICE_Q)).status_code == 200


async def test_remote_control_over_http(mock, http):
    url = mock.sim.urls["kis"]["faults"]
    armed = await http.post(url, json={"action": "rate_limit", "count": 1, "key": "VTTC0012U"})
    assert armed.status_code == 200
    assert armed.json()["armed"] == [{"kind": "rate_limit", "remaining": 1, "key": "VTTC0012U"}]
    resp = await mock.order("buy", "005930", 1, 260_000)
    assert (resp.status_code, resp.json()) == (500, RATE)
    assert (await http.get(url)).json()["armed"] == []
    assert (await mock.order("buy", "005930", 1, 260_000)).json()["msg_cd"] == "40600000"
    bad = await http.post(url, json={"action": "explode"})
    assert bad.status_code == 400


async def test_stall_delays_the_answer_but_the_order_works(mock):
    mock.sim.faults.stall(0.3, key="VTTC0012U")
    started = time.monotonic()
    resp = await mock.order("buy", "005930", 1, 260_000)
    assert time.monotonic() - started >= 0.3
    assert resp.json()["msg_cd"] == "40600000"


async def test_stall_forever_times_the_client_out_and_the_order_is_live(mock):
    mock.sim.faults.stall(None, path="/uapi/domestic-stock/v1/trading/order-cash")
    with pytest.raises(httpx.ReadTimeout):
        await mock.http.post("/uapi/domestic-stock/v1/trading/order-cash", timeout=0.3,
                             headers=mock.headers("VTTC0012U"), json={
                                 "CANO": mock.cano, "ACNT_PRDT_CD": mock.prdt, "PDNO": "005930",
                                 "ORD_DVSN": "00", "ORD_QTY": "3", "ORD_UNPR": "260000"})
    mock.sim.clock.advance(1)
    rows = (await mock.get(DAILY_CCLD, "VTTC0081R", {
        "CANO": mock.cano, "ACNT_PRDT_CD": mock.prdt, "INQR_STRT_DT": "20261124",
        "INQR_END_DT": "20261124", "SLL_BUY_DVSN_CD": "00", "INQR_DVSN": "00", "CCLD_DVSN": "00",
        "CTX_AREA_FK100": "", "CTX_AREA_NK100": ""})).json()["output1"]
    assert [(r["ord_qty"], r["rmn_qty"]) for r in rows] == [("3", "3")]


async def test_expired_tokens_then_reissue_after_a_minute(real):
    assert real.sim.faults.expire_tokens() == 1
    resp = await real.get(PRICE, "FHKST01010100", PRICE_Q)
    assert resp.status_code == 500 and resp.json()["msg_cd"] == "EGW00123"
    again = await real.issue_token()
    assert again.status_code == 403 and again.json()["error_code"] == "EGW00133"
    real.sim.clock.advance(60)
    await real.login()
    assert (await real.get(PRICE, "FHKST01010100", PRICE_Q)).status_code == 200


async def test_invalidated_tokens_sticky_or_not(real, mock):
    mock.sim.faults.invalidate_tokens(sticky=True)
    resp = await real.get(PRICE, "FHKST01010100", PRICE_Q)
    assert resp.status_code == 500 and resp.json()["msg_cd"] == "EGW00121"
    # Sticky: within its 6 hours tokenP keeps handing out the dead token (kis.md §2.1 anecdote).
    assert (await mock.issue_token()).json()["access_token"] == mock.token
    real.sim.faults.invalidate_tokens()
    real.sim.clock.advance(60)
    fresh = (await real.issue_token()).json()["access_token"]
    assert fresh != real.token


async def test_drop_websockets_cuts_or_closes(mock):
    for clean in (False, True):
        async with websockets.connect(mock.ws_url()) as ws:
            await subscribe(ws, mock, await mock.approval(), "H0STCNT0", "005930")
            assert mock.sim.faults.drop_websockets(clean=clean) == 1
            with pytest.raises(websockets.ConnectionClosed) as info:
                await asyncio.wait_for(ws.recv(), 2)
            if clean:
                assert info.value.rcvd is not None and info.value.rcvd.code == 1001
            else:
                assert info.value.rcvd is None          # no close frame: a cut connection
        await asyncio.sleep(0.05)


async def test_malformed_frame_now_and_over_http(mock, http):
    async with websockets.connect(mock.ws_url()) as ws:
        await subscribe(ws, mock, await mock.approval(), "H0STCNT0", "005930")
        assert mock.sim.faults.malformed_frame() == 1
        text = await asyncio.wait_for(ws.recv(), 2)
        enc, tr, count, payload = text.split("|", 3)
        assert (enc, tr, count) == ("0", "H0STCNT0", "001") and len(payload.split("^")) != 46
        resp = await http.post(mock.sim.urls["kis"]["faults"], json={"action": "malformed_frame"})
        assert resp.json()["affected"] == 1
        assert len((await asyncio.wait_for(ws.recv(), 2)).split("^")) != 46


async def test_malformed_frame_waits_for_a_session(mock):
    assert mock.sim.faults.malformed_frame() == 0
    async with websockets.connect(mock.ws_url()) as ws:
        await subscribe(ws, mock, await mock.approval(), "H0STASP0", "005930")
        await mock.order("buy", "005930", 1, 260_000)
        bad = await asyncio.wait_for(ws.recv(), 2)
        good = await asyncio.wait_for(ws.recv(), 2)
        assert len(bad.split("|", 3)[3].split("^")) != 59
        assert len(good.split("|", 3)[3].split("^")) == 59


async def test_reset_disarms(real):
    real.sim.faults.rate_limit(5)
    real.sim.faults.reset()
    assert (await real.get(PRICE, "FHKST01010100", PRICE_Q)).status_code == 200
    assert real.sim.faults.state()["armed"] == []


async def test_malformed_frame_to_a_session_without_subscriptions_is_broken_json(mock):
    async with websockets.connect(mock.ws_url()) as ws:
        assert mock.sim.faults.malformed_frame() == 1
        junk = await asyncio.wait_for(ws.recv(), 2)
        with pytest.raises(ValueError):
            json.loads(junk)
        ack = await subscribe(ws, mock, await mock.approval(), "H0STCNT0", "005930")
        assert ack["body"]["msg_cd"] == "OPSP0000"
        assert (await recv_json(ws, skip_ping=False))["header"]["tr_id"] == "PINGPONG"
