"""What every broker client test against the simulator needs: a movable clock and an event log."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta

from lucy_tui.clock import KST


class ShiftedClock:
    """Wall time and monotonic time that a test can move forward, shared by the simulator and
    the client's token cache (so "a minute later" needs no minute)."""

    def __init__(self, at: datetime | None = None):
        self.offset = (at - datetime.now(KST)).total_seconds() if at else 0.0

    def now(self) -> datetime:
        return datetime.now(KST) + timedelta(seconds=self.offset)

    def monotonic(self) -> float:
        return time.monotonic() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


class Events(list):
    """Events a broker pushed into its sink, and a way to wait for one."""

    async def wait(self, predicate, timeout: float = 5.0):
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            for event in self:
                if predicate(event):
                    return event
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"no matching event in {timeout} s; got {self!r}")
            await asyncio.sleep(0.01)

    def of(self, kind) -> list:
        return [e for e in self if isinstance(e, kind)]
