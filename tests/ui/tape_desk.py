"""A trading desk in miniature for UI tests: the engine's own Book turns intents into the exact
event sequences the engine publishes (creation, ack, fills, amends, cancels, parents)."""

from __future__ import annotations

from datetime import datetime, timedelta

from lucy_tui.clock import KST
from lucy_tui.domain import states
from lucy_tui.domain.model import AccountRef, Fill, Order, Side, Venue
from lucy_tui.engine.book import Book, LegSlot, Parent

FUND_A = AccountRef("kis", "50000001", "01", "fundA")
FUND_B = AccountRef("ls", "20000002", "", "fundB")
NAMES = {"005930": "삼성전자", "000660": "SK하이닉스", "035720": "카카오"}


class Desk:
    def __init__(self) -> None:
        self.book = Book()
        self.book.track_positions = False
        self.now = datetime(2026, 12, 4, 9, 0, 0, tzinfo=KST)
        self._seq = 0
        self._fill_seq = 0

    def tick(self, ms: int = 1) -> datetime:
        self.now += timedelta(milliseconds=ms)
        return self.now

    def new_id(self) -> str:
        self._seq += 1
        return f"20261204-{self._seq:05d}"

    def order(self, local_id: str) -> Order:
        return self.book.orders[local_id]

    def place(self, code: str, side: Side, qty: int, price: int | None,
              account: AccountRef = FUND_A, parent_id: str = "") -> tuple[str, list]:
        at = self.tick()
        order = Order(local_id=self.new_id(), account=account, code=code, side=side, qty=qty,
                      price=price, parent_id=parent_id, created_at=at, updated_at=at)
        return order.local_id, self.book.add(order)

    def ack(self, local_id: str, order_no: str) -> list:
        return self.book.transition(local_id, states.on_accepted, order_no, self.tick())

    def fill(self, local_id: str, qty: int, price: int, venue: Venue = Venue.KRX) -> list:
        order = self.order(local_id)
        self._fill_seq += 1
        fill = Fill(f"F{self._fill_seq}", order.order_no, order.account, order.code, order.side,
                    qty, price, self.tick(), venue)
        return self.book.apply_fill(local_id, fill)

    def cancel(self, local_id: str) -> list:
        out = self.book.transition(local_id, states.on_cancel_requested, self.tick())
        return out + self.book.transition(local_id, states.on_cancelled, None, self.tick())

    def amend(self, local_id: str, new_no: str, price: int) -> list:
        out = self.book.transition(local_id, states.on_replace_requested, self.tick())
        return out + self.book.transition(local_id, states.on_replaced, new_no, price, None,
                                          self.tick())

    def reject(self, local_id: str, reason: str) -> list:
        return self.book.transition(local_id, states.on_rejected, reason, self.tick())

    def parent(self, plan: str, code: str, side: Side, price: int,
               legs: list[tuple[AccountRef, int]]) -> tuple[str, list[str], list]:
        pid = self.new_id()
        parent = Parent(pid, plan, code, side, sum(q for _, q in legs), price,
                        [LegSlot(a, q) for a, q in legs], self.tick())
        self.book.add_parent(parent)
        events, children = [], []
        for slot in parent.legs:
            child_id, evs = self.place(code, side, slot.qty, price, slot.account, parent_id=pid)
            slot.child_id = child_id
            children.append(child_id)
            events += evs
        events.append(self.book.parent_view(pid))
        return pid, children, events
