"""What every broker client test against the simulator needs: a movable clock, an event log, a
wire that counts answers, and the factory behind the ``connect`` fixtures."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import Counter
from datetime import datetime, timedelta

import httpx

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


class CountingWire:
    """An HTTP client that counts what crossed the wire: answers by their code (``code_field``,
    or the token endpoint's ``error_code``); what a request counts as is the broker's."""

    code_field = ""

    def __init__(self, timeout: float = 5.0):
        self.codes: Counter[str] = Counter()
        self.http = httpx.AsyncClient(timeout=httpx.Timeout(timeout), event_hooks={
            "request": [self._request], "response": [self._response]})

    async def _request(self, request: httpx.Request) -> None:
        raise NotImplementedError

    async def _response(self, response: httpx.Response) -> None:
        await response.aread()
        try:
            body = json.loads(response.content or b"{}")
        except ValueError:
            return
        if isinstance(body, dict):
            code = body.get(self.code_field) or body.get("error_code")
            if code:
                self.codes[str(code)] += 1


@contextlib.asynccontextmanager
async def connecting(build):
    """The ``connect`` fixture's factory: ``await make(server, clock=..., start=..., **kw)`` →
    (broker, events, wire), where ``build(server, clock=..., **kw)`` → (broker, wire); every
    broker made is closed, and its wire, when the test ends."""
    opened: list = []

    async def make(server, *, clock=None, start: bool = True, **kw):
        broker, wire = build(server, clock=clock, **kw)
        events = Events()
        broker.set_sink(events.append)
        opened.append((broker, wire))
        if start:
            await broker.connect()
        return broker, events, wire

    yield make
    for broker, wire in opened:
        await broker.close()
        await wire.http.aclose()
