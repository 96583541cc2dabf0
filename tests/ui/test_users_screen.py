"""The Users screen by keyboard, mounted on a small host app, against an in-memory keyring."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.widgets import DataTable, Input, Static, Switch, TextArea

from lucy_tui.profiles import Profile, ProfileStore, parse_account
from lucy_tui.secrets import Secrets
from lucy_tui.ui.screens.users import (
    AskPassword, AskSecret, ConfirmReal, ProfileForm, UsersScreen,
)
from support.keyring import MemoryKeyring, installed_keyring


class Host(App):
    def __init__(self, store: ProfileStore, secrets: Secrets):
        super().__init__()
        self.store, self.secrets, self.changes = store, secrets, []
        self.animation_level = "none"

    def on_mount(self) -> None:
        self.push_screen(UsersScreen(self.store, self.secrets))

    def on_users_screen_changed(self, message: UsersScreen.Changed) -> None:
        self.changes.append(message)


@pytest.fixture
def keyring_backend():
    with installed_keyring(MemoryKeyring()) as backend:
        yield backend


@pytest.fixture
def store(tmp_path):
    return ProfileStore(tmp_path / "profiles.json")


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)


async def tab_to(pilot, widget_id: str) -> None:
    """Tab through the focus chain to ``widget_id``: the way a user gets there."""
    for _ in range(30):
        focused = pilot.app.focused
        if focused is not None and focused.id == widget_id:
            return
        await pilot.press("tab")
    raise AssertionError(f"tab never reached #{widget_id}")


async def settle(pilot, screen_type=None):
    for _ in range(50):
        await pilot.pause(0.02)
        if screen_type is None or isinstance(pilot.app.screen, screen_type):
            return pilot.app.screen
    raise AssertionError(f"{screen_type.__name__} did not show (now {pilot.app.screen!r})")


def notice(app) -> str:
    return str(app.screen.query_one("#notice", Static).render())


async def test_add_a_profile_by_keyboard(store, keyring_backend):
    app = Host(store, Secrets())
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot, UsersScreen)
        await pilot.press("a")
        await settle(pilot, ProfileForm)
        await type_text(pilot, "desk1")
        await tab_to(pilot, "hts-kis")
        await type_text(pilot, "myhts")
        await tab_to(pilot, "max-qty")
        await type_text(pilot, "500")
        await tab_to(pilot, "accounts")
        await type_text(pilot, "kis:12345678-01:fundA")
        await pilot.press("enter")
        await type_text(pilot, "ls:555566667777:fundB")
        await tab_to(pilot, "plans")
        await type_text(pilot, "core=fundA:60,fundB:40")
        await pilot.press("ctrl+s")
        await settle(pilot, UsersScreen)
        p = store.get("desk1")
        assert [a.label for a in p.accounts] == ["fundA", "fundB"]
        assert p.limits.max_qty == 500 and p.hts_id("kis") == "myhts" and not p.is_real
        assert p.engine_plans()[0].legs[0].account.number == "12345678"
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1 and "added desk1" in notice(app)
        assert [m.profile.name for m in app.changes] == ["desk1"]
        assert "kis:missing" in str(table.get_cell("desk1", "secrets"))


async def test_bad_input_stays_in_the_form_with_the_reason(store, keyring_backend):
    store.add(Profile("taken"))
    app = Host(store, Secrets())
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot, UsersScreen)
        await pilot.press("a")
        form = await settle(pilot, ProfileForm)
        await type_text(pilot, "x1")
        await tab_to(pilot, "accounts")
        await type_text(pilot, "kis:12ab")
        await pilot.press("ctrl+s")
        await pilot.pause(0.05)
        assert app.screen is form
        assert "digits" in str(form.query_one("#error", Static).render())
        # A name that exists: the form comes back with what was typed and the reason.
        form.query_one("#accounts", TextArea).text = ""
        form.query_one("#name", Input).focus()
        await pilot.press("ctrl+a", "ctrl+k")   # home, kill to end
        await type_text(pilot, "TAKEN")
        await pilot.press("ctrl+s")
        form2 = await settle(pilot, ProfileForm)
        await pilot.pause(0.05)
        assert "already exists" in str(app.screen.query_one("#error", Static).render())
        assert app.screen.query_one("#name", Input).value == "TAKEN"
        await pilot.press("escape")
        await settle(pilot, UsersScreen)
        assert store.names() == ["taken"]


async def test_switching_to_real_asks_and_shows_it(store, keyring_backend):
    store.add(Profile("main", accounts=(parse_account("kis:12345678:fundA"),)))
    app = Host(store, Secrets())
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot, UsersScreen)
        for answer, saved in (("escape", False), ("main", True)):
            await pilot.press("e")
            await settle(pilot, ProfileForm)
            await tab_to(pilot, "real-kis")
            await pilot.press("enter")                    # toggles the switch
            assert app.screen.query_one("#real-kis", Switch).value
            await pilot.press("ctrl+s")
            confirm = await settle(pilot, ConfirmReal)
            assert "REAL MONEY" in str(confirm.query_one(".real").render())
            if answer == "escape":
                await pilot.press("escape")
            else:
                await type_text(pilot, "mian")            # a typo is not a yes
                await pilot.press("enter")
                await pilot.pause(0.05)
                assert app.screen is confirm
                await pilot.press(*["backspace"] * 4)
                await type_text(pilot, answer)
                await pilot.press("enter")
            await settle(pilot, UsersScreen)
            assert store.get("main").is_real is saved
        screen = app.screen
        assert screen.query_one("#real-banner").has_class("shown")
        assert "REAL MONEY" in str(screen.query_one("#real-banner", Static).render())
        env = screen.query_one(DataTable).get_cell("main", "environment")
        assert "kis REAL" in env.plain and any("red" in str(s.style) for s in env.spans)
        assert app.changes[-1].profile.is_real
        assert store.get("main").brokers == ("kis",)     # LS's switch stayed off: not added


async def test_set_secret_goes_to_the_keyring_hidden(store, keyring_backend):
    store.add(Profile("main", accounts=(parse_account("ls:555566667777:fundB"),)))
    app = Host(store, Secrets())
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot, UsersScreen)
        await pilot.press("k")
        await pilot.pause(0.1)
        await pilot.press("2")                    # LS
        ask = await settle(pilot, AskSecret)
        assert all(i.password for i in ask.query(Input))
        await type_text(pilot, "LSappKEY0001")
        await pilot.press("enter")
        await type_text(pilot, "LSsecret0002")
        await pilot.press("enter")
        await settle(pilot, UsersScreen)
        await pilot.pause(0.1)
        assert Secrets().get("main", "ls").app_secret == "LSsecret0002"
        assert "ls:set" in str(app.screen.query_one(DataTable).get_cell("main", "secrets"))


async def test_remove_asks_and_deletes_the_keyring_entries(store, keyring_backend):
    store.add(Profile("main", accounts=(parse_account("kis:12345678:fundA"),)))
    Secrets().set("main", "kis", "PSkey000111", "secret000222")
    app = Host(store, Secrets())
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot, UsersScreen)
        await pilot.press("d")
        await pilot.pause(0.1)
        await pilot.press("n")
        await settle(pilot, UsersScreen)
        assert store.names() == ["main"]
        await pilot.press("d")
        await pilot.pause(0.1)
        await pilot.press("y")
        await settle(pilot, UsersScreen)
        await pilot.pause(0.05)
        assert store.names() == [] and keyring_backend.entries == {}
        assert app.changes[-1].removed == "main"
        assert "Press a to add" in str(app.screen.query_one("#detail", Static).render())


async def test_password_then_lock_out(store, keyring_backend):
    store.add(Profile("main"))
    app = Host(store, Secrets())
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot, UsersScreen)
        await pilot.press("p")
        await settle(pilot, AskPassword)
        await type_text(pilot, "s3cret")
        await pilot.press("enter")
        await type_text(pilot, "s3cret")
        await pilot.press("enter")
        await settle(pilot, UsersScreen)
        await pilot.pause(0.2)
        assert store.get("main").has_password
        for _ in range(3):
            await pilot.press("e")
            await settle(pilot, AskPassword)
            await type_text(pilot, "guess")
            await pilot.press("enter")
            await settle(pilot, UsersScreen)
            await pilot.pause(0.3)
        assert "locked for 5 s" in notice(app)
        await pilot.press("e")                     # locked: not even asked
        await pilot.pause(0.1)
        assert isinstance(app.screen, UsersScreen) and "try again in" in notice(app)


async def test_no_keyring_is_one_clear_notice(store, tmp_path):
    from keyring.backends import fail

    store.add(Profile("main", accounts=(parse_account("kis:12345678:fundA"),)))
    with installed_keyring(fail.Keyring()):
        app = Host(store, Secrets())
        async with app.run_test(size=(120, 50)) as pilot:
            await settle(pilot, UsersScreen)
            await pilot.pause(0.2)
            text = notice(app)
            assert "keyrings.alt" in text and 'secrets = "env"' in text
            assert "no keyring" in str(app.screen.query_one(DataTable).get_cell("main", "secrets"))
            await pilot.press("k")
            await pilot.pause(0.1)
            assert isinstance(app.screen, UsersScreen)      # nothing to type into


async def test_env_mode_names_the_variables(store):
    store.add(Profile("desk-2", accounts=(parse_account("kis:12345678:fundA"),)))
    app = Host(store, Secrets("env", environ={"LUCY_DESK_2_KIS_APPKEY": "PSenv00001",
                                              "LUCY_DESK_2_KIS_APPSECRET": "envsecret01"}))
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot, UsersScreen)
        await pilot.pause(0.2)
        assert "kis:set" in str(app.screen.query_one(DataTable).get_cell("desk-2", "secrets"))
        await pilot.press("k")
        await pilot.pause(0.1)
        assert "LUCY_DESK_2_KIS_APPKEY" in notice(app)
