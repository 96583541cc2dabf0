"""A watchlist and its entries: symbol, tags and base prices (buy below / sell above)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

#: Lists every profile starts with: holdings and interest.
DEFAULT_LISTS = ("보유", "관심")


@dataclass(frozen=True, slots=True)
class Entry:
    code: str
    tags: tuple[str, ...] = ()
    buy_below: int | None = None       # alert when the price falls to or below this
    sell_above: int | None = None      # alert when the price rises to or above this
    note: str = ""

    def with_levels(self, buy_below: int | None, sell_above: int | None) -> Entry:
        return replace(self, buy_below=buy_below, sell_above=sell_above)

    def to_doc(self) -> dict:
        return {"code": self.code, "tags": list(self.tags), "buy_below": self.buy_below,
                "sell_above": self.sell_above, "note": self.note}

    @classmethod
    def from_doc(cls, doc: dict) -> Entry:
        def level(value) -> int | None:
            return int(value) if isinstance(value, int) and value > 0 else None

        tags = doc.get("tags") or ()
        return cls(code=str(doc.get("code", "")),
                   tags=tuple(str(t) for t in tags if str(t).strip()),
                   buy_below=level(doc.get("buy_below")), sell_above=level(doc.get("sell_above")),
                   note=str(doc.get("note") or ""))


@dataclass(frozen=True, slots=True)
class Watchlist:
    name: str
    entries: tuple[Entry, ...] = field(default_factory=tuple)

    @property
    def codes(self) -> list[str]:
        return [e.code for e in self.entries]

    def entry(self, code: str) -> Entry | None:
        for e in self.entries:
            if e.code == code:
                return e
        return None
