"""Wire facts a review against kis.md found the simulator getting wrong, each pinned on the raw wire:
msg1 padding on every business answer (§3.2), ``expires_in`` of a fresh token (§2.1), the
inquire-price VWAP in integer/Decimal arithmetic (§4.8, rules), and the session fields of
H0STCNT0 (§5.6), and the compact JSON text of PINGPONG and ACKs (§5.2, §5.4)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal

import httpx
import jwt
import websockets

from lucy_tui.clock import KST, ManualClock
from kiswire import (
    BALANCE, PRICE, Wire, base_price, make_server, recv_data, subscribe,
)


def _padded(msg1: str) -> bool:
    """Right-padded with spaces to 80 (EUC-KR) bytes, as KIS's OPS layer sends it."""
    return msg1 != msg1.rstrip() and len(msg1.encode("cp949")) == 80


# ---------------------------------------------------------------- §3.2 msg1 right-padded


async def test_msg1_is_right_padded_on_orders_refusals_and_quotes(real, mock):
    accepted = (await real.order("buy", "005930", 1, 260_000)).json()
    assert accepted["msg_cd"] == "APBK0013" and _padded(accepted["msg1"])
    assert accepted["msg1"].rstrip() == "주문 전송 완료 되었습니다."
    mock_buy = (await mock.order("buy", "005930", 1, 260_000)).json()
    assert mock_buy["msg_cd"] == "40600000" and _padded(mock_buy["msg1"])
    refused = (await mock.order("buy", "005930", 1, 260_001)).json()      # off tick
    assert refused["msg_cd"] == "40030000" and _padded(refused["msg1"])
    quote = (await real.get(PRICE, "FHKST01010100",
                            {"FID_COND_MRKT_DIV_CODE": "J", "FID_INPUT_ISCD": "005930"})).json()
    assert quote["msg_cd"] == "MCA00000" and _padded(quote["msg1"])
    old_input = (await real.get(BALANCE, "TTTC8434R", {
        "CANO": real.cano, "ACNT_PRDT_CD": real.prdt, "AFHR_FLPR_YN": "N", "OFL_YN": "",
        "INQR_DVSN": "02", "UNPR_DVSN": "01", "FUND_STTL_ICLD_YN": "N",
        "FNCG_AMT_AUTO_RDPT_YN": "N", "PRCS_DVSN": "00", "CTX_AREA_FK100": "",
        "CTX_AREA_NK100": ""})).json()
    assert (old_input["rt_cd"], old_input["msg_cd"]) == ("2", "OPSQ2001")
    assert _padded(old_input["msg1"])
    assert old_input["msg1"].rstrip() == "ERROR : INPUT INVALID_CHECK_INQR_DVSN"


async def test_gateway_errors_keep_the_unpadded_documented_body(sim, http):
    resp = await http.get(PRICE, params={"FID_COND_MRKT_DIV_CODE": "J", "FID_INPUT_ISCD": "005930"},
                          headers={"appkey": sim.credentials["kis"]["real"]["app_key"],
                                   "appsecret": sim.credentials["kis"]["real"]["app_secret"],
                                   "Authorization": "Bearer nope", "tr_id": "FHKST01010100"})
    assert resp.status_code == 500
    assert resp.json() == {"rt_cd": "1", "msg_cd": "EGW00121", "msg1": "유효하지 않은 token 입니다."}


# ---------------------------------------------------------------- §2.1 expires_in


async def test_fresh_token_says_86400_even_mid_second(sim, http):
    sim.clock.advance(0.75)                  # a real clock is never on a whole second
    wire = Wire(sim, "real", http)
    body = (await wire.issue_token()).json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 86400
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 86400
    expiry = datetime.fromtimestamp(claims["exp"], KST).strftime("%Y-%m-%d %H:%M:%S")
    assert body["access_token_token_expired"] == expiry
    sim.clock.advance(3600.5)                # within 6 h: the same token, its remaining life
    again = (await wire.issue_token()).json()
    assert again["access_token"] == body["access_token"]
    assert again["access_token_token_expired"] == expiry
    assert again["expires_in"] == claims["exp"] - int(sim.clock.now().timestamp()) == 86400 - 3601


# ---------------------------------------------------------------- §4.8 VWAP without floats


async def test_inquire_price_vwap_is_truncated_decimal(mock):
    price = base_price(mock.sim, "005930")
    # 2 @ price and 1 @ price+500: the VWAP's third decimal is 6, so float rounding and
    # truncation disagree in the last digit.
    await mock.order("sell", "005930", 2, price, second=True)
    await mock.order("sell", "005930", 1, price + 500, second=True)
    await mock.order("buy", "005930", 3, price + 500)
    out = (await mock.get(PRICE, "FHKST01010100",
                          {"FID_COND_MRKT_DIV_CODE": "J", "FID_INPUT_ISCD": "005930"})).json()["output"]
    volume, turnover = int(out["acml_vol"]), int(out["acml_tr_pbmn"])
    assert (volume, turnover) == (3, 3 * price + 500)
    expected = (Decimal(turnover) / volume).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    assert out["wghn_avrg_stck_prc"] == f"{expected:.2f}"


# ---------------------------------------------------------------- §5.6 session fields


async def test_opening_auction_trade_is_ccld_dvsn_3_regular_session_code():
    start = datetime(2026, 11, 24, 8, 50, tzinfo=KST)
    async with make_server(session="krx", clock=ManualClock(start)) as sim:
        async with httpx.AsyncClient(base_url=sim.urls["kis"]["rest"]) as http:
            mock = await Wire(sim, "mock", http).login()
            price = base_price(sim, "005930")
            assert (await mock.order("sell", "005930", 2, price, second=True)).json()["rt_cd"] == "0"
            assert (await mock.order("buy", "005930", 2, price)).json()["rt_cd"] == "0"
            async with websockets.connect(mock.ws_url()) as ws:
                await subscribe(ws, mock, await mock.approval(), "H0STCNT0", "005930")
                sim.clock.set(start + timedelta(minutes=10, seconds=1))
                await mock.get(PRICE, "FHKST01010100",
                               {"FID_COND_MRKT_DIV_CODE": "J", "FID_INPUT_ISCD": "005930"})
                _, _, count, payload = await recv_data(ws, "H0STCNT0")
                record = payload.split("^")
                assert count == 1 and len(record) == 46
                assert (record[2], record[12], record[21], record[34]) == (str(price), "2", "3", "20")
                assert record[43] == "0"


async def test_closing_price_trade_reports_its_session_in_new_mkop_cls_code():
    # 장후 시간외 종가: orders taken from 15:30, matched 15:40-16:00 at today's close.
    start = datetime(2026, 11, 24, 15, 41, tzinfo=KST)
    async with make_server(session="krx", clock=ManualClock(start)) as sim:
        async with httpx.AsyncClient(base_url=sim.urls["kis"]["rest"]) as http:
            real = await Wire(sim, "real", http).login()
            close = sim.exchange.quote("005930").last or base_price(sim, "005930")
            sell = await real.order("sell", "005930", 1, 0, dvsn="06", second=True)
            assert sell.json()["rt_cd"] == "0", sell.json()
            async with websockets.connect(real.ws_url()) as ws:
                await subscribe(ws, real, await real.approval(), "H0STCNT0", "005930")
                assert (await real.order("buy", "005930", 1, 0, dvsn="06")).json()["rt_cd"] == "0"
                _, _, _, payload = await recv_data(ws, "H0STCNT0")
                record = payload.split("^")
                assert len(record) == 46
                assert (record[2], record[34]) == (str(close), "31")


# ---------------------------------------------------------------- §5.2, §5.4 control text


async def test_pingpong_and_ack_are_compact_json_text(mock):
    async with websockets.connect(mock.ws_url()) as ws:
        await ws.send(mock.subscribe_msg(await mock.approval(), "H0STCNT0", "005930"))
        ack = await asyncio.wait_for(ws.recv(), 2)
        assert ack.startswith('{"header":{"tr_id":"H0STCNT0","tr_key":"005930","encrypt":"N"},'
                              '"body":{"rt_cd":"0","msg_cd":"OPSP0000","msg1":"SUBSCRIBE SUCCESS",'
                              '"output":{"iv":"')
        while True:
            text = await asyncio.wait_for(ws.recv(), 2)
            if "PINGPONG" in text:
                break
        stamp = mock.sim.clock.now().strftime("%Y%m%d%H%M%S")
        assert text == '{"header":{"tr_id":"PINGPONG","datetime":"%s"}}' % stamp
