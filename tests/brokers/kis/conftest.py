"""Fixtures for KIS client tests against the simulator over real localhost sockets."""

from __future__ import annotations

import pytest

from kis_client_support import FAST, Events, Wire, settings_for, sim_server

from lucy_tui.brokers.kis import KisBroker
from lucy_tui.sim.server import SimServer


@pytest.fixture
async def sim():
    async with sim_server() as server:
        yield server


@pytest.fixture
async def connect(tmp_path):
    """``await connect(server, clock=..., timeout=..., **settings)`` → (broker, events, wire)."""
    opened: list[tuple[KisBroker, Wire]] = []

    async def make(server: SimServer, *, clock=None, timeout: float = 5.0, fast: bool = True,
                   start: bool = True, **overrides):
        if fast:
            overrides.setdefault("rate_limit", FAST)
        wire = Wire(timeout)
        broker = KisBroker(settings_for(server, tmp_path, **overrides), clock=clock,
                           http=wire.http)
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
