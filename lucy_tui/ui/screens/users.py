"""The Users screen: profiles listed, and added, edited, removed, given secrets and passwords
by keyboard — what ``lucy profile`` does on the command line.

Keyring calls, password hashing and profile-file writes can block (D-Bus, scrypt, a file
rewrite), so they run in worker threads through the ``a``-methods of the store and of
:class:`~lucy_tui.secrets.Secrets`; reading the profiles (a few kilobytes) stays on the loop. Each action is one worker that walks
its modals in order (password → form → real-money confirmation), so the steps read top to
bottom. Saved or removed profiles are announced with :class:`UsersScreen.Changed`, so the
console can update its banner (real money is shown in red everywhere).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, Static, Switch, TextArea

from ...profiles.model import (
    BROKERS, Limits, Profile, ProfileError, parse_account, parse_plan,
)
from ...profiles.store import (
    LockedOut, ProfileExists, ProfileStore, RealNeedsConfirmation, WrongPassword,
)
from ...secrets import Secrets, SecretsError, SecretsUnavailable, env_names

REAL_STYLE = "bold white on red"


def environment_text(profile: Profile) -> Text:
    """``kis REAL ls mock``, real in white on red: what the console shows wherever a profile
    is named."""
    if not profile.brokers:
        return Text("no brokers", style="dim")
    text = Text()
    for broker in profile.brokers:
        if text:
            text.append(" ")
        if profile.environment(broker) == "real":
            text.append(f" {broker} REAL ", style=REAL_STYLE)
        else:
            text.append(f"{broker} mock")
    return text


# ---------------------------------------------------------------------- modals

class _Modal(ModalScreen):
    DEFAULT_CSS = """
    _Modal { align: center middle; }
    _Modal > Vertical { width: 84; height: auto; max-height: 95%; border: thick $accent;
                        background: $surface; padding: 1 2; }
    _Modal .title { text-style: bold; margin-bottom: 1; }
    _Modal .error { color: $error; height: auto; }
    _Modal .real { background: red; color: white; text-style: bold; padding: 0 1; }
    _Modal Horizontal.buttons { height: auto; margin-top: 1; }
    _Modal Horizontal.buttons Button { margin-right: 2; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def action_cancel(self) -> None:
        self.dismiss(None)

    def show_error(self, message: str) -> None:
        self.query_one("#error", Static).update(message)


class ProfileForm(_Modal):
    """Every setting of a profile; returns the Profile (no password: that has its own modal)."""

    DEFAULT_CSS = """
    ProfileForm Grid { grid-size: 4; grid-columns: 14 1fr 14 1fr; grid-rows: 1;
                       grid-gutter: 0 1; height: auto; margin-bottom: 1; }
    ProfileForm Switch { height: 1; border: none; padding: 0; width: auto; }
    ProfileForm TextArea { height: 4; margin-bottom: 1; }
    ProfileForm > Vertical { height: 95%; max-height: 32; }
    ProfileForm VerticalScroll { height: 1fr; }
    """
    BINDINGS = [Binding("ctrl+s", "save", "Save")]

    def __init__(self, profile: Profile | None = None, *, editing: bool = False, error: str = ""):
        super().__init__()
        self.profile, self.editing, self.initial_error = profile, editing, error

    def compose(self) -> ComposeResult:
        p = self.profile or Profile("new")
        lim = p.limits
        with Vertical():
            yield Label(f"Edit profile {p.name}" if self.editing else "New profile", classes="title")
            with VerticalScroll():
                with Grid():
                    yield Label("Name")
                    yield Input(self.profile.name if self.profile else "", id="name", compact=True, disabled=self.editing,
                                placeholder="letters, digits, - or _")
                    yield Label("")
                    yield Label("")
                    for broker in BROKERS:
                        yield Label(f"{broker.upper()} real")
                        yield Switch(p.environment(broker) == "real", id=f"real-{broker}")
                        yield Label(f"{broker.upper()} HTS id")
                        yield Input(p.hts_id(broker), id=f"hts-{broker}", compact=True)
                    yield Label("Max qty")
                    yield Input(str(lim.max_qty or ""), id="max-qty", type="integer", compact=True,
                                placeholder="shares, empty: none")
                    yield Label("Max value")
                    yield Input(str(lim.max_value or ""), id="max-value", type="integer", compact=True,
                                placeholder="KRW, empty: none")
                    yield Label("Confirm above")
                    yield Input(str(lim.confirm_value or ""), id="confirm-value", type="integer", compact=True,
                                placeholder="KRW, empty: never")
                yield Label("Accounts, one a line: BROKER:NUMBER[-PRODUCT]:LABEL[:FUND]")
                yield TextArea("\n".join(a.text() for a in p.accounts), id="accounts",
                               soft_wrap=False, compact=True)
                yield Label("Plans, one a line: NAME=LABEL:WEIGHT,LABEL:WEIGHT")
                yield TextArea("\n".join(pl.text() for pl in p.plans), id="plans", soft_wrap=False,
                               compact=True)
            yield Static(self.initial_error, id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        (self.query_one("#hts-kis") if self.editing else self.query_one("#name")).focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        try:
            profile = self._read()
        except ProfileError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(profile)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    def _environments(self):
        # A broker the profile does not use gets no "mock" entry just because the form shows
        # its switch: that would list it among the profile's brokers (and its secrets).
        before = dict(self.profile.environments) if self.profile else {}
        for b in BROKERS:
            if self.query_one(f"#real-{b}", Switch).value:
                yield b, "real"
            elif b in before:
                yield b, "mock"

    def _read(self) -> Profile:
        def number(field: str) -> int:
            raw = self.query_one(f"#{field}", Input).value.strip()
            try:
                return int(raw) if raw else 0
            except ValueError:
                raise ProfileError(f"{field.replace('-', ' ')}: expected a whole number") from None

        def lines(field: str) -> list[str]:
            return [x.strip() for x in self.query_one(f"#{field}", TextArea).text.splitlines()
                    if x.strip()]

        name = self.query_one("#name", Input).value.strip()
        if not name:
            raise ProfileError("the profile needs a name")
        return Profile(
            name=name,
            accounts=tuple(parse_account(x) for x in lines("accounts")),
            plans=tuple(parse_plan(x) for x in lines("plans")),
            limits=Limits(number("max-qty"), number("max-value"), number("confirm-value")),
            environments=tuple(self._environments()),
            hts_ids=tuple((b, self.query_one(f"#hts-{b}", Input).value) for b in BROKERS),
            password_hash=self.profile.password_hash if self.profile else None,
        )


class ConfirmReal(_Modal):
    """Typing the profile name is the confirmation: a stray Enter cannot do it."""

    def __init__(self, name: str, brokers: tuple[str, ...]):
        super().__init__()
        self.profile_name, self.brokers = name, brokers

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"REAL MONEY: profile {self.profile_name} with "
                        f"{', '.join(b.upper() for b in self.brokers)}", classes="real")
            yield Label("Orders will go to the live market. Type the profile name and press "
                        "Enter to confirm; Esc cancels.")
            yield Input(id="answer", placeholder=self.profile_name)
            yield Static("", id="error", classes="error")

    def on_mount(self) -> None:
        self.query_one("#answer").focus()

    @on(Input.Submitted, "#answer")
    def _answer(self, event: Input.Submitted) -> None:
        if event.value.strip() == self.profile_name:
            self.dismiss(True)
        else:
            self.show_error(f"type {self.profile_name} exactly, or Esc to cancel")


class AskPassword(_Modal):
    """One hidden line: a password to check, or (``new=True``) a new one typed twice."""

    def __init__(self, name: str, *, new: bool = False):
        super().__init__()
        self.profile_name, self.new = name, new

    def compose(self) -> ComposeResult:
        with Vertical():
            title = (f"New password for {self.profile_name} (empty: no password)" if self.new
                     else f"Password for {self.profile_name}")
            yield Label(title, classes="title")
            yield Input(id="password", password=True)
            if self.new:
                yield Input(id="again", password=True, placeholder="again")
            yield Static("", id="error", classes="error")

    def on_mount(self) -> None:
        self.query_one("#password").focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        first = self.query_one("#password", Input).value
        if not self.new:
            self.dismiss(first)
        elif event.input.id == "password":
            self.query_one("#again").focus()
        elif self.query_one("#again", Input).value != first:
            self.show_error("the two passwords differ")
        else:
            self.dismiss(first)


class AskSecret(_Modal):
    """A broker's app key and app secret, typed hidden; returns (app_key, app_secret)."""

    BINDINGS = [Binding("ctrl+s", "save", "Save")]

    def __init__(self, name: str, broker: str):
        super().__init__()
        self.profile_name, self.broker = name, broker

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"{self.broker.upper()} app key and secret for {self.profile_name} "
                        "(stored in the OS keyring)", classes="title")
            yield Input(id="app-key", password=True, placeholder="app key")
            yield Input(id="app-secret", password=True, placeholder="app secret")
            yield Static("", id="error", classes="error")

    def on_mount(self) -> None:
        self.query_one("#app-key").focus()

    @on(Input.Submitted)
    def action_save(self, event: Input.Submitted | None = None) -> None:
        if event is not None and event.input.id == "app-key":
            self.query_one("#app-secret").focus()
            return
        key = self.query_one("#app-key", Input).value.strip()
        secret = self.query_one("#app-secret", Input).value.strip()
        if not key or not secret:
            self.show_error("both the app key and the app secret are needed")
            return
        self.dismiss((key, secret))


class Choose(_Modal):
    """A one-key choice: each option is (key, label, value)."""

    def __init__(self, question: str, options: list[tuple[str, str, object]]):
        super().__init__()
        self.question, self.options = question, options

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question, classes="title")
            for key, label, _ in self.options:
                yield Label(f"[b]{key}[/b]  {label}")
            yield Label("Esc cancels")

    def on_key(self, event) -> None:
        for key, _, value in self.options:
            if event.key == key:
                event.stop()
                self.dismiss(value)


# ---------------------------------------------------------------------- the screen

class UsersScreen(Screen):
    DEFAULT_CSS = """
    UsersScreen #title { height: 1; background: $panel; padding: 0 1; text-style: bold; }
    UsersScreen #profiles { height: 1fr; }
    UsersScreen #detail { height: auto; max-height: 14; padding: 0 1; border-top: solid $panel; }
    UsersScreen #notice { height: auto; padding: 0 1; color: $warning; }
    UsersScreen #notice.error { color: $error; }
    UsersScreen #real-banner { height: 1; background: red; color: white; text-style: bold;
                               padding: 0 1; display: none; }
    UsersScreen #real-banner.shown { display: block; }
    """
    BINDINGS = [
        Binding("a", "add", "Add", id="users.add"),
        Binding("e", "edit", "Edit", id="users.edit"),
        Binding("d", "remove", "Remove", id="users.remove"),
        Binding("k", "set_secret", "Set secret", id="users.set_secret"),
        Binding("p", "password", "Password", id="users.password"),
        Binding("escape", "back", "Back", id="users.back"),
    ]

    @dataclass
    class Changed(Message):
        """A profile was saved (``profile``) or removed (``removed``, its name)."""

        profile: Profile | None
        removed: str = ""

    COLUMNS = ("profile", "environment", "secrets", "password", "accounts", "plans", "limits")

    def __init__(self, store: ProfileStore, secrets: Secrets, **kw):
        super().__init__(**kw)
        self.store, self.secrets = store, secrets
        self.profiles: dict[str, Profile] = {}
        self.secret_state: dict[tuple[str, str], str] = {}

    def compose(self) -> ComposeResult:
        yield Static("Users — profiles, accounts, plans, limits and broker secrets", id="title")
        yield Static("", id="real-banner")
        table = DataTable(id="profiles", cursor_type="row", zebra_stripes=True)
        for column in self.COLUMNS:
            table.add_column(column, key=column)
        yield table
        yield Static("", id="detail")
        yield Static("", id="notice")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(DataTable).focus()

    # ------------------------------------------------------------------ drawing

    def reload(self, select: str | None = None) -> None:
        table = self.query_one(DataTable)
        keep = select or self.selected_name
        self.profiles = {p.name: p for p in self.store.list()}
        table.clear()
        for p in self.profiles.values():
            table.add_row(*self._cells(p), key=p.name)
        if keep in self.profiles:
            table.move_cursor(row=table.get_row_index(keep))
        self._draw_detail()
        self._check_secrets()

    def _cells(self, p: Profile) -> list:
        lim = p.limits
        limits = " ".join(x for x in (f"qty≤{lim.max_qty:,}" if lim.max_qty else "",
                                      f"₩≤{lim.max_value:,}" if lim.max_value else "",
                                      f"confirm>{lim.confirm_value:,}" if lim.confirm_value else "")
                          if x) or "-"
        return [Text(p.name, style="bold red" if p.is_real else "bold"), environment_text(p),
                self._secrets_text(p), "set" if p.has_password else "-", str(len(p.accounts)),
                ", ".join(pl.name for pl in p.plans) or "-", limits]

    def _secrets_text(self, p: Profile) -> Text:
        text = Text()
        for broker in p.brokers:
            state = self.secret_state.get((p.name, broker), "…")
            style = {"set": "green", "missing": "yellow"}.get(state, "dim")
            text.append(f"{broker}:{state} ", style=style)
        return text or Text("-")

    @property
    def selected_name(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return key.value

    @property
    def selected(self) -> Profile | None:
        name = self.selected_name
        return self.profiles.get(name) if name else None

    @on(DataTable.RowHighlighted)
    def _draw_detail(self) -> None:
        p = self.selected
        banner = self.query_one("#real-banner", Static)
        detail = self.query_one("#detail", Static)
        if p is None:
            banner.set_class(False, "shown")
            detail.update("No profiles yet. Press a to add one.")
            return
        banner.set_class(p.is_real, "shown")
        banner.update(f" REAL MONEY — {p.name}: {', '.join(b.upper() for b in p.real_brokers)} "
                      "trade on the live market" if p.is_real else "")
        head = Text(p.name, style="bold")
        head.append("   ")
        head.append_text(environment_text(p))
        lines = [head]
        for a in p.accounts:
            lines.append(Text(f"  account {a.text()}"))
        for pl in p.plans:
            lines.append(Text(f"  plan    {pl.text()}"))
        for b in p.brokers:
            if p.hts_id(b):
                lines.append(Text(f"  {b} HTS id {p.hts_id(b)}"))
        detail.update(Text("\n").join(lines))

    def notify_user(self, message: str, *, error: bool = False) -> None:
        notice = self.query_one("#notice", Static)
        notice.set_class(error, "error")
        notice.update(message)

    @work(exclusive=True, group="users-secrets")
    async def _check_secrets(self) -> None:
        state: dict[tuple[str, str], str] = {}
        problem = ""
        for p in list(self.profiles.values()):
            for broker in p.brokers:
                try:
                    state[(p.name, broker)] = ("set" if await self.secrets.ahas(p.name, broker)
                                               else "missing")
                except SecretsUnavailable as exc:
                    state[(p.name, broker)] = "no keyring"
                    problem = str(exc)
        self.secret_state = state
        table = self.query_one(DataTable)
        for p in self.profiles.values():
            if p.name in {k.value for k in table.rows}:
                table.update_cell(p.name, "secrets", self._secrets_text(p), update_width=True)
        if problem:
            self.notify_user(problem, error=True)

    # ------------------------------------------------------------------ steps

    async def _unlock(self, p: Profile) -> bool:
        if not p.has_password:
            return True
        wait = self.store.locked_for(p.name)
        if wait > 0:
            self.notify_user(str(LockedOut(p.name, wait)), error=True)
            return False
        password = await self.app.push_screen_wait(AskPassword(p.name))
        if password is None:
            return False
        try:
            await self.store.averify_password(p.name, password)
        except (WrongPassword, LockedOut) as exc:
            self.notify_user(str(exc), error=True)
            return False
        return True

    async def _save(self, profile: Profile, *, adding: bool) -> Profile | None:
        """Save through the store; a real-money switch asks first. ProfileError propagates."""
        save = self.store.aadd if adding else self.store.aupdate
        try:
            return await save(profile)
        except RealNeedsConfirmation as exc:
            if not await self.app.push_screen_wait(ConfirmReal(exc.name, exc.brokers)):
                self.notify_user(f"not saved: {exc.name} stays as it was")
                return None
            return await save(profile, confirm_real=True)

    async def _form_loop(self, profile: Profile | None, *, adding: bool) -> None:
        error = ""
        while True:
            form = ProfileForm(profile, editing=not adding, error=error)
            result = await self.app.push_screen_wait(form)
            if result is None:
                return
            try:
                saved = await self._save(result, adding=adding)
            except (ProfileExists, ProfileError) as exc:
                profile, error = result, str(exc)
                continue
            if saved is not None:
                self.reload(select=saved.name)
                word = "added" if adding else "saved"
                self.notify_user(f"{word} {saved.name}" + (" — REAL MONEY" if saved.is_real else "")
                                 + ("" if not adding else "; press k to store its broker secrets"))
                self.post_message(self.Changed(saved))
            return

    # ------------------------------------------------------------------ actions

    @work(exclusive=True, group="users")
    async def action_add(self) -> None:
        await self._form_loop(None, adding=True)

    @work(exclusive=True, group="users")
    async def action_edit(self) -> None:
        p = self.selected
        if p is None or not await self._unlock(p):
            return
        await self._form_loop(p, adding=False)

    @work(exclusive=True, group="users")
    async def action_remove(self) -> None:
        p = self.selected
        if p is None or not await self._unlock(p):
            return
        sure = await self.app.push_screen_wait(
            Choose(f"Remove profile {p.name} and its keyring entries?",
                   [("y", "yes, remove it", True), ("n", "no", False)]))
        if not sure:
            return
        await self.store.aremove(p.name)
        left = []
        for broker in BROKERS:
            try:
                await self.secrets.adelete(p.name, broker)
            except SecretsUnavailable:
                left.append(broker)
        self.reload()
        self.notify_user(f"removed {p.name}" + (" (the keyring could not be reached: its "
                                                 "entries may remain)" if left and
                                                 self.secrets.mode == "keyring" else ""))
        self.post_message(self.Changed(None, removed=p.name))

    @work(exclusive=True, group="users")
    async def action_set_secret(self) -> None:
        p = self.selected
        if p is None:
            return
        if self.secrets.mode == "env":
            names = "; ".join(" and ".join(env_names(p.name, b)) for b in p.brokers or BROKERS)
            self.notify_user(f'secrets = "env": Lucy reads {names} from the environment and '
                             "stores nothing")
            return
        try:
            await self.secrets.acheck_storable(p.name, BROKERS[0])
        except SecretsError as exc:
            self.notify_user(str(exc), error=True)
            return
        if not await self._unlock(p):
            return
        broker = await self.app.push_screen_wait(
            Choose(f"Secrets of {p.name}: which broker?",
                   [(str(i), b.upper(), b) for i, b in enumerate(BROKERS, 1)]))
        if broker is None:
            return
        answer = await self.app.push_screen_wait(AskSecret(p.name, broker))
        if answer is None:
            return
        try:
            await self.secrets.aset(p.name, broker, *answer)
        except SecretsError as exc:
            self.notify_user(str(exc), error=True)
            return
        self.notify_user(f"stored the {broker.upper()} app key and secret of {p.name} in the "
                         "keyring")
        self._check_secrets()

    @work(exclusive=True, group="users")
    async def action_password(self) -> None:
        p = self.selected
        if p is None or not await self._unlock(p):
            return
        new = await self.app.push_screen_wait(AskPassword(p.name, new=True))
        if new is None:
            return
        await self.store.aset_password(p.name, new or None)
        self.reload(select=p.name)
        self.notify_user(f"password of {p.name} {'set' if new else 'removed'}")

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()


__all__ = ["AskPassword", "AskSecret", "Choose", "ConfirmReal", "ProfileForm", "UsersScreen",
           "environment_text"]
