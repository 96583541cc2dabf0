"""Command-line history: up/down through what was sent, the line being typed kept as a draft.

Persisted as one JSON string per line (any character a command may hold survives), appended
per submitted command: an O(1) write, never a rewrite on the hot path. The file is trimmed to
``size`` entries when it is loaded, i.e. at start-up. An unreadable or corrupt file costs the
history, never the console: bad lines are skipped, write errors are remembered in
``last_error`` and otherwise ignored.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


class History:
    def __init__(self, path: Path | None = None, size: int = 500):
        if size < 1:
            raise ValueError(f"history size must be at least 1, got {size}")
        self.path = path
        self.size = size
        self.last_error = ""
        self._entries: list[str] = []
        self._pos: int | None = None     # index into _entries while navigating
        self._draft = ""
        if path is not None:
            self._load(path)

    # -- navigation

    @property
    def entries(self) -> tuple[str, ...]:
        """Oldest first."""
        return tuple(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def navigating(self) -> bool:
        return self._pos is not None

    def up(self, current: str = "") -> str:
        """The previous (older) entry. The first step saves ``current`` as the draft; at the
        oldest entry it stays there. With no history, ``current`` comes back."""
        if not self._entries:
            return current
        if self._pos is None:
            self._draft = current
            self._pos = len(self._entries) - 1
        elif self._pos > 0:
            self._pos -= 1
        return self._entries[self._pos]

    def down(self) -> str:
        """The next (newer) entry; past the newest, the draft that was being typed."""
        if self._pos is None:
            return self._draft
        if self._pos < len(self._entries) - 1:
            self._pos += 1
            return self._entries[self._pos]
        self._pos = None
        return self._draft

    def reset(self) -> None:
        """Stop navigating (the line was edited, sent or cleared)."""
        self._pos = None
        self._draft = ""

    # -- recording

    def add(self, line: str) -> bool:
        """Record a submitted command; False when it was blank or repeats the last entry."""
        self.reset()
        line = line.strip()
        if not line or (self._entries and self._entries[-1] == line):
            return False
        self._entries.append(line)
        if len(self._entries) > self.size:
            del self._entries[: len(self._entries) - self.size]
        if self.path is not None:
            self._append(line)
        return True

    def _append(self, line: str) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as f:
                f.write(json.dumps(line, ensure_ascii=False) + "\n")
        except OSError as exc:
            self.last_error = f"history not saved to {self.path}: {exc}"

    def _load(self, path: Path) -> None:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return
        except OSError as exc:
            self.last_error = f"history not read from {path}: {exc}"
            return
        entries: list[str] = []
        lines = text.splitlines()
        for raw in lines:
            try:
                line = json.loads(raw)
            except ValueError:
                continue
            if isinstance(line, str) and line.strip() and (not entries or entries[-1] != line):
                entries.append(line)
        self._entries = entries[-self.size:]
        if len(lines) > 2 * self.size or len(lines) != len(self._entries):
            self._rewrite(path)

    def _rewrite(self, path: Path) -> None:
        tmp = path.with_name(path.name + ".tmp")
        try:
            tmp.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n"
                                   for e in self._entries), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            self.last_error = f"history not compacted at {path}: {exc}"
