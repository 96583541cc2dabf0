"""The token job: keep every broker session's access token renewed ahead of its expiry.

Each client's :class:`~lucy_tui.brokers.tokens.TokenCache` already renews a token inside its
``refresh_margin`` when asked for one; this job asks on a timer, so the renewal happens in the
background instead of in front of the next order. The cache's issuance guard (KIS: one new token
a minute) still applies. Register it with ``register_jobs(..., token_refresh=token_job(clients))``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta

from ..clock import Clock, SystemClock
from .scheduler import JobOutcome


def _left(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60}h{minutes % 60:02d}m left"


def token_job(clients: Callable[[], Iterable] | Iterable, *, clock: Clock | None = None):
    """A job over broker clients (objects with ``name``, ``tokens`` and ``rest.issue_token``);
    pass a callable to follow sessions that come and go."""

    clock = clock or SystemClock()

    async def run() -> JobOutcome:
        current = list(clients() if callable(clients) else clients)
        if not current:
            return JobOutcome(True, "no broker sessions")
        parts, ok = [], True
        for client in current:
            before = client.tokens.current()
            try:
                token = await client.tokens.get(client.rest.issue_token)
            except Exception as exc:   # one broker's failure must not hide the others' state
                ok = False
                parts.append(f"{client.name}: {exc}")
                continue
            now = clock.now()
            renewed = before is None or before.issued_at != token.issued_at
            parts.append(f"{client.name}: {'renewed' if renewed else 'valid'}, "
                         f"{_left(token.remaining(now))}")
        return JobOutcome(ok, "; ".join(parts))

    return run
