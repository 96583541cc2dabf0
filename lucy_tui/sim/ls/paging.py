"""Continuation paging of LS TRs (ls.md §3.5).

Every TR answer carries the ``tr_cont`` / ``tr_cont_key`` response headers (``N`` and ``""`` when
nothing follows). Two styles:

* header + body cursor (t-series): the OutBlock carries the cursor (``cts_ordno``,
  ``cts_expcode``); the client copies it into the next InBlock and sends ``tr_cont: Y`` with the
  ``tr_cont_key`` it got. Whether LS needs the key as well as the cursor is unverified (§9.9);
  by default the body cursor alone continues, ``strict`` also demands the key it was issued with;
* header only (C-series, CSPAQ13700): the client re-sends the same body with ``tr_cont: Y`` and
  the key; the key alone says where to continue.

A continuation resumes after the sort key of the last row delivered, so orders placed between
two pages neither repeat nor shift rows. An unknown key (or, for header-only TRs, a key issued
for another query) starts over at the first page.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Row = TypeVar("Row")
KEY_WIDTH = 18


@dataclass(frozen=True, slots=True)
class Page(Generic[Row]):
    rows: list[Row]
    more: bool
    cursor: str            # the sort key of the last row when more follows, else ""


def paginate(rows: Sequence[Row], *, size: int, key: Callable[[Row], str], after: str = "",
             descending: bool = False) -> Page[Row]:
    """One page of ``rows`` (already sorted by ``key``) starting past ``after``."""
    if after:
        rows = [r for r in rows if (key(r) < after if descending else key(r) > after)]
    chunk = list(rows[:size])
    more = len(rows) > size
    return Page(chunk, more, key(chunk[-1]) if more and chunk else "")


@dataclass(frozen=True, slots=True)
class _Issued:
    owner: str
    tr_cd: str
    condition: str
    cursor: str


class ContKeys:
    """The ``tr_cont_key`` values handed out, each bound to an owner, TR, query and cursor."""

    def __init__(self, rng: random.Random, keep: int = 10_000):
        self._rng = rng
        self._keep = keep
        self._issued: dict[str, _Issued] = {}

    def issue(self, owner: str, tr_cd: str, condition: str, cursor: str) -> str:
        key = "".join(self._rng.choice("0123456789") for _ in range(KEY_WIDTH))
        if len(self._issued) >= self._keep:
            self._issued.pop(next(iter(self._issued)))
        self._issued[key] = _Issued(owner, tr_cd, condition, cursor)
        return key

    def cursor(self, key: str, owner: str, tr_cd: str, condition: str | None = None) -> str | None:
        """The cursor a key continues from, or None when the key is not one of ours for this
        owner, TR (and, when given, query condition)."""
        found = self._issued.get((key or "").strip())
        if found is None or found.owner != owner or found.tr_cd != tr_cd:
            return None
        if condition is not None and found.condition != condition:
            return None
        return found.cursor
