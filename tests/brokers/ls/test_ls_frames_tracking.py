"""Realtime messages and SC0–SC4 → events: the official examples' values, fill ids from execno,
replays de-duplicated, an amend recorded under its new number, cancels and rejections."""

import json
from datetime import date, datetime

import pytest

from lucy_tui.brokers.base import (
    FillEvent, OrderAcked, OrderAmended, OrderCancelled, OrderRejectedEvent, OrderReport,
)
from lucy_tui.brokers.ls import codes
from lucy_tui.brokers.ls.frames import Ack, FrameError, Push, parse, registration
from lucy_tui.brokers.ls.settings import LsSettings
from lucy_tui.brokers.ls.tracking import OrderTracker
from lucy_tui.clock import KST
from lucy_tui.domain.model import AccountRef, OrderType, Side, TimeInForce, Venue

ACCOUNT = AccountRef("ls", "55512345601", "", "paper")
TODAY = date(2026, 11, 24)


def settings():
    return LsSettings(app_key="K" * 36, app_secret="S" * 36, accounts=(ACCOUNT,))


def sc(tr_cd: str, **values) -> Push:
    """A push with every field of its layout, as strings, blanks where not given."""
    body = dict.fromkeys(codes.SC_FIELDS[tr_cd], "")
    body.update({k: str(v) for k, v in values.items()})
    unknown = set(values) - set(codes.SC_FIELDS[tr_cd])
    assert not unknown, unknown
    return parse(json.dumps({"header": {"tr_cd": tr_cd}, "body": body}))


def sc0(**over):
    values = dict(trcode="SONAT000", accno="55512345601", ordchegb="01", marketgb="10", ordgb="02",
                  orgordno="0", shtcode="A005930", expcode="KR7005930003", ordqty="2",
                  ordprice="60000", hogagb="0", etfhogagb="00", mbrno="KRX", ordno="86382",
                  ordtm="095636020", prntordno="86382", bnstp="2", msgcode="0040")
    values.update(over)
    return sc("SC0", **values)


def sc1(tr_cd="SC1", **over):
    values = dict(trcode="SONAS100", accno="55512345601", ordxctptncode="11", ordmktcode="10",
                  ordptncode="02", Isuno="KR7005930003", ordno="86382", orgordno="0", execno="1",
                  ordqty="2", ordprc="60000", execqty="1", execprc="60000", unercqty="1",
                  ordavrexecprc="60000", shtnIsuno="A005930", bnstp="2", ordcndi="0",
                  ordprcptncode="00", exectime="095636107", rcptexectime="095636098",
                  msgcode="9999", mnyexecamt="60000")
    values.update(over)
    return sc(tr_cd, **values)


@pytest.fixture
def tracker():
    events = []
    t = OrderTracker(settings(), lambda: TODAY, events.append)
    t.events_out = events
    return t


# ---------------------------------------------------------------- frames


def test_registration_message_carries_the_raw_token():
    message = json.loads(registration("tok.en", "1", "SC1"))
    assert message == {"header": {"token": "tok.en", "tr_type": "1"},
                       "body": {"tr_cd": "SC1", "tr_key": ""}}
    with pytest.raises(ValueError):
        registration("t", "9", "SC1")


def test_ack_and_push_frames():
    ack = parse('{"header": {"tr_cd": "SC0", "tr_key": "", "tr_type": "1", "rsp_cd": "00000",'
                ' "rsp_msg": "계좌등록 완료"}}')
    assert isinstance(ack, Ack) and ack.ok and ack.tr_cd == "SC0"
    bad = parse(b'{"header": {"rsp_cd": "IGW00121", "rsp_msg": "x"}, "body": null}')
    assert isinstance(bad, Ack) and not bad.ok and bad.rsp_cd == "IGW00121"
    push = parse('{"header": {"tr_cd": "S3_", "tr_key": "005930"}, "body": {"price": " 269500 "}}')
    assert isinstance(push, Push) and push.tr_key == "005930"
    assert push["price"] == "269500" and push.int("price") == 269500 and push["none"] == ""


@pytest.mark.parametrize("raw", ["not json", "[]", '{"body": {}}', '{"header": {}, "body": {}}',
                                 '{"header": {"tr_cd": "SC1"}, "body": "x"}'])
def test_malformed_frames(raw):
    with pytest.raises(FrameError):
        parse(raw)


def test_push_numbers_are_strict():
    push = sc1(execqty="1.00", execprc="abc")
    assert push.int("execqty") == 1
    with pytest.raises(FrameError):
        push.int("execprc")


# ---------------------------------------------------------------- SC0–SC4 → events


def test_accept_then_partial_fills_with_execno_ids(tracker):
    [ack] = tracker.events(sc0())
    assert isinstance(ack, OrderAcked)
    assert (ack.account, ack.order_no, ack.code, ack.side, ack.qty, ack.price, ack.type, ack.tif,
            ack.venue) == (ACCOUNT, "86382", "005930", Side.BUY, 2, 60000, OrderType.LIMIT,
                           TimeInForce.DAY, Venue.KRX)
    assert ack.time == datetime(2026, 11, 24, 9, 56, 36, 20000, KST)
    [first] = tracker.events(sc1())
    [second] = tracker.events(sc1(execno="2", unercqty="0", exectime="095637001"))
    assert [f.fill.fill_id for f in (first, second)] == ["86382:1", "86382:2"]
    assert [(f.fill.qty, f.fill.price, f.cum_qty, f.leaves_qty) for f in (first, second)] == [
        (1, 60000, 1, 1), (1, 60000, 2, 0)]
    assert first.fill.time == datetime(2026, 11, 24, 9, 56, 36, 107000, KST)
    assert first.fill.side is Side.BUY and first.fill.account == ACCOUNT


def test_replayed_pushes_yield_one_event_each(tracker):
    for _ in range(3):
        tracker.on_push(sc0())
        tracker.on_push(sc1())
    events = tracker.events_out
    assert [type(e) for e in events] == [OrderAcked, FillEvent]
    assert tracker.duplicates == 4
    [again] = tracker.events(sc1(execno="2"))       # a new execno is a new fill
    assert again.fill.fill_id == "86382:2"


def test_same_execno_of_another_order_is_another_fill(tracker):
    a = tracker.events(sc1())
    b = tracker.events(sc1(ordno="86390"))
    assert a[0].fill.fill_id != b[0].fill.fill_id


def test_amend_is_recorded_under_its_new_number(tracker):
    tracker.events(sc0(ordqty="2"))
    assert tracker.events(sc0(ordchegb="02", ordno="86383", orgordno="86382",
                              trcode="SONAT001")) == []     # the amend's 접수: no event yet
    [amended] = tracker.events(sc1("SC2", ordxctptncode="12", ordno="86383", orgordno="86382",
                                   execno="", execqty="0", execprc="0", mdfycnfqty="2",
                                   mdfycnfprc="70000", unercqty="2", orgordunercqty="0"))
    assert isinstance(amended, OrderAmended)
    assert (amended.order_no, amended.orig_order_no, amended.price, amended.qty, amended.code) == (
        "86383", "86382", 70000, 2, "005930")
    new, old = tracker.orders["86383"], tracker.orders["86382"]
    assert (new.code, new.side, new.price, new.qty, new.leaves) == ("005930", Side.BUY, 70000, 2, 2)
    assert old.leaves == 0
    [fill] = tracker.events(sc1(ordno="86383", execno="1", execqty="2", execprc="70000",
                                unercqty="0"))
    assert (fill.fill.order_no, fill.fill.fill_id, fill.leaves_qty) == ("86383", "86383:1", 0)
    assert tracker.events(sc1("SC2", ordxctptncode="12", ordno="86383", orgordno="86382",
                              mdfycnfqty="2")) == []


def test_user_cancel_names_the_order_and_the_cancel_number(tracker):
    tracker.events(sc0(ordno="88342", ordqty="1"))
    [cancel] = tracker.events(sc1("SC3", ordxctptncode="13", ordno="88343", orgordno="88342",
                                  execno="", execqty="0", canccnfqty="1", unercqty="0"))
    assert isinstance(cancel, OrderCancelled)
    assert (cancel.order_no, cancel.cancel_no, cancel.qty, cancel.reason) == (
        "88342", "88343", 1, "user")
    assert tracker.orders["88342"].leaves == 0
    assert tracker.events(sc1("SC3", ordxctptncode="13", ordno="88343", orgordno="88342",
                              canccnfqty="1")) == []


def test_exchange_cancel_of_an_ioc_rest(tracker):
    tracker.events(sc0(ordno="500", ordqty="10", hogagb="1", etfhogagb="03", ordprice="0"))
    assert tracker.orders["500"].tif is TimeInForce.IOC
    [cancel] = tracker.events(sc1("SC3", ordxctptncode="13", ordno="500", orgordno="0",
                                  execno="", execqty="0", canccnfqty="6", unercqty="0"))
    assert (cancel.order_no, cancel.cancel_no, cancel.qty, cancel.reason) == ("500", "", 6, "ioc")


def test_rejections_of_orders_and_of_amends(tracker):
    [rejected] = tracker.events(sc1("SC4", ordxctptncode="14", ordno="700", orgordno="0",
                                    execno="", execqty="0", rjtqty="3", msgcode="03181"))
    assert isinstance(rejected, OrderRejectedEvent)
    assert (rejected.order_no, rejected.orig_order_no, rejected.code) == ("700", "", "005930")
    assert rejected.reason == "주문가격이 하한가 미달입니다. (03181)"
    [amend_refused] = tracker.events(sc1("SC4", ordxctptncode="14", ordno="702", orgordno="701",
                                         execno="", execqty="0", rjtqty="1", msgcode="9876"))
    assert amend_refused.orig_order_no == "701" and amend_refused.reason == "주문거부 (9876)"
    [short] = tracker.events(sc1("SC4", ordxctptncode="14", ordno="703", msgcode="3181"))
    assert short.reason == "주문가격이 하한가 미달입니다. (3181)"
    assert tracker.events(sc1("SC4", ordxctptncode="14", ordno="700")) == []


def test_foreign_tr_and_unknown_account_fall_back_to_the_key_account(tracker):
    assert tracker.events(parse('{"header": {"tr_cd": "S3_"}, "body": {}}')) == []
    [ack] = tracker.events(sc0(accno="99999999999", ordno="1"))
    assert ack.account == ACCOUNT


def test_inquiry_teaches_open_quantity_and_bounds_the_cumulative_count(tracker):
    report = OrderReport(ACCOUNT, "900", "005930", Side.SELL, 10, 70000, OrderType.LIMIT,
                         TimeInForce.DAY, filled_qty=4, filled_amount=280000)
    tracker.learn(report)
    memo = tracker.orders["900"]
    assert (memo.code, memo.leaves, memo.cum, memo.side) == ("005930", 6, 4, Side.SELL)
    # The push of a fill the inquiry already counted arrives late: the count stays honest.
    [late] = tracker.events(sc1(ordno="900", execno="2", execqty="4", unercqty="6", ordqty="10",
                                bnstp="1"))
    assert (late.cum_qty, late.leaves_qty) == (4, 6)
    [more] = tracker.events(sc1(ordno="900", execno="3", execqty="6", unercqty="0", ordqty="10",
                                bnstp="1"))
    assert (more.cum_qty, more.leaves_qty) == (10, 0)
