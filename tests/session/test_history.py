"""session/history.py: a broker with a range inquiry is asked for the range; one without answers
for today (and the reply says so); what a broker refuses comes back as a problem in words."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

from lucy_tui.brokers.base import NotSupported, OrderReport
from lucy_tui.clock import KST
from lucy_tui.domain.model import AccountRef, OrderType, Side, TimeInForce
from lucy_tui.session.history import orders_between

TODAY = date(2026, 11, 24)


def report(account: AccountRef, number: str, day: date) -> OrderReport:
    return OrderReport(account, number, "005930", Side.BUY, 1, 269_000, OrderType.LIMIT,
                       TimeInForce.DAY, 0, 0, time=datetime(day.year, day.month, day.day, 9,
                                                             tzinfo=KST))


class TodayOnly:
    name = "xyz"

    def __init__(self):
        self.accounts = (AccountRef("xyz", "1"),)

    async def orders_today(self, account):
        return [report(account, "7", TODAY)]


class Ranged(TodayOnly):
    name = "abc"

    def __init__(self, refuse: bool = False):
        self.accounts = (AccountRef("abc", "2"),)
        self.refuse = refuse

    async def orders_between(self, account, start, end):
        if self.refuse:
            raise NotSupported("한 번에 31일까지만 — at most 31 days", broker=self.name)
        return [report(account, "5", start)]


async def test_range_today_only_and_refusals_in_words():
    engine = SimpleNamespace(brokers={"xyz": TodayOnly(), "abc": Ranged()})
    rows, problems = await orders_between(engine, date(2026, 11, 20), TODAY, TODAY)
    assert [(r.account.broker, r.order_no) for r in rows] == [("abc", "5"), ("xyz", "7")]
    assert problems == ["xyz:1: XYZ는 당일 내역만 조회"]

    engine = SimpleNamespace(brokers={"abc": Ranged(refuse=True)})
    rows, problems = await orders_between(engine, date(2026, 10, 1), TODAY, TODAY)
    assert rows == [] and problems == ["abc:2: abc: 한 번에 31일까지만 — at most 31 days"]
