"""Merging the broker's view of the day (``orders_today``) into the book, idempotently.

The broker is the book of record (DESIGN.md rule 4). For each report: find the local order by
number (or, for an amend record, by the number it replaced); else resolve an UNKNOWN send that
matches it by account/code/side/qty/price/time; else it was placed outside Lucy and appears as
``external``. Filled quantity the book lacks is synthesised as a fill whose id is the KIS
notice's (``<order no>:<broker cum qty>``); since notices carry the broker's cumulative quantity
per number, a later notice at or below it is recognised as counted, whatever its id. (When that
notice already came but was counted only in part — the ones before it were lost — the rest gets
an id of its own.)"""

from __future__ import annotations

from datetime import datetime, timedelta

from ..brokers.base import OrderReport
from ..domain import states
from ..domain.model import AccountRef, Fill, Order, OrderStatus
from .book import Book

#: How far before the send an inquiry's order time may be and still be that send (clock skew).
MATCH_WINDOW = timedelta(minutes=2)


def _matches(order: Order, r: OrderReport) -> bool:
    if order.order_no or order.status not in (OrderStatus.UNKNOWN, OrderStatus.PENDING_NEW):
        return False
    if order.orig_order_no:          # a partial amend's part: only an amend record names it
        return False
    if (order.code, order.side, order.qty) != (r.code, r.side, r.qty):
        return False
    if order.type.needs_price and order.price != r.price:
        return False
    if r.time is not None and order.created_at is not None:
        if r.time < order.created_at - MATCH_WINDOW:
            return False
    return True


def merge(book: Book, account: AccountRef, reports: list[OrderReport], *, new_id, now: datetime,
          in_flight: set[str], splits: dict[tuple[str, str], str] | None = None) -> list:
    """Apply ``reports`` of ``account`` to ``book``; returns the engine events. ``new_id()`` names
    external orders; ``in_flight`` holds local ids whose place() has not returned (their number
    is on the way, so they are not candidates for an UNKNOWN match). ``splits`` maps (account
    key, old number) to the local part of a partial amend whose answer is unknown; an amend
    record for that number resolves it (and leaves the map).

    An amend record moves the whole local order to its number when nothing stays open under
    the old number; when something does (a partial amend, 정정 일부), the moved shares become
    an order of their own and the old one keeps the rest."""
    out: list = []
    splits = splits if splits is not None else {}
    by_no = {r.order_no: r for r in reports}
    amended = {r.orig_order_no for r in reports if r.is_amend}
    ordered = sorted((r for r in reports if not r.is_cancel),
                     key=lambda r: (r.time or now, r.order_no))
    for r in ordered:
        local = book.find(account, r.order_no)
        if local is None and r.is_amend and r.orig_order_no:
            prior = book.find(account, r.orig_order_no)
            if prior is not None and prior.order_no == r.orig_order_no and prior.is_open:
                split = splits.pop((account.key, r.orig_order_no), None)
                before = by_no.get(r.orig_order_no)
                if split is not None or (prior.status is not OrderStatus.PENDING_REPLACE
                                         and before is not None and before.leaves_qty > 0):
                    out += _part(book, account, prior, r, split, new_id, now)
                else:
                    out += book.transition(prior.local_id, states.on_replaced, r.order_no,
                                           r.price, r.qty - r.cancelled_qty
                                           - _held(book, account, r.order_no), now)
                local = book.find(account, r.order_no)
        if local is None and not r.is_amend:
            pool = [o for o in book.orders.values()
                    if o.account.key == account.key and _matches(o, r)]
            candidates = [o for o in pool if o.local_id not in in_flight]
            if not candidates and pool:
                # It may be a send still waiting for its answer (a broker can carry out an
                # order whose client already timed out, and report it before the timeout
                # reaches us): its answer, or the inquiry after it turns UNKNOWN, names it.
                # Taking it for an external order here would strand that send as UNKNOWN.
                continue
            if candidates:
                chosen = min(candidates, key=lambda o: o.created_at or now)
                out += book.transition(chosen.local_id, states.on_accepted, r.order_no, now)
                local = book.orders[chosen.local_id]
        if local is None:
            order = Order(local_id=new_id(), account=account, code=r.code, side=r.side, qty=r.qty,
                          price=r.price, type=r.type, tif=r.tif, venue=r.venue,
                          order_no=r.order_no, orig_order_no=r.orig_order_no, external=True,
                          created_at=r.time or now, updated_at=r.time or now)
            out += book.add(states.on_accepted(order, r.order_no, r.time or now))
            local = book.orders[order.local_id]
        if local.status in (OrderStatus.UNKNOWN, OrderStatus.PENDING_NEW):
            out += book.transition(local.local_id, states.on_accepted, r.order_no, now)
        out += _fills(book, account, local.local_id, r, now)
        local = book.orders[local.local_id]
        if r.leaves_qty == 0 and local.is_open and local.order_no == r.order_no \
                and local.filled_qty < local.qty and r.order_no not in amended:
            # (Nothing open under a number an amend record names: it moved, see that record.)
            if r.rejected_qty and not r.filled_qty:
                out += book.transition(local.local_id, states.on_rejected, "rejected (inquiry)", now)
            else:
                out += book.transition(local.local_id, states.on_cancelled, None, now)
    return out


def _part(book: Book, account: AccountRef, prior: Order, r: OrderReport, split: str | None,
          new_id, now: datetime) -> list:
    out: list = []
    if split is not None and split in book.orders:
        out += book.transition(split, states.on_accepted, r.order_no, now)
        qty = book.orders[split].qty
    else:
        part = Order(local_id=new_id(), account=account, code=r.code, side=r.side, qty=r.qty,
                     price=r.price, type=r.type, tif=r.tif, venue=r.venue,
                     orig_order_no=r.orig_order_no, parent_id=prior.parent_id,
                     external=prior.external, created_at=r.time or now, updated_at=r.time or now)
        out += book.add_part(states.on_accepted(part, r.order_no, r.time or now))
        qty = r.qty
    out += book.move_out(prior.local_id, qty, now)
    return out


def _held(book: Book, account: AccountRef, order_no: str) -> int:
    return book.cum.get((account.key, order_no), (0, 0))[0]


def _fills(book: Book, account: AccountRef, local_id: str, r: OrderReport, now: datetime) -> list:
    held_qty, held_amount = book.cum.get((account.key, r.order_no), (0, 0))
    missing = r.filled_qty - held_qty
    if missing <= 0:
        return []
    amount = r.filled_amount - held_amount
    price = amount // missing if amount > 0 else (r.price or 0)
    fill_id = f"{r.order_no}:{r.filled_qty}"
    if (account.key, fill_id) in book.fill_ids:
        # The notice at this cumulative quantity came, but notices before it were lost, so the
        # book counted only the shares it carried: the rest is this fill's, under an id of its
        # own (the notice's is spent).
        fill_id = f"{fill_id}+{held_qty}"
    fill = Fill(fill_id=fill_id, order_no=r.order_no, account=account,
                code=r.code, side=r.side, qty=missing, price=price, time=r.time or now,
                venue=r.venue, local_id=local_id)
    return book.apply_fill(local_id, fill, cum_qty=r.filled_qty)
