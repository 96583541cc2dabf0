"""Fixtures for KIS client tests against the simulator over real localhost sockets."""

from __future__ import annotations

import pytest

from kis_client_support import FAST, Wire, settings_for, sim_server
from support.brokers import connecting

from lucy_tui.brokers.kis import KisBroker
from lucy_tui.sim.server import SimServer


@pytest.fixture
async def sim():
    async with sim_server() as server:
        yield server


@pytest.fixture
async def connect(tmp_path):
    """``await connect(server, clock=..., timeout=..., **settings)`` → (broker, events, wire)."""
    def build(server: SimServer, *, clock=None, timeout: float = 5.0, fast: bool = True,
              **overrides) -> tuple[KisBroker, Wire]:
        if fast:
            overrides.setdefault("rate_limit", FAST)
        wire = Wire(timeout)
        return KisBroker(settings_for(server, tmp_path, **overrides), clock=clock,
                         http=wire.http), wire

    async with connecting(build) as make:
        yield make
