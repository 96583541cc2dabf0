"""Fixtures for engine tests; the helpers they use live in tests/support/engine.py."""

from __future__ import annotations

import pytest

from lucy_tui.engine import Engine
from lucy_tui.sim.server import SimServer
from support.engine import kis_broker, ls_broker, make_sim


@pytest.fixture
async def sim():
    async with make_sim() as server:
        yield server


@pytest.fixture
async def engine_for(tmp_path):
    """``await engine_for(server, ls=False, **engine_kw)`` → a started Engine with its log."""
    made: list[Engine] = []

    async def make(server: SimServer, *, ls: bool = False, kis_kw=None, directory=None,
                   clock=None, **kw):
        engine = Engine(journal_dir=directory or tmp_path / "journal", clock=clock,
                        journal_fsync=False, **kw)
        engine.add_broker(kis_broker(server, tmp_path, clock=clock, **(kis_kw or {})))
        if ls:
            engine.add_broker(ls_broker(server, tmp_path, clock=clock))
        events: list = []
        engine.subscribe(events.append)
        engine.events = events
        await engine.start()
        made.append(engine)
        return engine

    yield make
    for engine in made:
        await engine.close()
