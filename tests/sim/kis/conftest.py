"""Fixtures of the KIS simulator tests: a server on an ephemeral port (market off, fixed seed,
manual clock) and logged-in raw-wire callers for the real and the mock key sets."""

from __future__ import annotations

import httpx
import pytest

from kiswire import Wire, make_server


@pytest.fixture
async def sim():
    async with make_server() as server:
        yield server


@pytest.fixture
async def http(sim):
    async with httpx.AsyncClient(base_url=sim.urls["kis"]["rest"], timeout=5.0) as client:
        yield client


@pytest.fixture
async def real(sim, http) -> Wire:
    return await Wire(sim, "real", http).login()


@pytest.fixture
async def mock(sim, http) -> Wire:
    return await Wire(sim, "mock", http).login()
