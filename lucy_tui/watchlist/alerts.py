"""Alerts when a price crosses a watchlist entry's base price, once per crossing.

Per (code, level) the watcher is *armed* while the price is on the near side of the level (above
a buy-below level, below a sell-above level) and fires when a price reaches the level from there.
It then stays quiet until the price has gone back past the level by ``rearm_ticks`` KRX ticks, so
a price that wobbles around the level raises one alert, not one per tick. A level that is already
crossed when first seen (or when the user sets it) does not fire: only a crossing does.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from ..domain import krx

if TYPE_CHECKING:
    from .model import Entry


class AlertKind(enum.Enum):
    BUY_BELOW = "buy_below"
    SELL_ABOVE = "sell_above"

    @property
    def korean(self) -> str:
        return "매수 기준가 도달" if self is AlertKind.BUY_BELOW else "매도 기준가 도달"


@dataclass(frozen=True, slots=True)
class Alert:
    code: str
    kind: AlertKind
    level: int
    price: int
    time: datetime | None = None

    def describe(self, name: str = "") -> str:
        who = f"{name}({self.code})" if name else self.code
        edge = "≤" if self.kind is AlertKind.BUY_BELOW else "≥"
        return f"{who} {self.kind.korean}: {self.price:,} {edge} {self.level:,}"


class AlertWatcher:
    def __init__(self, *, rearm_ticks: int = 2):
        if rearm_ticks < 1:
            raise ValueError("rearm_ticks must be at least 1")
        self.rearm_ticks = rearm_ticks
        self._levels: dict[str, dict[AlertKind, int]] = {}
        self._armed: dict[tuple[str, AlertKind], bool | None] = {}   # None: not seen a price yet

    def watch(self, entries: Iterable[Entry]) -> None:
        """Follow these entries' levels; a changed or new level starts unarmed-until-seen."""
        wanted: dict[str, dict[AlertKind, int]] = {}
        for e in entries:
            levels = {}
            if e.buy_below:
                levels[AlertKind.BUY_BELOW] = e.buy_below
            if e.sell_above:
                levels[AlertKind.SELL_ABOVE] = e.sell_above
            if levels:
                wanted[e.code] = levels
        for code, levels in wanted.items():
            for kind, level in levels.items():
                if self._levels.get(code, {}).get(kind) != level:
                    self._armed[(code, kind)] = None
        for key in [k for k in self._armed if wanted.get(k[0], {}).get(k[1]) is None]:
            del self._armed[key]
        self._levels = wanted

    def levels(self, code: str) -> dict[AlertKind, int]:
        return dict(self._levels.get(code, {}))

    def on_price(self, code: str, price: int, time: datetime | None = None) -> list[Alert]:
        """Feed one price; returns the alerts it raises (usually none)."""
        levels = self._levels.get(code)
        if not levels or price <= 0:
            return []
        out = []
        for kind, level in levels.items():
            key = (code, kind)
            armed = self._armed.get(key)
            crossed = price <= level if kind is AlertKind.BUY_BELOW else price >= level
            if armed is None:
                self._armed[key] = not crossed
                continue
            if armed and crossed:
                self._armed[key] = False
                out.append(Alert(code, kind, level, price, time))
            elif not armed and self._cleared(kind, level, price):
                self._armed[key] = True
        return out

    def _cleared(self, kind: AlertKind, level: int, price: int) -> bool:
        if kind is AlertKind.BUY_BELOW:
            return price >= krx.tick_up(krx.round_to_tick(level, up=True), n=self.rearm_ticks)
        return price <= krx.tick_down(krx.round_to_tick(level), n=self.rearm_ticks)

