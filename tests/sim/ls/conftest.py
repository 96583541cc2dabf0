"""Fixtures of the LS simulator tests: a server on ephemeral ports (market off, fixed seed,
manual clock) and logged-in raw-wire callers for each demo app key."""

from __future__ import annotations

import httpx
import pytest

from lswire import Wire, make_server


@pytest.fixture
async def sim():
    async with make_server() as server:
        yield server


@pytest.fixture
async def http(sim):
    async with httpx.AsyncClient(base_url=sim.urls["ls"]["rest"], timeout=5.0) as client:
        yield client


@pytest.fixture
async def real(sim, http) -> Wire:
    return await Wire(sim, "real", http).login()


@pytest.fixture
async def real_b(sim, http) -> Wire:
    return await Wire(sim, "real_b", http).login()


@pytest.fixture
async def mock(sim, http) -> Wire:
    return await Wire(sim, "mock", http).login()
