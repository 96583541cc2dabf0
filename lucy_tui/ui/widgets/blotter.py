"""Today's orders: one row per order, updated in place by local id.

``apply(events)`` only folds engine events into the blotter's own state and marks rows dirty; a
timer at 10 Hz writes the dirty rows inside one ``batch_update``, changing only the cells whose
text or colour changed. Columns have fixed widths and nothing re-measures them, and a changed
cell re-renders only itself, not the whole visible table (Textual #2187, #5273, #6457; see
``Blotter._write``). Rows are added at most ``ROWS_PER_FRAME`` a frame, so a day's book restored
at start-up, or a filter change, never stalls the loop. A hidden blotter is not written to; it
catches up when shown.

Allocation parents are a row with ▸/▾ and their legs indented below when expanded. Every order
(parents and legs too) gets a number on first sight, stable for the day whatever the filter,
which commands accept as ``#N`` (:meth:`Blotter.local_id_for_row_number`).

On every row ``qty = filled + leaves + closed``, where closed is what will never fill:
cancelled, expired, or rejected shares (the 취소 column).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from ...domain.model import AccountRef, Order, OrderStatus, OrderType, Side
from ...engine.events import FillReceived, LegView, OrderUpdated, ParentUpdated
from ..fmt import FALL, RISE
from ..tape_model import avg_krw, kst
from .frames import in_view

DEFAULT_FPS = 10
ROWS_PER_FRAME = 200
#: Whether cell writes may use the cell-level cache invalidation (see ``Blotter._write``).
_FAST_CELLS = True
_DATA_TABLE_INTERNALS = ("_data", "_row_locations", "_cell_render_cache", "_row_render_cache",
                         "_row_renderable_cache", "_line_cache")

PENDING, WORKING, FILLED, CANCELLED, REJECTED = (
    "pending", "working", "filled", "cancelled", "rejected")

#: Status colours of the desk: pending amber, working blue, filled green, cancelled
#: grey-orange, rejected red.
STATUS_COLOURS = {
    PENDING: "#ffaf00", WORKING: "#5f87ff", FILLED: "#5fd75f", CANCELLED: "#c8a07a",
    REJECTED: "#ff5f5f",
}

#: What a parent's status cell says for each group (a parent has no broker status of its own).
GROUP_KO = {PENDING: "대기", WORKING: "진행", FILLED: "체결", CANCELLED: "취소", REJECTED: "거부"}

STATUS_GROUP = {
    OrderStatus.PENDING_NEW: PENDING, OrderStatus.PENDING_CANCEL: PENDING,
    OrderStatus.PENDING_REPLACE: PENDING, OrderStatus.UNKNOWN: PENDING,
    OrderStatus.NEW: WORKING, OrderStatus.PARTIALLY_FILLED: WORKING,
    OrderStatus.FILLED: FILLED, OrderStatus.CANCELLED: CANCELLED,
    OrderStatus.EXPIRED: CANCELLED, OrderStatus.REJECTED: REJECTED,
}

#: The status filters, in the order the filter key cycles through them. "working" is every
#: open order, pending ones included: what can still fill or be cancelled.
STATUS_FILTERS = ("all", "working", "filled", "cancelled", "rejected")

# Fixed widths (nothing measures cells); with the table's one-cell padding either side the
# row fits a 160-column terminal.
COLUMNS = (
    ("no", "#", 4), ("time", "시각", 8), ("broker", "증권", 6), ("account", "계좌", 10),
    ("side", "매매", 4), ("code", "코드", 6), ("name", "종목명", 12), ("qty", "수량", 7),
    ("price", "가격", 9), ("filled", "체결", 7), ("avg", "평균가", 9), ("leaves", "잔량", 7),
    ("closed", "취소", 5), ("status", "상태", 10), ("order_no", "주문번호", 12),
)
COLUMN_KEYS = tuple(key for key, _, _ in COLUMNS)
#: What fits 100 columns: the columns a desk cannot do without (status and leaves included).
COMPACT_KEYS = ("no", "side", "code", "name", "qty", "price", "filled", "leaves", "status",
                "order_no")


@dataclass
class _ParentRow:
    """What the blotter knows of an allocation parent: the engine's totals and its legs."""

    parent_id: str
    view: ParentUpdated | None = None


# A cell as plain data: (text, style, right-aligned). Rows are compared as these tuples, and a
# rich Text is made only for a cell that is written, not for every cell of every dirty row.
Spec = tuple[str, str, bool]


def _l(text: str, style: str = "") -> Spec:
    return (text, style, False)


def _r(text: str, style: str = "") -> Spec:
    return (text, style, True)


def _text(spec: Spec) -> Text:
    text, style, right = spec
    return Text(text, style=style, justify="right" if right else "left")


def _side(side: Side | None) -> Spec:
    if side is None:
        return _l("")
    return _l(side.korean, RISE if side is Side.BUY else FALL)


#: What the price cell says for orders priced by the market.
_PRICELESS = {
    OrderType.MARKET: "시장가", OrderType.BEST: "최유리", OrderType.TOP: "최우선",
    OrderType.MIDPOINT: "중간가", OrderType.PRE_CLOSE: "장전종가", OrderType.POST_CLOSE: "장후종가",
}


def _price(order: Order) -> Spec:
    if order.price is None:
        return _r(_PRICELESS.get(order.type, order.type.korean))
    return _r(f"{order.price:,}")


def _matches_account(account: AccountRef, wanted: str) -> bool:
    return wanted in (str(account), account.key, account.number, account.label)


class Blotter(DataTable):
    """Today's orders. Feed it engine events with :meth:`apply`."""

    DEFAULT_CSS = "Blotter { height: 1fr; }"

    BINDINGS = [
        Binding("c", "cancel_selected", "취소", id="blotter.cancel"),
        Binding("a", "amend_selected", "정정", id="blotter.amend"),
        Binding("enter", "toggle", "펼치기/접기", id="blotter.toggle"),
        Binding("right", "expand", "펼치기", show=False, id="blotter.expand"),
        Binding("left", "collapse", "접기", show=False, id="blotter.collapse"),
        Binding("f", "cycle_status", "상태 필터", id="blotter.filter_status"),
        Binding("d", "cycle_side", "매매 필터", id="blotter.filter_side"),
        Binding("g", "cycle_account", "계좌 필터", id="blotter.filter_account"),
    ]

    class _LocalIdMessage(Message):
        def __init__(self, blotter: Blotter, local_id: str) -> None:
            super().__init__()
            self.blotter = blotter
            self.local_id = local_id

        @property
        def control(self) -> Blotter:
            return self.blotter

    class CancelRequested(_LocalIdMessage):
        """The user asked to cancel this order (or every open leg of this parent)."""

    class AmendRequested(_LocalIdMessage):
        """The user asked to amend this order; the host asks for the new price."""

    class Selected(_LocalIdMessage):
        """The cursor is on this order's row."""

    class FilterChanged(Message):
        """The filters changed (for a footer or title that says what is shown)."""

        def __init__(self, blotter: Blotter, status: str, side: Side | None,
                     account: str | None) -> None:
            super().__init__()
            self.blotter = blotter
            self.status, self.side, self.account = status, side, account

        @property
        def control(self) -> Blotter:
            return self.blotter

    def __init__(self, names: Mapping[str, str] | None = None, *, fps: float = DEFAULT_FPS,
                 columns: tuple[str, ...] = COLUMN_KEYS,
                 name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, name=name, id=id,
                         classes=classes)
        #: The columns shown, a subset of COLUMN_KEYS in their order (COMPACT_KEYS when narrow).
        self.column_keys = tuple(k for k in COLUMN_KEYS if k in columns)
        self._pick = tuple(COLUMN_KEYS.index(k) for k in self.column_keys)
        #: Code → Korean name (e.g. ``{i.code: i.name for i in universe}``).
        self.names: Mapping[str, str] = names if names is not None else {}
        self._fps = fps
        self.orders: dict[str, Order] = {}
        self.parents: dict[str, _ParentRow] = {}
        self._children: dict[str, list[str]] = {}
        self._top: list[str] = []               # top-level ids (orders and parents), by arrival
        self._numbers: dict[str, int] = {}
        self._by_number: dict[int, str] = {}
        self._accounts: list[str] = []          # account labels seen, for the account filter
        self._expanded: set[str] = set()
        self._shown: list[str] = []             # row keys in table order
        self._shown_set: set[str] = set()
        self._cells: dict[str, tuple[Spec, ...]] = {}   # the cells last written, per row
        self._dirty: set[str] = set()
        self._new_top: list[str] = []
        self._rebuild = False
        self._pending: deque[str] = deque()     # rows to add, in table order, a chunk a frame
        self._pending_set: set[str] = set()
        self._restore_key: str | None = None    # the row the cursor goes back to after a rebuild
        self._status_filter = "all"
        self._side_filter: Side | None = None
        self._account_filter: str | None = None
        self.writes = 0                         # cell writes, for tests and benchmarks

    # ------------------------------------------------------------ folding events

    def apply(self, events: Iterable) -> None:
        """Take engine events (others are ignored); the table catches up at the next frame."""
        for event in events:
            kind = type(event)
            if kind is OrderUpdated or kind is FillReceived:
                self._take_order(event.order)
            elif kind is ParentUpdated:
                self._take_parent(event)

    def load(self, orders: Iterable[Order], parents: Iterable[ParentUpdated] = ()) -> None:
        """Start from the day so far (the engine's restored book: ``engine.orders`` and
        ``engine.parent(id)`` for each parent), in the order the orders were created."""
        ordered = sorted(orders, key=lambda o: (o.created_at is None, o.created_at, o.local_id))
        self.apply(OrderUpdated(order) for order in ordered)
        self.apply(parents)

    def _number(self, local_id: str) -> None:
        if local_id not in self._numbers:
            n = len(self._numbers) + 1
            self._numbers[local_id] = n
            self._by_number[n] = local_id

    def _ensure_parent(self, parent_id: str) -> _ParentRow:
        row = self.parents.get(parent_id)
        if row is None:
            row = self.parents[parent_id] = _ParentRow(parent_id)
            self._children.setdefault(parent_id, [])
            self._number(parent_id)
            self._top.append(parent_id)
            self._new_top.append(parent_id)
        return row

    def _take_order(self, order: Order) -> None:
        local_id = order.local_id
        known = local_id in self.orders
        self.orders[local_id] = order
        label = str(order.account)
        if label not in self._accounts:
            self._accounts.append(label)
        if order.parent_id:
            self._ensure_parent(order.parent_id)
            if not known:
                self._number(local_id)
                self._children[order.parent_id].append(local_id)
                if order.parent_id in self._expanded:
                    self._rebuild = True    # a leg goes under its parent, not at the end
            self._dirty.add(order.parent_id)
        elif not known:
            self._number(local_id)
            self._top.append(local_id)
            self._new_top.append(local_id)
        self._dirty.add(local_id)

    def _take_parent(self, view: ParentUpdated) -> None:
        row = self._ensure_parent(view.parent_id)
        had_unsent = row.view is not None and any(not leg.local_id for leg in row.view.legs)
        row.view = view
        unsent = any(not leg.local_id for leg in view.legs)
        if view.parent_id in self._expanded and unsent != had_unsent:
            self._rebuild = True
        self._dirty.add(view.parent_id)

    # ------------------------------------------------------------ what a row says

    def status_group(self, key: str) -> str:
        if key in self.orders:
            return STATUS_GROUP[self.orders[key].status]
        row = self.parents.get(key)
        if row is None or row.view is None:
            return PENDING
        view = row.view
        children = [self.orders[c] for c in self._children.get(key, ()) if c in self.orders]
        if view.leaves_qty:
            pending = any(STATUS_GROUP[c.status] == PENDING for c in children)
            return PENDING if pending and not view.filled_qty else WORKING
        if view.filled_qty >= view.qty:
            return FILLED
        if view.filled_qty or any(STATUS_GROUP[c.status] == CANCELLED for c in children):
            return CANCELLED
        if children and any(STATUS_GROUP[c.status] == PENDING for c in children):
            return PENDING
        return REJECTED

    def _parent_side(self, parent_id: str) -> Side | None:
        for child in self._children.get(parent_id, ()):
            if child in self.orders:
                return self.orders[child].side
        return None

    def _order_specs(self, order: Order, leg: bool) -> tuple:
        group = STATUS_GROUP[order.status]
        leaves = order.leaves_qty
        closed = order.qty - order.filled_qty - leaves
        number = f"#{self._numbers.get(order.local_id, 0)}"
        # Broker numbers are zero-padded (KIS: 10 digits); the digits that differ are what a
        # desk reads and types (c 3673 finds 0000003673).
        order_no = order.order_no.lstrip("0") or order.order_no
        if order.orig_order_no:
            order_no = f"{order_no}←{order.orig_order_no.lstrip('0') or order.orig_order_no}"
        created = order.created_at or order.updated_at
        return (
            _l(("  " if leg else "") + number, style="dim" if leg else ""),
            _l(kst(created).strftime("%H:%M:%S") if created else ""),
            _l(order.account.broker.upper()),
            _l(("└ " if leg else "") + str(order.account)),
            _side(order.side),
            _l(order.code),
            _l(self._name_of(order.code)),
            _r(f"{order.qty:,}"),
            _price(order),
            _r(f"{order.filled_qty:,}"),
            _r(avg_krw(order.avg_price)),
            _r(f"{leaves:,}"),
            _r(f"{closed:,}" if closed else ""),
            _l(order.status.korean, style=STATUS_COLOURS[group]),
            _l(order_no),
        )

    def _parent_specs(self, parent_id: str) -> tuple:
        row = self.parents[parent_id]
        view = row.view
        children = [self.orders[c] for c in self._children.get(parent_id, ()) if c in self.orders]
        marker = "▾" if parent_id in self._expanded else "▸"
        group = self.status_group(parent_id)
        brokers = sorted({c.account.broker.upper() for c in children})
        created = min((c.created_at for c in children if c.created_at), default=None)
        first = children[0] if children else None
        qty = view.qty if view else sum(c.qty for c in children)
        filled = view.filled_qty if view else sum(c.filled_qty for c in children)
        leaves = view.leaves_qty if view else sum(c.leaves_qty for c in children)
        avg = view.avg_price if view else None
        closed = qty - filled - leaves
        legs = len(view.legs) if view else len(children)
        return (
            _l(f"{marker} #{self._numbers[parent_id]}", style="bold"),
            _l(kst(created).strftime("%H:%M:%S") if created else ""),
            _l("+".join(brokers)),
            _l(f"plan:{view.plan}" if view else "배분", style="bold"),
            _side(first.side if first else None),
            _l(view.code if view else (first.code if first else "")),
            _l(self._name_of(view.code if view else (first.code if first else ""))),
            _r(f"{qty:,}"),
            _r("") if first is None else _price(first),
            _r(f"{filled:,}"),
            _r(avg_krw(avg)),
            _r(f"{leaves:,}"),
            _r(f"{closed:,}" if closed else ""),
            _l(f"{GROUP_KO[group]} {legs}계좌", style=STATUS_COLOURS[group]),
            _l(parent_id, style="dim"),
        )

    def _unsent_specs(self, parent_id: str, leg: LegView) -> tuple:
        return (
            _l("  -", style="dim"), _l(""), _l(leg.account.broker.upper()),
            _l(f"└ {leg.account}"), _side(self._parent_side(parent_id)), _l(""), _l(""),
            _r(f"{leg.qty:,}"), _r(""), _r("0"), _r(""), _r("0"), _r(f"{leg.qty:,}"),
            _l("미전송", style=STATUS_COLOURS[REJECTED]), _l(leg.reason, style="dim"),
        )

    def _name_of(self, code: str) -> str:
        return self.names.get(code, "")

    def cells(self, key: str) -> tuple[Text, ...]:
        """The cells of the row with this key (an order's or a parent's local id)."""
        return tuple(_text(spec) for spec in self._specs(key))

    def _specs(self, key: str) -> tuple[Spec, ...]:
        specs = self._all_specs(key)
        return specs if len(self._pick) == len(specs) else tuple(specs[i] for i in self._pick)

    def _all_specs(self, key: str) -> tuple[Spec, ...]:
        if key in self.parents:
            return self._parent_specs(key)
        if key in self.orders:
            return self._order_specs(self.orders[key], bool(self.orders[key].parent_id))
        parent_id, _, index = key.rpartition(":leg")
        view = self.parents[parent_id].view
        assert view is not None
        return self._unsent_specs(parent_id, view.legs[int(index)])

    # ------------------------------------------------------------ filters

    @property
    def filters(self) -> tuple[str, Side | None, str | None]:
        return self._status_filter, self._side_filter, self._account_filter

    def set_filter(self, status: str = "all", side: Side | None = None,
                   account: str | None = None) -> None:
        """Show only rows with this status group, side and account (label, key or number).

        A parent shows when its totals match and one of its legs is on the account; its legs
        show (when expanded) when they are on the account.
        """
        if status not in STATUS_FILTERS:
            raise ValueError(f"unknown status filter {status!r}: use one of "
                             f"{', '.join(STATUS_FILTERS)}")
        if (status, side, account) == self.filters:
            return
        self._status_filter, self._side_filter, self._account_filter = status, side, account
        self._rebuild = True
        self.post_message(self.FilterChanged(self, status, side, account))
        self._flush_if_mounted()

    def _passes(self, key: str) -> bool:
        status, side, account = self.filters
        if status != "all":
            group = self.status_group(key)
            if status == "working":
                if group not in (PENDING, WORKING):
                    return False
            elif group != status:
                return False
        if key in self.orders:
            order = self.orders[key]
            if side is not None and order.side is not side:
                return False
            return account is None or _matches_account(order.account, account)
        if side is not None and self._parent_side(key) is not side:
            return False
        if account is None:
            return True
        view = self.parents[key].view
        legs = [leg.account for leg in view.legs] if view else [
            self.orders[c].account for c in self._children.get(key, ()) if c in self.orders]
        return any(_matches_account(a, account) for a in legs)

    def _visible_keys(self) -> list[str]:
        out: list[str] = []
        account = self._account_filter
        for key in self._top:
            if not self._passes(key):
                continue
            out.append(key)
            if key in self.parents and key in self._expanded:
                out.extend(self._leg_keys(key, account))
        return out

    def _leg_keys(self, parent_id: str, account: str | None) -> list[str]:
        keys = []
        for child in self._children.get(parent_id, ()):
            if account is None or _matches_account(self.orders[child].account, account):
                keys.append(child)
        view = self.parents[parent_id].view
        if view is not None:
            for i, leg in enumerate(view.legs):
                if not leg.local_id and (account is None or _matches_account(leg.account, account)):
                    keys.append(f"{parent_id}:leg{i}")
        return keys

    # ------------------------------------------------------------ writing the table

    def on_mount(self) -> None:
        self._add_columns()
        self._rebuild = True
        self.flush(force=True)
        self.set_interval(1 / self._fps, self.flush)

    def _add_columns(self) -> None:
        for key, label, width in COLUMNS:
            if key in self.column_keys:
                self.add_column(label, key=key, width=width)

    def set_columns(self, columns: tuple[str, ...]) -> None:
        """Show another column set (the compact one when the terminal narrows, the full one
        when it widens); rows are rebuilt, the selected order stays selected."""
        keys = tuple(k for k in COLUMN_KEYS if k in columns)
        if keys == self.column_keys:
            return
        self.column_keys = keys
        self._pick = tuple(COLUMN_KEYS.index(k) for k in keys)
        if not self.is_mounted:
            return
        self._restore_key = self.selected_key
        self.clear(columns=True)
        self._add_columns()
        self._rebuild = True
        self.flush(force=True)

    def _flush_if_mounted(self) -> None:
        if self.is_mounted:
            self.flush(force=True)

    @property
    def loading_rows(self) -> int:
        """Rows waiting to be added (a rebuild or a big arrival is spread over frames)."""
        return len(self._pending)

    def flush(self, force: bool = False) -> bool:
        """Write what changed since the last frame; returns whether anything was written.

        Skipped while the blotter is not in view, unless forced. Rows are added at most
        ``ROWS_PER_FRAME`` a frame (adding a DataTable row costs ~0.1 ms), so a day's book
        restored at start-up or refiltered never stalls the loop for long.
        """
        if not (self._dirty or self._new_top or self._rebuild or self._pending):
            return False
        if not self.columns or not (force or in_view(self)):
            return False
        with self.app.batch_update():
            if self._rebuild:
                self._start_rebuild()
            else:
                self._queue_new()
                self._update_dirty()
                if self._rebuild:           # a row moved into the filter, mid-table
                    self._start_rebuild()
            self._add_pending(ROWS_PER_FRAME)
        return True

    def _queue_new(self) -> None:
        for key in self._new_top:
            if self._passes(key) and key not in self._pending_set:
                self._pending.append(key)
                self._pending_set.add(key)
        self._new_top.clear()

    def _should_show(self, key: str) -> bool:
        order = self.orders.get(key)
        if order is not None and order.parent_id:
            # Legs follow their parent (expanded and shown) and the account filter only.
            parent = order.parent_id
            account = self._account_filter
            return (parent in self._expanded and self._passes(parent)
                    and (account is None or _matches_account(order.account, account)))
        return self._passes(key)

    def _update_dirty(self) -> None:
        changes: list[tuple[str, str, Text]] = []
        for key in self._dirty:
            if key in self._pending_set:
                continue                    # it will be added with what it says then
            shown = key in self._shown_set
            if shown != self._should_show(key):
                if shown and key not in self.parents:
                    self._remove(key)       # it left the filter
                    continue
                self._rebuild = True        # it joined the filter mid-table, or a parent moved
                return
            if not shown:
                continue
            specs = self._specs(key)
            old = self._cells[key]
            if specs == old:
                continue
            for column, was, now in zip(self.column_keys, old, specs):
                if was != now:
                    changes.append((key, column, _text(now)))
            self._cells[key] = specs
        self._write(changes)
        self._dirty.clear()

    def _write(self, changes: list[tuple[str, str, Text]]) -> None:
        """Write changed cells, re-rendering only them (and assembling only their rows).

        ``DataTable.update_cell`` bumps one update counter that every render cache is keyed
        on, so one changed cell makes the table re-render every visible cell: measured 70-100
        ms for 50 rows × 15 columns, more than a frame has (Textual #6457, #5273). Here the
        data is written and only the changed cells' cache entries (and their rows' and lines')
        are dropped. This leans on DataTable's private caches (Textual 8.2); if they are not
        there, it falls back to ``update_cell``, and a test draws the table both ways.
        """
        if not changes:
            return
        self.writes += len(changes)
        if not _FAST_CELLS or not self._fast_cells_ok():
            for key, column, value in changes:
                self.update_cell(key, column, value, update_width=False)
            return
        data = self._data
        rows, cells = set(), set()
        for key, column, value in changes:
            row, col = RowKey(key), ColumnKey(column)
            data[row][col] = value
            rows.add(row)
            cells.add((row, col))
        indexes = {self._row_locations.get(row) for row in rows}
        # Every row is one line high, so a row's line is its index below the header.
        top = self.header_height if self.show_header else 0
        lines = {index + top for index in indexes if index is not None}
        for cache, pick in ((self._cell_render_cache, lambda k: (k[0], k[1]) in cells),
                            (self._row_render_cache, lambda k: k[0] in rows),
                            (self._row_renderable_cache, lambda k: k[1] in indexes),
                            (self._line_cache, lambda k: k[0] in lines)):
            for cache_key in [k for k in cache.keys() if pick(k)]:
                cache.discard(cache_key)
        self.refresh()

    def _fast_cells_ok(self) -> bool:
        return all(hasattr(self, name) for name in _DATA_TABLE_INTERNALS)

    def _remove(self, key: str) -> None:
        self.remove_row(key)
        self._shown.remove(key)
        self._shown_set.discard(key)
        self._cells.pop(key, None)

    def _start_rebuild(self) -> None:
        if self._restore_key is None:
            self._restore_key = self.selected_key
        self.clear()
        keys = self._visible_keys()
        self._pending = deque(keys)
        self._pending_set = set(keys)
        self._shown = []
        self._shown_set = set()
        self._cells.clear()
        self._dirty.clear()
        self._new_top.clear()
        self._rebuild = False

    def _add_pending(self, limit: int) -> None:
        pending = self._pending
        for _ in range(min(limit, len(pending))):
            key = pending.popleft()
            self._pending_set.discard(key)
            specs = self._specs(key)
            self.add_row(*map(_text, specs), key=key)
            self._cells[key] = specs
            self._shown.append(key)
            self._shown_set.add(key)
            if key == self._restore_key:
                self.move_cursor(row=len(self._shown) - 1, animate=False)
                self._restore_key = None
        if not pending:
            self._restore_key = None

    # ------------------------------------------------------------ selection and keys

    @property
    def selected_key(self) -> str | None:
        if not self._shown or not 0 <= self.cursor_row < len(self._shown):
            return None
        return self._shown[self.cursor_row]

    @property
    def selected_local_id(self) -> str | None:
        """The order (or parent) under the cursor; None on an unsent leg or an empty table."""
        key = self.selected_key
        return key if key in self.orders or key in self.parents else None

    @property
    def shown_keys(self) -> list[str]:
        return list(self._shown)

    def local_id_for_row_number(self, n: int) -> str | None:
        """The local id that ``#n`` names (numbers are per order, stable for the day)."""
        return self._by_number.get(n)

    def number_of(self, local_id: str) -> int | None:
        return self._numbers.get(local_id)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table is not self:
            return
        key = event.row_key.value
        if key in self.orders or key in self.parents:
            self.post_message(self.Selected(self, key))

    def action_cancel_selected(self) -> None:
        local_id = self.selected_local_id
        if local_id is not None:
            self.post_message(self.CancelRequested(self, local_id))

    def action_amend_selected(self) -> None:
        local_id = self.selected_local_id
        if local_id is not None:
            self.post_message(self.AmendRequested(self, local_id))

    def _parent_under_cursor(self) -> str | None:
        key = self.selected_key
        if key in self.parents:
            return key
        if key in self.orders and self.orders[key].parent_id:
            return self.orders[key].parent_id
        if key and ":leg" in key:
            return key.rpartition(":leg")[0]
        return None

    def expand(self, parent_id: str, expanded: bool = True) -> None:
        if parent_id not in self.parents or (parent_id in self._expanded) == expanded:
            return
        (self._expanded.add if expanded else self._expanded.discard)(parent_id)
        self._rebuild = True
        self._restore_key = parent_id
        self._flush_if_mounted()

    def is_expanded(self, parent_id: str) -> bool:
        return parent_id in self._expanded

    def action_toggle(self) -> None:
        parent_id = self._parent_under_cursor()
        if parent_id is not None:
            self.expand(parent_id, parent_id not in self._expanded)

    def action_expand(self) -> None:
        key = self.selected_key
        if key in self.parents:
            self.expand(key, True)

    def action_collapse(self) -> None:
        parent_id = self._parent_under_cursor()
        if parent_id is not None:
            self.expand(parent_id, False)

    def action_cycle_status(self) -> None:
        i = STATUS_FILTERS.index(self._status_filter)
        self.set_filter(STATUS_FILTERS[(i + 1) % len(STATUS_FILTERS)], self._side_filter,
                        self._account_filter)

    def action_cycle_side(self) -> None:
        order = (None, Side.BUY, Side.SELL)
        nxt = order[(order.index(self._side_filter) + 1) % len(order)]
        self.set_filter(self._status_filter, nxt, self._account_filter)

    def action_cycle_account(self) -> None:
        choices: list[str | None] = [None, *self._accounts]
        current = self._account_filter if self._account_filter in choices else None
        nxt = choices[(choices.index(current) + 1) % len(choices)]
        self.set_filter(self._status_filter, self._side_filter, nxt)
