"""KisSettings guards real money and secrets; KIS envelopes become typed errors with the text kept."""

import pytest

from lucy_tui.brokers.base import (
    AuthError, BrokerError, BrokerRejected, NotSupported, OutcomeUnknown, RateLimited,
)
from lucy_tui.brokers.kis.environment import MOCK, REAL
from lucy_tui.brokers.kis.errors import Envelope, error_for
from lucy_tui.brokers.kis.settings import KisSettings, KisSettingsError
from lucy_tui.domain.model import AccountRef, OrderType, TimeInForce, Venue

KEY, SECRET = "PS" + "a" * 34, "b" * 180
ACCOUNT = AccountRef("kis", "50123456", "01", "paper")


def settings(**kw):
    base = dict(app_key=KEY, app_secret=SECRET, hts_id="lucy01", accounts=(ACCOUNT,))
    base.update(kw)
    return KisSettings(**base)


def test_real_needs_an_explicit_opt_in():
    with pytest.raises(KisSettingsError, match="allow_real=True"):
        settings(env="real")
    s = settings(env="real", allow_real=True)
    assert s.environment is REAL and s.rest_base == REAL.rest_url and s.rate == 20


def test_mock_defaults_and_overrides():
    s = settings()
    assert s.environment is MOCK and s.rate == 2
    assert s.rest_base == "https://openapivts.koreainvestment.com:29443"
    assert s.ws_endpoint == "ws://ops.koreainvestment.com:31000/tryitout"
    local = settings(rest_url="http://127.0.0.1:5000/", ws_url="ws://127.0.0.1:5000/tryitout")
    assert local.rest_base == "http://127.0.0.1:5000"


def test_secrets_stay_out_of_repr():
    text = repr(settings())
    assert KEY not in text and SECRET not in text and "lucy01" in text


@pytest.mark.parametrize("kw, word", [
    (dict(env="paper"), "env"), (dict(hts_id=""), "hts_id"), (dict(app_key=""), "app_key"),
    (dict(accounts=(AccountRef("kis", "5012", "01"),)), "CANO"),
    (dict(accounts=(AccountRef("ls", "50123456", "01"),)), "broker"),
    (dict(custtype="X"), "custtype"), (dict(rate_limit=0), "rate_limit"),
])
def test_bad_settings_say_which(kw, word):
    with pytest.raises(KisSettingsError, match=word):
        settings(**kw)


def test_account_lookup_by_cano_or_ten_digits():
    s = settings()
    assert s.account("50123456") is ACCOUNT and s.account("5012345601") is ACCOUNT
    assert s.account("9999999901") is None
    assert KisSettings.make_account("50123456-01") == AccountRef("kis", "50123456", "01")


def test_mock_capabilities_are_data():
    assert MOCK.tr_ids["buy"] == "VTTC0012U" and REAL.tr_ids["buy"] == "TTTC0012U"
    assert MOCK.tr_ids["rvsecncl"] == "VTTC0013U" and MOCK.tr_ids["daily_ccld"] == "VTTC0081R"
    assert not MOCK.serves("stock_info") and REAL.serves("stock_info")
    assert MOCK.notice_tr == "H0STCNI9" and REAL.notice_tr == "H0STCNI0"
    assert (MOCK.daily_page, REAL.daily_page) == (15, 100)
    assert MOCK.supports(OrderType.BEST, TimeInForce.DAY)
    assert not MOCK.supports(OrderType.LIMIT, TimeInForce.IOC)
    assert REAL.supports(OrderType.LIMIT, TimeInForce.IOC)
    assert MOCK.capabilities.venues == {Venue.KRX}
    assert (OrderType.MARKET, TimeInForce.FOK) in REAL.capabilities.order_types


def env(status, rt_cd, msg_cd, msg1):
    return Envelope(status, {"rt_cd": rt_cd, "msg_cd": msg_cd, "msg1": msg1})


def test_business_refusal_keeps_code_and_stripped_korean_text():
    err = error_for(env(200, "7", "APBK0952", "주문가능금액을 초과 했습니다" + " " * 30), order=True)
    assert isinstance(err, BrokerRejected)
    assert err.message == "주문가능금액을 초과 했습니다" == err.broker_message
    assert err.code == "APBK0952" and err.broker == "kis"


@pytest.mark.parametrize("status, code, kind", [
    (500, "EGW00201", RateLimited), (500, "EGW00215", RateLimited),
    (500, "EGW00123", AuthError), (500, "EGW00121", AuthError), (500, "EGW02004", AuthError),
    (500, "EGW02006", NotSupported), (500, "MCA00124", NotSupported),
    (500, "OPSQ9997", BrokerRejected), (200, "OPSQ2001", BrokerRejected),
])
def test_gateway_codes(status, code, kind):
    assert type(error_for(env(status, "1", code, "x"), order=True)) is kind


def test_an_order_without_a_recognised_answer_is_unknown():
    assert isinstance(error_for(Envelope(502, {}), order=True), OutcomeUnknown)
    assert isinstance(error_for(env(500, "1", "EGW00302", "거래시간이 초과되었습니다."), order=True),
                      OutcomeUnknown)
    read = error_for(Envelope(502, {}), order=False)
    assert type(read) is BrokerError


def test_token_endpoint_envelope():
    e = Envelope(403, {"error_code": "EGW00133", "error_description": "접근토큰 발급 잠시 후 다시 시도하세요(1분당 1회)"})
    assert e.msg_cd == "EGW00133" and "1분당" in e.msg1
    assert isinstance(error_for(e), AuthError)


def test_kis_broker_implements_the_broker_contract(tmp_path):
    from lucy_tui.brokers.base import Broker
    from lucy_tui.brokers.kis import KisBroker

    broker = KisBroker(settings(token_dir=tmp_path))
    assert isinstance(broker, Broker)
    assert broker.name == "kis" and broker.accounts == (ACCOUNT,)
    assert broker.capabilities.max_tick_subscriptions == 40
    assert KEY not in repr(broker)
