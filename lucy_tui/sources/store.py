"""Where the IPO calendar and the theme snapshots live on disk.

Plain JSON files under the platformdirs data dir, written whole and atomically (temp file +
rename): ``ipo.json`` holds the last good merged calendar and the cached detail pages;
``themes/<YYYY-MM-DD>.json`` holds one judal snapshot per day. Why not TinyDB here: each run
replaces the whole document (a calendar of ~100 offerings, a day of ~300 themes), which TinyDB
would also do by rewriting its file, and one file per day makes "the snapshot of that day",
retention and the day-to-day diff a file lookup. A failed run never writes, so the last good
data stays in place. Writes and reads go through ``asyncio.to_thread`` from async code.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .models import IpoDetail, IpoRecord, Theme, ThemeSnapshot, ThemeStock, from_json, to_json


def data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("lucy", appauthor=False)


def _write_atomic(path: Path, payload: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# ---------------------------------------------------------------- IPO


@dataclass
class IpoData:
    records: list[IpoRecord] = field(default_factory=list)
    details: dict[int, IpoDetail] = field(default_factory=dict)
    updated: datetime | None = None


class IpoStore:
    """The last good IPO calendar (in memory, mirrored to ``ipo.json``)."""

    def __init__(self, path: Path | None = None):
        self.path = path or data_dir() / "ipo.json"
        self.data = IpoData()

    def load(self) -> IpoData:
        """Read the file (synchronously: call once at start-up, or via to_thread)."""
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return self.data
        except (OSError, ValueError):
            # A damaged cache is not worth stopping for: the next refresh rewrites it.
            return self.data
        try:
            self.data = IpoData(
                records=[from_json(IpoRecord, r) for r in raw.get("records", [])],
                details={int(k): from_json(IpoDetail, v) for k, v in raw.get("details", {}).items()},
                updated=datetime.fromisoformat(raw["updated"]) if raw.get("updated") else None)
        except (KeyError, TypeError, ValueError):
            pass
        return self.data

    def save(self, data: IpoData) -> None:
        self.data = data
        _write_atomic(self.path, {
            "updated": data.updated.isoformat() if data.updated else None,
            "records": to_json(data.records),
            "details": {str(k): to_json(v) for k, v in data.details.items()}})


# ---------------------------------------------------------------- themes


@dataclass(frozen=True)
class StockMove:
    code: str
    name: str
    joined: tuple[str, ...]   # theme names the stock is in now and was not before
    left: tuple[str, ...]


@dataclass(frozen=True)
class ThemeDiff:
    old: date
    new: date
    added: tuple[Theme, ...]
    removed: tuple[Theme, ...]
    moves: tuple[StockMove, ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.moves)


def diff(old: ThemeSnapshot, new: ThemeSnapshot) -> ThemeDiff:
    """Themes added and removed between two days, and stocks that joined or left themes."""
    old_ids = {t.idx for t in old.themes}
    new_ids = {t.idx for t in new.themes}

    def membership(snap: ThemeSnapshot) -> tuple[dict[str, set[str]], dict[str, str]]:
        names = {t.idx: t.name for t in snap.themes}
        member: dict[str, set[str]] = {}
        label: dict[str, str] = {}
        for idx, stocks in snap.stocks.items():
            for s in stocks:
                member.setdefault(s.code, set()).add(names.get(idx, str(idx)))
                label[s.code] = s.name
        return member, label

    before, names_before = membership(old)
    after, names_after = membership(new)
    moves = []
    for code in sorted(set(before) | set(after)):
        joined = tuple(sorted(after.get(code, set()) - before.get(code, set())))
        left = tuple(sorted(before.get(code, set()) - after.get(code, set())))
        if joined or left:
            moves.append(StockMove(code, names_after.get(code) or names_before.get(code, code),
                                   joined, left))
    return ThemeDiff(old.day, new.day,
                     tuple(t for t in new.themes if t.idx not in old_ids),
                     tuple(t for t in old.themes if t.idx not in new_ids), tuple(moves))


class ThemeStore:
    """One snapshot file per day under ``themes/``, the newest ``keep_days`` kept."""

    def __init__(self, root: Path | None = None, *, keep_days: int = 30):
        self.root = root or data_dir() / "themes"
        self.keep_days = keep_days

    def _path(self, day: date) -> Path:
        return self.root / f"{day.isoformat()}.json"

    def days(self) -> list[date]:
        out = []
        if self.root.is_dir():
            for p in self.root.glob("*.json"):
                try:
                    out.append(date.fromisoformat(p.stem))
                except ValueError:
                    continue
        return sorted(out)

    def save(self, snap: ThemeSnapshot) -> None:
        _write_atomic(self._path(snap.day), {
            "day": snap.day.isoformat(), "themes": to_json(snap.themes),
            "stocks": {str(k): to_json(v) for k, v in snap.stocks.items()}})
        for old in self.days()[:-self.keep_days] if self.keep_days > 0 else ():
            with contextlib.suppress(OSError):
                self._path(old).unlink()

    def load(self, day: date) -> ThemeSnapshot | None:
        try:
            raw = json.loads(self._path(day).read_text(encoding="utf-8"))
            return ThemeSnapshot(
                day=date.fromisoformat(raw["day"]),
                themes=tuple(from_json(Theme, t) for t in raw["themes"]),
                stocks={int(k): tuple(from_json(ThemeStock, s) for s in v)
                        for k, v in raw["stocks"].items()})
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def latest(self) -> ThemeSnapshot | None:
        for day in reversed(self.days()):
            snap = self.load(day)
            if snap is not None:
                return snap
        return None
