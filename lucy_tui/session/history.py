"""Orders and fills for a date range, as each broker's inquiry reports them (the book of
record), for the history screen: KIS's daily inquiry (the last three months and the older-orders
tr id before them), LS's CSPAQ13700 day by day (up to a month a query). A broker whose client has
no range inquiry answers for today when the range includes it, and the reply says so; what a
broker refuses (a range too long, start after end) comes back as a problem in words."""

from __future__ import annotations

from datetime import date

from ..brokers.base import BrokerError, OrderReport


async def orders_between(engine, start: date, end: date,
                         today: date) -> tuple[list[OrderReport], list[str]]:
    """(reports oldest first, problems in words)."""
    rows: list[OrderReport] = []
    problems: list[str] = []
    for broker in engine.brokers.values():
        between = getattr(broker, "orders_between", None)
        for account in broker.accounts:
            try:
                if (start, end) == (today, today):
                    rows += await broker.orders_today(account)
                elif between is not None:
                    rows += await between(account, start, end)
                else:
                    problems.append(f"{account}: {broker.name.upper()}는 당일 내역만 조회")
                    if start <= today <= end:
                        rows += await broker.orders_today(account)
            except BrokerError as exc:
                problems.append(f"{account}: {exc}")
    rows.sort(key=lambda r: (r.time is None, r.time or today, r.order_no))
    return rows, problems
