"""Engine events → tape lines, headless: which lines each change of an order makes."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from lucy_tui.brokers.base import Connection
from lucy_tui.domain.model import Side, Venue
from lucy_tui.engine.events import BrokerStatusChanged, EngineError, PositionChanged
from lucy_tui.ui.tape_model import TapeFeed, avg_krw, chain_of, entries_from_event, hms_ms

from tape_desk import FUND_A, NAMES, Desk


def kinds(entries):
    return [(e.kind, e.text.split(" ")[0]) for e in entries]


def test_an_order_from_send_to_fills_makes_one_line_per_step():
    desk, feed = Desk(), TapeFeed(NAMES)
    lid, events = desk.place("005930", Side.BUY, 100, 71_000)
    sent = feed.feed(events)
    acked = feed.feed(desk.ack(lid, "0000012345"))
    filled = feed.feed(desk.fill(lid, 30, 71_000) + desk.fill(lid, 70, 70_900, Venue.NXT))
    assert kinds(sent) == [("info", "주문전송")]
    assert kinds(acked) == [("ack", "접수확인")]
    # The engine also publishes the order after each fill; that must not make a second line.
    assert [e.kind for e in filled] == ["fill", "fill"]
    first, second = filled
    assert (first.qty, first.price, first.cum_qty, first.order_qty) == (30, 71_000, 30, 100)
    assert (second.venue, second.cum_qty, second.order_no) == ("NXT", 100, "0000012345")
    assert second.avg == Decimal(30 * 71_000 + 70 * 70_900) / 100
    assert second.name == "삼성전자" and second.account == "fundA" and second.broker == "kis"
    assert second.side is Side.BUY and second.local_id == lid


def test_amend_cancel_and_reject_lines_carry_numbers_and_reasons():
    desk, feed = Desk(), TapeFeed(NAMES)
    lid, events = desk.place("000660", Side.SELL, 50, 150_000)
    feed.feed(events + desk.ack(lid, "100"))
    amended = feed.feed(desk.amend(lid, "101", 149_500))
    assert kinds(amended) == [("info", "정정요청"), ("amend", "정정확인")]
    assert amended[1].order_no == "101" and amended[1].orig_order_no == "100"
    assert "100→101" in amended[1].text and "150,000→149,500" in amended[1].text
    feed.feed(desk.fill(lid, 20, 149_500))
    cancelled = feed.feed(desk.cancel(lid))
    assert kinds(cancelled) == [("info", "취소요청"), ("cancel", "취소확인")]
    assert cancelled[1].qty == 30 and cancelled[1].cum_qty == 20

    other, events = desk.place("035720", Side.BUY, 10, 42_350)
    feed.feed(events)
    rejected = feed.feed(desk.reject(other, "주문가능금액 부족"))
    assert kinds(rejected) == [("reject", "거부")] and "주문가능금액 부족" in rejected[0].text


def test_a_cancel_refused_by_the_broker_is_a_reject_line():
    from lucy_tui.domain import states
    desk, feed = Desk(), TapeFeed(NAMES)
    lid, events = desk.place("005930", Side.BUY, 10, 71_000)
    feed.feed(events + desk.ack(lid, "7"))
    feed.feed(desk.book.transition(lid, states.on_cancel_requested, desk.tick()))
    refused = feed.feed(desk.book.transition(lid, states.on_cancel_rejected, "이미 체결", desk.tick()))
    assert kinds(refused) == [("reject", "취소거부")] and "이미 체결" in refused[0].text


def test_engine_errors_become_alerts_naming_the_order_and_other_events_make_none():
    desk, feed = Desk(), TapeFeed(NAMES, now=lambda: desk.now)
    lid, events = desk.place("005930", Side.BUY, 10, 71_000)
    feed.feed(events)
    alert, = feed.entries(EngineError("rate limited", lid, FUND_A))
    assert (alert.kind, alert.code, alert.name, alert.text) == ("alert", "005930", "삼성전자",
                                                                "rate limited")
    assert not alert.dimmed
    status, = feed.entries(BrokerStatusChanged("ls", Connection.RECONNECTING, "socket closed"))
    assert status.kind == "info" and "reconnecting" in status.text and status.dimmed
    assert feed.entries(PositionChanged(None)) == []


def test_times_are_shown_in_kst_to_the_millisecond():
    utc = datetime(2026, 12, 4, 0, 0, 1, 234_567, tzinfo=timezone.utc)
    assert hms_ms(utc) == "09:00:01.234"
    assert hms_ms(datetime(2026, 12, 4, 15, 30, 0, 5_000)) == "15:30:00.005"   # naive = KST
    assert hms_ms(utc + timedelta(hours=6, minutes=20)) == "15:20:01.234"


def test_the_pure_function_needs_the_previous_order_to_tell_an_ack():
    desk = Desk()
    lid, events = desk.place("005930", Side.BUY, 10, 71_000)
    before = desk.order(lid)
    update, = desk.ack(lid, "9")
    assert [e.kind for e in entries_from_event(update, NAMES, before)] == ["ack"]
    assert entries_from_event(update, NAMES, desk.order(lid)) == []


def test_chain_follows_local_id_or_broker_numbers_across_amends():
    desk, feed = Desk(), TapeFeed(NAMES)
    a, ev_a = desk.place("005930", Side.BUY, 10, 71_000)
    b, ev_b = desk.place("000660", Side.SELL, 5, 150_000)
    lines = feed.feed(ev_a + ev_b + desk.ack(a, "1") + desk.ack(b, "2") + desk.amend(a, "3", 70_900)
                      + desk.fill(a, 10, 70_900) + desk.fill(b, 5, 150_000))
    chain = chain_of(lines, lines[-2])
    assert {e.local_id for e in chain} == {a} and [e.kind for e in chain] == [
        "info", "ack", "info", "amend", "fill"]
    anonymous = [replace(e, local_id="") for e in lines]
    by_number = chain_of(anonymous, anonymous[-2])
    assert [e.order_no for e in by_number if e.order_no] == ["1", "1", "3", "3"]


def test_average_prices_print_whole_won_or_one_decimal():
    assert avg_krw(Decimal(71_000)) == "71,000"
    assert avg_krw(Decimal(7_095_050) / 100) == "70,950.5"
    assert avg_krw(None) == ""


def test_the_tape_model_runs_without_textual():
    import subprocess
    import sys
    code = ("import sys, lucy_tui.ui.tape_model\n"
            "print(','.join(m for m in sys.modules if m.split('.')[0] == 'textual'))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_an_order_found_by_reconciliation_is_acknowledged_as_external():
    from lucy_tui.domain import states
    from lucy_tui.domain.model import Order
    desk, feed = Desk(), TapeFeed(NAMES)
    order = Order("20261204-00042", FUND_A, "005930", Side.SELL, 7, 71_000, order_no="555",
                  external=True, created_at=desk.tick(), updated_at=desk.now)
    line, = feed.feed(desk.book.add(states.on_accepted(order, "555", desk.now)))
    assert (line.kind, line.text, line.order_no) == ("ack", "외부주문 접수", "555")


def test_the_day_so_far_is_rebuilt_from_the_book_and_the_stream_goes_on_from_it():
    from lucy_tui.ui.tape_model import day_history
    desk = Desk()
    a, ea = desk.place("005930", Side.BUY, 100, 71_000)
    b, eb = desk.place("000660", Side.SELL, 5, 150_000)
    desk.ack(a, "1"), desk.ack(b, "2")
    desk.fill(a, 30, 71_000)
    desk.amend(a, "3", 70_900)
    desk.fill(a, 20, 70_900)
    desk.cancel(b)
    lines = day_history(desk.book.orders.values(), desk.book.fills, NAMES)
    assert [(e.kind, e.local_id) for e in lines] == [
        ("ack", a), ("ack", b), ("fill", a), ("amend", a), ("fill", a), ("cancel", b)]
    second = lines[4]
    assert (second.cum_qty, second.order_qty, second.order_no) == (50, 100, "3")
    assert second.avg == Decimal(30 * 71_000 + 20 * 70_900) / 50
    assert lines[0].cum_qty == 0 and "1→3" not in lines[0].text and "1→3" in lines[3].text
    assert [e.time for e in lines] == sorted(e.time for e in lines)

    feed = TapeFeed(NAMES)
    assert feed.history(desk.book.orders.values(), desk.book.fills) == lines
    later = desk.fill(a, 50, 70_900)
    assert [e.kind for e in feed.feed(later)] == ["fill"]
    # A fill already on the tape (from the history, or seen once) comes back as no line.
    assert feed.feed(later) == []
    again = TapeFeed(NAMES)
    again.seed(desk.book.orders.values(), desk.book.fills)
    assert feed.feed(later) == [] and again.feed(later) == []
