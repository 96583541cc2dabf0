"""A whole headless demo session inside throw-away XDG and temp dirs — simulator, KIS and LS
clients, the engine with its journal, orders placed, filled and cancelled, a CSV export, a log
file at DEBUG through the redaction filter — then every file it left behind is searched for the
app keys, app secrets and tokens it used.

The one place a token may be written in clear is the token cache (brokers/tokens.py): a token
must be reusable across restarts (KIS mints one a minute and messages the user on each), so it
is stored as is, mode 0600, in the user cache dir. App keys and secrets may appear nowhere."""

from __future__ import annotations

import json
import logging
import stat
import tempfile

from lucy_tui import redact
from lucy_tui.domain.model import OrderStatus, Side
from lucy_tui.engine import Engine, PlaceOrder
from lucy_tui.engine.export import fills_csv, orders_csv
from lucy_tui.secrets import Secrets
from lucy_tui.brokers.kis import KisBroker
from lucy_tui.brokers.ls.client import LsBroker
from lucy_tui.profiles import Profile, ProfileStore, parse_account, parse_plan
from lucy_tui.profiles.connect import broker_settings
from support.engine import CODE, COUNTERPARTY, FAST, LS_FAST, PRICE, make_sim, wait_for


async def test_nothing_lucy_writes_holds_a_secret_or_a_token(tmp_path, monkeypatch, memory_keyring):
    xdg = {var: tmp_path / sub for var, sub in (("XDG_CONFIG_HOME", "config"),
                                                ("XDG_DATA_HOME", "data"),
                                                ("XDG_CACHE_HOME", "cache"),
                                                ("XDG_STATE_HOME", "state"))}
    for var, path in xdg.items():
        monkeypatch.setenv(var, str(path))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    from platformdirs import user_cache_path, user_data_path, user_state_path

    redact.forget_all()
    log_file = user_state_path("lucy", appauthor=False) / "lucy.log"
    handler = redact.log_to_file(log_file, logging.DEBUG)
    data = user_data_path("lucy", appauthor=False)
    cache = user_cache_path("lucy", appauthor=False)
    engine = None
    try:
        async with make_sim() as sim:
            creds = sim.credentials
            kis_c, ls_c = creds["kis"]["mock"], creds["ls"]["mock"]
            # The way Lucy gets them: a profile in the store, its secrets in the keyring, the
            # broker settings built from both.
            secrets = Secrets()
            store = ProfileStore()
            store.add(Profile("demo", hts_ids=(("kis", kis_c["hts_id"]),), accounts=(
                parse_account(f"kis:{kis_c['accounts'][0]}:fundA"),
                parse_account(f"kis:{kis_c['accounts'][1]}:fundB"),
                parse_account(f"ls:{ls_c['account']}:fundC")),
                plans=(parse_plan("core=fundA:60,fundB:40"),)))
            secrets.set("demo", "kis", kis_c["app_key"], kis_c["app_secret"])
            secrets.set("demo", "ls", ls_c["app_key"], ls_c["app_secret"])
            profile = store.get("demo")
            store.close()
            settings = await broker_settings(profile, secrets, {
                "kis": dict(rest_url=sim.urls["kis"]["rest"],
                            ws_url=sim.urls["kis"]["ws"] + "/tryitout", rate_limit=FAST,
                            reconnect_initial=0.05, reconnect_max=0.3),
                "ls": dict(rest_url=sim.urls["ls"]["rest"], ws_url=sim.urls["ls"]["ws"],
                           token_issue_interval=0.5, token_max_wait=3.0, rate_backoff=0.05,
                           reconnect_initial=0.05, reconnect_max=0.3, tr_limits=dict(LS_FAST)),
            })
            kis, ls = KisBroker(settings["kis"]), LsBroker(settings["ls"])
            engine = Engine(journal_dir=data / "journal", journal_fsync=False,
                            limits=profile.risk_limits(), plans=profile.engine_plans())
            engine.add_broker(kis)
            engine.add_broker(ls)
            await engine.start()
            a0, l0 = kis.accounts[0], ls.accounts[0]
            filled = await engine.place(PlaceOrder(CODE, Side.BUY, 10, PRICE, account=a0))
            resting = await engine.place(PlaceOrder(CODE, Side.BUY, 5, PRICE - 5000, account=a0))
            on_ls = await engine.place(PlaceOrder(CODE, Side.BUY, 3, PRICE, account=l0))
            split = await engine.place(PlaceOrder(CODE, Side.BUY, 10, PRICE, plan="core",
                                                confirmed=True))
            assert all(p.ok for p in (filled, resting, on_ls, split)), [filled, resting, on_ls, split]
            sim.exchange.submit(owner=COUNTERPARTY, code=CODE, side=Side.SELL, qty=23, price=PRICE)
            await wait_for(lambda: engine.order(filled.local_id).status is OrderStatus.FILLED
                           and engine.order(on_ls.local_id).status is OrderStatus.FILLED)
            await engine.cancel(resting.local_id)
            await wait_for(lambda: engine.order(resting.local_id).status is OrderStatus.CANCELLED)
            exports = data / "exports"
            exports.mkdir(parents=True)
            (exports / "orders.csv").write_text(orders_csv(engine.orders))
            (exports / "fills.csv").write_text(fills_csv(engine.book.fills))
            # A failure that drags a secret into its message and traceback (a crash report).
            try:
                raise RuntimeError(f"login failed for {kis_c['app_secret']}")
            except RuntimeError:
                logging.getLogger("lucy_tui.crash").exception("unexpected error with %s",
                                                              ls_c["app_key"])
            approval = getattr(kis.realtime, "_approval_key", "")
            await engine.close()
            engine = None
    finally:
        if engine is not None:
            await engine.close()
        logging.getLogger().removeHandler(handler)
        handler.close()

    token_files = sorted((cache / "tokens").glob("*.json"))
    tokens = {json.loads(p.read_text())["access_token"] for p in token_files}
    assert len(tokens) == 2, token_files                    # one KIS and one LS token were used
    never = {"app key": {kis_c["app_key"], ls_c["app_key"]},
             "app secret": {kis_c["app_secret"], ls_c["app_secret"]},
             "websocket approval key": {approval} - {""}}
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert log_file in written and (data / "journal").exists() and len(written) >= 6
    leaks = []
    for path in written:
        text = path.read_bytes().decode("utf-8", "replace")
        for what, values in never.items():
            leaks += [f"{path}: {what}" for v in values if v in text]
        if path not in token_files:
            leaks += [f"{path}: token" for t in tokens if t in text]
    assert leaks == []
    for path in token_files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
    log = log_file.read_text()
    assert "«redacted»" in log and "login failed for" in log and log.count("\n") > 50
