"""Today's one-minute bars per symbol, built from the exchange's trades as they happen.

What KIS's minute chart (당일분봉조회) serves: each bar is the minute's first, highest, lowest
and last trade price and its traded shares, keyed by the minute's start (HHMM00). A new trading
day starts empty. A listener on the exchange does O(1) work per trade; memory is bounded by
the minutes of one day per traded symbol.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from .events import ExchangeEvent, Trade
from .exchange import Exchange


@dataclass(slots=True)
class MinuteBar:
    minute: datetime          # the minute's start
    open: int
    high: int
    low: int
    close: int
    volume: int
    turnover_after: int       # the day's cumulative traded value at the bar's last trade


class MinuteTape:
    def __init__(self, exchange: Exchange):
        self.exchange = exchange
        self._day: date | None = None
        self._bars: dict[str, dict[datetime, MinuteBar]] = {}
        exchange.add_listener(self._on_event)

    def close(self) -> None:
        self.exchange.remove_listener(self._on_event)

    def _on_event(self, event: ExchangeEvent) -> None:
        if type(event) is not Trade:
            return
        t = event.time
        if t.date() != self._day:
            self._day = t.date()
            self._bars = {}
        minute = t.replace(second=0, microsecond=0)
        bars = self._bars.setdefault(event.code, {})
        bar = bars.get(minute)
        if bar is None:
            bars[minute] = MinuteBar(minute, event.price, event.price, event.price, event.price,
                                     event.qty, event.turnover)
            return
        bar.high = max(bar.high, event.price)
        bar.low = min(bar.low, event.price)
        bar.close = event.price
        bar.volume += event.qty
        bar.turnover_after = event.turnover

    def bars(self, code: str, day: date) -> list[MinuteBar]:
        """The symbol's bars of ``day`` (only today's are kept), oldest first."""
        if day != self._day:
            return []
        return sorted(self._bars.get(code, {}).values(), key=lambda b: b.minute)
