"""``TradingSession``: builds the broker clients of a :class:`SessionSpec`, connects them side by
side (one broker that cannot connect does not hold up the others), then starts the engine, which
recovers its journal, seeds balances and reconciles today's orders with every connected broker.

Progress goes to a callback as :class:`ConnectStep` values, so the login screen can say what each
broker is doing in words while the screen stays live."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from ..brokers.base import BookUpdate, Broker, BrokerError, Tick
from ..clock import Clock, SystemClock
from ..engine import Engine
from .spec import BrokerSpec, SessionSpec

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConnectStep:
    broker: str            # "kis", "ls", or "" for the session as a whole
    state: str             # "connecting", "live", "failed", "reconciling", "ready"
    detail: str = ""


def make_broker(spec: BrokerSpec, clock: Clock) -> Broker:
    settings = spec.settings
    if settings.broker == "kis":
        from ..brokers.kis import KisBroker

        return KisBroker(settings, clock=clock)
    if settings.broker == "ls":
        from ..brokers.ls.client import LsBroker

        return LsBroker(settings, clock=clock)
    raise ValueError(f"no client for broker {settings.broker!r}")


class TradingSession:
    def __init__(self, spec: SessionSpec, *, clock: Clock | None = None):
        self.spec = spec
        self.clock = clock or SystemClock()
        self.engine = Engine(journal_dir=spec.journal_dir, clock=self.clock, limits=spec.limits,
                             plans=spec.plans)
        self.failed: dict[str, str] = {}       # broker → why it could not connect
        self.started = False
        self._market_listeners: list[Callable[[Tick | BookUpdate], None]] = []

    def on_market(self, listener: Callable[[Tick | BookUpdate], None]) -> Callable[[], None]:
        """Ticks and book updates from every broker; the engine has no use for them."""
        self._market_listeners.append(listener)
        return lambda: self._market_listeners.remove(listener)

    def _sink(self, event) -> None:
        if isinstance(event, (Tick, BookUpdate)):
            for listener in self._market_listeners:
                listener(event)
        else:
            self.engine.on_broker_event(event)

    async def start(self, progress: Callable[[ConnectStep], None] = lambda step: None) -> None:
        brokers = [make_broker(b, self.clock) for b in self.spec.brokers]
        for broker in brokers:
            self.engine.add_broker(broker)
            broker.set_sink(self._sink)

        async def connect(broker: Broker) -> None:
            progress(ConnectStep(broker.name, "connecting", "토큰 발급 · 웹소켓 · 체결통보 등록"))
            try:
                await broker.connect()
            except (BrokerError, OSError, ValueError) as exc:
                self.failed[broker.name] = str(exc) or type(exc).__name__
                progress(ConnectStep(broker.name, "failed", self.failed[broker.name]))
                return
            progress(ConnectStep(broker.name, "live", "연결됨"))

        await asyncio.gather(*(connect(b) for b in brokers))
        for name in self.failed:
            broker = self.engine.brokers.pop(name)
            await broker.close()
        progress(ConnectStep("", "reconciling", "저널 복구 · 잔고 · 당일 주문 대사"))
        await self.engine.start(connect=False)
        self.started = True
        progress(ConnectStep("", "ready", f"{len(self.engine.brokers)} broker(s) live"))

    async def close(self) -> None:
        await self.engine.close()
