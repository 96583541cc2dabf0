"""The fault switchboard as the LS front carries it out: in-process and over /__sim/faults."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest
import websockets

from lucy_tui.domain.model import Side
from lswire import MARKET, ORDER, base_price, frames, recv, register, silence, street

QUOTE = {"shcode": "005930", "exchgubun": "K"}
RATE = {"rsp_cd": "IGW00201", "rsp_msg": "호출 거래건수를 초과하였습니다."}


async def test_forced_rate_limit_answers_only_what_matches(real, sim):
    sim.faults.rate_limit(2, front="ls", key="t1102")
    first = await real.tr(MARKET, "t1102", QUOTE)
    assert (first.status_code, first.json()) == (500, RATE)
    order = await real.order("buy", "005930", 1, base_price(sim, "005930"))
    assert order.json()["rsp_cd"] == "00040"                      # another TR: untouched
    assert (await real.tr(MARKET, "t1102", QUOTE)).status_code == 500
    assert (await real.tr(MARKET, "t1102", QUOTE)).status_code == 200


async def test_remote_control_over_http(mock, sim, http):
    url = sim.urls["ls"]["faults"]
    armed = await http.post(url, json={"action": "rate_limit", "count": 1, "front": "ls",
                                       "key": "CSPAT00601"})
    assert armed.status_code == 200
    assert armed.json()["armed"] == [{"kind": "rate_limit", "remaining": 1, "front": "ls",
                                      "key": "CSPAT00601"}]
    price = base_price(sim, "005930")
    resp = await mock.order("buy", "005930", 1, price)
    assert (resp.status_code, resp.json()) == (500, RATE)
    assert (await http.get(url)).json()["armed"] == []
    assert (await mock.order("buy", "005930", 1, price)).json()["rsp_cd"] == "00040"
    assert "ls" in (await http.get(url)).json()["fronts"]


async def test_token_endpoint_can_be_rate_limited(real, sim):
    sim.faults.rate_limit(1, front="ls", path="/oauth2/token")
    resp = await real.issue_token()
    assert resp.status_code == 403 and resp.json()["error_code"] == "IGW00201"
    assert (await real.issue_token()).status_code == 200


async def test_stall_delays_the_answer_but_the_order_works(real, sim):
    sim.faults.stall(0.3, front="ls", key="CSPAT00601")
    started = time.monotonic()
    resp = await real.order("buy", "005930", 1, base_price(sim, "005930"))
    assert time.monotonic() - started >= 0.3
    assert resp.json()["rsp_cd"] == "00040"


async def test_stall_forever_times_the_client_out_and_the_order_is_live(real, sim):
    sim.faults.stall(None, front="ls", path=ORDER)
    with pytest.raises(httpx.ReadTimeout):
        await real.http.post(ORDER, timeout=0.3, headers=real.headers("CSPAT00601"), json={
            "CSPAT00601InBlock1": {"IsuNo": "A005930", "OrdQty": 3, "OrdPrc": 260_000,
                                   "BnsTpCode": "2", "OrdprcPtnCode": "00", "MgntrnCode": "000",
                                   "LoanDt": "", "OrdCndiTpCode": "0", "MbrNo": "KRX"}})
    rows = (await real.t0425()).json()["t0425OutBlock1"]
    assert [(r["qty"], r["ordrem"]) for r in rows] == [(3, 3)]


async def test_expired_and_invalidated_tokens(real, mock, sim):
    assert sim.faults.expire_tokens(front="ls") == 2
    resp = await real.tr(MARKET, "t1102", QUOTE)
    assert (resp.status_code, resp.json()["rsp_cd"]) == (500, "IGW00123")
    await real.login()                                           # no issuance cap at LS
    assert (await real.tr(MARKET, "t1102", QUOTE)).status_code == 200
    assert sim.faults.invalidate_tokens(front="ls") == 2
    resp = await real.tr(MARKET, "t1102", QUOTE)
    assert (resp.status_code, resp.json()["rsp_cd"]) == (500, "IGW00121")
    await mock.login()
    assert (await mock.tr(MARKET, "t1102", QUOTE)).status_code == 200


async def test_drop_websockets_cuts_or_closes_and_registrations_are_gone(real, sim):
    for clean in (False, True):
        async with websockets.connect(real.ws_url()) as ws:
            await register(ws, real, "1", "SC1")
            assert sim.faults.drop_websockets(front="ls", clean=clean) == 1
            with pytest.raises(websockets.ConnectionClosed) as info:
                await asyncio.wait_for(ws.recv(), 2)
            if clean:
                assert info.value.rcvd is not None and info.value.rcvd.code == 1001
            else:
                assert info.value.rcvd is None          # no close frame: a cut connection
        await asyncio.sleep(0.05)
    async with websockets.connect(real.ws_url()) as ws:
        await real.ordno("buy", "005930", 1, base_price(sim, "005930") - 1_000)
        await silence(ws)


async def test_malformed_frame_now_then_data_again(real, sim, http):
    price = base_price(sim, "005930")
    async with websockets.connect(real.ws_url()) as ws:
        await register(ws, real, "3", "S3_", "005930")
        assert sim.faults.malformed_frame(front="ls") == 1
        junk = await asyncio.wait_for(ws.recv(), 2)
        with pytest.raises(ValueError):
            json.loads(junk)
        resp = await http.post(sim.urls["ls"]["faults"],
                               json={"action": "malformed_frame", "front": "ls"})
        assert resp.json()["affected"] == 1
        with pytest.raises(ValueError):
            json.loads(await asyncio.wait_for(ws.recv(), 2))
        street(sim, Side.SELL, "005930", 1, price)
        street(sim, Side.BUY, "005930", 1, price)
        (tick,) = await frames(ws, 1)
        assert tick["header"]["tr_cd"] == "S3_"


async def test_malformed_frame_waits_for_the_next_data_frame(real, sim):
    assert sim.faults.malformed_frame(front="ls") == 0
    async with websockets.connect(real.ws_url()) as ws:
        ack = await register(ws, real, "1", "SC0")
        assert ack["header"]["rsp_cd"] == "00000"              # acks are not data frames
        await real.ordno("buy", "005930", 1, base_price(sim, "005930") - 1_000)
        bad = await asyncio.wait_for(ws.recv(), 2)
        with pytest.raises(ValueError):
            json.loads(bad)
        good = await recv(ws)
        assert good["header"] == {"tr_cd": "SC0"}
