"""The full demo console in throw-away XDG and temp dirs: log in, trade (a plan order, fills, a
cancel), export the CSV, open the watchlist and IPO screens, log to the redacting file at DEBUG;
then every file the session left behind is searched for the simulator's app keys and secrets
and for the tokens it was issued. Tokens may sit in the token cache only (mode 0600)."""

from __future__ import annotations

import json
import logging
import stat
import tempfile

from lucy_tui import redact
from lucy_tui.cli import log_path
from lucy_tui.domain.model import OrderStatus, Side
from support.console import console, counterparty, type_line, until


async def test_nothing_the_console_writes_holds_a_secret(tmp_path, monkeypatch):
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                     ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state")):
        monkeypatch.setenv(var, str(tmp_path / sub))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    handler = redact.log_to_file(log_path(), logging.DEBUG)
    try:
        async with console() as (app, pilot):
            creds = app.sim.credentials
            engine = app.session.engine
            await type_line(pilot, "b 005930 20 @269000 to plan:core")
            await type_line(pilot, "b 005930 5 @260000")
            await until(pilot, lambda: len(engine.orders) == 4
                        and all(o.status is OrderStatus.NEW for o in engine.orders))
            counterparty(app, Side.SELL, 20, 269000)
            await until(pilot, lambda: sum(o.filled_qty for o in engine.orders) == 20)
            await type_line(pilot, "c all")
            await until(pilot, lambda: not [o for o in engine.orders if o.is_open])
            await pilot.press("ctrl+e")
            await until(pilot, lambda: list(app.spec.export_dir.glob("*.csv")))
            for key in ("w", "i"):
                await pilot.press("f12")
                await pilot.press(key)
                await pilot.pause(0.5)
                await pilot.press("escape")
            token_dir = app.spec.journal_dir.parent / "tokens"
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()

    token_files = sorted(token_dir.glob("*.json"))
    tokens = {json.loads(p.read_text())["access_token"] for p in token_files}
    assert len(tokens) >= 2, token_files
    never = {creds[b][env][field] for b in ("kis", "ls") for env in creds[b]
             for field in ("app_key", "app_secret")}
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert log_path() in written and any(p.suffix == ".csv" for p in written)
    assert any("history" in p.name for p in written)             # the command line's history
    leaks = []
    for path in written:
        text = path.read_bytes().decode("utf-8", "replace")
        leaks += [f"{path}: app key or secret" for value in never if value in text]
        if path not in token_files:
            leaks += [f"{path}: token" for token in tokens if token in text]
    assert leaks == []
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in token_files)
