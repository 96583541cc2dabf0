"""OAuth, approval and hashkey endpoints and the gateway's checks, on the wire (kis.md §2, §6)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import timedelta

import httpx

from kiswire import BALANCE, PRICE, START, Wire, make_server

PRICE_Q = {"FID_COND_MRKT_DIV_CODE": "J", "FID_INPUT_ISCD": "005930"}


def _segment(token: str, i: int) -> bytes:
    part = token.split(".")[i]
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


async def test_token_is_a_kis_shaped_jwt(sim, http):
    wire = Wire(sim, "real", http)
    resp = await wire.issue_token()
    assert resp.status_code == 200
    body = resp.json()
    assert list(body) == ["access_token", "access_token_token_expired", "token_type", "expires_in"]
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 86400
    assert body["access_token_token_expired"] == (START + timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
    token = body["access_token"]
    assert _segment(token, 0) == b'{"typ":"JWT","alg":"HS512"}'
    claims = json.loads(_segment(token, 1))
    assert set(claims) == {"sub", "aud", "iss", "iat", "exp", "jti"}
    assert claims["sub"] == "token" and claims["iss"] == "unogw"
    assert claims["jti"] == wire.cred["app_key"]
    assert claims["exp"] - claims["iat"] == 86400
    assert claims["iat"] == int(START.timestamp())
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", claims["aud"])


async def test_credentials_have_kis_shapes(sim):
    for domain in ("real", "mock"):
        cred = sim.credentials["kis"][domain]
        assert len(cred["app_key"]) == 36 and cred["app_key"].startswith("PS")
        assert len(cred["app_secret"]) == 180
        assert cred["hts_id"]
        for account in cred["accounts"]:
            assert re.fullmatch(r"\d{8}-\d{2}", account)
    assert sim.credentials["kis"]["real"]["app_key"] != sim.credentials["kis"]["mock"]["app_key"]


async def test_same_token_within_six_hours_then_a_new_one(sim, http):
    wire = Wire(sim, "mock", http)
    first = (await wire.issue_token()).json()
    sim.clock.advance(6 * 3600 - 1)
    again = (await wire.issue_token()).json()
    assert again["access_token"] == first["access_token"]
    assert again["access_token_token_expired"] == first["access_token_token_expired"]
    assert again["expires_in"] == 86400 - (6 * 3600 - 1)
    sim.clock.advance(1)
    fresh = (await wire.issue_token()).json()
    assert fresh["access_token"] != first["access_token"]
    assert fresh["expires_in"] == 86400
    # The earlier token still lives out its 24 hours.
    wire.token = first["access_token"]
    resp = await wire.get(PRICE, "FHKST01010100", PRICE_Q)
    assert resp.status_code == 200 and resp.json()["rt_cd"] == "0"


async def test_one_new_token_a_minute_else_403_egw00133(sim, http):
    wire = Wire(sim, "real", http)
    token = (await wire.issue_token()).json()["access_token"]
    revoked = await http.post("/oauth2/revokeP", json={
        "appkey": wire.cred["app_key"], "appsecret": wire.cred["app_secret"], "token": token})
    assert revoked.status_code == 200
    assert revoked.json() == {"code": 200, "message": "접근토큰 폐기에 성공하였습니다"}
    assert isinstance(revoked.json()["code"], int)
    resp = await wire.issue_token()
    assert resp.status_code == 403
    assert resp.json() == {"error_code": "EGW00133",
                           "error_description": "접근토큰 발급 잠시 후 다시 시도하세요(1분당 1회)"}
    sim.clock.advance(60)
    resp = await wire.issue_token()
    assert resp.status_code == 200 and resp.json()["access_token"] != token


async def test_revoked_and_expired_tokens_are_gateway_errors(sim, http):
    wire = await Wire(sim, "real", http).login()
    await http.post("/oauth2/revokeP", json={"appkey": wire.cred["app_key"],
                                             "appsecret": wire.cred["app_secret"], "token": wire.token})
    resp = await wire.get(PRICE, "FHKST01010100", PRICE_Q)
    assert resp.status_code == 500
    assert resp.json() == {"rt_cd": "1", "msg_cd": "EGW00121", "msg1": "유효하지 않은 token 입니다."}
    sim.clock.advance(61)
    await wire.login()
    sim.clock.advance(86400)
    resp = await wire.get(PRICE, "FHKST01010100", PRICE_Q)
    assert resp.status_code == 500
    assert resp.json() == {"rt_cd": "1", "msg_cd": "EGW00123", "msg1": "기간이 만료된 token 입니다."}


async def test_token_errors_use_the_403_envelope(sim, http):
    cred = sim.credentials["kis"]["real"]
    bad_secret = await http.post("/oauth2/tokenP", json={
        "grant_type": "client_credentials", "appkey": cred["app_key"], "appsecret": "x" * 180})
    assert bad_secret.status_code == 403
    assert bad_secret.json() == {"error_code": "EGW00105",
                                 "error_description": "유효하지 않은 AppSecret입니다."}
    bad_key = await http.post("/oauth2/tokenP", json={
        "grant_type": "client_credentials", "appkey": "PS" + "x" * 34, "appsecret": cred["app_secret"]})
    assert bad_key.status_code == 403
    assert bad_key.json()["error_code"] == "EGW00103"


async def test_approval_key_uses_secretkey(sim, http):
    wire = Wire(sim, "mock", http)
    key = await wire.approval()
    assert len(key) == 36 and key.count("-") == 4
    assert await wire.approval() != key          # one per request; clients ask every time
    wrong = await http.post("/oauth2/Approval", json={
        "grant_type": "client_credentials", "appkey": wire.cred["app_key"],
        "appsecret": wire.cred["app_secret"]})   # appsecret is the tokenP name, not Approval's
    assert wrong.status_code == 403


async def test_hashkey_echoes_body_and_sha256(sim, http):
    cred = sim.credentials["kis"]["real"]
    raw = json.dumps({"CANO": "12345678", "ACNT_PRDT_CD": "01", "PDNO": "005930"}).encode()
    resp = await http.post("/uapi/hashkey", content=raw, headers={
        "content-type": "application/json", "appkey": cred["app_key"], "appsecret": cred["app_secret"]})
    assert resp.status_code == 200
    body = resp.json()
    assert body["BODY"] == json.loads(raw)
    assert body["HASH"] == hashlib.sha256(raw).hexdigest()


async def test_client_habits_capitalised_authorization_and_no_custtype(real):
    headers = real.headers("FHKST01010100")
    del headers["custtype"]
    headers["Authorization"] = headers.pop("authorization")
    real.sim.clock.advance(0.05)
    resp = await real.http.get(PRICE, params=PRICE_Q, headers=headers)
    assert resp.status_code == 200 and resp.json()["rt_cd"] == "0"
    assert resp.headers["tr_id"] == "FHKST01010100"
    assert resp.headers["tr_cont"] in "FMDE" and resp.headers["gt_uid"]


async def test_real_domain_token_with_a_mock_app_key_is_egw02004(real, mock):
    headers = real.headers("TTTC8434R", appkey=mock.cred["app_key"], appsecret=mock.cred["app_secret"])
    resp = await real.http.get(BALANCE, params={"CANO": real.cano, "ACNT_PRDT_CD": real.prdt,
                                                "INQR_DVSN": "01"}, headers=headers)
    assert resp.status_code == 500
    assert resp.json() == {"rt_cd": "1", "msg_cd": "EGW02004",
                           "msg1": "실전투자 도메인은 모의투자 앱키로 호출하실 수 없습니다."}


async def test_real_tr_on_the_mock_domain_is_egw02006(mock):
    resp = await mock.get(BALANCE, "TTTC8434R", {"CANO": mock.cano, "ACNT_PRDT_CD": mock.prdt,
                                                  "INQR_DVSN": "01"})
    assert resp.status_code == 500
    assert resp.json() == {"rt_cd": "1", "msg_cd": "EGW02006", "msg1": "모의투자 TR 이 아닙니다."}


async def test_a_tr_the_path_does_not_serve_is_mca00124(real):
    resp = await real.get(PRICE, "TTTC8434R", PRICE_Q)
    assert resp.status_code == 500
    assert resp.json()["msg_cd"] == "MCA00124"


async def test_mock_key_third_request_in_a_second_is_egw00201(mock):
    mock.sim.clock.advance(5)
    headers = mock.headers("FHKST01010100")
    answers = [await mock.http.get(PRICE, params=PRICE_Q, headers=headers) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 500]
    assert answers[2].json() == {"rt_cd": "1", "msg_cd": "EGW00201", "msg1": "초당 거래건수를 초과하였습니다."}
    mock.sim.clock.advance(0.5)
    assert (await mock.http.get(PRICE, params=PRICE_Q, headers=headers)).status_code == 500
    mock.sim.clock.advance(0.5)
    assert (await mock.http.get(PRICE, params=PRICE_Q, headers=headers)).status_code == 200


async def test_real_key_gets_twenty_a_second(real):
    real.sim.clock.advance(5)
    headers = real.headers("FHKST01010100")
    codes = [(await real.http.get(PRICE, params=PRICE_Q, headers=headers)).status_code
             for _ in range(21)]
    assert codes == [200] * 20 + [500]


async def test_rate_limits_override_only_when_asked():
    async with make_server(rate_limits={"mock": 5}) as sim:
        async with httpx.AsyncClient(base_url=sim.urls["kis"]["rest"]) as http:
            mock = await Wire(sim, "mock", http).login()
            headers = mock.headers("FHKST01010100")
            codes = [(await http.get(PRICE, params=PRICE_Q, headers=headers)).status_code
                     for _ in range(6)]
            assert codes == [200] * 5 + [500]
