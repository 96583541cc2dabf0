"""Pacing requests so a broker's published rate is reached but never exceeded (DESIGN.md rule 6).

Brokers count requests per app key over a sliding window (KIS: 20/s real, 2/s mock); LS adds a
budget per TR. :class:`RateLimiter` keeps one sliding window per key and, where configured, one
per (key, TR); a request goes when every window it belongs to has room. The window is the
broker's period plus a small ``margin``.

Where a request sits in a window: ``acquire`` counts it from the moment it is granted, so the
margin must cover the request's time in transit (pool waits, network, a busy machine) — two
requests granted one window apart can otherwise land at the broker inside one period. ``slot``
counts it from the grant until its answer has come and then one window on: the broker received
it before it answered, so the next request granted a window after the answer cannot land inside
the broker's window however long the transit, and the margin need only cover clock granularity.
A request still out holds its place in the window however long it takes. (Measured on a loaded
2-core machine with ``acquire`` and 0.04 s: LS answered IGW00201 to 7 of 107 order requests;
KIS mock used 94 % of its 2/s.)

Waiters are served first come, first served: a request never overtakes an earlier one that is
waiting for the same budget. It may overtake an earlier one that waits only for a *different*
TR's budget, because holding it back would waste the key's budget without helping anyone.
Nothing here blocks the loop: waiting is an ``await`` on a future that a driver task resolves
after ``sleep`` (``asyncio.sleep`` unless a test injects one together with its clock).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass

#: Float noise allowance when comparing stamps: a waiter woken exactly at the edge must pass.
_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Limit:
    """``count`` requests per ``period`` seconds."""

    count: int
    period: float = 1.0

    def __post_init__(self):
        if self.count < 1 or self.period <= 0:
            raise ValueError(f"a rate limit needs count >= 1 and period > 0, got {self}")

    @property
    def per_second(self) -> float:
        return self.count / self.period


class _Entry:
    """One request in a window: counted from ``at``; while ``out``, not expiring at all."""

    __slots__ = ("at", "out")

    def __init__(self, at: float, out: bool):
        self.at, self.out = at, out


class _Window:
    """The requests inside the last ``span`` seconds, and those still out."""

    __slots__ = ("count", "span", "entries")

    def __init__(self, limit: Limit, margin: float):
        self.count = limit.count
        self.span = limit.period + margin
        self.entries: list[_Entry] = []

    def delay(self, now: float) -> float:
        """0 when there is room; else the wait until the oldest answered request leaves the
        window (or ``span`` when every one is still out: its answer wakes the waiters)."""
        horizon = now - self.span + _EPS
        entries = self.entries
        if entries and (len(entries) >= self.count
                        or (not entries[0].out and entries[0].at <= horizon)):
            entries = self.entries = [e for e in entries if e.out or e.at > horizon]
        if len(entries) < self.count:
            return 0.0
        answered = [e.at for e in entries if not e.out]
        if not answered:
            return self.span
        return max(min(answered) + self.span - now, _EPS)

    def take(self, now: float, out: bool) -> _Entry:
        entry = _Entry(now, out)
        self.entries.append(entry)
        return entry


class _Waiter:
    __slots__ = ("tr", "future", "out")

    def __init__(self, tr: str | None, future: asyncio.Future, out: bool):
        self.tr, self.future, self.out = tr, future, out


class _Lane:
    """Everything about one key: its window, its per-TR windows, its queue and its driver."""

    __slots__ = ("window", "tr_windows", "queue", "driver", "driver_due", "not_before")

    def __init__(self, window: _Window | None):
        self.window = window
        self.tr_windows: dict[str, _Window] = {}
        self.queue: deque[_Waiter] = deque()
        self.driver: asyncio.Task | None = None
        self.driver_due = 0.0
        self.not_before = 0.0


class RateLimiter:
    """Sliding-window budgets per key (``limit``) and per (key, TR) (``per_tr``).

    ``limit`` may be None when a broker publishes only per-TR budgets; a TR without an entry in
    ``per_tr`` is then unlimited apart from the key's window. ``margin`` (seconds) widens every
    window: 0.04 s suits ``acquire`` (it must cover transit), 0.01 s ``slot`` (clock granularity).
    """

    def __init__(self, limit: Limit | None = None, *, per_tr: Mapping[str, Limit] | None = None,
                 margin: float = 0.04, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep):
        if margin < 0:
            raise ValueError("margin must not be negative")
        self.limit = limit
        self.per_tr = dict(per_tr or {})
        self.margin = margin
        self._clock = clock
        self._sleep = sleep
        self._lanes: dict[str, _Lane] = {}
        self.granted = 0

    # ------------------------------------------------------------------ public

    async def acquire(self, key: str = "", tr: str | None = None) -> None:
        """Wait until a request for ``key`` (and ``tr``) may go, then count it as gone (from
        now: the margin must cover its transit, see the module docstring)."""
        await self._acquire(key, tr, out=False)

    @contextlib.asynccontextmanager
    async def slot(self, key: str = "", tr: str | None = None) -> AsyncIterator[None]:
        """``async with limiter.slot(key, tr): <send and read the answer>`` — the request is
        counted from its grant until the block ends, and one window from then."""
        entries = await self._acquire(key, tr, out=True)
        try:
            yield
        finally:
            self._answered(key, entries)

    async def _acquire(self, key: str, tr: str | None, *, out: bool) -> list[_Entry]:
        lane = self._lane(key)
        if not lane.queue:
            entries = self._try_take(lane, tr, self._clock(), out)
            if entries is not None:
                return entries
        future = asyncio.get_running_loop().create_future()
        lane.queue.append(_Waiter(tr, future, out))
        self._pump(lane)
        try:
            return await future
        except asyncio.CancelledError:
            # A grant that raced with the cancellation is spent; the broker counts what we
            # sent, and we sent nothing, so being conservative here costs one slot at most.
            if not future.done():
                future.cancel()
            elif not future.cancelled() and future.exception() is None:
                self._answered(key, future.result())
            self._pump(lane)
            raise

    def _answered(self, key: str, entries: list[_Entry]) -> None:
        now = self._clock()
        for entry in entries:
            entry.at, entry.out = max(entry.at, now), False
        lane = self._lanes.get(key)
        if lane is not None and lane.queue:
            self._restart_driver(lane)

    def delay(self, key: str = "", tr: str | None = None) -> float:
        """Seconds until a request for ``key``/``tr`` could go if nobody else were waiting."""
        lane = self._lane(key)
        return self._delay(lane, tr, self._clock())

    def backoff(self, key: str, seconds: float) -> None:
        """Hold every request for ``key`` for ``seconds``: the broker said we went too fast
        (another process shares the key, or its clock disagrees with ours)."""
        lane = self._lane(key)
        lane.not_before = max(lane.not_before, self._clock() + seconds)
        if lane.queue:
            self._restart_driver(lane)

    def waiting(self, key: str = "") -> int:
        lane = self._lanes.get(key)
        return sum(1 for w in lane.queue if not w.future.done()) if lane else 0

    # ------------------------------------------------------------------ internals

    def _lane(self, key: str) -> _Lane:
        lane = self._lanes.get(key)
        if lane is None:
            window = _Window(self.limit, self.margin) if self.limit else None
            lane = self._lanes[key] = _Lane(window)
        return lane

    def _tr_window(self, lane: _Lane, tr: str | None) -> _Window | None:
        if tr is None or tr not in self.per_tr:
            return None
        window = lane.tr_windows.get(tr)
        if window is None:
            window = lane.tr_windows[tr] = _Window(self.per_tr[tr], self.margin)
        return window

    def _key_delay(self, lane: _Lane, now: float) -> float:
        hold = max(lane.not_before - now, 0.0)
        return max(hold, lane.window.delay(now) if lane.window else 0.0)

    def _delay(self, lane: _Lane, tr: str | None, now: float) -> float:
        tr_window = self._tr_window(lane, tr)
        return max(self._key_delay(lane, now), tr_window.delay(now) if tr_window else 0.0)

    def _try_take(self, lane: _Lane, tr: str | None, now: float,
                  out: bool) -> list[_Entry] | None:
        if self._delay(lane, tr, now) > 0:
            return None
        entries = []
        if lane.window:
            entries.append(lane.window.take(now, out))
        tr_window = self._tr_window(lane, tr)
        if tr_window:
            entries.append(tr_window.take(now, out))
        self.granted += 1
        return entries

    def _grant_ready(self, lane: _Lane) -> float | None:
        """Grant every waiter that may go now, in order; return the wait for the next one."""
        now = self._clock()
        soonest: float | None = None
        blocked_trs: set[str | None] = set()
        for waiter in list(lane.queue):
            if waiter.future.done():
                lane.queue.remove(waiter)
                continue
            if waiter.tr in blocked_trs:
                continue  # an earlier waiter for the same TR goes first
            key_delay = self._key_delay(lane, now)
            if key_delay > 0:
                soonest = key_delay if soonest is None else min(soonest, key_delay)
                break  # nobody behind can go either: the key's budget is shared
            entries = self._try_take(lane, waiter.tr, now, waiter.out)
            if entries is not None:
                lane.queue.remove(waiter)
                waiter.future.set_result(entries)
                continue
            blocked_trs.add(waiter.tr)
            wait = self._delay(lane, waiter.tr, now)
            soonest = wait if soonest is None else min(soonest, wait)
        return soonest if lane.queue else None

    def _pump(self, lane: _Lane) -> None:
        wait = self._grant_ready(lane)
        if wait is None:
            return
        due = self._clock() + wait
        if lane.driver is None or lane.driver.done() or due < lane.driver_due - _EPS:
            self._restart_driver(lane, wait)

    def _restart_driver(self, lane: _Lane, wait: float | None = None) -> None:
        if lane.driver is not None and not lane.driver.done():
            lane.driver.cancel()
        if wait is None:
            wait = self._grant_ready(lane)
            if wait is None:
                lane.driver = None
                return
        lane.driver_due = self._clock() + wait
        lane.driver = asyncio.get_running_loop().create_task(self._drive(lane, wait))

    async def _drive(self, lane: _Lane, wait: float) -> None:
        while True:
            await self._sleep(wait)
            next_wait = self._grant_ready(lane)
            if next_wait is None:
                lane.driver = None
                return
            wait = next_wait
            lane.driver_due = self._clock() + wait
