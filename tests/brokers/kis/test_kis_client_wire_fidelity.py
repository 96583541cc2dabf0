"""Client habits a review against kis.md found wrong, pinned with raw wire text: ``(null)`` values
in realtime records (§5.3), amounts read without floats, and an accepted order whose answer lacks
its number being *unknown* rather than a plain error (never re-sent, §6.2)."""

from __future__ import annotations

import time

import httpx
import jwt
import pytest

from lucy_tui.brokers.base import OrderAcked, OrderCancelled, OrderRequest, OutcomeUnknown
from lucy_tui.brokers.kis import KisSettings
from lucy_tui.brokers.kis.client import KisBroker
from lucy_tui.brokers.kis.mapping import num
from lucy_tui.brokers.kis.realtime import KisRealtime
from lucy_tui.brokers.kis.tracking import OrderTracker
from lucy_tui.brokers.ratelimit import Limit, RateLimiter
from lucy_tui.brokers.tokens import TokenCache
from lucy_tui.domain.model import AccountRef, Side
from test_kis_frames_tracking import ACCOUNT, KEY, IV, TODAY, encrypt, notice

SETTINGS = KisSettings(app_key="PS" + "a" * 34, app_secret="b" * 180, hts_id="lucy01",
                       accounts=(ACCOUNT,), rest_url="http://kis.test", env="mock")


def _realtime(received: list) -> KisRealtime:
    rt = KisRealtime(SETTINGS, approval=lambda: None, on_notice=received.append,
                     on_tick=received.append, on_status=lambda *a: None)
    rt._keys[rt.notice_tr] = (KEY, IV)       # as the notice ACK's output.key / output.iv set it
    return rt


def test_null_values_in_an_encrypted_ack_do_not_drop_the_notice():
    received: list = []
    rt = _realtime(received)
    record = "^".join(notice(CNTG_UNPR="(null)", OODER_NO="(null)", CRDT_LOAN_DATE="(null)"))
    rt._data(f"1|{rt.notice_tr}|001|{encrypt(record)}")
    assert rt.bad_frames == 0 and len(received) == 1
    [n] = received
    assert n["OODER_NO"] == "" and n.int("CNTG_UNPR") == 0
    events = []
    OrderTracker(SETTINGS, lambda: TODAY, events.append).on_notice(n)
    [acked] = events
    assert isinstance(acked, OrderAcked)
    assert (acked.order_no, acked.qty, acked.price) == ("0000000042", 10, 71000)   # from ODER_PRC


def test_null_values_in_a_multi_record_tick_frame():
    received: list = []
    rt = _realtime(received)
    tick = ["005930", "093354", "71900", "5", "-100"] + ["0"] * 39 + ["(null)", "72100"]
    rt._data("0|H0STCNT0|002|" + "^".join(tick + tick))
    assert rt.bad_frames == 0 and len(received) == 2
    assert received[0][44] == "" and received[1][45] == "72100"


def test_ioc_remainder_with_null_fields_is_a_cancel():
    events = []
    t = OrderTracker(SETTINGS, lambda: TODAY, events.append)
    received: list = []
    rt = _realtime(received)
    record = "^".join(notice(ACPT_YN="3", ODER_COND="1", CNTG_QTY="0000000004",
                             CNTG_UNPR="(null)", ORD_COND_PRC="(null)"))
    rt._data(f"1|{rt.notice_tr}|001|{encrypt(record)}")
    t.on_notice(received[0])
    [cancelled] = events
    assert isinstance(cancelled, OrderCancelled) and cancelled.qty == 4


@pytest.mark.parametrize("text, value", [
    ("269166.6600", 269166), ("-0.9999", 0), ("(null)", 0), ("", 0), ("NaN", 0),
    # 17 significant digits: a float would turn this into ...8 (or ...6); whole won must survive.
    ("12345678901234567.0000", 12345678901234567),
])
def test_amounts_are_read_without_floats(text, value):
    assert num(text) == value


async def test_accepted_order_without_odno_is_unknown_and_sent_once(tmp_path):
    orders = []

    def host(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth2/tokenP":
            now = int(time.time())
            token = jwt.encode({"sub": "token", "iat": now, "exp": now + 86400}, "k" * 64,
                               algorithm="HS512")
            return httpx.Response(200, json={"access_token": token, "token_type": "Bearer",
                                             "expires_in": 86400,
                                             "access_token_token_expired": "2099-01-01 00:00:00"})
        orders.append(request)
        return httpx.Response(200, headers={"tr_id": "VTTC0012U", "tr_cont": "D"}, json={
            "rt_cd": "0", "msg_cd": "40600000", "msg1": "모의투자 매수주문이 완료 되었습니다.".ljust(60),
            "output": {"KRX_FWDG_ORD_ORGNO": "00950", "ODNO": "", "ORD_TMD": "100000"}})

    http = httpx.AsyncClient(transport=httpx.MockTransport(host))
    broker = KisBroker(SETTINGS, http=http, limiter=RateLimiter(Limit(1000)),
                       tokens=TokenCache("kis", SETTINGS.app_key, directory=tmp_path,
                                         issue_interval=0))
    account = AccountRef("kis", ACCOUNT.number, ACCOUNT.product)
    with pytest.raises(OutcomeUnknown):
        await broker.place(OrderRequest(account, "005930", Side.BUY, 1, 71000))
    assert len(orders) == 1
    assert orders[0].headers["tr_id"] == "VTTC0012U"
    await http.aclose()
