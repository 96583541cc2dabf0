"""What the KIS client remembers per order number, and execution notices → broker events.

KIS notices carry no execution id and no cumulative quantity, so the client counts: each fill is
named ``"<order no>:<cumulative qty after it>"`` (base.py), which an inquiry reproduces. The
count is seeded from ``inquire-daily-ccld`` whenever a realtime session opens: notices that
arrive while that inquiry is in flight are held back, the inquiry's filled quantity minus the
held fills becomes the starting count, and the held notices are then replayed in order. (The
one case this cannot tell apart — a fill the inquiry already counted whose notice arrives only
after the inquiry's answer — keeps the larger count, so ids never repeat; the engine's
reconciliation by totals covers it.)

Amend/cancel need the original order's branch (KRX_FWDG_ORD_ORGNO) and type; they are
remembered from place() answers and from inquiries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from ...domain.model import AccountRef, Fill, TimeInForce
from ..base import (
    BrokerEvent, FillEvent, OrderAcked, OrderAmended, OrderCancelled, OrderRejectedEvent,
    OrderReport,
)
from .frames import Notice
from .mapping import hhmmss, kind_of, notice_venue, num, order_no, side_of
from .settings import KisSettings

_COND_TIF = {"1": TimeInForce.IOC, "2": TimeInForce.FOK}


@dataclass
class OrderMemo:
    account: AccountRef | None = None
    branch: str = ""
    dvsn: str = ""
    venue: str = "KRX"
    qty: int = 0            # quantity working under this number (order, or amended remainder)
    cum: int = 0            # filled so far
    cancelled: int = 0      # cancelled, or moved to an amend order


class OrderTracker:
    def __init__(self, settings: KisSettings, today: Callable[[], date],
                 emit: Callable[[BrokerEvent], None]):
        self.settings = settings
        self._today = today
        self._emit = emit
        self.orders: dict[str, OrderMemo] = {}
        self._seen_acks: set[tuple[str, str, str]] = set()
        self._held: list[Notice] | None = None

    def memo(self, number: str) -> OrderMemo:
        number = order_no(number)
        memo = self.orders.get(number)
        if memo is None:
            memo = self.orders[number] = OrderMemo()
        return memo

    def remember(self, number: str, *, account: AccountRef | None = None, branch: str = "",
                 dvsn: str = "", venue: str = "", qty: int = 0) -> None:
        memo = self.memo(number)
        memo.account = account or memo.account
        memo.branch = branch.strip() or memo.branch
        memo.dvsn = dvsn or memo.dvsn
        memo.venue = venue or memo.venue
        memo.qty = qty or memo.qty

    def account_of(self, acnt_no: str) -> AccountRef:
        acnt_no = acnt_no.strip()
        found = self.settings.account(acnt_no)
        return found or AccountRef("kis", acnt_no[:8], acnt_no[8:])

    # ------------------------------------------------------------------ sessions

    def session_opened(self) -> None:
        """Hold notices until :meth:`seeded` (the inquiry that seeds the counts is in flight)."""
        if self._held is None:
            self._held = []

    def seeded(self, reports: Iterable[OrderReport] | None) -> None:
        held, self._held = self._held or [], None
        if reports is not None:
            pending: dict[str, int] = {}
            for notice in held:
                if notice.is_fill and not notice.is_rejected:
                    key = order_no(notice["ODER_NO"])
                    pending[key] = pending.get(key, 0) + notice.int("CNTG_QTY")
            for report in reports:
                if report.is_cancel:
                    continue
                memo = self.memo(report.order_no)
                memo.account = memo.account or report.account
                memo.qty = memo.qty or report.qty
                memo.cancelled = max(memo.cancelled, report.cancelled_qty)
                memo.cum = max(memo.cum, report.filled_qty - pending.get(order_no(report.order_no), 0))
        for notice in held:
            self._handle(notice)

    def on_notice(self, notice: Notice) -> None:
        if self._held is not None:
            self._held.append(notice)
        else:
            self._handle(notice)

    # ------------------------------------------------------------------ notice → events

    def _handle(self, notice: Notice) -> None:
        for event in self.events(notice):
            self._emit(event)

    def events(self, n: Notice) -> list[BrokerEvent]:
        number = order_no(n["ODER_NO"])
        orig = order_no(n["OODER_NO"])
        account = self.account_of(n["ACNT_NO"])
        code = n["STCK_SHRN_ISCD"].strip()
        when = hhmmss(n["STCK_CNTG_HOUR"], self._today())
        rctf = n["RCTF_CLS"].strip() or "0"
        if n.is_rejected:
            key = (number, "reject", rctf)
            if key in self._seen_acks:
                return []
            self._seen_acks.add(key)
            return [OrderRejectedEvent(account=account, order_no=number, code=code,
                                       reason="거부", time=when,
                                       orig_order_no=orig if rctf in ("1", "2") else "")]
        if n.is_fill:
            return [self._fill(n, number, account, code, when)]
        acpt = n["ACPT_YN"].strip()
        qty = n.int("CNTG_QTY")
        price = n.int("CNTG_UNPR") or None
        if acpt == "3":     # the unfilled rest of an IOC/FOK order, cancelled by the exchange
            key = (number, "ioc", "")
            if key in self._seen_acks:
                return []
            self._seen_acks.add(key)
            self.memo(number).cancelled += qty
            return [OrderCancelled(account=account, order_no=number, code=code, qty=qty,
                                   time=when, reason="ioc")]
        key = (number, "ack", rctf)
        if key in self._seen_acks:
            return []      # 접수 then 확인 of the same order: one event
        self._seen_acks.add(key)
        if rctf == "1":
            # The amended quantity moves to the new number; any rest keeps working under orig.
            if orig:
                self.memo(orig).cancelled += qty
            self.remember(number, account=account, branch=n["BRNC_NO"], dvsn=n["ODER_KIND"].strip(),
                          qty=qty)
            return [OrderAmended(account=account, order_no=number, orig_order_no=orig, code=code,
                                 price=price, qty=qty, time=when)]
        if rctf == "2":
            self.memo(orig).cancelled += qty
            return [OrderCancelled(account=account, order_no=orig, code=code, qty=qty, time=when,
                                   reason="user", cancel_no=number)]
        type, tif = kind_of(n["ODER_KIND"])
        tif = _COND_TIF.get(n["ODER_COND"].strip(), tif)
        order_qty = n.int("ODER_QTY") or qty
        self.remember(number, account=account, branch=n["BRNC_NO"], dvsn=n["ODER_KIND"].strip(),
                      qty=order_qty)
        return [OrderAcked(account=account, order_no=number, code=code,
                           side=side_of(n["SELN_BYOV_CLS"]), qty=order_qty,
                           price=price or (n.int("ODER_PRC") or None), time=when, type=type,
                           tif=tif, venue=notice_venue(n["ORD_EXG_GB"], fill=False))]

    def _fill(self, n: Notice, number: str, account: AccountRef, code: str,
              when: datetime) -> FillEvent:
        memo = self.memo(number)
        qty = n.int("CNTG_QTY")
        memo.cum += qty
        memo.account = memo.account or account
        order_qty = memo.qty or n.int("ODER_QTY")
        fill = Fill(fill_id=f"{number}:{memo.cum}", order_no=number, account=account, code=code,
                    side=side_of(n["SELN_BYOV_CLS"]), qty=qty, price=num(n["CNTG_UNPR"]),
                    time=when, venue=notice_venue(n["ORD_EXG_GB"], fill=True))
        leaves = max(order_qty - memo.cum - memo.cancelled, 0) if order_qty else None
        return FillEvent(fill=fill, cum_qty=memo.cum, leaves_qty=leaves)
