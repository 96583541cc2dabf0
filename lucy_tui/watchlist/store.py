"""Watchlists stored in TinyDB, one file per profile under the platformdirs data dir.

One document per list (``name``, ``position``, ``entries``). A watchlist holds tens of symbols,
so a change rewrites a few kilobytes: cheap enough to do at the moment the user presses the key,
unlike the journal's hot path (DESIGN.md, Storage). Reads come from memory.
"""

from __future__ import annotations

import re
from pathlib import Path

from .model import DEFAULT_LISTS, Entry, Watchlist

_CODE = re.compile(r"^[0-9A-Z]{6}$")
MAX_NAME = 20


class WatchlistError(ValueError):
    """A request the store refuses, worded for the user."""


def default_path(profile: str) -> Path:
    from platformdirs import user_data_path

    safe = re.sub(r"[^\w.-]", "_", profile) or "default"
    return user_data_path("lucy", appauthor=False) / "profiles" / safe / "watchlists.json"


class WatchlistStore:
    def __init__(self, path: Path | str | None = None, *, profile: str = "default"):
        from tinydb import TinyDB

        self.path = Path(path) if path is not None else default_path(profile)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = TinyDB(self.path, ensure_ascii=False, indent=1)
        self._table = self._db.table("watchlists")
        self._lists: dict[str, Watchlist] = {}
        for doc in sorted(self._table.all(), key=lambda d: d.get("position", 0)):
            name = str(doc.get("name", "")).strip()
            if name:
                entries = tuple(Entry.from_doc(e) for e in doc.get("entries") or ()
                                if isinstance(e, dict) and e.get("code"))
                self._lists[name] = Watchlist(name, entries)
        for name in DEFAULT_LISTS:
            if name not in self._lists:
                self._lists[name] = Watchlist(name)
                self._save(name)

    def close(self) -> None:
        self._db.close()

    # ------------------------------------------------------------------ reading

    @property
    def names(self) -> list[str]:
        return list(self._lists)

    def get(self, name: str) -> Watchlist:
        try:
            return self._lists[name]
        except KeyError:
            raise WatchlistError(f"no watchlist named '{name}'") from None

    def lists_with(self, code: str) -> list[str]:
        return [n for n, wl in self._lists.items() if wl.entry(code) is not None]

    # ------------------------------------------------------------------ lists

    def create(self, name: str) -> Watchlist:
        name = self._valid_name(name)
        if name in self._lists:
            raise WatchlistError(f"a watchlist named '{name}' already exists")
        self._lists[name] = Watchlist(name)
        self._save(name)
        return self._lists[name]

    def rename(self, old: str, new: str) -> None:
        wl = self.get(old)
        new = self._valid_name(new)
        if new in self._lists:
            raise WatchlistError(f"a watchlist named '{new}' already exists")
        self._lists = {(new if n == old else n): (Watchlist(new, wl.entries) if n == old else w)
                       for n, w in self._lists.items()}
        self._delete_doc(old)
        self._save_all()

    def delete(self, name: str) -> None:
        self.get(name)
        if name in DEFAULT_LISTS:
            raise WatchlistError(f"'{name}' is a standard list and cannot be deleted")
        del self._lists[name]
        self._delete_doc(name)

    # ------------------------------------------------------------------ entries

    def add(self, name: str, code: str, *, tags: tuple[str, ...] = ()) -> Entry:
        wl = self.get(name)
        code = self._valid_code(code)
        if wl.entry(code) is not None:
            raise WatchlistError(f"{code} is already in '{name}'")
        entry = Entry(code, tags=tuple(tags))
        self._put(name, wl.entries + (entry,))
        return entry

    def remove(self, name: str, code: str) -> None:
        wl = self.get(name)
        if wl.entry(code) is None:
            raise WatchlistError(f"{code} is not in '{name}'")
        self._put(name, tuple(e for e in wl.entries if e.code != code))

    def set_levels(self, name: str, code: str, *, buy_below: int | None,
                   sell_above: int | None) -> Entry:
        for label, value in (("buy-below", buy_below), ("sell-above", sell_above)):
            if value is not None and (type(value) is not int or value <= 0):
                raise WatchlistError(f"{label} price must be a positive whole number of won")
        if buy_below is not None and sell_above is not None and buy_below >= sell_above:
            raise WatchlistError(f"buy-below {buy_below:,} must be under sell-above {sell_above:,}")
        return self._update(name, code, lambda e: e.with_levels(buy_below, sell_above))

    def set_tags(self, name: str, code: str, tags: tuple[str, ...]) -> Entry:
        clean = tuple(dict.fromkeys(t.strip() for t in tags if t.strip()))
        from dataclasses import replace
        return self._update(name, code, lambda e: replace(e, tags=clean))

    def move(self, name: str, code: str, offset: int) -> None:
        """Move an entry up (negative) or down within its list."""
        entries = list(self.get(name).entries)
        i = next((k for k, e in enumerate(entries) if e.code == code), None)
        if i is None:
            raise WatchlistError(f"{code} is not in '{name}'")
        j = max(0, min(len(entries) - 1, i + offset))
        entries.insert(j, entries.pop(i))
        self._put(name, tuple(entries))

    # ------------------------------------------------------------------ internals

    def _update(self, name: str, code: str, change) -> Entry:
        wl = self.get(name)
        entry = wl.entry(code)
        if entry is None:
            raise WatchlistError(f"{code} is not in '{name}'")
        new = change(entry)
        self._put(name, tuple(new if e.code == code else e for e in wl.entries))
        return new

    def _put(self, name: str, entries: tuple[Entry, ...]) -> None:
        self._lists[name] = Watchlist(name, entries)
        self._save(name)

    def _save(self, name: str) -> None:
        from tinydb import Query

        position = list(self._lists).index(name)
        doc = {"name": name, "position": position,
               "entries": [e.to_doc() for e in self._lists[name].entries]}
        self._table.upsert(doc, Query().name == name)

    def _save_all(self) -> None:
        for name in self._lists:
            self._save(name)

    def _delete_doc(self, name: str) -> None:
        from tinydb import Query

        self._table.remove(Query().name == name)

    @staticmethod
    def _valid_name(name: str) -> str:
        name = (name or "").strip()
        if not name:
            raise WatchlistError("a watchlist needs a name")
        if len(name) > MAX_NAME:
            raise WatchlistError(f"a watchlist name has at most {MAX_NAME} characters")
        return name

    @staticmethod
    def _valid_code(code: str) -> str:
        code = (code or "").strip().upper()
        if not _CODE.match(code):
            raise WatchlistError(f"'{code}' is not a 6-character KRX code")
        return code
