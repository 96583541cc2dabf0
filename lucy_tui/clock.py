"""Time in KST, from the system or from a clock that tests move by hand.

Korea has no daylight saving, so a fixed +09:00 offset is exact and needs no tz database.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from typing import Protocol

KST = timezone(timedelta(hours=9), "KST")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in KST."""

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back (for pacing and timeouts)."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(KST)

    def monotonic(self) -> float:
        return time.monotonic()


class ManualClock:
    """A clock that moves only when told to: deterministic tests and replays."""

    def __init__(self, start: datetime | None = None):
        start = start or datetime(2026, 11, 24, 10, 0, tzinfo=KST)
        if start.tzinfo is None:
            start = start.replace(tzinfo=KST)
        self._now = start.astimezone(KST)
        self._mono = 0.0

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    def advance(self, seconds: float) -> datetime:
        if seconds < 0:
            raise ValueError("a clock does not go back")
        self._now += timedelta(seconds=seconds)
        self._mono += seconds
        return self._now

    def set(self, when: datetime) -> None:
        when = when.replace(tzinfo=KST) if when.tzinfo is None else when.astimezone(KST)
        if when < self._now:
            raise ValueError("a clock does not go back")
        self.advance((when - self._now).total_seconds())
