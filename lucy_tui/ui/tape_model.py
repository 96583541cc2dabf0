"""What the fill tape shows, as plain data: engine events → :class:`TapeEntry` lines.

No textual here, so the tape's content can be built and tested headless (and replayed from a
recorded event stream). The engine publishes an ``OrderUpdated`` for every change of an order,
including the one that follows each fill, so telling an acknowledgement from an amend or a
cancel-rejection needs the previous state of the order: :class:`TapeFeed` remembers it, and
:func:`entries_from_event` is the pure function it calls. :func:`day_history` rebuilds the day's
tape from the book after a restart, and :func:`chain_of` picks one order's lines out of a tape.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Literal

from ..clock import KST
from ..domain.model import AccountRef, Fill, Order, OrderStatus, Side, TimeInForce
from ..engine.events import BrokerStatusChanged, EngineError, FillReceived, OrderUpdated

Kind = Literal["ack", "fill", "amend", "cancel", "reject", "alert", "info"]

#: The tag each kind of line carries on the tape (Korean, as the desk reads it).
KIND_LABEL: dict[str, str] = {
    "ack": "접수", "fill": "체결", "amend": "정정", "cancel": "취소", "reject": "거부",
    "alert": "경고", "info": "알림",
}

Names = Mapping[str, str] | Callable[[str], "str | None"]


@dataclass(frozen=True, slots=True)
class TapeEntry:
    """One line of the tape. Quantities and prices are ints (KRW, shares); ``avg`` a Decimal."""

    time: datetime
    kind: Kind
    broker: str = ""
    account: str = ""          # the account's label, or its key when it has none
    side: Side | None = None
    code: str = ""
    name: str = ""
    qty: int = 0               # this fill's shares; the order's (or the cancelled) shares otherwise
    price: int | None = None
    cum_qty: int = 0           # filled so far on the order
    order_qty: int = 0
    avg: Decimal | None = None
    venue: str = ""
    order_no: str = ""
    local_id: str = ""
    text: str = ""             # reason, amend detail, engine message
    orig_order_no: str = ""    # the number before an amend

    @property
    def dimmed(self) -> bool:
        """Everything but fills and alerts is context, drawn dimmed in the same stream."""
        return self.kind not in ("fill", "alert")


def kst(at: datetime | None, now: Callable[[], datetime] | None = None) -> datetime:
    """A time in KST; naive times are taken to be KST already (the simulator's and brokers')."""
    if at is None:
        return now() if now is not None else datetime.now(KST)
    if at.tzinfo is None:
        return at.replace(tzinfo=KST)
    return at.astimezone(KST)


def hms_ms(at: datetime) -> str:
    """``HH:MM:SS.mmm`` in KST."""
    at = kst(at)
    return f"{at.hour:02d}:{at.minute:02d}:{at.second:02d}.{at.microsecond // 1000:03d}"


def avg_krw(avg: Decimal | None) -> str:
    """An average price: whole won with separators, one decimal when it is not whole."""
    if avg is None:
        return ""
    whole = avg.to_integral_value()
    return f"{int(whole):,}" if whole == avg else f"{avg:,.1f}"


def _namer(names: Names | None) -> Callable[[str], str]:
    if names is None:
        return lambda code: ""
    if callable(names):
        return lambda code: names(code) or ""
    return lambda code: names.get(code, "")


def _account_label(account: AccountRef | None) -> str:
    return str(account) if account is not None else ""


def _order_entry(order: Order, kind: Kind, name: str, at: datetime, text: str = "",
                 qty: int | None = None) -> TapeEntry:
    return TapeEntry(
        time=at, kind=kind, broker=order.account.broker, account=_account_label(order.account),
        side=order.side, code=order.code, name=name,
        qty=order.qty if qty is None else qty, price=order.price,
        cum_qty=order.filled_qty, order_qty=order.qty, avg=order.avg_price,
        venue=order.venue.value, order_no=order.order_no, local_id=order.local_id, text=text,
        orig_order_no=order.orig_order_no,
    )


_WORKING = (OrderStatus.NEW, OrderStatus.PARTIALLY_FILLED)


def order_entries(order: Order, previous: Order | None, created: bool, name: str,
                  now: Callable[[], datetime] | None = None) -> list[TapeEntry]:
    """The lines one change of an order makes, given the order as it was before it."""
    if previous is order or previous is not None and previous == order:
        return []
    at = kst(order.updated_at or order.created_at, now)
    status = order.status
    was = previous.status if previous is not None else None
    out: list[TapeEntry] = []

    if created and order.external:
        # Placed outside Lucy (HTS, another client) and found by reconciliation: already live.
        out.append(_order_entry(order, "ack", name, at, "외부주문 접수"))
    elif created or previous is None and status is OrderStatus.PENDING_NEW:
        kind_text = order.type.korean + ("" if order.tif is TimeInForce.DAY
                                         else f" {order.tif.name}")
        if order.parent_id:
            kind_text += f" (배분 {order.parent_id})"
        out.append(_order_entry(order, "info", name, at, f"주문전송 {kind_text}"))
    if (previous is not None and previous.order_no and order.order_no != previous.order_no
            and order.orig_order_no == previous.order_no):
        detail = f"{previous.order_no}→{order.order_no}"
        if previous.price != order.price:
            detail += f" 가격 {_krw(previous.price)}→{_krw(order.price)}"
        if previous.qty != order.qty:
            detail += f" 수량 {previous.qty:,}→{order.qty:,}"
        out.append(_order_entry(order, "amend", name, at, f"정정확인 {detail}"))
    elif was is OrderStatus.PENDING_REPLACE and status in _WORKING:
        out.append(_order_entry(order, "reject", name, at, f"정정거부 {order.reject_reason}".strip()))
    elif was is OrderStatus.PENDING_CANCEL and status in _WORKING:
        out.append(_order_entry(order, "reject", name, at, f"취소거부 {order.reject_reason}".strip()))
    elif (order.order_no and (previous is None or not previous.order_no)
          and status is not OrderStatus.REJECTED and not created):
        out.append(_order_entry(order, "ack", name, at, "접수확인"))

    if status is was:
        return out
    if status is OrderStatus.PENDING_CANCEL:
        out.append(_order_entry(order, "info", name, at, "취소요청"))
    elif status is OrderStatus.PENDING_REPLACE:
        out.append(_order_entry(order, "info", name, at, "정정요청"))
    elif status is OrderStatus.CANCELLED:
        out.append(_order_entry(order, "cancel", name, at, f"취소확인 {order.cancelled_qty:,}주",
                                qty=order.cancelled_qty))
    elif status is OrderStatus.EXPIRED:
        out.append(_order_entry(order, "cancel", name, at, f"만료 {order.cancelled_qty:,}주",
                                qty=order.cancelled_qty))
    elif status is OrderStatus.REJECTED:
        out.append(_order_entry(order, "reject", name, at, f"거부 {order.reject_reason}".strip()))
    elif status is OrderStatus.UNKNOWN:
        out.append(_order_entry(order, "alert", name, at, "결과 확인중 — 재전송하지 않음"))
    return out


def fill_entry(event: FillReceived, name: str) -> TapeEntry:
    fill, order = event.fill, event.order
    return TapeEntry(
        time=kst(fill.time), kind="fill", broker=fill.account.broker,
        account=_account_label(fill.account), side=fill.side, code=fill.code, name=name,
        qty=fill.qty, price=fill.price, cum_qty=order.filled_qty, order_qty=order.qty,
        avg=order.avg_price, venue=fill.venue.value, order_no=fill.order_no,
        local_id=fill.local_id or order.local_id, orig_order_no=order.orig_order_no,
    )


def entries_from_event(event, names: Names | None = None, previous: Order | None = None,
                       now: Callable[[], datetime] | None = None) -> list[TapeEntry]:
    """The tape lines of one engine event; ``previous`` is the order before an ``OrderUpdated``.

    Events the tape does not show (positions, balances, parent totals) give no lines.
    """
    name = _namer(names)
    kind = type(event)
    if kind is FillReceived:
        return [fill_entry(event, name(event.fill.code))]
    if kind is OrderUpdated:
        order = event.order
        return order_entries(order, previous, event.created, name(order.code), now)
    if kind is EngineError:
        ref = previous
        account = event.account or (ref.account if ref is not None else None)
        return [TapeEntry(
            time=kst(None, now), kind="alert", broker=account.broker if account else "",
            account=_account_label(account), side=ref.side if ref else None,
            code=ref.code if ref else "", name=name(ref.code) if ref else "",
            order_no=ref.order_no if ref else "", local_id=event.local_id, text=event.message,
        )]
    if kind is BrokerStatusChanged:
        detail = f" {event.detail}" if event.detail else ""
        return [TapeEntry(time=kst(event.time, now), kind="info", broker=event.broker,
                          text=f"연결 {event.state.value}{detail}")]
    return []


class TapeFeed:
    """Turns the engine's event stream into tape lines, remembering each order's last state."""

    def __init__(self, names: Names | None = None,
                 now: Callable[[], datetime] | None = None) -> None:
        self.names = names
        self.now = now
        self._last: dict[str, Order] = {}
        self._fills: set[tuple[str, str]] = set()    # (account key, fill id) already shown

    def entries(self, event) -> list[TapeEntry]:
        kind = type(event)
        if kind is OrderUpdated:
            order = event.order
            previous = self._last.get(order.local_id)
            self._last[order.local_id] = order
            return entries_from_event(event, self.names, previous, self.now)
        if kind is FillReceived:
            # The engine sends the fill before the order update it causes; remembering the order
            # here makes that update a no-op instead of a second line.
            self._last[event.order.local_id] = event.order
            key = (event.fill.account.key, event.fill.fill_id)
            if key in self._fills:      # already on the tape from the day's history
                return []
            self._fills.add(key)
            return entries_from_event(event, self.names)
        if kind is EngineError:
            return entries_from_event(event, self.names, self._last.get(event.local_id), self.now)
        if kind is BrokerStatusChanged:
            return entries_from_event(event, self.names, None, self.now)
        return []               # positions, balances, parent totals: not tape lines

    def feed(self, events: Iterable) -> list[TapeEntry]:
        out: list[TapeEntry] = []
        for event in events:
            out.extend(self.entries(event))
        return out

    def order(self, local_id: str) -> Order | None:
        """The last state of an order this feed has seen."""
        return self._last.get(local_id)

    def seed(self, orders: Iterable[Order], fills: Iterable[Fill] = ()) -> None:
        """Remember orders and fills known before the stream starts (the engine restores the
        day's book from its journal without publishing it), so their next change diffs
        correctly and a fill already shown is not shown twice."""
        for order in orders:
            self._last[order.local_id] = order
        self._fills.update((fill.account.key, fill.fill_id) for fill in fills)

    def history(self, orders: Iterable[Order], fills: Iterable[Fill]) -> list[TapeEntry]:
        """The day so far as tape lines (:func:`day_history`), the stream going on from it."""
        orders, fills = list(orders), list(fills)
        self.seed(orders, fills)
        return day_history(orders, fills, self.names)


def day_history(orders: Iterable[Order], fills: Iterable[Fill],
                names: Names | None = None) -> list[TapeEntry]:
    """The tape of a day so far, rebuilt from the book (after a restart): one line per order
    accepted or sent, per fill (with the running total and average), per amend and per end
    (cancel, rejection, unknown outcome), in time order.

    The book keeps no time for an amend; its line goes just before the first fill under the
    new number, or at the order's last update when nothing filled after it.
    """
    name = _namer(names)
    orders = list(orders)
    by_no = {}
    for order in orders:
        for number in (order.order_no, order.orig_order_no):
            if number:
                by_no[(order.account.key, number)] = order
    by_id = {order.local_id: order for order in orders}
    ranked: list[tuple[datetime, int, TapeEntry]] = []     # rank orders lines at one instant
    first_fill_at: dict[tuple[str, str], datetime] = {}
    totals: dict[str, tuple[int, int]] = {}
    for fill in sorted(fills, key=lambda f: kst(f.time)):
        at = kst(fill.time)
        first_fill_at.setdefault((fill.account.key, fill.order_no), at)
        order = by_id.get(fill.local_id) or by_no.get((fill.account.key, fill.order_no))
        key = order.local_id if order is not None else f"{fill.account.key}:{fill.order_no}"
        qty, amount = totals.get(key, (0, 0))
        qty, amount = qty + fill.qty, amount + fill.amount
        totals[key] = (qty, amount)
        ranked.append((at, 2, TapeEntry(
            time=at, kind="fill", broker=fill.account.broker,
            account=_account_label(fill.account), side=fill.side, code=fill.code,
            name=name(fill.code), qty=fill.qty, price=fill.price, cum_qty=qty,
            order_qty=order.qty if order is not None else 0, avg=Decimal(amount) / qty,
            venue=fill.venue.value, order_no=fill.order_no,
            local_id=order.local_id if order is not None else fill.local_id,
            orig_order_no=order.orig_order_no if order is not None else "",
        )))
    for order in orders:
        created = kst(order.created_at or order.updated_at)
        ended = kst(order.updated_at or order.created_at)
        nm = name(order.code)
        start = replace(_order_entry(order, "ack" if order.order_no else "info", nm, created,
                                     "접수확인" if order.order_no else "주문전송"),
                        cum_qty=0, avg=None)
        ranked.append((created, 0, start))
        if order.orig_order_no:
            at = first_fill_at.get((order.account.key, order.order_no), ended)
            ranked.append((at, 1, _order_entry(order, "amend", nm, at,
                                               f"정정확인 {order.orig_order_no}→{order.order_no}")))
        if order.status in (OrderStatus.CANCELLED, OrderStatus.EXPIRED):
            word = "취소확인" if order.status is OrderStatus.CANCELLED else "만료"
            ranked.append((ended, 3, _order_entry(order, "cancel", nm, ended,
                                                  f"{word} {order.cancelled_qty:,}주",
                                                  qty=order.cancelled_qty)))
        elif order.status is OrderStatus.REJECTED:
            ranked.append((ended, 3, _order_entry(order, "reject", nm, ended,
                                                  f"거부 {order.reject_reason}".strip())))
        elif order.status is OrderStatus.UNKNOWN:
            ranked.append((ended, 3, _order_entry(order, "alert", nm, ended,
                                                  "결과 확인중 — 재전송하지 않음")))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [entry for _, _, entry in ranked]


def head_and_latest(lines: list[TapeEntry], limit: int, head: int) -> list[TapeEntry]:
    """At most ``limit`` of ``lines``: the first ``head`` and the latest (an order filled a share
    at a time has tens of thousands; its totals come from the order itself)."""
    if len(lines) <= limit:
        return list(lines)
    return lines[:head] + lines[len(lines) - (limit - head):]


def chain_of(entries: Iterable[TapeEntry], entry: TapeEntry) -> list[TapeEntry]:
    """Every line of the order ``entry`` belongs to, oldest first.

    Orders are matched by Lucy's local id; lines without one (an external order, a fill notice
    before its order was known) by the broker numbers the order has carried, amends included.
    """
    if entry.local_id:
        return [e for e in entries if e.local_id == entry.local_id]
    if not entry.order_no:
        return [entry]
    entries = list(entries)
    links = {(e.orig_order_no, e.order_no) for e in entries if e.orig_order_no}
    numbers = {entry.order_no}
    grown = True
    while grown:                      # amends chain numbers: 1→3→5 is one order
        grown = False
        for old, new in links:
            if (old in numbers) != (new in numbers):
                numbers |= {old, new}
                grown = True
    out = [e for e in entries if e.order_no in numbers]
    return out or [entry]


def _krw(value: int | None) -> str:
    return "시장가" if value is None else f"{value:,}"
