"""What every broker session the engine holds does alike: its settings, environment, clock and
token cache; events handed to the engine's sink (a failing sink must not kill the feed);
connection status as events; and connect/close around the broker's REST and realtime parts.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from ..clock import Clock, SystemClock
from ..domain.model import AccountRef
from .base import (
    BrokerError, BrokerEvent, BrokerStatus, Capabilities, Connection, EventSink,
)
from .tokens import TokenCache


class BrokerClient:
    name = ""
    log = logging.getLogger(__name__)
    #: Set by the broker: its REST client (``issue_token``, ``aclose``) and its realtime session
    #: (``start``, ``stop``).
    rest: Any
    realtime: Any

    def __init__(self, settings: Any, *, clock: Clock | None, tokens: TokenCache | None):
        self.settings = settings
        self.env = settings.environment
        self.accounts: tuple[AccountRef, ...] = settings.accounts
        self.capabilities: Capabilities = self.env.capabilities
        self.clock = clock or SystemClock()
        self.tokens = tokens or TokenCache(
            self.name, settings.app_key, directory=settings.token_dir,
            refresh_margin=settings.token_refresh_margin,
            issue_interval=settings.token_issue_interval, max_wait=settings.token_max_wait,
            clock=self.clock)
        self._sink: EventSink = lambda event: None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(env={self.env.name}, rest={self.settings.rest_base})"

    # ------------------------------------------------------------------ events

    def set_sink(self, sink: EventSink) -> None:
        self._sink = sink

    def _emit(self, event: BrokerEvent) -> None:
        try:
            self._sink(event)
        except Exception:   # the engine's bug must not kill the feed
            self.log.exception("%s: event sink failed on %r", self.name, type(event).__name__)

    def _on_status(self, state: Connection, detail: str) -> None:
        self._emit(BrokerStatus(self.name, state, detail, self.clock.now()))

    def _today(self) -> date:
        return self.clock.now().date()

    # ------------------------------------------------------------------ session

    async def connect(self) -> None:
        """A token (the cache's, or issued), then the realtime session; returns once it is live,
        or — if the socket cannot be opened in time — with the session DEGRADED (REST works)
        and still trying."""
        try:
            await self.tokens.get(self.rest.issue_token)
        except BrokerError as exc:
            self._on_status(Connection.DISCONNECTED, str(exc))
            raise
        if not await self.realtime.start():
            self._on_status(Connection.DEGRADED, "realtime feed not connected yet; retrying")

    async def close(self) -> None:
        # A token stays live: other Lucy processes on this key share it through the cache.
        await self.realtime.stop()
        await self.rest.aclose()
