"""Logging in to a stored profile (not the demo): wrong password refused in words, the right one
connects each broker with its keyring secrets, and the header shows the profile's environment."""

from __future__ import annotations

import pytest

from lucy_tui.config import Config
from lucy_tui.domain.model import OrderStatus
from lucy_tui.profiles.model import Limits, Profile, parse_account, parse_plan
from lucy_tui.profiles.store import ProfileStore
from lucy_tui.secrets import Secrets
from lucy_tui.ui.app import LucyApp
from lucy_tui.ui.screens.login import stored_choices
from support.console import StillClock, sim_factory, type_line, until
from support.keyring import MemoryKeyring, installed_keyring


@pytest.fixture
async def sim():
    server = sim_factory(StillClock())()
    await server.start()
    yield server
    await server.stop()


def _profile(sim) -> Profile:
    kis = sim.credentials["kis"]["mock"]
    ls = sim.credentials["ls"]["mock"]
    return Profile(
        name="desk", accounts=(parse_account(f"kis:{kis['accounts'][0]}:fundA:알파"),
                               parse_account(f"ls:{ls['account']}:fundC:알파")),
        plans=(parse_plan("core=fundA:60,fundC:40"),), limits=Limits(confirm_value=10**9),
        hts_ids=(("kis", kis["hts_id"]),))


async def test_password_then_connect_with_keyring_secrets(sim, tmp_path):
    with installed_keyring(MemoryKeyring()):
        store = ProfileStore(tmp_path / "profiles.json")
        store.add(_profile(sim))
        store.set_password("desk", "s3cret")
        secrets = Secrets("keyring")
        for broker in ("kis", "ls"):
            cred = sim.credentials[broker]["mock"]
            secrets.set("desk", broker, cred["app_key"], cred["app_secret"])
        overrides = {
            "kis": {"rest_url": sim.urls["kis"]["rest"], "ws_url": sim.urls["kis"]["ws"] + "/tryitout",
                    "token_dir": tmp_path / "tokens", "rate_limit": 50},
            "ls": {"rest_url": sim.urls["ls"]["rest"], "ws_url": sim.urls["ls"]["ws"],
                   "token_dir": tmp_path / "tokens", "token_issue_interval": 0.5}}
        app = LucyApp(Config(), clock=StillClock(),
                      profiles=stored_choices(store, secrets, overrides))
        async with app.run_test(size=(160, 45)) as pilot:
            await pilot.pause(0.2)
            assert type(app.screen).__name__ == "LoginScreen"
            await pilot.press("enter")                      # the profile: it asks for a password
            password = app.screen.query_one("#password")
            assert password.display and password.has_focus
            password.value = "wrong"
            await pilot.press("enter")
            await until(pilot, lambda: "비밀번호가 틀렸습니다" in str(
                app.screen.query_one("#message").render()))
            assert app.session is None
            password.value = "s3cret"
            await pilot.press("enter")
            await until(pilot, lambda: type(app.screen).__name__ == "TradeScreen", 20)
            await until(pilot, lambda: "MOCK" in str(app.screen.query_one("HeaderBar").render()))
            assert "desk" in str(app.screen.query_one("HeaderBar").render())
            assert set(app.session.engine.brokers) == {"kis", "ls"}
            await type_line(pilot, "b 005930 10 @269000 to plan:core")
            engine = app.session.engine
            await until(pilot, lambda: len([o for o in engine.orders if o.parent_id]) == 2
                        and all(o.status is OrderStatus.NEW for o in engine.orders))
            assert sorted(o.qty for o in engine.orders) == [4, 6]
            # Lookup without the demo's in-process market: search, then the broker's quote.
            await pilot.press("f4")
            await until(pilot, lambda: type(app.screen).__name__ == "MarketScreen")
            app.screen.query_one("#search").value = "ㅋㅋㅇ"
            panel = app.screen.query_one("#book")
            await until(pilot, lambda: panel.code == "035720" and panel.quote is not None)
            assert panel.quote.upper_limit > panel.quote.last > 0


async def test_a_missing_secret_is_told_on_the_login_screen(sim, tmp_path):
    with installed_keyring(MemoryKeyring()):
        store = ProfileStore(tmp_path / "profiles.json")
        store.add(_profile(sim))
        app = LucyApp(Config(), clock=StillClock(), profiles=stored_choices(store, Secrets("keyring")))
        async with app.run_test(size=(160, 45)) as pilot:
            await pilot.press("enter")
            await until(pilot, lambda: "set-secret" in str(app.screen.query_one("#message").render()))
            assert type(app.screen).__name__ == "LoginScreen" and app.session is None
