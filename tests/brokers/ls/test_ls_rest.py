"""REST mechanics against an in-process transport: the form-encoded token, headers and blocks,
two-style paging, what is retried (IGW00201, dead tokens) and what never is (orders)."""

import json
import os
import stat
import time
from urllib.parse import parse_qs

import httpx
import jwt
import pytest

from lucy_tui.brokers.base import (
    AuthError, BrokerError, ConnectionFailed, OutcomeUnknown, RateLimited,
)
from lucy_tui.brokers.ls import codes
from lucy_tui.brokers.ls.rest import LsRest
from lucy_tui.brokers.ls.settings import LsSettings
from lucy_tui.brokers.ratelimit import Limit, RateLimiter
from lucy_tui.brokers.tokens import CachedToken, TokenCache
from lucy_tui.domain.model import AccountRef

KEY, SECRET = "K" * 36, "S" * 36
ACCOUNT = AccountRef("ls", "55512345601")


def minted(n: int, lifetime: int = 86400) -> str:
    now = int(time.time())
    return jwt.encode({"sub": "token", "iss": "unogw", "iat": now, "exp": now + lifetime, "n": n},
                      "k" * 64, algorithm="HS512")


class Fake:
    """A scripted LS host: TR answers come from ``script`` per tr_cd, in order; the token
    endpoint mints numbered tokens, and only the newest one is alive (as at LS)."""

    def __init__(self):
        self.requests: list[httpx.Request] = []
        self.script: dict[str, list] = {}
        self.issued: list[str] = []
        self.token_forms: list[dict] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == codes.P_TOKEN:
            self.token_forms.append({k: v[0] for k, v in parse_qs(request.content.decode()).items()})
            token = minted(len(self.issued) + 1)
            self.issued.append(token)
            return httpx.Response(200, json={"access_token": token, "scope": "oob",
                                             "token_type": "Bearer", "expires_in": 86400})
        tr_cd = request.headers["tr_cd"]
        bearer = request.headers["authorization"].removeprefix("Bearer ")
        if not self.issued or bearer != self.issued[-1]:
            return gateway("IGW00121", "유효하지 않은 token 입니다")
        answer = self.script[tr_cd].pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def calls(self, tr_cd: str | None = None):
        return [r for r in self.requests if r.url.path != codes.P_TOKEN
                and (tr_cd is None or r.headers["tr_cd"] == tr_cd)]


def ok(tr_cont="N", key="", rsp_cd="00000", rsp_msg="정상적으로 조회가 완료되었습니다.", **blocks):
    return httpx.Response(200, json={"rsp_cd": rsp_cd, "rsp_msg": rsp_msg, **blocks},
                          headers={"tr_cont": tr_cont, "tr_cont_key": key})


def gateway(code, text, status=500):
    return httpx.Response(status, json={"rsp_cd": code, "rsp_msg": text},
                          headers={"tr_cont": "N", "tr_cont_key": ""})


def rate_limited():
    return gateway("IGW00201", "호출 거래건수를 초과하였습니다.")


@pytest.fixture
def fake():
    return Fake()


def make_rest(fake, tmp_path, **kw) -> LsRest:
    values = dict(app_key=KEY, app_secret=SECRET, accounts=(ACCOUNT,), rest_url="http://ls.test",
                  rate_backoff=0.01, rate_retries=3, token_issue_interval=0.0)
    values.update(kw)
    settings = LsSettings(**values)
    http = httpx.AsyncClient(transport=httpx.MockTransport(fake.handler))
    tokens = TokenCache("ls", KEY, directory=tmp_path, issue_interval=settings.token_issue_interval)
    return LsRest(settings, limiter=RateLimiter(per_tr={"t1102": Limit(1000)}), tokens=tokens,
                  http=http)


@pytest.fixture
def rest(fake, tmp_path):
    return make_rest(fake, tmp_path)


QUOTE = {"shcode": "005930", "exchgubun": "K"}


async def test_token_form_headers_and_block(rest, fake, tmp_path):
    fake.script["t1102"] = [ok(t1102OutBlock={"price": 269000})]
    envelope = await rest.call("t1102", QUOTE)
    assert envelope.block("t1102OutBlock") == {"price": 269000}
    [form] = fake.token_forms
    assert form == {"grant_type": "client_credentials", "appkey": KEY, "appsecretkey": SECRET,
                    "scope": "oob"}
    token_request = fake.requests[0]
    assert token_request.headers["content-type"] == "application/x-www-form-urlencoded"
    [call] = fake.calls()
    assert call.url.path == "/stock/market-data" and call.method == "POST"
    assert call.headers["tr_cd"] == "t1102" and call.headers["tr_cont"] == "N"
    assert call.headers["tr_cont_key"] == "" and call.headers["mac_address"] == ""
    assert call.headers["authorization"] == f"Bearer {fake.issued[0]}"
    assert call.headers["content-type"] == "application/json; charset=utf-8"
    assert "appkey" not in call.headers and "appsecret" not in call.headers
    assert json.loads(call.content) == {"t1102InBlock": QUOTE}
    path = rest.tokens.path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600 and KEY not in path.name
    assert fake.issued[0] not in repr(rest.tokens.current())


async def test_refused_key_is_an_auth_error(fake, tmp_path):
    def refuse(request):
        return httpx.Response(403, json={"error_code": "IGW00103",
                                         "error_description": "유효하지 않은 AppKey입니다."})
    rest = make_rest(fake, tmp_path)
    rest.http = httpx.AsyncClient(transport=httpx.MockTransport(refuse))
    with pytest.raises(AuthError) as info:
        await rest.call("t1102", QUOTE)
    assert (info.value.code, info.value.message) == ("IGW00103", "유효하지 않은 AppKey입니다.")


async def test_t_series_paging_by_cursor_and_key(rest, fake):
    fake.script["t0425"] = [
        ok("Y", "k1", t0425OutBlock={"cts_ordno": "200"}, t0425OutBlock1=[{"ordno": 100}, {"ordno": 200}]),
        ok("Y", "k2", t0425OutBlock={"cts_ordno": "300"}, t0425OutBlock1=[{"ordno": 300}]),
        ok("N", "", t0425OutBlock={"cts_ordno": "", "tqty": 3}, t0425OutBlock1=[{"ordno": 400}]),
    ]
    rows, summary, envelopes = await rest.pages("t0425", {"chegb": "0", "cts_ordno": ""},
                                                rows="t0425OutBlock1", cursor="cts_ordno")
    assert [r["ordno"] for r in rows] == [100, 200, 300, 400] and summary["tqty"] == 3
    sent = fake.calls("t0425")
    assert [(r.headers["tr_cont"], r.headers["tr_cont_key"]) for r in sent] == [
        ("N", ""), ("Y", "k1"), ("Y", "k2")]
    assert [json.loads(r.content)["t0425InBlock"]["cts_ordno"] for r in sent] == ["", "200", "300"]


async def test_an_empty_cursor_ends_paging_whatever_the_header(rest, fake):
    fake.script["t0425"] = [ok("Y", "k1", t0425OutBlock={"cts_ordno": ""}, t0425OutBlock1=[])]
    rows, _, _ = await rest.pages("t0425", {"cts_ordno": ""}, rows="t0425OutBlock1",
                                  cursor="cts_ordno")
    assert rows == [] and len(fake.calls()) == 1


async def test_c_series_paging_by_headers_only(rest, fake):
    fake.script["CSPAQ13700"] = [
        ok("Y", "c1", CSPAQ13700OutBlock3=[{"OrdNo": 1}]),
        ok("N", "", CSPAQ13700OutBlock3=[{"OrdNo": 2}], CSPAQ13700OutBlock2={"BuyExecQty": 5}),
    ]
    rows, summary, _ = await rest.pages("CSPAQ13700", {"OrdDt": "20261124"},
                                        rows="CSPAQ13700OutBlock3")
    assert [r["OrdNo"] for r in rows] == [1, 2] and summary == {"BuyExecQty": 5}
    second = fake.calls()[1]
    assert second.headers["tr_cont"] == "Y" and second.headers["tr_cont_key"] == "c1"
    assert json.loads(second.content) == {"CSPAQ13700InBlock1": {"OrdDt": "20261124"}}


async def test_rate_limit_answers_are_retried_then_reported(rest, fake):
    fake.script["t1102"] = [rate_limited(), rate_limited(), ok(t1102OutBlock={"price": 1})]
    await rest.call("t1102", QUOTE)
    assert len(fake.calls()) == 3
    fake.script["t1102"] = [rate_limited() for _ in range(4)]
    with pytest.raises(RateLimited) as info:
        await rest.call("t1102", QUOTE)
    assert info.value.code == "IGW00201" and len(fake.calls()) == 3 + 4   # 1 + rate_retries


ORDER = {"IsuNo": "A005930", "OrdQty": 1, "OrdPrc": 71000, "BnsTpCode": "2",
         "OrdprcPtnCode": "00", "MgntrnCode": "000", "LoanDt": "", "OrdCndiTpCode": "0",
         "MbrNo": "KRX"}


def accepted(envelope):
    return envelope.status == 200 and envelope.rsp_cd in codes.ORDER_OK_CODES


async def test_order_timeout_is_unknown_and_not_resent(rest, fake):
    fake.script["CSPAT00601"] = [httpx.ReadTimeout("slow")]
    with pytest.raises(OutcomeUnknown):
        await rest.call("CSPAT00601", ORDER, order=True, accept=accepted)
    assert len(fake.calls("CSPAT00601")) == 1
    fake.script["t1102"] = [httpx.ReadTimeout("slow")]
    with pytest.raises(BrokerError) as info:
        await rest.call("t1102", QUOTE)
    assert type(info.value) is BrokerError


async def test_order_5xx_without_a_code_is_unknown(rest, fake):
    fake.script["CSPAT00601"] = [httpx.Response(502, text="bad gateway")]
    with pytest.raises(OutcomeUnknown):
        await rest.call("CSPAT00601", ORDER, order=True, accept=accepted)


async def test_unreachable_host_is_connection_failed(fake, tmp_path):
    rest = make_rest(fake, tmp_path)
    await rest.token()

    def down(request):
        raise httpx.ConnectError("refused")
    rest.http = httpx.AsyncClient(transport=httpx.MockTransport(down))
    with pytest.raises(ConnectionFailed):
        await rest.call("CSPAT00601", ORDER, order=True, accept=accepted)


# ---------------------------------------------------------------- one live token per key


def write_file_token(cache: TokenCache, token: str) -> None:
    """What another Lucy process does after issuing: its token lands in the shared file."""
    other = TokenCache("ls", KEY, directory=cache.directory, issue_interval=0)
    from datetime import datetime, timedelta
    from lucy_tui.clock import KST
    now = datetime.now(KST)
    other._write(CachedToken(token, "Bearer", now + timedelta(hours=23), now), now)


async def test_a_token_replaced_by_another_process_is_read_back_not_reissued(rest, fake):
    fake.script["t1102"] = [ok(t1102OutBlock={"price": 1}), ok(t1102OutBlock={"price": 2})]
    await rest.call("t1102", QUOTE)
    # Another process issued (killing ours at LS) and wrote its token to the shared file.
    fake.issued.append(minted(99))
    write_file_token(rest.tokens, fake.issued[-1])
    envelope = await rest.call("t1102", QUOTE)
    assert envelope.block("t1102OutBlock") == {"price": 2}
    assert len(fake.token_forms) == 1            # only the first issuance, none for recovery
    first, refused, retried = fake.calls()
    assert refused.headers["authorization"] == f"Bearer {fake.issued[0]}"
    assert retried.headers["authorization"] == f"Bearer {fake.issued[-1]}"


async def test_a_token_killed_by_an_outsider_is_issued_once(rest, fake):
    fake.script["t1102"] = [ok(t1102OutBlock={"price": 1}), ok(t1102OutBlock={"price": 2})]
    await rest.call("t1102", QUOTE)
    fake.issued.append(minted(50))               # a foreign client: the file still holds ours
    await rest.call("t1102", QUOTE)
    assert len(fake.token_forms) == 2 and rest.tokens.current().token == fake.issued[-1]


async def test_a_key_fought_over_does_not_make_lucy_issue_in_a_loop(rest, fake):
    fake.script["t1102"] = [ok(t1102OutBlock={"price": 1})]
    await rest.call("t1102", QUOTE)
    original = fake.handler

    def outsider_always_wins(request):
        answer = original(request)
        if request.url.path == codes.P_TOKEN:
            fake.issued.append(minted(1000 + len(fake.issued)))   # and kills ours at once
        return answer
    rest.http = httpx.AsyncClient(transport=httpx.MockTransport(outsider_always_wins))
    fake.issued.append(minted(77))               # the outsider's first issuance kills ours
    with pytest.raises(AuthError) as info:
        await rest.call("CSPAT00601", ORDER, order=True, accept=accepted)
    assert info.value.code == "IGW00121"
    assert len(fake.token_forms) == 2            # one issuance for the whole call, no loop
    assert len(fake.calls("CSPAT00601")) == 2    # refused at the gateway both times


async def test_an_expired_token_is_replaced(fake, tmp_path):
    rest = make_rest(fake, tmp_path)
    fake.script["t1102"] = [gateway("IGW00123", "기간이 만료된 token 입니다"),
                            ok(t1102OutBlock={"price": 3})]
    assert (await rest.call("t1102", QUOTE)).block("t1102OutBlock") == {"price": 3}
    assert len(fake.token_forms) == 2


async def test_a_server_that_starts_over_does_not_make_lucy_read_forever(rest, fake):
    page = dict(t0425OutBlock={"cts_ordno": "200"}, t0425OutBlock1=[{"ordno": 100}, {"ordno": 200}])
    fake.script["t0425"] = [ok("Y", "k1", **page), ok("Y", "k2", **page)]
    with pytest.raises(BrokerError, match="already read"):
        await rest.pages("t0425", {"cts_ordno": ""}, rows="t0425OutBlock1", cursor="cts_ordno")
    assert len(fake.calls()) == 2
