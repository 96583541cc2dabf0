"""Fixtures for LS client tests against the simulator over real localhost sockets."""

from __future__ import annotations

import pytest

from ls_client_support import FAST_LIMITS, Wire, settings_for, sim_server
from support.brokers import connecting

from lucy_tui.brokers.ls.client import LsBroker
from lucy_tui.sim.server import SimServer


@pytest.fixture
async def sim():
    async with sim_server() as server:
        yield server


@pytest.fixture
async def connect(tmp_path):
    """``await connect(server, clock=..., timeout=..., **settings)`` → (broker, events, wire)."""
    def build(server: SimServer, *, clock=None, timeout: float = 5.0, fast: bool = True,
              directory=None, **overrides) -> tuple[LsBroker, Wire]:
        if fast:
            overrides.setdefault("tr_limits", dict(FAST_LIMITS))
        wire = Wire(timeout)
        settings = settings_for(server, directory or tmp_path, **overrides)
        return LsBroker(settings, clock=clock, http=wire.http), wire

    async with connecting(build) as make:
        yield make
