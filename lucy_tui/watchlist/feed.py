"""Live prices for a watchlist within the broker's realtime subscription limit.

A KIS session takes 41 registrations, one of them the execution notice, so at most 40 symbols
get realtime trades (``Capabilities.max_tick_subscriptions``); LS has its own figure. The plan
gives realtime to the first symbols in priority order (the list's order: what is on screen
first) and polls the rest with REST quotes, one request every ``poll_interval`` seconds in
rotation, so polling spends a known share of the REST budget (by default half of the key's
rate, leaving the rest to orders and inquiries). :meth:`FeedPlan.describe` says all of that in
one line for the screen.

Every REST call (the first quote of each symbol, which also brings the base price and the
daily limits, and the rotation) goes through one task, so a long list never bursts. A
subscription the broker refuses (``OPSP0008 MAX SUBSCRIBE OVER`` when other screens use
registrations too) moves that symbol to the rotation and is reported.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from ..brokers.base import BrokerError, Tick
from ..domain.model import Quote

log = logging.getLogger(__name__)

REALTIME, REST, PENDING = "실시간", "REST", "대기"


@dataclass(frozen=True, slots=True)
class FeedPlan:
    realtime: tuple[str, ...]
    polled: tuple[str, ...]
    limit: int
    poll_interval: float
    broker: str = "KIS"
    refused: tuple[str, ...] = ()

    @property
    def cycle(self) -> float:
        """Seconds between two REST quotes of the same polled symbol."""
        return len(self.polled) * self.poll_interval

    def source(self, code: str) -> str:
        return REALTIME if code in self.realtime else REST if code in self.polled else ""

    def describe(self) -> str:
        text = f"실시간 {len(self.realtime)}/{self.limit}"
        if self.polled:
            every = "1초 미만" if self.cycle < 1 else f"{round(self.cycle, 1):g}초"
            text += (f" · REST 순환 {len(self.polled)}종목 (종목당 {every})"
                     f" — {self.broker} 실시간 구독 한도 {self.limit}종목 초과")
        if self.refused:
            text += f" · 구독 거부 {len(self.refused)}종목 REST 전환"
        return text


def plan_feed(codes: Iterable[str], limit: int, *, poll_interval: float = 1.0,
              broker: str = "KIS", refused: Iterable[str] = ()) -> FeedPlan:
    """Realtime for the first ``limit`` symbols (minus refused ones), REST for the rest."""
    ordered = list(dict.fromkeys(codes))
    refused = tuple(c for c in dict.fromkeys(refused) if c in ordered)
    eligible = [c for c in ordered if c not in refused]
    limit = max(0, limit)
    realtime = tuple(eligible[:limit])
    polled = tuple(c for c in ordered if c not in realtime)
    return FeedPlan(realtime, polled, limit, poll_interval, broker, refused)


@dataclass(frozen=True, slots=True)
class WatchQuote:
    """What a watchlist row shows of one symbol."""

    code: str
    last: int = 0
    base: int = 0
    volume: int = 0
    upper: int = 0
    lower: int = 0
    source: str = PENDING
    time: datetime | None = None

    @property
    def change(self) -> int:
        return self.last - self.base if self.last and self.base else 0

    @property
    def rate(self) -> Decimal:
        if not self.base or not self.last:
            return Decimal(0)
        return (Decimal(self.change) * 100 / self.base).quantize(Decimal("0.01"))

    def band_distance(self) -> tuple[str, Decimal] | None:
        """The nearer daily limit ("상한"/"하한") and how far the price is from it, in percent
        of the price; None before the limits are known."""
        if not (self.last and self.upper and self.lower):
            return None
        up = Decimal(self.upper - self.last) * 100 / self.last
        down = Decimal(self.last - self.lower) * 100 / self.last
        if up <= down:
            return "상한", up.quantize(Decimal("0.1"))
        return "하한", down.quantize(Decimal("0.1"))


class PriceFeed:
    """Keeps :attr:`quotes` current for :meth:`set_codes`' symbols; calls ``on_update(quote)``.

    The broker's events reach the feed through :meth:`on_event` (whoever owns the broker's sink
    forwards them). ``broker`` needs ``quote``, ``subscribe_ticks``, ``unsubscribe_ticks`` and
    ``capabilities.max_tick_subscriptions``.
    """

    def __init__(self, broker, *, limit: int | None = None, reserved: int = 0,
                 poll_interval: float | None = None, label: str | None = None,
                 on_update: Callable[[WatchQuote], None] | None = None):
        self.broker = broker
        cap = getattr(getattr(broker, "capabilities", None), "max_tick_subscriptions", 0) or 0
        self.limit = max(0, (limit if limit is not None else cap) - reserved)
        if poll_interval is None:
            rate = getattr(getattr(broker, "env", None), "rate", 2) or 2
            poll_interval = max(0.25, 2.0 / rate)     # half the key's REST budget at most
        self.poll_interval = poll_interval
        self.label = label or str(getattr(broker, "name", "broker")).upper()
        self.on_update = on_update
        self.quotes: dict[str, WatchQuote] = {}
        self.plan = plan_feed((), self.limit, poll_interval=poll_interval, broker=self.label)
        self._subscribed: set[str] = set()
        self._refused: set[str] = set()
        self._unseeded: list[str] = []
        self._rotation = 0
        self._task: asyncio.Task | None = None
        self._lock = asyncio.Lock()
        self.errors = 0
        self.last_error = ""

    # ------------------------------------------------------------------ symbols

    async def set_codes(self, codes: Iterable[str]) -> FeedPlan:
        """Follow these symbols (priority order); subscribes and unsubscribes the difference."""
        async with self._lock:
            codes = list(dict.fromkeys(codes))
            plan = plan_feed(codes, self.limit, poll_interval=self.poll_interval,
                             broker=self.label, refused=self._refused)
            drop = [c for c in self._subscribed if c not in plan.realtime]
            if drop:
                with contextlib.suppress(BrokerError):
                    await self.broker.unsubscribe_ticks(drop)
                self._subscribed.difference_update(drop)
            refused = []
            for code in plan.realtime:
                if code in self._subscribed:
                    continue
                try:
                    await self.broker.subscribe_ticks([code])
                    self._subscribed.add(code)
                except BrokerError as exc:
                    log.info("watchlist: realtime for %s refused (%s); polling it", code, exc)
                    refused.append(code)
            if refused:
                self._refused.update(refused)
                plan = plan_feed(codes, self.limit, poll_interval=self.poll_interval,
                                 broker=self.label, refused=self._refused)
            self.plan = plan
            self.quotes = {c: replace(self.quotes.get(c) or WatchQuote(c),
                                      source=plan.source(c)) for c in codes}
            known = {c for c, q in self.quotes.items() if q.base}
            self._unseeded = [c for c in codes if c not in known]
            return plan

    # ------------------------------------------------------------------ events

    def on_event(self, event) -> None:
        if isinstance(event, Tick):
            self.on_tick(event)

    def on_tick(self, tick: Tick) -> None:
        q = self.quotes.get(tick.code)
        if q is None:
            return
        base = tick.price - tick.change if tick.change or not q.base else q.base
        q = replace(q, last=tick.price, base=base, volume=max(q.volume, tick.cum_volume),
                    time=tick.time, source=REALTIME)
        self._set(q)

    def _set(self, q: WatchQuote) -> None:
        self.quotes[q.code] = q
        if self.on_update is not None:
            try:
                self.on_update(q)
            except Exception:      # a screen's bug must not stop the feed
                log.exception("watchlist: on_update failed")

    # ------------------------------------------------------------------ polling

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="watchlist-feed")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._subscribed:
            with contextlib.suppress(BrokerError):
                await self.broker.unsubscribe_ticks(sorted(self._subscribed))
            self._subscribed.clear()

    def next_code(self) -> str | None:
        """Which symbol the next REST request is for: unseeded ones first, then the rotation."""
        while self._unseeded:
            code = self._unseeded.pop(0)
            if code in self.quotes:
                return code
        polled = self.plan.polled
        if not polled:
            return None
        self._rotation %= len(polled)
        code = polled[self._rotation]
        self._rotation += 1
        return code

    async def poll_once(self) -> str | None:
        code = self.next_code()
        if code is None:
            return None
        try:
            quote: Quote = await self.broker.quote(code)
        except BrokerError as exc:
            self.errors += 1
            self.last_error = str(exc)
            return code
        current = self.quotes.get(code)
        if current is None:
            return code
        source = self.plan.source(code)
        # A realtime symbol's REST quote only seeds base and limits; its ticks own the price.
        live = current.source == REALTIME and current.last and source == REALTIME
        self._set(replace(current, last=current.last if live else quote.last, base=quote.base,
                          volume=current.volume if live else quote.volume,
                          upper=quote.upper_limit, lower=quote.lower_limit,
                          source=source or current.source, time=quote.time or current.time))
        return code

    async def _run(self) -> None:
        while True:
            started = asyncio.get_running_loop().time()
            await self.poll_once()
            spent = asyncio.get_running_loop().time() - started
            await asyncio.sleep(max(0.0, self.poll_interval - spent))
