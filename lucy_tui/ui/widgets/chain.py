"""The detail pane beside the tape: the selected order's whole chain.

The original order, each amend with its new number, each fill with time, quantity and price,
and the cancel or rejection with its reason, oldest first, under a summary of where the order
stands now (filled, average, leaves, cancelled: ``qty = filled + leaves + cancelled``).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from ...domain.model import Order, Side
from ..fmt import FALL, RISE
from ..tape_model import KIND_LABEL, TapeEntry, avg_krw, hms_ms, kst
from .repaint import repaint, text_rows
from .tape import AMBER, REJECT_RED

EMPTY = "테이프에서 줄을 고르면 그 주문의 이력이 여기에 나옵니다"

_KIND_STYLE = {"fill": "bold", "reject": REJECT_RED, "alert": AMBER, "cancel": "dim",
               "ack": "dim", "amend": "dim", "info": "dim"}


def _side_style(side: Side | None) -> str:
    return "" if side is None else RISE if side is Side.BUY else FALL


def _summary(order: Order | None, first: TapeEntry, last: TapeEntry, name: str) -> list[Text]:
    side = order.side if order is not None else first.side
    head = Text()
    head.append(f"{name or first.name} {order.code if order else first.code}", style="bold")
    if side is not None:
        head.append(f"  {side.korean}", style=_side_style(side))
    if order is not None:
        price = "시장가" if order.price is None else f"{order.price:,}"
        head.append(f"  {order.qty:,}주 @ {price}  {order.type.korean}")
        head.append(f"  {order.account}  {order.local_id}", style="dim")
        numbers = Text(f"주문번호 {order.order_no or '—'}")
        if order.orig_order_no:
            numbers.append(f"  (원주문 {order.orig_order_no})", style="dim")
        numbers.append(f"   상태 {order.status.korean}")
        avg_s = "" if order.avg_price is None else f"  평균 {avg_krw(order.avg_price)}"
        totals = Text(f"체결 {order.filled_qty:,}{avg_s}  잔량 {order.leaves_qty:,}  "
                      f"취소 {order.qty - order.filled_qty - order.leaves_qty:,}  "
                      f"= 주문 {order.qty:,}")
        return [head, numbers, totals]
    head.append(f"  {last.account}  {last.local_id}", style="dim")
    totals = Text(f"주문번호 {last.order_no or '—'}   체결 {last.cum_qty:,}/{last.order_qty:,}")
    if last.avg is not None:
        totals.append(f"  평균 {avg_krw(last.avg)}")
    return [head, totals]


def chain_lines(entries: Sequence[TapeEntry], order: Order | None = None,
                name: str = "") -> list[Text]:
    """The chain's lines: summary lines, then one row per tape line."""
    if not entries and order is None:
        return [Text(EMPTY, style="dim")]
    if not entries:
        return _summary(order, _blank(order), _blank(order), name)
    parts: list = _summary(order, entries[0], entries[-1], name)
    parts.append(Text(""))
    # One line per step, as compact as the pane is narrow; long reasons wrap below it.
    for e in entries:
        style = _KIND_STYLE.get(e.kind, "")
        line = Text(hms_ms(e.time), style="dim")
        line.append(" ")
        line.append(KIND_LABEL.get(e.kind, e.kind), style=style)
        if e.kind == "fill":
            line.append(f" {e.qty:,}주 @ {e.price or 0:,}", style=_side_style(e.side))
            line.append(f" ({e.cum_qty:,}/{e.order_qty:,})", style="dim")
        if e.text:
            line.append(f"  {e.text}", style=style if e.kind in ("reject", "alert") else "")
        parts.append(line)
    return parts


def render_chain(entries: Sequence[TapeEntry], order: Order | None = None,
                 name: str = "") -> Text:
    """The chain as one Text (a Group renders line by line)."""
    return Text("\n").join(chain_lines(entries, order, name))


def _blank(order: Order) -> TapeEntry:
    return TapeEntry(time=kst(order.updated_at), kind="info", side=order.side, code=order.code,
                     account=str(order.account), local_id=order.local_id,
                     order_no=order.order_no, order_qty=order.qty)


class OrderChain(Static):
    """Shows one order's chain; give it the tape lines (and the order, when known)."""

    DEFAULT_CSS = """
    OrderChain {
        height: auto;
        padding: 0 1;
        background: $panel;
    }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(Text(EMPTY, style="dim"), name=name, id=id, classes=classes)
        self.entries: tuple[TapeEntry, ...] = ()
        self.order: Order | None = None

    def show(self, entries: Sequence[TapeEntry], order: Order | None = None,
             name: str = "") -> None:
        self.entries = tuple(entries)
        self.order = order
        lines = chain_lines(self.entries, order, name)
        width = self.content_size.width
        repaint(self, Text("\n").join(lines), (width, text_rows(lines, width)))

    def clear(self) -> None:
        self.show((), None)
