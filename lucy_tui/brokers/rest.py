"""What every broker's REST client does alike: one ``httpx.AsyncClient`` (its own unless one is
given), the app key's lane in the rate limiter, a request that is mapped to the typed errors
when no answer comes back, the answer kept as an :class:`Envelope`, and the back-off after a
rate refusal. Which codes mean what, and how a call is retried, is each broker's (its rest.py).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from .base import BrokerError, ConnectionFailed, OutcomeUnknown
from .ratelimit import RateLimiter
from .tokens import TokenCache


@dataclass(frozen=True, slots=True)
class Envelope:
    """One REST answer, wire fields kept as they came."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, resp: httpx.Response):
        """The answer as it came; a body that is not a JSON object reads as empty."""
        try:
            body: Any = resp.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        return cls(resp.status_code, body, {k.lower(): v for k, v in resp.headers.items()})


class RestClient:
    #: Names the broker in errors.
    broker = ""

    def __init__(self, settings: Any, *, limiter: RateLimiter, tokens: TokenCache,
                 http: httpx.AsyncClient | None = None,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
                 rng: random.Random | None = None):
        self.settings = settings
        self.limiter = limiter
        self.tokens = tokens
        self.key = tokens.key_id            # the limiter's lane: one per app key, never the key
        self._own_http = http is None
        self.http = http or httpx.AsyncClient(timeout=httpx.Timeout(settings.request_timeout))
        self._sleep = sleep
        self._rng = rng or random.Random()
        self.sent = 0                       # requests that left (tests and diagnostics)

    async def aclose(self) -> None:
        if self._own_http:
            await self.http.aclose()

    async def _send(self, method: str, url: str, *, order: bool, label: str = "",
                    **kwargs: Any) -> httpx.Response:
        """One request that left; ``label`` prefixes the errors when no answer comes."""
        try:
            self.sent += 1
            return await self.http.request(method, url, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            # The request never left this machine: nothing can be working because of it.
            raise ConnectionFailed(f"{self.settings.rest_base} unreachable "
                                   f"({type(exc).__name__})", broker=self.broker) from None
        except httpx.HTTPError as exc:
            what = "no answer" if isinstance(exc, httpx.TimeoutException) else "connection lost"
            if order:
                raise OutcomeUnknown(f"{label}{what} ({type(exc).__name__}): the order may be "
                                     "working; check today's orders", broker=self.broker) from None
            raise BrokerError(f"{label}{what} ({type(exc).__name__})", broker=self.broker) from None

    def _rate_backoff(self, tries: int) -> float:
        """How long the key holds after the ``tries``-th rate refusal (before jitter): doubling
        from ``rate_backoff`` up to ``rate_backoff_max``."""
        return min(self.settings.rate_backoff * 2 ** tries, self.settings.rate_backoff_max)

    def _hold(self, delay: float) -> None:
        # Jitter, so clients refused together do not come back together.
        self.limiter.backoff(self.key, delay * self._rng.uniform(0.75, 1.0))
