"""The day's order book: orders (with parents and children), their broker numbers, fills
de-duplicated by the broker's identity, positions and cash. Every change goes through
:mod:`lucy_tui.domain.states`; every method returns the engine events it caused."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime

from ..domain import states
from ..domain.model import AccountRef, Fill, Order, Position, Side
from .events import (
    BalanceChanged, EngineError, FillReceived, LegView, OrderUpdated, ParentUpdated,
    PositionChanged,
)

#: The fields Fill and Position are rebuilt from on the hot path (positionally, since
#: dataclasses.replace costs ~4 µs a call — a third of a fill's work); a test holds these to the
#: model, so a new field cannot be dropped silently.
FILL_FIELDS = ("fill_id", "order_no", "account", "code", "side", "qty", "price", "time", "venue",
               "local_id")
POSITION_FIELDS = ("account", "code", "qty", "cost", "sellable", "last")

NoKey = tuple[str, str]        # (account key, broker order number); account keys name the broker


@dataclass
class LegSlot:
    account: AccountRef
    qty: int
    child_id: str = ""
    reason: str = ""           # why the leg was not sent (risk check, broker rejection)


@dataclass
class Parent:
    parent_id: str
    plan: str
    code: str
    side: Side
    qty: int
    price: int | None
    legs: list[LegSlot] = field(default_factory=list)
    created_at: datetime | None = None


class Book:
    def __init__(self) -> None:
        self.orders: dict[str, Order] = {}
        self.parents: dict[str, Parent] = {}
        self.by_no: dict[NoKey, str] = {}
        # What the book holds per broker number: (filled qty, filled amount). A broker reports
        # cumulative quantities per number, so news at or below it is already counted.
        self.cum: dict[NoKey, tuple[int, int]] = {}
        self.fill_ids: set[tuple[str, str]] = set()
        self.fills: list[Fill] = []
        self.positions: dict[tuple[str, str], Position] = {}
        self.cash: dict[str, int] = {}
        self.accounts: dict[str, AccountRef] = {}
        self.track_positions = True

    # ------------------------------------------------------------ orders

    def add(self, order: Order) -> list:
        self.orders[order.local_id] = order
        self.accounts.setdefault(order.account.key, order.account)
        if order.order_no:
            self.by_no[(order.account.key, order.order_no)] = order.local_id
        return [OrderUpdated(order, created=True), *self._parent_of(order)]

    def find(self, account: AccountRef, order_no: str) -> Order | None:
        local_id = self.by_no.get((account.key, order_no))
        return self.orders.get(local_id) if local_id else None

    def set(self, order: Order) -> list:
        """Store an order changed by a state function; events only when something changed."""
        old = self.orders.get(order.local_id)
        if old == order:
            return []
        self.orders[order.local_id] = order
        if order.order_no:
            self.by_no[(order.account.key, order.order_no)] = order.local_id
        return [OrderUpdated(order), *self._parent_of(order)]

    def transition(self, local_id: str, fn, *args, **kwargs) -> list:
        order = self.orders[local_id]
        try:
            return self.set(fn(order, *args, **kwargs))
        except states.IllegalTransition as exc:
            return [EngineError(str(exc), local_id, order.account)]

    # ------------------------------------------------------------ partial amends

    def add_part(self, part: Order) -> list:
        """Add the order that carries the shares a partial amend moved to a new number; it
        joins its parent's legs, so the parent's totals keep counting every share."""
        out = self.add(part)
        parent = self.parents.get(part.parent_id) if part.parent_id else None
        if parent is not None and all(leg.child_id != part.local_id for leg in parent.legs):
            parent.legs.append(LegSlot(part.account, part.qty, part.local_id))
            out.append(self.parent_view(parent.parent_id))
        return out

    def move_out(self, local_id: str, qty: int, at: datetime | None) -> list:
        """``qty`` open shares of the order left it for a partial amend's new number. The order
        keeps working with the rest under its own number; the moved shares count as cancelled
        on it, as the brokers' inquiries report them, so ``qty = filled + leaves + cancelled``
        still holds on both rows."""
        order = self.orders[local_id]
        moved = min(qty, order.leaves_qty)
        if moved <= 0:
            return []
        if moved == order.leaves_qty:      # fills took the rest meanwhile: nothing left here
            return self.transition(local_id, states.on_cancelled, moved, at)
        try:
            new = states.on_replaced(order, order.order_no, None, None, at)
        except states.IllegalTransition:   # e.g. a cancel is pending: the state stays
            new = order
        return self.set(dataclasses.replace(new, orig_order_no=order.orig_order_no,
                                            cancelled_qty=order.cancelled_qty + moved))

    # ------------------------------------------------------------ fills

    def apply_fill(self, local_id: str, fill: Fill, cum_qty: int = 0) -> list:
        order = self.orders[local_id]
        key = (fill.account.key, fill.order_no)
        ident = (fill.account.key, fill.fill_id)
        if ident in self.fill_ids:
            return []
        held_qty, held_amount = self.cum.get(key, (0, 0))
        qty = fill.qty
        if cum_qty:
            qty = cum_qty - held_qty
            if qty <= 0:           # reconciliation already counted these shares
                self.fill_ids.add(ident)
                return []
            # More than this notice carries means notices were missed: count only this one and
            # leave the gap to reconciliation, which knows the amounts.
            qty = min(qty, fill.qty)
        fill = Fill(fill.fill_id, fill.order_no, fill.account, fill.code, fill.side, qty,
                    fill.price, fill.time, fill.venue, local_id)
        try:
            new = states.on_fill(order, fill)
        except states.IllegalTransition as exc:
            return [EngineError(f"{exc}; reconciling", local_id, order.account)]
        self.fill_ids.add(ident)
        self.cum[key] = (held_qty + qty, held_amount + fill.amount)
        self.fills.append(fill)
        out = self.set(new)
        out.insert(0, FillReceived(fill, new))
        out.extend(self._position(fill))
        return out

    def _position(self, fill: Fill) -> list:
        if not self.track_positions:
            return []
        account = fill.account
        pkey = (account.key, fill.code)
        pos = self.positions.get(pkey) or Position(account, fill.code, 0, 0)
        if fill.side is Side.BUY:
            pos = Position(account, fill.code, pos.qty + fill.qty, pos.cost + fill.amount,
                           -1 if pos.sellable < 0 else pos.sellable + fill.qty, pos.last)
            cash = self.cash.get(account.key, 0) - fill.amount
        else:
            cost = pos.cost * (pos.qty - fill.qty) // pos.qty if pos.qty > fill.qty else 0
            pos = Position(account, fill.code, max(pos.qty - fill.qty, 0), cost,
                           pos.sellable if pos.sellable < 0 else max(pos.sellable - fill.qty, 0),
                           pos.last)
            cash = self.cash.get(account.key, 0) + fill.amount
        self.positions[pkey] = pos
        self.cash[account.key] = cash
        return [PositionChanged(pos), BalanceChanged(account, cash)]

    def seed(self, account: AccountRef, cash: int, positions: list[Position]) -> list:
        """Start positions and cash from the broker's balance (the book of record)."""
        self.accounts[account.key] = account
        self.cash[account.key] = cash
        for key in [k for k in self.positions if k[0] == account.key]:
            del self.positions[key]
        out: list = [BalanceChanged(account, cash)]
        for pos in positions:
            self.positions[(account.key, pos.code)] = pos
            out.append(PositionChanged(pos))
        return out

    def sellable(self, account: AccountRef, code: str) -> int:
        """Shares that can still be sold: held, less open sell orders of the day."""
        pos = self.positions.get((account.key, code))
        held = pos.sellable_qty if pos else 0
        working = sum(o.leaves_qty for o in self.orders.values()
                      if o.account.key == account.key and o.code == code and o.side is Side.SELL
                      and o.is_open)
        return max(held - working, 0)

    # ------------------------------------------------------------ parents

    def add_parent(self, parent: Parent) -> None:
        self.parents[parent.parent_id] = parent

    def children(self, parent_id: str) -> list[Order]:
        parent = self.parents[parent_id]
        return [self.orders[leg.child_id] for leg in parent.legs if leg.child_id in self.orders]

    def parent_view(self, parent_id: str) -> ParentUpdated:
        parent = self.parents[parent_id]
        legs, filled, amount, leaves = [], 0, 0, 0
        for leg in parent.legs:
            child = self.orders.get(leg.child_id) if leg.child_id else None
            if child is None:
                legs.append(LegView(leg.account, "", leg.qty, 0, "not sent", leg.reason))
                continue
            filled += child.filled_qty
            amount += child.filled_amount
            leaves += child.leaves_qty
            legs.append(LegView(leg.account, child.local_id, child.qty, child.filled_qty,
                                child.status.value, child.reject_reason or leg.reason))
        return ParentUpdated(parent_id, parent.plan, parent.code, parent.qty, filled, amount,
                             leaves, tuple(legs))

    def _parent_of(self, order: Order) -> list:
        if order.parent_id and order.parent_id in self.parents:
            return [self.parent_view(order.parent_id)]
        return []
