"""Headless layers never import textual (DESIGN.md rule 2), checked in a fresh interpreter."""

import pkgutil
import subprocess
import sys

import lucy_tui

HEADLESS = ("lucy_tui.domain", "lucy_tui.sim", "lucy_tui.brokers", "lucy_tui.engine",
            "lucy_tui.session",
            "lucy_tui.orderentry",
            "lucy_tui.profiles", "lucy_tui.secrets", "lucy_tui.redact",
            "lucy_tui.sources", "lucy_tui.clock", "lucy_tui.config")
HEADLESS += ("lucy_tui.watchlist",)


def _headless_modules():
    for info in pkgutil.walk_packages(lucy_tui.__path__, "lucy_tui."):
        if info.name.startswith(HEADLESS):
            yield info.name


def test_headless_modules_do_not_import_textual():
    modules = sorted(_headless_modules())
    assert "lucy_tui.domain.model" in modules and "lucy_tui.sim.exchange" in modules
    code = ("import importlib, sys\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
            "print(','.join(bad))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"textual imported by a headless module: {out.stdout}"


def test_domain_does_not_import_io_libraries():
    modules = sorted(m for m in _headless_modules() if m.startswith("lucy_tui.domain"))
    code = ("import importlib, sys\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "io = ('httpx', 'websockets', 'aiohttp', 'tinydb', 'keyring', 'textual')\n"
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in io)))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_broker_clients_do_not_load_the_simulator():
    """A client for the real broker must not depend on the simulator (nor its server stack)."""
    code = ("import sys, lucy_tui.brokers.kis.client, lucy_tui.brokers.ls.client\n"
            "print(','.join(sorted(m for m in sys.modules if m.startswith('lucy_tui.sim')"
            " or m.split('.')[0] == 'aiohttp')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
