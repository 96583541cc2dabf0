"""Login: choose a profile, type its password if it has one, and watch each broker connect
(token, websocket, notice registration, reconciliation) in words. The first frame needs no
network; connecting runs as a worker, so the screen stays live and Esc still quits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ..widgets.header import HeaderBar

STATE_WORDS = {"connecting": ("◌", "#ffaf00"), "live": ("●", "#5fd75f"),
               "failed": ("✕", "#ff5f5f"), "reconciling": ("◌", "#ffaf00"),
               "ready": ("●", "#5fd75f")}


@dataclass(frozen=True)
class ProfileChoice:
    """One line of the login list. ``open(password)`` → the SessionSpec, or raises
    ``LoginRefused`` with the reason in words (wrong password, locked out, missing secret)."""

    name: str
    environment: str
    has_password: bool
    open: Callable[[str], Awaitable[Any]]
    detail: str = ""


class LoginRefused(Exception):
    pass


def demo_choice(app) -> ProfileChoice:
    async def open_demo(_password: str):
        from ...session.demo import demo_spec

        return demo_spec(await app.start_demo_sim())

    return ProfileChoice("demo", "demo", False, open_demo,
                         "내장 시뮬레이터: KIS 2계좌 + LS 1계좌, 배분계획 core/alpha")


def stored_choices(store, secrets, overrides=None) -> list[ProfileChoice]:
    """One choice per stored profile: the password is checked off the loop (scrypt), a lock-out
    says how long to wait, and a missing keyring or secret says how to fix it."""
    from ...profiles.store import LockedOut, WrongPassword
    from ...secrets import SecretsError
    from ...profiles.model import ProfileError
    from ...session.from_profile import session_spec

    def opener(name: str):
        async def open_profile(password: str):
            try:
                profile = await store.averify_password(name, password)
                return await session_spec(profile, secrets, overrides)
            except WrongPassword as exc:
                wait = f" — {exc.wait:.0f}초 대기" if exc.wait else f" — {exc.attempts_left}회 남음"
                raise LoginRefused(f"비밀번호가 틀렸습니다{wait} ({exc})") from None
            except LockedOut as exc:
                raise LoginRefused(f"잠김: {max(1, round(exc.wait))}초 후 다시 ({exc})") from None
            except (SecretsError, ProfileError) as exc:
                raise LoginRefused(str(exc)) from None

        return open_profile

    choices = []
    for profile in store.list():
        env = "real" if profile.is_real else "mock"
        funds = sorted({a.fund for a in profile.accounts if a.fund})
        detail = (f"{len(profile.accounts)} accounts · {', '.join(profile.brokers)}"
                  + (f" · {', '.join(funds)}" if funds else ""))
        choices.append(ProfileChoice(profile.name, env, profile.password_hash is not None,
                                     opener(profile.name), detail))
    return choices


class LoginScreen(Screen):
    BINDINGS = [Binding("escape", "app.quit", "종료 Quit", id="login_quit")]
    DEFAULT_CSS = """
    LoginScreen #login { width: 84; height: auto; border: round $primary; padding: 1 2; }
    LoginScreen #title { text-style: bold; margin-bottom: 1; }
    LoginScreen OptionList { height: auto; max-height: 10; margin-bottom: 1; }
    LoginScreen #password { margin-bottom: 1; }
    LoginScreen #steps { height: auto; min-height: 4; }
    LoginScreen #message { height: auto; color: $error; }
    """

    def __init__(self, profiles: list[ProfileChoice] | None = None, *, auto: bool = False):
        super().__init__()
        self._profiles = profiles
        self.auto = auto
        self.steps: dict[str, tuple[str, str]] = {}
        self.busy = False

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        with Center():
            with Vertical(id="login"):
                yield Label("LUCY — 로그인 · choose a profile", id="title")
                yield OptionList(id="profiles")
                yield Input(placeholder="비밀번호 password", password=True, id="password")
                yield Static(id="steps")
                yield Static(id="message")
        yield Footer()

    @property
    def profiles(self) -> list[ProfileChoice]:
        if self._profiles is None:
            self._profiles = [demo_choice(self.app)]
        return self._profiles

    def on_mount(self) -> None:
        options = self.query_one("#profiles", OptionList)
        for choice in self.profiles:
            env_style = {"real": "bold #ff5f5f", "mock": "#5f87ff"}.get(choice.environment, "#ffaf00")
            options.add_option(Option(Text.assemble(
                (f"{choice.name:<12}", "bold"), (f" {choice.environment.upper():<5}", env_style),
                ("  🔒" if choice.has_password else "   "), ("  " + choice.detail, "dim")),
                id=choice.name))
        options.highlighted = 0
        options.focus()
        self.query_one("#password").display = False
        self.app.draw_header()
        if self.auto and len(self.profiles) == 1 and not self.profiles[0].has_password:
            self.call_after_refresh(self._login, self.profiles[0], "")

    @on(OptionList.OptionSelected, "#profiles")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        choice = self.profiles[event.option_index]
        if choice.has_password:
            password = self.query_one("#password", Input)
            password.display = True
            password.value = ""
            password.focus()
        else:
            self._login(choice, "")

    @on(Input.Submitted, "#password")
    def _password(self, event: Input.Submitted) -> None:
        index = self.query_one("#profiles", OptionList).highlighted or 0
        self._login(self.profiles[index], event.value)

    def _login(self, choice: ProfileChoice, password: str) -> None:
        if self.busy:
            return
        self.busy = True
        self.steps.clear()
        self.query_one("#message", Static).update("")
        self._connect(choice, password)

    @work(exclusive=True, group="login")
    async def _connect(self, choice: ProfileChoice, password: str) -> None:
        try:
            self._step("profile", "connecting", f"{choice.name}: 프로필 여는 중")
            spec = await choice.open(password)
            self._step("profile", "live", f"{choice.name} ({spec.environment})")
            await self.app.open_session(spec, self._progress)
        except LoginRefused as exc:
            self._fail(str(exc))
            return
        except Exception as exc:   # a failure to connect is told in words; the screen stays
            self._fail(f"연결 실패: {exc}")
            return
        self.busy = False
        self.app.logged_in()

    def _fail(self, message: str) -> None:
        self.busy = False
        self._step("profile", "failed", message)
        self.query_one("#message", Static).update(message)
        if self.app.session is not None and not self.app.session.started:
            self.app.session = None

    def _progress(self, step) -> None:
        self._step(step.broker or "session", step.state, step.detail)

    def _step(self, who: str, state: str, detail: str) -> None:
        self.steps[who] = (state, detail)
        lines = []
        for name, (st, text) in self.steps.items():
            mark, colour = STATE_WORDS.get(st, ("·", "white"))
            lines.append(Text.assemble((f" {mark} ", colour), (f"{name:<8}", "bold"),
                                       (f"{st:<12}", colour), text))
        self.query_one("#steps", Static).update(Text("\n").join(lines))
