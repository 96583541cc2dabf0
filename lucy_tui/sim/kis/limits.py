"""The gateway's per-app-key request budget: a sliding one-second window (kis.md §6.1).

Only requests the gateway lets through are counted, so a client that backs off after
``EGW00201`` gets its budget back as the window slides.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from ...brokers.kis.codes import DEFAULT_LIMITS, Domain


class SlidingWindow:
    def __init__(self, limits: dict[Domain, int] | None = None, *, period: float = 1.0,
                 now: Callable[[], float]):
        self.limits = dict(DEFAULT_LIMITS if limits is None else limits)
        self.period = period
        self._now = now
        self._stamps: dict[str, deque[float]] = {}

    def allow(self, key: str, domain: Domain) -> bool:
        limit = self.limits.get(domain)
        if limit is None:
            return True
        now = self._now()
        stamps = self._stamps.setdefault(key, deque())
        # The epsilon keeps float noise from counting a request that left exactly one period ago.
        while stamps and stamps[0] <= now - self.period + 1e-6:
            stamps.popleft()
        if len(stamps) >= limit:
            return False
        stamps.append(now)
        return True
