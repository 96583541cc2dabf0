"""REST mechanics against an in-process transport: headers, paging, and what is retried."""

import json
import time

import httpx
import jwt
import pytest

from lucy_tui.brokers.base import (
    BrokerRejected, ConnectionFailed, OutcomeUnknown, RateLimited,
)
from lucy_tui.brokers.kis.rest import KisRest
from lucy_tui.brokers.kis.settings import KisSettings
from lucy_tui.brokers.ratelimit import Limit, RateLimiter
from lucy_tui.brokers.tokens import TokenCache
from lucy_tui.domain.model import AccountRef

KEY, SECRET = "PS" + "a" * 34, "b" * 180
ACCOUNT = AccountRef("kis", "50123456", "01")


class Fake:
    """A scripted KIS host: answers come from ``script`` per path, in order."""

    def __init__(self):
        self.requests: list[httpx.Request] = []
        self.script: dict[str, list] = {}
        self.tokens = 0

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/oauth2/tokenP":
            self.tokens += 1
            now = int(time.time())
            token = jwt.encode({"sub": "token", "iat": now, "exp": now + 86400, "n": self.tokens},
                               "k" * 64, algorithm="HS512")
            return httpx.Response(200, json={"access_token": token, "token_type": "Bearer",
                                             "expires_in": 86400})
        answer = self.script[request.url.path].pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    @property
    def calls(self):
        return [r for r in self.requests if not r.url.path.startswith("/oauth2")]


def ok(output=None, tr_cont="D", **extra):
    body = {"rt_cd": "0", "msg_cd": "KIOK0510", "msg1": "조회가 완료되었습니다   ", **extra}
    if output is not None:
        body["output"] = output
    return httpx.Response(200, json=body, headers={"tr_cont": tr_cont})


def gateway(code, text, status=500):
    return httpx.Response(status, json={"rt_cd": "1", "msg_cd": code, "msg1": text})


@pytest.fixture
def fake():
    return Fake()


@pytest.fixture
def rest(fake, tmp_path):
    settings = KisSettings(app_key=KEY, app_secret=SECRET, hts_id="lucy01", accounts=(ACCOUNT,),
                           rest_url="http://kis.test", rate_backoff=0.01, rate_retries=3,
                           token_issue_interval=0.0)
    http = httpx.AsyncClient(transport=httpx.MockTransport(fake.handler))
    tokens = TokenCache("kis", KEY, directory=tmp_path, issue_interval=0)
    r = KisRest(settings, limiter=RateLimiter(Limit(1000)), tokens=tokens, http=http)
    yield r


ORDER = "/uapi/domestic-stock/v1/trading/order-cash"
DAILY = "/uapi/domestic-stock/v1/trading/inquire-daily-ccld"
BODY = {"CANO": "50123456", "ACNT_PRDT_CD": "01", "PDNO": "005930", "ORD_DVSN": "00",
        "ORD_QTY": "1", "ORD_UNPR": "71000"}


async def test_headers_and_body_as_the_spec_says(rest, fake):
    fake.script[ORDER] = [ok({"ODNO": "0000000001", "KRX_FWDG_ORD_ORGNO": "00950", "ORD_TMD": "090000"})]
    await rest.call("POST", "buy", body=BODY, order=True)
    [req] = fake.calls
    h = req.headers
    assert h["tr_id"] == "VTTC0012U" and h["custtype"] == "P" and h["tr_cont"] == ""
    assert h["appkey"] == KEY and h["appsecret"] == SECRET
    assert h["authorization"].startswith("Bearer ey")
    assert h["content-type"] == "application/json; charset=utf-8"
    assert json.loads(req.content) == BODY


async def test_three_pages_follow_the_cursor(rest, fake):
    fk = "50123456^01^".ljust(100)
    fake.script[DAILY] = [
        ok(output1=[{"odno": "3"}], tr_cont="F", ctx_area_fk100=fk, ctx_area_nk100="3".ljust(100),
           output2={"tot_ord_qty": "3"}),
        ok(output1=[{"odno": "2"}], tr_cont="M", ctx_area_fk100=fk, ctx_area_nk100="2".ljust(100)),
        ok(output1=[{"odno": "1"}], tr_cont="E", ctx_area_fk100=fk, ctx_area_nk100=" " * 100,
           output2={"tot_ord_qty": "3"}),
    ]
    rows, totals = await rest.pages("daily_ccld", {"CANO": "50123456"})
    assert [r["odno"] for r in rows] == ["3", "2", "1"] and totals == {"tot_ord_qty": "3"}
    first, second, third = fake.calls
    assert first.headers["tr_cont"] == "" and second.headers["tr_cont"] == "N"
    assert second.url.params["CTX_AREA_NK100"].strip() == "3"
    assert third.url.params["CTX_AREA_FK100"] == fk


async def test_stale_cursor_restarts_from_the_first_page(rest, fake):
    fake.script[DAILY] = [
        ok(output1=[{"odno": "2"}], tr_cont="F", ctx_area_nk100="2".ljust(100)),
        httpx.Response(200, json={"rt_cd": "7", "msg_cd": "SYDB0050",
                                  "msg1": "조회이후에 자료가 변경되었습니다.(다시 조회하세요)"}),
        ok(output1=[{"odno": "3"}, {"odno": "2"}], tr_cont="D"),
    ]
    rows, _ = await rest.pages("daily_ccld", {})
    assert [r["odno"] for r in rows] == ["3", "2"]
    assert fake.calls[2].headers["tr_cont"] == ""


async def test_stale_cursor_forever_gives_up(rest, fake):
    stale = lambda: httpx.Response(200, json={"rt_cd": "7", "msg_cd": "SYDB0050", "msg1": "x"})
    fake.script[DAILY] = [stale() for _ in range(10)]
    with pytest.raises(BrokerRejected) as info:
        await rest.pages("daily_ccld", {})
    assert info.value.code == "SYDB0050" and len(fake.calls) == 1 + rest.settings.paging_restarts


async def test_rate_limit_is_retried_then_reported(rest, fake):
    fake.script[ORDER] = [gateway("EGW00201", "초당 거래건수를 초과하였습니다."),
                          ok({"ODNO": "1"})]
    await rest.call("POST", "buy", body=BODY, order=True)
    assert len(fake.calls) == 2
    fake.script[ORDER] = [gateway("EGW00201", "초당 거래건수를 초과하였습니다.") for _ in range(4)]
    with pytest.raises(RateLimited) as info:
        await rest.call("POST", "buy", body=BODY, order=True)
    assert info.value.code == "EGW00201" and info.value.message == "초당 거래건수를 초과하였습니다."
    assert len(fake.calls) == 2 + 4


async def test_expired_token_is_reissued_and_the_order_sent_once_more(rest, fake):
    fake.script[ORDER] = [gateway("EGW00123", "기간이 만료된 token 입니다."), ok({"ODNO": "1"})]
    await rest.call("POST", "buy", body=BODY, order=True)
    first, second = fake.calls
    assert fake.tokens == 2
    assert first.headers["authorization"] != second.headers["authorization"]


async def test_a_timeout_on_an_order_is_unknown_and_not_resent(rest, fake):
    fake.script[ORDER] = [httpx.ReadTimeout("slow")]
    with pytest.raises(OutcomeUnknown):
        await rest.call("POST", "buy", body=BODY, order=True)
    fake.script[ORDER] = [httpx.Response(502, text="Bad Gateway")]
    with pytest.raises(OutcomeUnknown):
        await rest.call("POST", "buy", body=BODY, order=True)
    assert len(fake.calls) == 2


async def test_unreachable_host_sent_nothing(rest, fake):
    fake.script[ORDER] = [httpx.ConnectError("refused")]
    with pytest.raises(ConnectionFailed):
        await rest.call("POST", "buy", body=BODY, order=True)


async def test_token_issuance_throttled_by_the_broker(rest, fake, tmp_path):
    def throttled(request):
        return httpx.Response(403, json={"error_code": "EGW00133",
                                         "error_description": "접근토큰 발급 잠시 후 다시 시도하세요(1분당 1회)"})
    rest.http = httpx.AsyncClient(transport=httpx.MockTransport(throttled))
    rest.tokens = TokenCache("kis", KEY, directory=tmp_path / "other", max_wait=0)
    from lucy_tui.brokers.tokens import IssuanceThrottled
    with pytest.raises(IssuanceThrottled):
        await rest.call("GET", "price", params={})
    # The refusal is remembered as the last issuance: the guard now waits a minute.
    assert '"last_issue": "' in rest.tokens.path.read_text()
