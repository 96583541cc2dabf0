import os
import sys
from pathlib import Path

# Shared test helpers live in tests/support.
sys.path.insert(0, str(Path(__file__).parent))

# Tests never touch the user's config, data or keyring: platformdirs is pointed at a temp tree
# per session by the fixture below, before anything reads it.
import pytest


@pytest.fixture(autouse=True, scope="session")
def _isolated_dirs(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                     ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state")):
        os.environ[var] = str(home / sub)
    os.environ["HOME"] = str(home)
    yield
