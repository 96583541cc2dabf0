"""Driving the whole console in tests: the app logged in to the demo profile over an in-process
simulator with a fixed seed, no synthetic market (the test is the only counterparty), and a
wall clock that stands still (so screens and snapshots do not depend on the hour)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import datetime

from lucy_tui.brokers.kis.codes import Domain
from lucy_tui.clock import KST
from lucy_tui.config import Config
from lucy_tui.domain.model import Side
from lucy_tui.sim.kis.front import KisOptions
from lucy_tui.sim.server import SimServer

COUNTERPARTY = "test:counterparty"
NOON = datetime(2026, 12, 4, 10, 30, tzinfo=KST)


class StillClock:
    """Wall time fixed at ``at``; monotonic time real (pacing and timeouts still work)."""

    def __init__(self, at: datetime = NOON):
        self.at = at

    def now(self) -> datetime:
        return self.at

    def monotonic(self) -> float:
        return time.monotonic()


def sim_factory(clock, market: bool = False):
    def make():
        return SimServer(seed=11, market=market, clock=clock, session="always", pages=True,
                         kis_options=KisOptions(rate_limits={Domain.MOCK: 50, Domain.REAL: 50}))

    return make


async def until(pilot, predicate, timeout: float = 10.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not met in {timeout} s")
        await pilot.pause(0.05)


async def logged_in(pilot) -> None:
    app = pilot.app
    await until(pilot, lambda: type(app.screen).__name__ == "TradeScreen", 20, "login")
    await pilot.pause(0.2)


async def type_line(pilot, text: str, enter: bool = True, keys: bool = False) -> None:
    """Enter a line on the command line (``:`` focuses it). ``keys``: press every key as a
    user does (slow under Pilot, ~0.1 s a key); otherwise the text is pasted in one go."""
    line = pilot.app.screen.query_one("#command")
    was = line.value
    await pilot.press("colon")
    if not was:     # ':' focuses the line, and on an empty focused line it types nothing
        assert line.value == "", f"':' went into the command line: {line.value!r}"
    line.value = ""
    if keys:
        for ch in text:
            await pilot.press("space" if ch == " " else ch)
    else:
        line.insert_text_at_cursor(text)
    await pilot.pause(0.05)
    if enter:
        await pilot.press("enter")


def counterparty(app, side: Side, qty: int, price: int, code: str = "005930") -> None:
    app.sim.exchange.submit(owner=COUNTERPARTY, code=code, side=side, qty=qty, price=price)


@contextlib.asynccontextmanager
async def console(config: Config | None = None, size=(160, 45), clock=None, market=False):
    from lucy_tui.ui.app import LucyApp

    clock = clock or StillClock()
    app = LucyApp(config or Config(), clock=clock, sim_factory=sim_factory(clock, market))
    async with app.run_test(size=size) as pilot:
        await logged_in(pilot)
        yield app, pilot
        await asyncio.sleep(0)
