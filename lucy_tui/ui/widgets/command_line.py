"""The command line: parsed on every keystroke (the echo line shows what it means), history on
up/down with the draft kept, Tab completes the word under the cursor (symbols by code, Korean
name or 초성; keywords; accounts and plans after ``to``), Esc clears, Enter sends."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input

from ...orderentry import complete


class CommandLine(Input):
    BINDINGS = [
        Binding("up", "history(-1)", "이전 명령", show=False, id="command_history_prev"),
        Binding("down", "history(1)", "다음 명령", show=False, id="command_history_next"),
        Binding("tab", "complete", "자동완성 Complete", show=False, id="command_complete"),
        Binding("escape", "clear", "지우기 Clear", show=False, id="command_clear"),
    ]
    DEFAULT_CSS = "CommandLine { dock: bottom; margin-bottom: 1; }"
    # Input stores its text width in virtual_size on every keystroke, and Widget's reactive lays
    # the whole screen out when it changes (2–8 ms on the trade screen, far more under a fill
    # storm). The line's box never changes with its text: only the scroll range does.
    virtual_size = Reactive(Size(0, 0), layout=False)

    def __init__(self, **kwargs):
        super().__init__(placeholder=": 명령 — b 005930 100 @71000 · s 삼성전자 50 mkt · ? 도움말",
                         **kwargs)
        self.entry = None
        self._cycle: tuple[str, int, list] | None = None   # (text after, index, candidates)

    def setup(self, entry) -> None:
        self.entry = entry

    def _on_key(self, event: events.Key) -> None:
        if event.key != "tab":
            self._cycle = None
        if event.character in (":", "/") and not self.value:
            # The keys that focus the line: pressed again on an empty line out of habit (vi,
            # Bloomberg), they are not the start of a command.
            event.prevent_default()
            event.stop()

    _navigating = False

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._navigating:
            self._navigating = False
        elif self.entry is not None:
            self.entry.history.reset()     # an edited line starts a new draft
        if self.entry is not None and self.value.strip():
            self.screen.echo(self.entry.preview(self.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.entry is not None and self.value.strip():
            self.entry.submit(self.value)

    def action_history(self, step: int) -> None:
        if self.entry is None:
            return
        history = self.entry.history
        text = history.up(self.value) if step < 0 else history.down()
        self._navigating = True
        self.value = text
        self.cursor_position = len(text)

    def action_clear(self) -> None:
        self.value = ""
        self._cycle = None
        if self.entry is not None:
            self.entry.history.reset()

    def action_complete(self) -> None:
        if self.entry is None:
            return
        if self._cycle is not None and self._cycle[0] == self.value:
            _, index, (start, candidates, original) = self._cycle
            index = (index + 1) % len(candidates)
        else:
            result = complete(self.value, self.cursor_position, self.entry.ctx)
            if not result.candidates:
                self.app.bell()
                return
            start, candidates, index = result.start, result.candidates, 0
            original = (self.value[:result.start], self.value[result.end:])
        head, tail = original
        insert = candidates[index].insert
        self.value = head + insert + tail
        self.cursor_position = len(head) + len(insert)
        self._cycle = (self.value, index, (start, candidates, original))
        labels = [("▸ " if i == index else "  ") + c.label for i, c in enumerate(candidates[:8])]
        more = f"  (+{len(candidates) - 8})" if len(candidates) > 8 else ""
        self.screen.echo(Text("  ".join(labels) + more, style="dim"))
