"""Realtime frames: AES vectors built here with cryptography, 26- and 23-field notices, notice →
events with fill ids that an inquiry reproduces, and the seeding of fill counts."""

import base64
from datetime import date

import pytest
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from lucy_tui.brokers.base import (
    FillEvent, OrderAcked, OrderAmended, OrderCancelled, OrderRejectedEvent, OrderReport,
)
from lucy_tui.brokers.kis.frames import (
    NOTICE_FIELDS, FrameError, decrypt, parse_notices, parse_ticks, split_frame,
)
from lucy_tui.brokers.kis.settings import KisSettings
from lucy_tui.brokers.kis.tracking import OrderTracker
from lucy_tui.domain.model import AccountRef, OrderType, Side, TimeInForce, Venue

KEY, IV = "abcdefghijklmnopqrstuvwxyz012345", "0123456789abcdef"
ACCOUNT = AccountRef("kis", "50123456", "01", "paper")
TODAY = date(2026, 11, 24)


def encrypt(text: str, key: str = KEY, iv: str = IV) -> str:
    padder = padding.PKCS7(128).padder()
    data = padder.update(text.encode()) + padder.finalize()
    enc = Cipher(algorithms.AES(key.encode()), modes.CBC(iv.encode())).encryptor()
    return base64.b64encode(enc.update(data) + enc.finalize()).decode()


def notice(**over) -> list[str]:
    values = {
        "CUST_ID": "lucy01", "ACNT_NO": "5012345601", "ODER_NO": "0000000042", "OODER_NO": "",
        "SELN_BYOV_CLS": "02", "RCTF_CLS": "0", "ODER_KIND": "00", "ODER_COND": "0",
        "STCK_SHRN_ISCD": "005930", "CNTG_QTY": "0000000010", "CNTG_UNPR": "000071000",
        "STCK_CNTG_HOUR": "093015", "RFUS_YN": "0", "CNTG_YN": "1", "ACPT_YN": "1",
        "BRNC_NO": "00950", "ODER_QTY": "000000010", "ACNT_NAME": "김루시",
        "ORD_COND_PRC": "000000000", "ORD_EXG_GB": "1", "POPUP_YN": "N", "FILLER": "   ",
        "CRDT_CLS": "00", "CRDT_LOAN_DATE": "", "CNTG_ISNM40": "삼성전자", "ODER_PRC": "000071000",
    }
    values.update(over)
    return [values[name] for name in NOTICE_FIELDS]


def test_decrypt_round_trip_with_korean_text():
    plain = "^".join(notice())
    assert decrypt(encrypt(plain), KEY, IV) == plain


def test_decrypt_with_the_wrong_key_is_a_frame_error():
    with pytest.raises(FrameError):
        decrypt(encrypt("hello"), "x" * 32, IV)
    with pytest.raises(FrameError):
        decrypt("not base64!!", KEY, IV)


def test_frame_split_and_26_field_parse():
    payload = encrypt("^".join(notice()) + "^" + "^".join(notice(ODER_NO="0000000043")))
    frame = split_frame(f"1|H0STCNI9|002|{payload}")
    assert frame.encrypted and frame.tr_id == "H0STCNI9" and frame.count == 2
    records = parse_notices(decrypt(frame.payload, KEY, IV), frame.count)
    assert [r["ODER_NO"] for r in records] == ["0000000042", "0000000043"]
    assert records[0]["ORD_EXG_GB"] == "1" and records[0]["ODER_PRC"] == "000071000"


def test_old_23_field_layout_is_still_read():
    fields = notice()
    old = fields[:18] + ["삼성전자", "00", "", "삼성전자", "000071000"]
    [record] = parse_notices("^".join(old), 1)
    assert record["ODER_NO"] == "0000000042" and record["ODER_PRC"] == "000071000"
    assert record["CNTG_ISNM40"] == "삼성전자" and record["ORD_EXG_GB"] == ""


@pytest.mark.parametrize("text", ["x|H0STCNI0|001|a", "0|H0STCNT0|abc|a", "0|H0STCNT0"])
def test_malformed_frames(text):
    with pytest.raises(FrameError):
        split_frame(text)


def test_wrong_field_count_is_refused():
    with pytest.raises(FrameError):
        parse_notices("^".join(notice()[:20]), 1)
    with pytest.raises(FrameError):
        parse_ticks("^".join(["1"] * 45), 1)
    assert len(parse_ticks("^".join(["1"] * 92), 2)) == 2
    assert len(parse_ticks("^".join(["1"] * 47), 1)[0]) == 47


def tracker():
    events = []
    s = KisSettings(app_key="k", app_secret="s", hts_id="lucy01", accounts=(ACCOUNT,))
    return OrderTracker(s, lambda: TODAY, events.append), events


def feed(t, **over):
    [n] = parse_notices("^".join(notice(**over)), 1)
    t.on_notice(n)


def test_ack_fill_amend_cancel_reject_and_ioc_rest():
    t, events = tracker()
    feed(t)                                                   # order ack
    feed(t, ACPT_YN="2")                                      # 확인 of the same: no second event
    feed(t, CNTG_YN="2", ACPT_YN="2", CNTG_QTY="0000000003")  # fill 3
    feed(t, CNTG_YN="2", ACPT_YN="2", CNTG_QTY="0000000004", CNTG_UNPR="000070900")
    feed(t, ODER_NO="0000000050", OODER_NO="0000000042", RCTF_CLS="1", ACPT_YN="2",
         CNTG_QTY="0000000003", CNTG_UNPR="000070500")        # amend the remaining 3
    feed(t, ODER_NO="0000000051", OODER_NO="0000000050", RCTF_CLS="2", ACPT_YN="2",
         CNTG_QTY="0000000003")                               # cancel them
    feed(t, ODER_NO="0000000060", RFUS_YN="1")                # exchange reject
    feed(t, ODER_NO="0000000070", ODER_KIND="11", ODER_COND="1", ACPT_YN="3",
         CNTG_QTY="0000000005")                               # IOC remainder
    kinds = [type(e) for e in events]
    assert kinds == [OrderAcked, FillEvent, FillEvent, OrderAmended, OrderCancelled,
                     OrderRejectedEvent, OrderCancelled]
    ack, f1, f2, amended, cancelled, rejected, ioc = events
    assert ack.account is ACCOUNT and ack.qty == 10 and ack.price == 71000
    assert ack.side is Side.BUY and ack.type is OrderType.LIMIT and ack.venue is Venue.KRX
    assert ack.time.hour == 9 and ack.time.date() == TODAY
    assert f1.fill.fill_id == "0000000042:3" and f1.cum_qty == 3 and f1.leaves_qty == 7
    assert f2.fill.fill_id == "0000000042:7" and f2.fill.price == 70900 and f2.leaves_qty == 3
    assert f2.fill.amount == 4 * 70900
    assert (amended.order_no, amended.orig_order_no, amended.price, amended.qty) == (
        "0000000050", "0000000042", 70500, 3)
    assert (cancelled.order_no, cancelled.cancel_no, cancelled.qty, cancelled.reason) == (
        "0000000050", "0000000051", 3, "user")
    assert rejected.order_no == "0000000060" and rejected.reason
    assert ioc.order_no == "0000000070" and ioc.qty == 5 and ioc.reason == "ioc"
    assert t.orders["0000000042"].branch == "00950"


def report(no, qty, filled, **kw):
    return OrderReport(account=ACCOUNT, order_no=no, code="005930", side=Side.BUY, qty=qty,
                       price=71000, type=OrderType.LIMIT, tif=TimeInForce.DAY, filled_qty=filled,
                       filled_amount=filled * 71000, **kw)


def test_seeding_continues_the_count_and_replays_held_notices():
    t, events = tracker()
    t.session_opened()
    # Arrived while the seeding inquiry was in flight; the inquiry already counts it.
    feed(t, CNTG_YN="2", ACPT_YN="2", CNTG_QTY="0000000002")
    assert events == []
    t.seeded([report("0000000042", 10, 6)])   # 4 before the session + the 2 held
    feed(t, CNTG_YN="2", ACPT_YN="2", CNTG_QTY="0000000001")
    assert [e.fill.fill_id for e in events] == ["0000000042:6", "0000000042:7"]
    assert events[-1].leaves_qty == 3


def test_seeding_never_moves_a_count_back():
    t, events = tracker()
    feed(t, CNTG_YN="2", ACPT_YN="2", CNTG_QTY="0000000005")
    t.session_opened()
    t.seeded([report("0000000042", 10, 3)])    # a stale answer
    feed(t, CNTG_YN="2", ACPT_YN="2", CNTG_QTY="0000000001")
    assert [e.fill.fill_id for e in events] == ["0000000042:5", "0000000042:6"]


def test_failed_seeding_still_releases_held_notices():
    t, events = tracker()
    t.session_opened()
    feed(t)
    t.seeded(None)
    assert [type(e) for e in events] == [OrderAcked]


def test_notice_for_an_account_not_configured_still_names_it():
    t, events = tracker()
    feed(t, ACNT_NO="5099999901")
    assert events[0].account == AccountRef("kis", "50999999", "01")
