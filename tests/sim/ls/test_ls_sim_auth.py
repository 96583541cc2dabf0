"""Token issue and revoke, the one-live-token rule and the gateway's IGW answers (ls.md §2, §3)."""

from __future__ import annotations

import base64
import json

import httpx

from lucy_tui.brokers.ls.codes import TokenLifetime
from lucy_tui.sim.ls import LsOptions
from lswire import ACCNO, MARKET, ORDER, Wire, make_server

INVALID = {"rsp_cd": "IGW00121", "rsp_msg": "유효하지 않은 token 입니다"}
QUOTE = {"shcode": "005930", "exchgubun": "K"}


def claims(token: str) -> tuple[dict, dict]:
    def part(text: str) -> dict:
        return json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))

    head, payload, _ = token.split(".")
    return part(head), part(payload)


async def test_token_from_a_form_body(sim, http):
    wire = Wire(sim, "real", http)
    resp = await wire.issue_token()
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert set(body) == {"access_token", "scope", "token_type", "expires_in"}
    assert (body["scope"], body["token_type"], body["expires_in"]) == ("oob", "Bearer", 86400)
    head, payload = claims(body["access_token"])
    assert head["alg"] == "HS512" and payload["iss"] == "unogw"
    assert payload["exp"] - payload["iat"] == 86400


async def test_credentials_look_like_ls(sim):
    creds = sim.credentials["ls"]
    assert {"real", "mock"} <= set(creds)
    for name, cred in creds.items():
        assert len(cred["app_key"]) == 36 and len(cred["app_secret"]) == 36
        assert len(cred["account"]) == 11 and cred["account"].isdigit()
        assert cred["account"].startswith("555" if name.startswith("mock") else "20")
    assert len({c["app_key"] for c in creds.values()}) == len(creds)


async def test_a_json_body_is_not_a_form(sim, http):
    cred = sim.credentials["ls"]["real"]
    resp = await http.post("/oauth2/token", json={
        "grant_type": "client_credentials", "appkey": cred["app_key"],
        "appsecretkey": cred["app_secret"], "scope": "oob"})
    assert (resp.status_code, resp.json()) == (
        403, {"error_code": "IGW00103", "error_description": "유효하지 않은 AppKey입니다."})


async def test_json_token_body_can_be_allowed():
    async with make_server(ls_options=LsOptions(token_accepts_json=True)) as sim:
        cred = sim.credentials["ls"]["mock"]
        async with httpx.AsyncClient(base_url=sim.urls["ls"]["rest"]) as http:
            resp = await http.post("/oauth2/token", json={
                "grant_type": "client_credentials", "appkey": cred["app_key"],
                "appsecretkey": cred["app_secret"], "scope": "oob"})
            assert resp.status_code == 200 and resp.json()["token_type"] == "Bearer"


async def test_bad_app_key_and_secret(sim, http):
    wire = Wire(sim, "real", http)
    bad_key = await wire.issue_token(appkey="X" * 36)
    assert (bad_key.status_code, bad_key.json()) == (
        403, {"error_code": "IGW00103", "error_description": "유효하지 않은 AppKey입니다."})
    bad_secret = await wire.issue_token(appsecretkey="Y" * 36)
    assert (bad_secret.status_code, bad_secret.json()) == (
        403, {"error_code": "IGW00105", "error_description": "유효하지 않은 AppSecret입니다."})
    no_key = await http.post("/oauth2/token", data={"grant_type": "client_credentials",
                                                    "scope": "oob"})
    assert no_key.json()["error_code"] == "IGW00103"


async def test_a_new_token_kills_the_previous_one(sim, http):
    wire = await Wire(sim, "real", http).login()
    first = wire.token
    assert (await wire.tr(MARKET, "t1102", QUOTE)).status_code == 200
    await wire.login()
    assert wire.token != first
    _, old = claims(first)
    assert old["exp"] > sim.clock.now().timestamp()          # still looks valid
    dead = await wire.tr(MARKET, "t1102", QUOTE, token=first)
    assert (dead.status_code, dead.json()) == (500, INVALID)
    assert dead.headers["tr_cont"] == "N" and dead.headers["tr_cont_key"] == ""
    assert (await wire.tr(MARKET, "t1102", QUOTE)).status_code == 200


async def test_keys_do_not_share_the_rule(sim, http):
    real = await Wire(sim, "real", http).login()
    await Wire(sim, "real_b", http).login()
    await Wire(sim, "mock", http).login()
    assert (await real.tr(MARKET, "t1102", QUOTE)).status_code == 200


async def test_revoke(sim, http):
    wire = await Wire(sim, "mock", http).login()
    form = {"appkey": wire.cred["app_key"], "appsecretkey": wire.cred["app_secret"],
            "token_type_hint": "access_token", "token": wire.token}
    resp = await http.post("/oauth2/revoke", data=form)
    assert (resp.status_code, resp.json()) == (200, {"code": 200,
                                                     "message": "접근토큰 폐기에 성공하였습니다."})
    after = await wire.tr(MARKET, "t1102", QUOTE)
    assert (after.status_code, after.json()) == (500, INVALID)
    again = await http.post("/oauth2/revoke", data=form)
    assert again.status_code == 403 and again.json()["error_code"] == "IGW00121"
    await wire.login()
    assert (await wire.tr(MARKET, "t1102", QUOTE)).status_code == 200


async def test_missing_and_expired_tokens(sim, http):
    wire = await Wire(sim, "real", http).login()
    resp = await http.post(MARKET, json={"t1102InBlock": QUOTE},
                           headers={"tr_cd": "t1102", "tr_cont": "N", "tr_cont_key": ""})
    assert (resp.status_code, resp.json()) == (500, {"rsp_cd": "IGW00122",
                                                     "rsp_msg": "token을 찾을 수 없습니다"})
    sim.clock.advance(86_400)
    expired = await wire.tr(MARKET, "t1102", QUOTE)
    assert (expired.status_code, expired.json()) == (500, {"rsp_cd": "IGW00123",
                                                           "rsp_msg": "기간이 만료된 token 입니다"})


async def test_lifetime_until_seven_can_be_chosen():
    async with make_server(ls_options=LsOptions(token_lifetime=TokenLifetime.UNTIL_0700)) as sim:
        async with httpx.AsyncClient(base_url=sim.urls["ls"]["rest"]) as http:
            resp = await Wire(sim, "real", http).issue_token()
            assert resp.json()["expires_in"] == 21 * 3600          # 10:00 → 07:00 next day


async def test_tr_code_header_and_path_must_match(real):
    wrong_path = await real.tr(ACCNO, "t1102", QUOTE)
    assert wrong_path.status_code == 500 and wrong_path.json()["rsp_cd"].startswith("IGW")
    assert wrong_path.headers["tr_cd"] == "t1102"
    resp = await real.http.post(MARKET, json={"t1102InBlock": QUOTE},
                                headers=real.headers("t9999"))
    assert resp.status_code == 500 and resp.json()["rsp_cd"].startswith("IGW")


async def test_every_answer_carries_the_paging_headers(real):
    resp = await real.tr(MARKET, "t1102", QUOTE)
    assert (resp.headers["tr_cd"], resp.headers["tr_cont"], resp.headers["tr_cont_key"]) == \
        ("t1102", "N", "")


async def test_a_body_without_its_in_block(real):
    resp = await real.tr(ORDER, "CSPAT00601", {"IsuNo": "A005930"}, block_name="CSPAT00601InBlock")
    assert resp.status_code == 200
    body = resp.json()
    assert body["rsp_cd"] == "01900" and "CSPAT00601OutBlock2" not in body
    broken = await real.http.post(ORDER, content=b"{not json", headers=real.headers("CSPAT00601"))
    assert broken.status_code == 500 and broken.json()["rsp_cd"].startswith("IGW")
