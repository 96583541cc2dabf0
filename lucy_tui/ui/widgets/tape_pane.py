"""The tape and its detail pane side by side, wired together: the piece a screen composes.

``feed(events)`` takes the engine's events as they come (cheap: a dict look-up per order event
and a deque extend); the tape publishes them at the frame rate. Choosing a line shows that
order's chain on the right. The pane's subtitle says whether the tape follows or is paused.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll

from ...domain.model import Fill, Order
from ..tape_model import Names, TapeEntry, TapeFeed, chain_of
from .chain import OrderChain
from .tape import DEFAULT_MAX_LINES, FillTape

FOLLOWING = "최신 체결 따라가는 중"
PAUSED = "일시정지 — End: 최신으로"
CHAIN_REFRESH_SECONDS = 0.25


class TapePane(Horizontal):
    DEFAULT_CSS = """
    TapePane {
        height: 1fr;
        border: round $primary-darken-1;
        border-subtitle-color: $text-muted;
    }
    TapePane.-paused {
        border-subtitle-color: $warning;
    }
    TapePane > FillTape {
        width: 1fr;
    }
    TapePane > #chain-scroll {
        width: 32%;
        min-width: 30;
        max-width: 48;
        border-left: vkey $primary-darken-2;
    }
    """

    def __init__(self, names: Names | None = None, *, max_lines: int = DEFAULT_MAX_LINES,
                 name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.tape_feed = TapeFeed(names)
        self._names = names
        self._max_lines = max_lines
        self._chain_for: TapeEntry | None = None
        self._chain_stale = False
        self.border_title = "체결 테이프"
        self.border_subtitle = FOLLOWING

    def compose(self) -> ComposeResult:
        yield FillTape(self._max_lines)
        with VerticalScroll(id="chain-scroll"):
            yield OrderChain()

    @property
    def tape(self) -> FillTape:
        return self.query_one(FillTape)

    @property
    def chain(self) -> OrderChain:
        return self.query_one(OrderChain)

    def feed(self, events: Iterable) -> None:
        """Engine events in; tape lines out at the next frame."""
        lines = self.tape_feed.feed(events)
        if lines:
            self.tape.append(lines)
            chosen = self._chain_for
            if chosen is not None and chosen.local_id and any(
                    e.local_id == chosen.local_id for e in lines):
                # Redrawn by the timer, not here: a busy order may get thousands of fills a
                # second, and each redraw scans the tape.
                self._chain_stale = True

    def on_mount(self) -> None:
        self.set_interval(CHAIN_REFRESH_SECONDS, self._refresh_stale_chain)

    def _refresh_stale_chain(self) -> None:
        if self._chain_stale:
            self._chain_stale = False
            self._show_chain()

    def load_day(self, orders: Iterable[Order], fills: Iterable[Fill]) -> None:
        """Start from the day so far (the engine's restored book), before feeding events."""
        self.tape.append(self.tape_feed.history(orders, fills))

    def on_fill_tape_selected(self, message: FillTape.Selected) -> None:
        self._chain_for = message.entry
        self._show_chain()

    def on_fill_tape_follow_changed(self, message: FillTape.FollowChanged) -> None:
        self.border_subtitle = FOLLOWING if message.following else PAUSED
        self.set_class(not message.following, "-paused")
        if message.following:
            self._chain_for = None
            self.chain.clear()

    def _show_chain(self) -> None:
        self._chain_stale = False
        entry = self._chain_for
        if entry is None:
            return
        order = self.tape_feed.order(entry.local_id) if entry.local_id else None
        self.chain.show(chain_of(self.tape.entries, entry), order, entry.name)
