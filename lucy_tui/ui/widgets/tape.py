"""The live fill tape: every acknowledgement, fill, amend, cancel and reject, the instant it comes.

Built to take thousands of lines a second, after Toolong's ``LogLines``: a Line-API
:class:`~textual.scroll_view.ScrollView` over a ring buffer of :class:`TapeEntry` values, not a
widget per line. ``append`` only extends the buffer; a timer at the frame rate publishes what
was appended (virtual size, scroll to the newest line when following) inside one
``batch_update``, and only while the tape is on screen. ``render_line`` draws just the visible
lines, each built once into a cached :class:`Strip` keyed by the entry's absolute sequence
number, so lines that scroll by are not rebuilt and eviction never invalidates the cache.

Following: the view sticks to the newest line until the user scrolls up or moves the cursor,
which pauses it (``FollowChanged(False)``); End, or scrolling back to the bottom, resumes it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from ...domain.model import Side
from ..fmt import FALL, RISE
from ..tape_model import KIND_LABEL, TapeEntry, avg_krw, hms_ms
from .frames import in_view

DEFAULT_MAX_LINES = 50_000
DEFAULT_FPS = 15

AMBER = "#ffaf00"
REJECT_RED = "#ff5f5f"

# (key, header, width, right-aligned). Widths in terminal cells; Korean names are two cells a
# character, so padding and truncation go by cells, not characters.
COLUMNS: tuple[tuple[str, str, int, bool], ...] = (
    ("time", "시각", 12, False),
    ("broker", "증권", 4, False),
    ("account", "계좌", 8, False),
    ("kind", "구분", 4, False),
    ("side", "매매", 4, False),
    ("code", "코드", 6, False),
    ("name", "종목명", 12, False),
    ("qty", "수량", 8, True),
    ("price", "가격", 9, True),
    ("cum", "누적/주문", 13, True),
    ("avg", "평균가", 9, True),
    ("venue", "시장", 4, False),
    ("order_no", "주문번호", 10, False),
    ("text", "내용", 0, False),
)

#: What a 100-column terminal has room for beside the quote pane.
COMPACT_KEYS = ("time", "kind", "side", "name", "qty", "price", "order_no", "text")

_PLAIN = Style()
_DIM = Style(dim=True)
_BUY = Style(color=RISE)
_SELL = Style(color=FALL)
_ALERT = Style(color=AMBER, bold=True)
_REJECT = Style(color=REJECT_RED)
_HEADER = Style(bold=True, underline=True)


def cells_of(entry: TapeEntry) -> dict[str, str]:
    """The text of each column of one tape line (what the widget draws, minus colour)."""
    side = entry.side.korean if entry.side is not None else ""
    return {
        "time": hms_ms(entry.time),
        "broker": entry.broker.upper(),
        "account": entry.account,
        "kind": KIND_LABEL.get(entry.kind, entry.kind),
        "side": side,
        "code": entry.code,
        "name": entry.name,
        "qty": f"{entry.qty:,}" if entry.qty else "",
        "price": "" if entry.price is None else f"{entry.price:,}",
        "cum": f"{entry.cum_qty:,}/{entry.order_qty:,}" if entry.order_qty else "",
        "avg": avg_krw(entry.avg),
        "venue": entry.venue,
        "order_no": entry.order_no.lstrip("0") or entry.order_no,   # as the blotter shows it
        "text": entry.text,
    }


def _fit(text: str, width: int, right: bool) -> str:
    if not width:
        return text
    if right:
        size = cell_len(text)
        return " " * (width - size) + text if size <= width else set_cell_size(text, width)
    return set_cell_size(text, width)


def _palette(kind: str, side: Side | None) -> tuple[Style, Style, Style]:
    """(base, side-coloured, kind-tag) styles of one kind of line, made once and reused, so
    equal styles are the same object and adjacent columns merge by identity."""
    key = (kind, side)
    styles = _PALETTES.get(key)
    if styles is None:
        base = _ALERT if kind == "alert" else _PLAIN if kind == "fill" else _DIM
        side_style = _PLAIN if side is None else _BUY if side is Side.BUY else _SELL
        coloured = base + side_style if side is not None else base
        tag = base + _REJECT if kind == "reject" else base
        styles = _PALETTES[key] = (base, coloured, tag)
    return styles


_PALETTES: dict[tuple[str, Side | None], tuple[Style, Style, Style]] = {}
_SIDE_COLUMNS = frozenset({"side", "qty", "price"})


def line_segments(entry: TapeEntry, columns=COLUMNS) -> list[Segment]:
    """One tape line as styled segments: side colour on side, quantity and price (red buys,
    blue sells); acks, amends, cancels and rejects dimmed; alerts amber."""
    cells = cells_of(entry)
    base, coloured, tag = _palette(entry.kind, entry.side)
    out: list[Segment] = []
    run: list[str] = []
    run_style = base
    for key, _label, width, right in columns:
        style = coloured if key in _SIDE_COLUMNS else tag if key == "kind" else base
        if style is not run_style:
            out.append(Segment("".join(run), run_style))
            run, run_style = [], style
        # The gap after a column takes its style: fewer segments, the same look.
        run.append(_fit(cells[key], width, right) + " " if width else cells[key])
    out.append(Segment("".join(run), run_style))
    return out


def header_segments(columns=COLUMNS) -> list[Segment]:
    out: list[Segment] = []
    for _key, label, width, right in columns:
        out.append(Segment(_fit(label, width, right), _HEADER))
        out.append(Segment(" "))
    out.pop()
    return out


def fixed_width(columns=COLUMNS) -> int:
    return sum(w for *_, w, _r in columns) + len(columns) - 1


FIXED_WIDTH = fixed_width()


class FillTape(ScrollView, can_focus=True):
    """The fill tape. Feed it lines with :meth:`append` (from ``tape_model.TapeFeed``)."""

    DEFAULT_CSS = """
    FillTape {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: scroll;
        background: $surface;
    }
    FillTape > .fill-tape--cursor {
        background: $accent 45%;
    }
    FillTape:focus > .fill-tape--cursor {
        background: $accent 70%;
    }
    """

    COMPONENT_CLASSES = {"fill-tape--cursor"}

    BINDINGS = [
        Binding("up", "cursor_up", "위 줄", show=False, id="tape.cursor_up"),
        Binding("down", "cursor_down", "아래 줄", show=False, id="tape.cursor_down"),
        Binding("pageup", "page_up", "앞 페이지", show=False, id="tape.page_up"),
        Binding("pagedown", "page_down", "다음 페이지", show=False, id="tape.page_down"),
        Binding("home", "oldest", "처음", show=False, id="tape.oldest"),
        Binding("end", "follow", "최신 따라가기", id="tape.follow"),
        Binding("escape", "clear_cursor", "선택 해제", show=False, id="tape.clear_cursor"),
    ]

    class FollowChanged(Message):
        """The tape started or stopped following the newest line."""

        def __init__(self, tape: FillTape, following: bool) -> None:
            super().__init__()
            self.tape = tape
            self.following = following

        @property
        def control(self) -> FillTape:
            return self.tape

    class Selected(Message):
        """The cursor moved to a line."""

        def __init__(self, tape: FillTape, entry: TapeEntry) -> None:
            super().__init__()
            self.tape = tape
            self.entry = entry

        @property
        def control(self) -> FillTape:
            return self.tape

    def __init__(self, max_lines: int = DEFAULT_MAX_LINES, *, fps: float = DEFAULT_FPS,
                 show_header: bool = True, compact: bool = False, name: str | None = None,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._set_columns(compact)
        if max_lines < 1:
            raise ValueError(f"the tape must hold at least one line (max_lines={max_lines})")
        self._buffer: deque[TapeEntry] = deque(maxlen=max_lines)
        self._appended = 0              # entries ever appended: the next entry's sequence number
        self._published_first = 0       # sequence number of the first line at the last flush
        self._published_count = 0
        self._strips: LRUCache[int, Strip] = LRUCache(1024)
        self._strip_width = 0
        self._base_style: Style | None = None
        self._header = 1 if show_header else 0
        self._fps = fps
        self._following = True
        self._cursor: int | None = None  # a sequence number
        self._scrolling = False          # our own scroll is under way: not the user's
        self.frames = 0                  # flushes that published something (for benchmarks)

    def _set_columns(self, compact: bool) -> None:
        self.compact = compact
        self._columns = (tuple(c for c in COLUMNS if c[0] in COMPACT_KEYS) if compact
                         else COLUMNS)
        self._fixed = fixed_width(self._columns)
        self._header_strip = Strip(header_segments(self._columns))

    def set_compact(self, compact: bool) -> None:
        """Switch between the compact and the full column set (the terminal was resized)."""
        if compact == self.compact:
            return
        self._set_columns(compact)
        self._strips.clear()
        self.refresh()

    # ------------------------------------------------------------ the buffer

    @property
    def max_lines(self) -> int:
        return self._buffer.maxlen or 0

    @property
    def first_seq(self) -> int:
        """The sequence number of the oldest line still held."""
        return self._appended - len(self._buffer)

    @property
    def line_count(self) -> int:
        return len(self._buffer)

    @property
    def appended(self) -> int:
        return self._appended

    @property
    def following(self) -> bool:
        return self._following

    @property
    def cursor(self) -> int | None:
        return self._cursor

    def entry(self, seq: int) -> TapeEntry | None:
        """The line with this sequence number, if it is still in the buffer."""
        i = seq - self.first_seq
        return self._buffer[i] if 0 <= i < len(self._buffer) else None

    @property
    def entries(self) -> deque[TapeEntry]:
        """The buffer itself, oldest first (read it, do not change it)."""
        return self._buffer

    @property
    def selected(self) -> TapeEntry | None:
        return self.entry(self._cursor) if self._cursor is not None else None

    def append(self, entries: Iterable[TapeEntry]) -> None:
        """Add lines. Costs a deque extend; the screen catches up at the next frame."""
        if not isinstance(entries, (list, tuple)):
            entries = list(entries)
        self._buffer.extend(entries)
        self._appended += len(entries)

    def clear(self) -> None:
        self._buffer.clear()
        self._strips.clear()
        self._cursor = None
        self._published_first = self._appended
        self._published_count = 0
        self.virtual_size = Size(self.virtual_size.width, self._header)
        self.refresh()

    # ------------------------------------------------------------ publishing at the frame rate

    def on_mount(self) -> None:
        self.set_interval(1 / self._fps, self.flush)

    def _set_virtual_size(self, size: Size) -> None:
        """``virtual_size`` is a reactive that lays the whole screen out when it changes, and
        the tape's grows on every frame of a busy market. Once the scroll bar is showing, more
        lines change only the scroll range: set it quietly and update the bar."""
        if (self.show_vertical_scrollbar and size.width == self.virtual_size.width
                and size.height > self.scrollable_content_region.height):
            self.set_reactive(Widget.virtual_size, size)
            self._scroll_update(size)
        else:
            self.virtual_size = size

    def flush(self) -> bool:
        """Publish what was appended since the last frame; returns whether anything was.

        Skipped while the tape is not on screen (another screen, hidden pane), so a hidden tape
        costs only its deque; it catches up in one step when shown.
        """
        first, count = self.first_seq, len(self._buffer)
        if first == self._published_first and count == self._published_count:
            return False
        if not in_view(self):
            return False
        evicted = first - self._published_first
        self._published_first, self._published_count = first, count
        self.frames += 1
        with self.app.batch_update():
            self._set_virtual_size(Size(self.scrollable_content_region.width, count + self._header))
            self._scrolling = True
            try:
                if self._following:
                    self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)
                elif evicted:
                    # Keep the same lines in view while the oldest fall out of the buffer.
                    self.scroll_to(y=max(0, self.scroll_y - evicted), animate=False,
                                   immediate=True)
            finally:
                self._scrolling = False
            if self._cursor is not None and self._cursor < first:
                self._cursor = first
            self.refresh()
        return True

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width,
                                 self._published_count + self._header)
        if self._following:
            self._scroll_quietly(self.max_scroll_y)

    def _scroll_quietly(self, y: float) -> None:
        self._scrolling = True
        try:
            self.scroll_to(y=y, animate=False, immediate=True)
        finally:
            self._scrolling = False

    # ------------------------------------------------------------ following

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self._scrolling:
            return
        at_end = round(new_value) >= self.max_scroll_y
        if self._following and not at_end and new_value < old_value:
            self._set_following(False)
        elif not self._following and at_end and new_value > old_value:
            self._set_following(True)

    def _set_following(self, following: bool) -> None:
        if following != self._following:
            self._following = following
            self.post_message(self.FollowChanged(self, following))

    def action_follow(self) -> None:
        """End: back to the newest line, following again, no selection."""
        self._set_cursor(None)
        self._set_following(True)
        self._scroll_quietly(self.max_scroll_y)

    def action_oldest(self) -> None:
        if self._published_count:
            self._move_cursor_to(self._published_first)

    def action_clear_cursor(self) -> None:
        self._set_cursor(None)

    # ------------------------------------------------------------ the cursor

    @property
    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - self._header)

    def _bottom_visible_seq(self) -> int:
        row = int(self.scroll_y) + self._page - 1
        return self._published_first + min(row, self._published_count - 1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_page_up(self) -> None:
        self._step(-self._page)

    def action_page_down(self) -> None:
        self._step(self._page)

    def _step(self, delta: int) -> None:
        if not self._published_count:
            return
        if self._cursor is None:
            start = self._bottom_visible_seq()
            self._move_cursor_to(start + min(delta + 1, 0))
        else:
            self._move_cursor_to(self._cursor + delta)

    def _move_cursor_to(self, seq: int) -> None:
        last = self._published_first + self._published_count - 1
        seq = max(self._published_first, min(seq, last))
        # Choosing a line means reading it: the tape stops moving under the cursor.
        self._set_following(False)
        self._set_cursor(seq)
        row = seq - self._published_first
        if row < self.scroll_y:
            self._scroll_quietly(row)
        elif row > self.scroll_y + self._page - 1:
            self._scroll_quietly(row - self._page + 1)

    def _set_cursor(self, seq: int | None) -> None:
        if seq == self._cursor:
            return
        self._cursor = seq
        self.refresh()
        if seq is not None:
            entry = self.entry(seq)
            if entry is not None:
                self.post_message(self.Selected(self, entry))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < self._header:
            return
        row = int(self.scroll_y) + offset.y - self._header
        if 0 <= row < self._published_count:
            self._move_cursor_to(self._published_first + row)

    # ------------------------------------------------------------ drawing

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._base_style = None

    def render_line(self, y: int) -> Strip:
        # Strips are cached already cropped to the width and on the widget's base style, so a
        # line that stays in view, or scrolls by, costs a dict look-up per frame.
        width = self.scrollable_content_region.width
        if width != self._strip_width:
            self._strips.clear()
            self._strip_width = width
            self._base_style = None
        base = self._base_style
        if base is None:
            base = self._base_style = self.rich_style
        if y < self._header:
            return self._header_strip.crop_extend(0, width, base)
        row = int(self.scroll_y) + y - self._header
        if row >= self._published_count:
            return Strip.blank(width, base)
        seq = self._published_first + row
        strip = self._strips.get(seq)
        if strip is None:
            entry = self.entry(seq)
            if entry is None:
                return Strip.blank(width, base)
            strip = Strip(line_segments(entry, self._columns), self._fixed + cell_len(entry.text))
            strip = strip.crop_extend(0, width, base)
            self._strips.set(seq, strip)
        if seq == self._cursor:
            strip = strip.apply_style(self.get_component_rich_style("fill-tape--cursor"))
        return strip

    def line_text(self, seq: int) -> str:
        """The plain text of one line as drawn (for tests and copying)."""
        entry = self.entry(seq)
        return ("" if entry is None
                else "".join(s.text for s in line_segments(entry, self._columns)))
