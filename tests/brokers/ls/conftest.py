"""Fixtures for LS client tests against the simulator over real localhost sockets."""

from __future__ import annotations

import pytest

from ls_client_support import FAST_LIMITS, Events, Wire, settings_for, sim_server

from lucy_tui.brokers.ls.client import LsBroker
from lucy_tui.sim.server import SimServer


@pytest.fixture
async def sim():
    async with sim_server() as server:
        yield server


@pytest.fixture
async def connect(tmp_path):
    """``await connect(server, clock=..., timeout=..., **settings)`` → (broker, events, wire)."""
    opened: list[tuple[LsBroker, Wire]] = []

    async def make(server: SimServer, *, clock=None, timeout: float = 5.0, fast: bool = True,
                   start: bool = True, directory=None, **overrides):
        if fast:
            overrides.setdefault("tr_limits", dict(FAST_LIMITS))
        wire = Wire(timeout)
        settings = settings_for(server, directory or tmp_path, **overrides)
        broker = LsBroker(settings, clock=clock, http=wire.http)
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
