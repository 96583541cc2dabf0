"""LS's per-TR request budgets (ls.md §6.1): a sliding one-second window per (app key, tr_cd).

Only requests let through are counted, so a client that backs off after ``IGW00201`` gets its
budget back as the window slides. The optional account-wide gate (unverified at LS) caps all TRs
of one key together.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from ...brokers.ls import codes


class TrLimiter:
    def __init__(self, limits: dict[str, int] | None = None, *, period: float = 1.0,
                 account_limit: int | None = None, now: Callable[[], float]):
        self.limits = dict(codes.TR_LIMITS if limits is None else limits)
        self.period = period
        self.account_limit = account_limit
        self._now = now
        self._stamps: dict[tuple[str, str], deque[float]] = {}

    def limit_of(self, tr_cd: str) -> int:
        return self.limits.get(tr_cd, codes.DEFAULT_TR_LIMIT)

    def _window(self, key: tuple[str, str], now: float) -> deque[float]:
        stamps = self._stamps.setdefault(key, deque())
        # The epsilon keeps float noise from counting a request that left exactly one period ago.
        while stamps and stamps[0] <= now - self.period + 1e-6:
            stamps.popleft()
        return stamps

    def allow(self, app_key: str, tr_cd: str) -> bool:
        now = self._now()
        per_tr = self._window((app_key, tr_cd), now)
        if len(per_tr) >= self.limit_of(tr_cd):
            return False
        if self.account_limit is not None:
            overall = self._window((app_key, ""), now)
            if len(overall) >= self.account_limit:
                return False
            overall.append(now)
        per_tr.append(now)
        return True
