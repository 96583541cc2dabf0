"""Continuation paging of KIS inquiries (kis.md §3.3).

The request carries ``tr_cont`` ("" first, "N" after) and the cursor pair
``CTX_AREA_FK100`` (the search condition: the inputs joined by ``^``, padded to 100) and
``CTX_AREA_NK100`` (the next key, padded to 100; all spaces when there is none). The response
header ``tr_cont`` says whether more follows: ``F`` (first page, more) / ``M`` (later page, more) /
``D`` (first page, last) / ``E`` (later page, last).

The next key is the sort key of the last row delivered, and a continuation returns the rows past
it, so orders placed between two pages neither repeat nor shift rows. A continuation whose search
condition differs from the one the cursor was made for is refused with ``SYDB0050`` (rt_cd 7), as
KIS does when the data behind a cursor changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

WIDTH = 100
Row = TypeVar("Row")


def pad(text: str, width: int = WIDTH) -> str:
    return text[:width].ljust(width)


def condition(*inputs: str) -> str:
    """The CTX_AREA_FK100 of a query: its inputs joined by ``^``, padded to 100."""
    return pad("^".join(inputs) + "^")


class StaleCursor(Exception):
    """The continuation's search condition is not the one the cursor was made for."""


@dataclass(frozen=True, slots=True)
class Page(Generic[Row]):
    rows: list[Row]
    tr_cont: str           # F / M / D / E
    fk: str
    nk: str

    @property
    def more(self) -> bool:
        return self.tr_cont in ("F", "M")


def paginate(rows: Sequence[Row], *, size: int, fk: str, request_fk: str, request_nk: str,
             key: Callable[[Row], str], descending: bool = False) -> Page[Row]:
    """One page of ``rows`` (already sorted by ``key``, descending if so said)."""
    cursor = (request_nk or "").strip()
    # A follow-up is recognised by its cursor (clients send it with tr_cont "N"); "N" without
    # a cursor starts over.
    continuing = bool(cursor)
    if continuing:
        if (request_fk or "").strip() and request_fk.strip() != fk.strip():
            raise StaleCursor()
        if descending:
            rows = [r for r in rows if key(r) < cursor]
        else:
            rows = [r for r in rows if key(r) > cursor]
    chunk = list(rows[:size])
    more = len(rows) > size
    if continuing:
        tr_cont = "M" if more else "E"
    else:
        tr_cont = "F" if more else "D"
    nk = pad(key(chunk[-1])) if more and chunk else pad("")
    return Page(chunk, tr_cont, fk, nk)


def query_get(query: dict[str, str], name: str, default: str = "") -> str:
    """A query parameter by its documented upper-case name, matched case-insensitively (§3.1)."""
    if name in query:
        return query[name]
    lowered = name.lower()
    for k, v in query.items():
        if k.lower() == lowered:
            return v
    return default
