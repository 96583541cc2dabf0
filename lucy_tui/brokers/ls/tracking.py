"""What the LS client remembers per order number, and SC0–SC4 pushes → broker events.

LS names each execution (``execno``) and says what stays open after it (``unercqty``), so unlike
KIS nothing has to be counted to name a fill. ``execno`` is numbered per order (the official
example's first fill of order 86382 is execno 1), so a fill is named ``"<ordno>:<execno>"``,
unique within the day. A push seen twice (a replay, a double registration, a reconnect that
resends) yields its event once: fills by that name, acknowledgements, amends, cancels and
rejections by (order number, kind).

An amend gets a new order number (SC2 ``ordno``, with ``orgordno`` the order it changed): the new
number is recorded with what it inherited (code, side, order condition, venue), so a later amend
or cancel of it knows its symbol and open quantity without an inquiry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from ...domain.model import AccountRef, Fill, OrderType, Side, TimeInForce, Venue
from ..base import (
    BrokerEvent, FillEvent, OrderAcked, OrderAmended, OrderCancelled, OrderRejectedEvent,
    OrderReport,
)
from . import codes
from .frames import Push
from .mapping import clock_time, kind_of, order_no, short_code, side_of, venue_of
from .settings import LsSettings

_IMMEDIATE = frozenset({TimeInForce.IOC, TimeInForce.FOK})


def _reject_texts() -> dict[str, str]:
    """Refusal code → text, under the 5-character rsp_cd and the 4-character msgcode form."""
    texts: dict[str, str] = {}
    for outcome, msg in codes.MESSAGES.items():
        if outcome in codes.UNVERIFIED_OUTCOMES or outcome is codes.Outcome.BELOW_LOWER:
            texts.setdefault(msg.rsp_cd, msg.rsp_msg)
            texts.setdefault(msg.rsp_cd[-4:], msg.rsp_msg)
    return texts


_REJECT_TEXT = _reject_texts()


@dataclass
class OrderMemo:
    account: AccountRef | None = None
    code: str = ""
    side: Side | None = None
    type: OrderType = OrderType.LIMIT
    tif: TimeInForce = TimeInForce.DAY
    venue: Venue = Venue.KRX
    price: int | None = None
    qty: int = 0            # quantity working under this number (order, or amended quantity)
    cum: int = 0            # filled so far under this number
    leaves: int | None = None  # open now, as LS last said (unercqty / ordrem); None: unknown


class OrderTracker:
    def __init__(self, settings: LsSettings, today: Callable[[], date],
                 emit: Callable[[BrokerEvent], None]):
        self.settings = settings
        self._today = today
        self._emit = emit
        self.orders: dict[str, OrderMemo] = {}
        self._seen: set[tuple[str, str]] = set()
        self.duplicates = 0     # pushes dropped as already seen (tests and diagnostics)

    def memo(self, number: str) -> OrderMemo:
        number = order_no(number)
        memo = self.orders.get(number)
        if memo is None:
            memo = self.orders[number] = OrderMemo()
        return memo

    def remember(self, number: str, *, account: AccountRef | None = None, code: str = "",
                 side: Side | None = None, type: OrderType | None = None,
                 tif: TimeInForce | None = None, venue: Venue | None = None,
                 price: int | None = None, qty: int = 0, leaves: int | None = None) -> OrderMemo:
        memo = self.memo(number)
        memo.account = account or memo.account
        memo.code = code or memo.code
        memo.side = side or memo.side
        memo.type = type or memo.type
        memo.tif = tif or memo.tif
        memo.venue = venue or memo.venue
        memo.price = price if price is not None else memo.price
        memo.qty = qty or memo.qty
        if leaves is not None:
            memo.leaves = leaves
        return memo

    def learn(self, report: OrderReport) -> None:
        """What an inquiry says about an order: the book of record wins on the open quantity."""
        if report.is_cancel:
            return
        memo = self.remember(report.order_no, account=report.account, code=report.code,
                             side=report.side, type=report.type, tif=report.tif,
                             venue=report.venue, price=report.price, qty=report.qty,
                             leaves=report.leaves_qty)
        memo.cum = max(memo.cum, report.filled_qty)

    def account_of(self, push: Push) -> AccountRef:
        # The push key is the account; the key serves one account, so that is the fallback.
        for name in ("accno", "accno1", "ordacntno"):
            found = self.settings.find_account(push[name])
            if found is not None:
                return found
        return self.settings.account

    # ------------------------------------------------------------------ pushes → events

    def on_push(self, push: Push) -> None:
        for event in self.events(push):
            self._emit(event)

    def _once(self, key: tuple[str, str]) -> bool:
        if key in self._seen:
            self.duplicates += 1
            return False
        self._seen.add(key)
        return True

    def events(self, push: Push) -> list[BrokerEvent]:
        if push.tr_cd == codes.SC0:
            return self._accepted(push)
        if push.tr_cd in (codes.SC1, codes.SC2, codes.SC3, codes.SC4):
            kind = push["ordxctptncode"]
            if push.tr_cd == codes.SC1 or kind == codes.XCT_FILL:
                return self._fill(push)
            if push.tr_cd == codes.SC2 or kind == codes.XCT_AMEND_CONFIRMED:
                return self._amended(push)
            if push.tr_cd == codes.SC3 or kind == codes.XCT_CANCEL_CONFIRMED:
                return self._cancelled(push)
            return self._rejected(push)
        return []

    def _accepted(self, p: Push) -> list[BrokerEvent]:
        """SC0 (주문접수). Only a new order is an event here; an amend or cancel is one when its
        confirmation (SC2/SC3) or refusal (SC4) arrives."""
        number = order_no(p["ordno"])
        if not number:
            return []
        account = self.account_of(p)
        code = short_code(p["shtcode"]) or short_code(p["expcode"])
        type, tif = kind_of(p["etfhogagb"], p["hogagb"])
        qty, price = p.int("ordqty"), p.int("ordprice") or None
        gb = p["ordchegb"]
        if gb in (codes.ORDCHEGB_AMEND, codes.ORDCHEGB_CANCEL):
            orig = self.orders.get(order_no(p["orgordno"]))
            self.remember(number, account=account, code=code, side=side_of(p["bnstp"]),
                          venue=orig.venue if orig else None, tif=orig.tif if orig else None)
            return []
        if not self._once((number, "ack")):
            return []
        side = side_of(p["bnstp"])
        venue = venue_of(p["mbrno"])
        memo = self.remember(number, account=account, code=code, side=side, type=type, tif=tif,
                             venue=venue, price=price, qty=qty)
        if memo.leaves is None:
            memo.leaves = qty
        return [OrderAcked(account=account, order_no=number, code=code, side=side, qty=qty,
                           price=price, time=self._time(p, "ordtm"), type=type, tif=tif,
                           venue=venue)]

    def _fill(self, p: Push) -> list[BrokerEvent]:
        number, execno = order_no(p["ordno"]), p["execno"].lstrip("0") or p["execno"]
        qty = p.int("execqty")
        if not number or not execno or qty <= 0:
            return []
        if not self._once((number, "fill:" + execno)):
            return []
        account = self.account_of(p)
        memo = self.memo(number)
        code = short_code(p["shtnIsuno"]) or memo.code
        side = side_of(p["bnstp"]) if p["bnstp"] else (memo.side or Side.BUY)
        memo.leaves = p.int("unercqty")
        memo.qty = memo.qty or p.int("ordqty")
        memo.cum += qty
        if memo.qty:
            # SC1 has no cumulative quantity; counting can overshoot when an inquiry already
            # counted a fill whose push comes later, and what is open bounds what was filled.
            memo.cum = min(memo.cum, max(memo.qty - memo.leaves, qty))
        self.remember(number, account=account, code=code, side=side)
        fill = Fill(fill_id=f"{number}:{execno}", order_no=number, account=account, code=code,
                    side=side, qty=qty, price=p.int("execprc"), time=self._time(p, "exectime"),
                    venue=memo.venue)
        return [FillEvent(fill=fill, cum_qty=memo.cum, leaves_qty=memo.leaves)]

    def _amended(self, p: Push) -> list[BrokerEvent]:
        number, orig = order_no(p["ordno"]), order_no(p["orgordno"])
        if not number or not self._once((number, "amend")):
            return []
        account = self.account_of(p)
        before = self.orders.get(orig)
        qty = p.int("mdfycnfqty")
        price = p.int("mdfycnfprc") or None
        code = short_code(p["shtnIsuno"]) or (before.code if before else "")
        type, tif = kind_of(p["ordprcptncode"], p["ordcndi"])
        if before is not None:
            # The amended quantity left the original; what stays there keeps working.
            before.leaves = (p.int("orgordunercqty") if p["orgordunercqty"]
                             else max((before.leaves or 0) - qty, 0))
        self.remember(number, account=account, code=code,
                      side=side_of(p["bnstp"]) if p["bnstp"] else (before.side if before else None),
                      type=type, tif=tif, venue=before.venue if before else None, price=price,
                      qty=qty, leaves=p.int("unercqty") if p["unercqty"] else qty)
        return [OrderAmended(account=account, order_no=number, orig_order_no=orig, code=code,
                             price=price, qty=qty, time=self._time(p, "exectime"))]

    def _cancelled(self, p: Push) -> list[BrokerEvent]:
        number, orig = order_no(p["ordno"]), order_no(p["orgordno"])
        if not number or not self._once((number, "cancel")):
            return []
        account = self.account_of(p)
        qty = p.int("canccnfqty")
        target = orig if orig and orig != number else number
        memo = self.memo(target)
        code = short_code(p["shtnIsuno"]) or memo.code
        if target == number:
            # No separate cancel order: the exchange cancelled the rest itself (IOC/FOK, expiry).
            reason, cancel_no = ("ioc" if memo.tif in _IMMEDIATE else "expired"), ""
        else:
            reason, cancel_no = "user", number
        memo.leaves = (p.int("orgordunercqty") if target != number and p["orgordunercqty"]
                       else max((memo.leaves if memo.leaves is not None else qty) - qty, 0))
        return [OrderCancelled(account=account, order_no=target, code=code, qty=qty,
                               time=self._time(p, "exectime"), reason=reason, cancel_no=cancel_no)]

    def _rejected(self, p: Push) -> list[BrokerEvent]:
        number, orig = order_no(p["ordno"]), order_no(p["orgordno"])
        if not number or not self._once((number, "reject")):
            return []
        account = self.account_of(p)
        memo = self.memo(number)
        memo.leaves = 0
        code = short_code(p["shtnIsuno"]) or memo.code
        # SC4 carries no text, only a message code (ls.md §9.5): its text where LS's table has
        # it, else the code as it came.
        msgcode = p["msgcode"]
        known = _REJECT_TEXT.get(msgcode)
        reason = f"{known} ({msgcode})" if known else (f"주문거부 ({msgcode})" if msgcode else "주문거부")
        return [OrderRejectedEvent(account=account, order_no=number, code=code, reason=reason,
                                   time=self._time(p, "exectime"),
                                   orig_order_no=orig if orig != number else "")]

    def _time(self, p: Push, name: str) -> datetime:
        value = p[name] or p["proctm"]
        return clock_time(value, self._today())
