"""What the engine tells the UI. Every value is immutable, so the UI may keep it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ..brokers.base import Connection
from ..domain.model import AccountRef, Fill, Order, Position


@dataclass(frozen=True, slots=True)
class OrderUpdated:
    """An order was created or changed (``created`` on the first event of a local order)."""

    order: Order
    created: bool = False


@dataclass(frozen=True, slots=True)
class FillReceived:
    fill: Fill
    order: Order          # the order after the fill


@dataclass(frozen=True, slots=True)
class LegView:
    account: AccountRef
    local_id: str         # the child's id; empty when the leg was refused before sending
    qty: int
    filled_qty: int
    status: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ParentUpdated:
    """An allocation parent: totals over its children and the per-leg breakdown."""

    parent_id: str
    plan: str
    code: str
    qty: int
    filled_qty: int
    filled_amount: int
    leaves_qty: int
    legs: tuple[LegView, ...]

    @property
    def avg_price(self) -> Decimal | None:
        return Decimal(self.filled_amount) / self.filled_qty if self.filled_qty else None



@dataclass(frozen=True, slots=True)
class PositionChanged:
    position: Position


@dataclass(frozen=True, slots=True)
class BalanceChanged:
    account: AccountRef
    cash: int             # D+2 cash (after today's trades settle) as of the last balance read,
                          # then moved by each fill since (buys less, sells more; fees not counted)


@dataclass(frozen=True, slots=True)
class BrokerStatusChanged:
    broker: str
    state: Connection
    detail: str = ""
    time: datetime | None = None


@dataclass(frozen=True, slots=True)
class EngineError:
    """Something the user should read: a refused order, a failed inquiry, a broker's words."""

    message: str
    local_id: str = ""
    account: AccountRef | None = None


EngineEvent = (OrderUpdated | FillReceived | ParentUpdated | PositionChanged | BalanceChanged
               | BrokerStatusChanged | EngineError)
