"""LsSettings guards real money, secrets and the one-account-per-key rule; LS envelopes become
typed errors with the broker's code and text kept; the environments differ as data."""

import pytest

from lucy_tui.brokers.base import (
    AuthError, BrokerError, BrokerRejected, OutcomeUnknown, RateLimited,
)
from lucy_tui.brokers.ls import codes
from lucy_tui.brokers.ls.environment import MOCK, REAL
from lucy_tui.brokers.ls.errors import Envelope, error_for
from lucy_tui.brokers.ls.settings import LsSettings, LsSettingsError
from lucy_tui.domain.model import AccountRef, OrderType, TimeInForce, Venue

KEY, SECRET = "K" * 36, "S" * 36
ACCOUNT = AccountRef("ls", "55512345601", "", "paper")


def settings(**kw):
    base = dict(app_key=KEY, app_secret=SECRET, accounts=(ACCOUNT,))
    base.update(kw)
    return LsSettings(**base)


def test_real_needs_an_explicit_opt_in():
    with pytest.raises(LsSettingsError, match="allow_real=True"):
        settings(env="real")
    s = settings(env="real", allow_real=True)
    assert s.environment is REAL
    assert s.rest_base == "https://openapi.ls-sec.co.kr:8080"
    assert s.ws_endpoint == "wss://openapi.ls-sec.co.kr:9443/websocket"


def test_mock_shares_the_rest_host_but_not_the_websocket_port():
    s = settings()
    assert s.environment is MOCK and s.rest_base == REAL.rest_url
    assert s.ws_endpoint == "wss://openapi.ls-sec.co.kr:29443/websocket"
    local = settings(rest_url="http://127.0.0.1:5000/", ws_url="ws://127.0.0.1:5000/websocket")
    assert local.rest_base == "http://127.0.0.1:5000"
    assert local.ws_endpoint == "ws://127.0.0.1:5000/websocket"


def test_secrets_stay_out_of_repr():
    text = repr(settings())
    assert KEY not in text and SECRET not in text and "55512345601" in text


@pytest.mark.parametrize("kw, word", [
    (dict(env="paper"), "env"), (dict(app_key=""), "app_key"), (dict(app_secret=""), "app_key"),
    (dict(accounts=()), "exactly one account"),
    (dict(accounts=(ACCOUNT, AccountRef("ls", "55512345602"))), "exactly one account"),
    (dict(accounts=(AccountRef("kis", "55512345601"),)), "broker"),
    (dict(accounts=(AccountRef("ls", "5551-x"),)), "digits"),
    (dict(accounts=(AccountRef("ls", "55512345601", "01"),)), "product empty"),
    (dict(corporate=True), "mac_address"), (dict(mac_address="zz"), "mac_address"),
    (dict(tr_limits={"t0425": 0}), "tr_limits"), (dict(account_rate_limit=0), "account_rate_limit"),
])
def test_bad_settings_say_which(kw, word):
    with pytest.raises(LsSettingsError, match=word):
        settings(**kw)


def test_account_helpers_and_limits():
    s = settings()
    assert s.account is ACCOUNT and s.find_account("555-1234-5601") is ACCOUNT
    assert s.find_account("55500000000") is None
    assert LsSettings.make_account("555-12345-601", "x") == AccountRef("ls", "55512345601", "", "x")
    assert s.limits()["t0425"] == 2 and s.limits()["CSPAT00601"] == 10
    corp = settings(corporate=True, mac_address="0123456789AB", tr_limits={"t1102": 7})
    assert corp.limits()["t0425"] == 10 and corp.limits()["t1102"] == 7
    assert corp.limits()["CSPAQ12200"] == 1        # no corporate figure published: individual's


def test_environments_as_data():
    assert MOCK.capabilities.venues == {Venue.KRX}
    assert REAL.capabilities.venues == {Venue.KRX, Venue.NXT}
    assert MOCK.prefix_codes and not REAL.prefix_codes
    for env in (MOCK, REAL):
        assert env.supports(OrderType.LIMIT, TimeInForce.IOC)
        assert env.supports(OrderType.AFTER_SINGLE, TimeInForce.DAY)
        assert not env.supports(OrderType.STOP_LIMIT, TimeInForce.DAY)
        assert not env.supports(OrderType.TOP, TimeInForce.IOC)


# ---------------------------------------------------------------- errors


def env(status, rsp_cd="", rsp_msg="", **body):
    return Envelope(status, {"rsp_cd": rsp_cd, "rsp_msg": rsp_msg, **body})


def test_business_refusal_keeps_code_and_text():
    err = error_for(env(200, "03181", "주문가격이 하한가 미달입니다."), order=True)
    assert type(err) is BrokerRejected
    assert (err.code, err.message, err.broker_message, err.broker) == (
        "03181", "주문가격이 하한가 미달입니다.", "주문가격이 하한가 미달입니다.", "ls")
    assert str(err) == "ls: 주문가격이 하한가 미달입니다. [03181]"


@pytest.mark.parametrize("envelope, order, kind", [
    (env(500, "IGW00201", "호출 거래건수를 초과하였습니다."), True, RateLimited),
    (env(200, "IGW00201", "호출 거래건수를 초과하였습니다."), True, RateLimited),
    (Envelope(429, {}), True, RateLimited),
    (env(500, "IGW00121", "유효하지 않은 token 입니다"), True, AuthError),
    (env(500, "IGW00123", "기간이 만료된 token 입니다"), False, AuthError),
    (Envelope(403, {"error_code": "IGW00103", "error_description": "유효하지 않은 AppKey입니다."}),
     False, AuthError),
    (env(500), True, OutcomeUnknown),
    (env(502, "", "Bad Gateway"), False, BrokerError),
    (env(500, "IGW40013", "데이터 조회에 실패 했습니다"), True, OutcomeUnknown),
    (env(500, "IGW40013", "데이터 조회에 실패 했습니다"), False, BrokerError),
    (env(200, "00040", "매수 주문이 완료되었습니다."), True, OutcomeUnknown),   # no OrdNo
    (env(200, "00000", "정상"), True, OutcomeUnknown),
    (env(400, "01900", "입력값을 확인하십시오."), True, BrokerRejected),
])
def test_error_kinds(envelope, order, kind):
    assert type(error_for(envelope, order=order)) is kind


def test_envelope_blocks_and_headers():
    e = Envelope(200, {"a": [{"x": 1}, {"x": 2}], "b": {"y": 1}, "c": {}},
                 {"tr_cont": "y", "tr_cont_key": " k1 "})
    assert e.block("a") == {"x": 1} and e.block("missing") == {}
    assert e.rows("a") == [{"x": 1}, {"x": 2}] and e.rows("b") == [{"y": 1}] and e.rows("c") == []
    assert e.tr_cont == codes.CONT_YES and e.tr_cont_key == "k1"
