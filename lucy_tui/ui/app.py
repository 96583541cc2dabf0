"""The Lucy console.

The app owns state changes (Harlequin's rule): the engine's listener and the brokers' market
data only append to an inbox; a timer drains it at the frame rate and hands each screen the
batch inside one ``batch_update()``. Intents (place, cancel, amend, refresh) run as workers, so
no key press waits for a broker.

Demo mode starts the broker simulators inside this process on free localhost ports after the
first frame, then logs in to the demo profile; ``--config`` runs against what the config names.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from textual.app import App, SystemCommand
from textual.screen import Screen

from ..clock import SystemClock
from ..config import Config
from .actions import ALL_ACTIONS, APP_ACTIONS, bindings, unknown_ids
from .market_desk import MarketDesk
from .widgets.header import HeaderBar

log = logging.getLogger(__name__)
FRAME_SECONDS = 1 / 15      # engine events and ticks reach the screens at this rate

#: name → (module, class): screens are built when first shown, so start-up imports only login.
SCREENS: dict[str, tuple[str, str]] = {
    "trade": ("trade", "TradeScreen"),
    "accounts": ("accounts", "AccountsScreen"),
    "market": ("market", "MarketScreen"),
    "history": ("history", "HistoryScreen"),
}
MODAL_SCREENS = {"help": ("help", "HelpScreen")}


def _pushed(app, name: str) -> Screen | None:
    """Screens that open over the current one and close with Esc; None when unavailable."""
    if name == "users":
        from ..profiles.store import ProfileStore
        from ..secrets import Secrets
        from .screens.users import UsersScreen

        return UsersScreen(ProfileStore(), Secrets(app.config.general.secrets))
    if name == "watchlist":
        from .screens.watchlist import WatchlistScreen

        return WatchlistScreen(app.watch_store(), app.price_feed(), universe=app.universe,
                               bell=app.config.ui.bell, watcher=app.watcher())
    sources = app.sources
    if sources is None:
        return None
    if name == "ipo":
        from .screens.ipo import IpoScreen

        return IpoScreen(sources.ipo_store, clock=app.clock, refresh=sources.refresh_ipo)
    if name == "themes":
        from .screens.themes import ThemesScreen

        return ThemesScreen(sources.theme_store)
    if name == "scheduler":
        from .screens.scheduler import SchedulerScreen

        return SchedulerScreen(sources.registry)
    return None


PUSHED_SCREENS = ("watchlist", "ipo", "themes", "scheduler", "users")


class LucyApp(MarketDesk, App):
    TITLE = "Lucy"
    CSS_PATH = "lucy.tcss"
    BINDINGS = bindings(APP_ACTIONS)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]

    def __init__(self, config: Config | None = None, *, clock=None, profiles=None,
                 auto_login: bool | None = None, sim_factory: Callable[[], Any] | None = None):
        """``profiles``: the login choices (None: the demo profile over in-process simulators).
        ``sim_factory``: builds the demo SimServer (tests pass one with their own seed)."""
        super().__init__()
        self.config = config or Config()
        self.clock = clock or SystemClock()
        self.profiles = profiles
        self.demo = profiles is None
        self.auto_login = self.demo if auto_login is None else auto_login
        self._sim_factory = sim_factory
        from ..domain.instruments import load_default

        self.universe = load_default()
        self.sim = None
        self.session = None
        self.desk = None
        self.spec = None
        self.sources = None
        self._watch_store = None
        self._feed = None
        self._research = None
        self._watcher = None
        self._inbox: list = []
        self._ticks: dict[str, Any] = {}
        self._current = "login"
        self.keymap_problems: list[str] = []

    # ------------------------------------------------------------ start and stop

    def on_mount(self) -> None:
        try:
            self.theme = self.config.ui.theme
        except Exception:   # an unknown theme name is the user's typo, not a crash
            self.notify(f"ui.theme: 테마 '{self.config.ui.theme}' 없음 — 기본 테마를 씁니다",
                        severity="warning")
        bad = (unknown_ids(self.config.keymap, {a.id for a in ALL_ACTIONS} | _widget_binding_ids())
               if self.config.keymap else [])
        if bad:
            self.keymap_problems = [f"keymap: 알 수 없는 id {', '.join(bad)} (F1 도움말에 목록)"]
            self.notify(self.keymap_problems[0], severity="warning", timeout=8)
        self.set_keymap({k: v for k, v in self.config.keymap.items() if k not in bad})
        from .screens.login import LoginScreen

        self.push_screen(LoginScreen(self.profiles, auto=self.auto_login))
        self.set_interval(FRAME_SECONDS, self._drain_inbox)
        self.set_interval(1.0, self.draw_header)

    async def start_demo_sim(self):
        """The simulators, on this loop, on free ports (login calls this for the demo)."""
        if self.sim is None:
            from ..session.demo import make_sim

            sim = self._sim_factory() if self._sim_factory else make_sim(self.config)
            await sim.start()
            self.sim = sim
        return self.sim

    async def open_session(self, spec, progress) -> None:
        """Connect the profile's brokers and start the engine (login runs this as a worker)."""
        from ..session import TradingSession
        from ..session.desk import Desk

        session = TradingSession(spec, clock=self.clock)
        self.spec, self.session, self.desk = spec, session, Desk(spec)
        session.engine.subscribe(self._on_engine_event)
        session.on_market(self._on_market)
        await session.start(progress)

    def logged_in(self) -> None:
        for name in SCREENS:
            self.install_screen(_load(SCREENS[name]), name)
        self._current = "trade"
        self.switch_screen("trade")
        self.draw_header()
        # The engine seeded cash and positions while starting; D+2 cash, buying power and last
        # prices come from a second round of inquiries that must not hold up the first order.
        self.run_intent(self.desk.refresh(self.session.engine, self.clock.now()),
                        self._refreshed, "잔고 조회")
        self._start_sources()
        self.run_intent(self._watch_levels(), None, "기준가 감시")

    def _refreshed(self, problems) -> None:
        for problem in problems:
            self.notify(problem, severity="warning")
        accounts = self.get_screen("accounts")
        if accounts.is_mounted:
            accounts.redraw()
        trade = self.get_screen("trade")
        if trade.is_mounted:
            trade.query_one("#quote").redraw()      # its holdings line

    async def on_unmount(self) -> None:
        if self._feed is not None:
            await self._feed.stop()
        if self._research is not None and self._research is not self._trading_kis():
            await self._research.close()
        if self.sources is not None:
            await self.sources.aclose()
        if self.session is not None:
            await self.session.close()
        if self.sim is not None:
            await self.sim.stop()

    # ------------------------------------------------------------ events in, batched out

    def _on_engine_event(self, event) -> None:
        self._inbox.append(event)

    def _on_market(self, event) -> None:
        self._ticks[event.code] = event
        if self._feed is not None:
            self._feed.on_event(event)
        on_tick = getattr(self.screen, "on_tick", None) if self.screen_stack else None
        if on_tick is not None and type(self.screen).__name__ == "StockDetailScreen":
            on_tick(event)

    def _drain_inbox(self) -> None:
        if self.session is None or not self.screen_stack:
            return
        events, self._inbox = self._inbox, []
        ticks, self._ticks = self._ticks, {}
        if not events and not ticks:
            return
        for tick in ticks.values():
            price = getattr(tick, "price", None)
            if price:
                self.desk.mark(tick.code, price)
        from ..engine.events import BrokerStatusChanged

        status_changed = False
        for event in events:
            self.desk.apply(event)
            status_changed = status_changed or type(event) is BrokerStatusChanged
        with self.batch_update():
            for name in SCREENS:
                try:
                    screen = self.get_screen(name)
                except KeyError:
                    continue
                if not screen.is_mounted:
                    continue        # it reads the engine's state when it first mounts
                screen.apply_events(events, ticks, visible=screen is self.screen)
        if status_changed:          # the header shows each broker's connection
            self.draw_header()

    # ------------------------------------------------------------ screens

    def _push_with_header(self, screen: Screen) -> None:
        """Screens built elsewhere get the header too: the environment badge is always shown."""
        self.push_screen(screen)
        screen.call_after_refresh(lambda: screen.mount(HeaderBar(), before=0))

    def action_goto(self) -> None:
        from .screens.goto import GotoScreen

        if self.session is None:
            self.bell()
            return
        available = {*SCREENS, *MODAL_SCREENS, "users", "watchlist"}
        if self.sources is not None:
            available |= {"ipo", "themes", "scheduler"}
        self.push_screen(GotoScreen(available),
                         lambda name: name and self.call_later(self.action_show_screen, name))

    def action_show_screen(self, name: str) -> None:
        if name in PUSHED_SCREENS:
            if self.session is None and name != "users":
                self.bell()
                return
            screen = _pushed(self, name)
            if screen is None:
                self.notify(f"'{name}' 화면을 열 수 없습니다 (일정 작업이 꺼져 있음)", severity="warning")
                return
            self._push_with_header(screen)
            return
        if name in MODAL_SCREENS:
            if type(self.screen).__name__ != MODAL_SCREENS[name][1]:
                self.push_screen(_load(MODAL_SCREENS[name]))
            return
        if self.session is None or name not in SCREENS:
            self.bell()
            return
        while len(self.screen_stack) > 2:
            self.pop_screen()         # modal and pushed screens close on the way
        if self._current != name:
            self._current = name
            self.switch_screen(name)
        self.draw_header()

    def on_lookup_symbol(self, message) -> None:
        """A screen showed a symbol the user wants looked up: the trade screen's quote."""
        if self.session is None:
            return
        self.action_show_screen("trade")
        self.get_screen("trade").entry.show_quote(message.code)

    def on_prefill_order(self, message) -> None:
        if self.session is None:
            return
        self.action_show_screen("trade")
        self.get_screen("trade").entry.open_ticket("buy", code=message.code, price=message.price)

    def get_system_commands(self, screen: Screen):
        yield from super().get_system_commands(screen)
        for action in ALL_ACTIONS:
            if action.id in ("command_palette",):
                continue
            target = self if action.action.startswith("app.") else screen
            name = action.action.removeprefix("app.")
            yield SystemCommand(action.description, f"{action.id} · {action.keys}",
                                _runner(target, name))

    def draw_header(self) -> None:
        from ..domain.calendar import session_at

        if not self.screen_stack or not self.is_running:
            return        # shutting down: the timers may fire once more

        now = self.clock.now()
        env = self.spec.environment if self.spec else self.config.general.environment
        if self.demo and self.config.demo.session == "always":
            market = "모의시장 상시 개장"
        else:
            market = f"KRX {session_at(now).name}"
        brokers = ({b.name: self.desk.broker_state(b.name) for b in self.spec.brokers}
                   if self.spec else {})
        for header in self.screen.query(HeaderBar):
            header.draw(environment=env, profile=self.spec.profile if self.spec else "—",
                        session=market, now=now, brokers=brokers, screen=self._current)

    # ------------------------------------------------------------ intents

    def run_intent(self, coro, on_done: Callable[[Any], None] | None = None,
                   what: str = "요청") -> None:
        """An engine intent as a worker: the key press returns at once; the result (or the
        reason it failed, in words) comes back on the loop."""

        async def run():
            try:
                result = await coro
            except asyncio.CancelledError:
                raise
            except Exception as exc:   # a broker or engine failure is a message, not a crash
                log.exception("%s failed", what)
                self.notify(f"{what} 실패: {exc}", severity="error", timeout=8)
                return
            if on_done is not None:
                on_done(result)

        self.run_worker(run(), group="intents", exit_on_error=False)


def _load(where: tuple[str, str]) -> Screen:
    import importlib

    module = importlib.import_module(f"{__package__}.screens.{where[0]}")
    return getattr(module, where[1])()


def _runner(target, action: str):
    def run() -> None:
        target.run_action(action)

    return run


def _widget_binding_ids() -> set[str]:
    from .keys import widget_binding_ids

    return widget_binding_ids()
