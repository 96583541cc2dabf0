"""Profiles tests: an in-memory keyring (never the user's) and a data dir per test."""

from __future__ import annotations

import pytest

from support.keyring import MemoryKeyring, installed_keyring


@pytest.fixture
def memory_keyring():
    with installed_keyring(MemoryKeyring()) as backend:
        yield backend


@pytest.fixture
def no_keyring():
    from keyring.backends import fail

    with installed_keyring(fail.Keyring()) as backend:
        yield backend


@pytest.fixture(autouse=True)
def _own_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    from lucy_tui import redact

    yield
    redact.forget_all()
