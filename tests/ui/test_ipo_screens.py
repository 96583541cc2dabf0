"""The IPO, Themes and Scheduler screens, each mounted alone on a small host app, fed by the real
fetch → parse → store path against the simulator's 38.co.kr and judal pages."""

import asyncio
import io
from datetime import date, datetime, time

import pytest
from rich.console import Console
from textual.app import App
from textual.widgets import DataTable, Static

from lucy_tui.clock import KST, ManualClock
from lucy_tui.sim.pages import PagesFront
from lucy_tui.sources.fetch import Fetcher
from lucy_tui.sources.jobs import IpoSource, ThemeSource
from lucy_tui.sources.scheduler import JobOutcome, JobRegistry
from lucy_tui.sources.store import IpoStore, ThemeStore
from lucy_tui.ui.screens.ipo import IpoScreen
from lucy_tui.ui.screens.messages import LookupSymbol, PrefillOrder
from lucy_tui.ui.screens.scheduler import SchedulerScreen
from lucy_tui.ui.screens.themes import ThemesScreen
from lucy_tui.ui.widgets.month_calendar import MonthCalendar

DAY = datetime(2026, 12, 1, 10, 0, tzinfo=KST)     # Tuesday, a trading day


class Host(App):
    """Pushes one screen and keeps the messages it posts for the app."""

    def __init__(self, screen):
        super().__init__()
        self._screen = screen
        self.asked: list = []

    def on_mount(self) -> None:
        self.push_screen(self._screen)

    def on_lookup_symbol(self, message: LookupSymbol) -> None:
        self.asked.append(("lookup", message.code))

    def on_prefill_order(self, message: PrefillOrder) -> None:
        self.asked.append(("order", message.code, message.price))


def plain(renderable, width=100) -> str:
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


@pytest.fixture
async def pages():
    async with PagesFront(ManualClock(DAY)) as front:
        yield front


@pytest.fixture
async def fetcher():
    f = Fetcher(min_interval=0, jitter=0, retries=0, timeout=2)
    yield f
    await f.aclose()


@pytest.fixture
async def ipo_store(pages, fetcher, tmp_path):
    source = IpoSource(fetcher, IpoStore(tmp_path / "ipo.json"), base_url=pages.urls["38"],
                       clock=pages.clock)
    assert (await source.refresh()).ok
    return source


async def test_ipo_screen_lists_filters_and_details(ipo_store, pages):
    screen = IpoScreen(ipo_store.store, clock=pages.clock)
    app = Host(screen)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        table = screen.query_one("#ipo-table", DataTable)
        assert table.row_count == 12
        assert "12 of 12 offerings" in screen.status_text
        await pilot.press("2")                                  # subscribing
        assert [r.name for r in screen.shown] == ["사이냅소프트", "위츠"]
        detail = plain(screen.query_one("#ipo-detail", Static).render())
        assert "사이냅소프트" in detail and "402124" in detail and "24,500" in detail
        assert "Institutional demand 951.52:1 — strong" in detail
        assert "Lock-up 19.74% — high" in detail and "Final price: top of the band" in detail
        await pilot.press("1")                                  # upcoming
        assert {r.name for r in screen.shown} >= {"데이원컴퍼니(구.패스트캠퍼스)", "파인메딕스"}
        await pilot.press("4")
        assert {r.name for r in screen.shown} == {"더본코리아", "토모큐브", "탑런토탈솔루션"}
        await pilot.press("0")
        assert table.row_count == 12


async def test_ipo_calendar_colours_and_keyboard(ipo_store, pages):
    screen = IpoScreen(ipo_store.store, clock=pages.clock)
    app = Host(screen)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        await pilot.press("2")                                  # 사이냅소프트 selected
        cal = screen.query_one(MonthCalendar)
        assert cal.cursor == date(2026, 12, 1)
        text = cal.day_text(date(2026, 12, 1))
        assert "청" in text.plain and any("#5f87ff" in str(s.style) for s in text.spans)
        christmas = cal.day_text(date(2026, 12, 25))
        assert "#ff5f5f" in str(christmas.style)               # KRX holiday in red
        assert "#ff5f5f" not in str(cal.day_text(date(2026, 12, 2)).style)
        listing = next(r.listing for r in screen.records if r.name == "더본코리아")
        assert "상" in cal.day_text(listing).plain
        refund = next(r.refund for r in screen.records if r.name == "사이냅소프트")
        assert "납" in cal.day_text(refund).plain            # payment and refund share the day
        cal.set_events({date(2026, 12, 9): {"refund"}, date(2026, 12, 10): {"payment", "refund"}})
        assert cal.day_text(date(2026, 12, 9)).plain == " 9환"
        assert cal.day_text(date(2026, 12, 10)).plain == "10납"
        screen.reload()
        await pilot.press("0", "c")
        assert cal.has_focus and cal.cursor == screen.selected.subscription_start
        await pilot.press("home", "right_square_bracket")
        assert cal.cursor == date(2027, 1, 1)
        await pilot.press("left_square_bracket")
        assert cal.cursor == date(2026, 12, 1)
        await pilot.press("right")                              # 12-02: the day after
        assert cal.cursor == date(2026, 12, 2)
        # Selecting a day with events selects an offering with that day in the list.
        assert any(day == date(2026, 12, 2) for day, _ in screen.selected.events())
        assert "2026-12" in plain(cal.render())


async def test_ipo_screen_asks_for_order_ticket_and_refreshes(ipo_store, pages):
    runs = []

    async def refresh():
        runs.append(1)
        return await ipo_store.refresh()

    screen = IpoScreen(ipo_store.store, clock=pages.clock, refresh=refresh)
    app = Host(screen)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        await pilot.press("2", "o")
        await pilot.pause()
        assert app.asked == [("order", "402124", 24500)]
        pages.fault("38", "markup")
        await pilot.press("r")
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        assert runs == [1]
        assert screen.query_one("#ipo-table", DataTable).row_count == 2   # data kept, filter kept


async def test_ipo_screen_without_data_says_what_to_do(tmp_path):
    screen = IpoScreen(IpoStore(tmp_path / "none.json"), clock=ManualClock(DAY))
    async with Host(screen).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "press r to refresh" in plain(screen.query_one("#ipo-detail", Static).render())
        await pilot.press("r")                                  # not configured: a notice, no crash
        await pilot.pause()


async def test_a_refresh_that_raises_is_a_notice_not_a_crash(tmp_path):
    async def broken():
        raise ConnectionError("offline")

    screen = IpoScreen(IpoStore(tmp_path / "none.json"), clock=ManualClock(DAY), refresh=broken)
    app = Host(screen)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and app.screen is screen
        assert any("IPO refresh failed: ConnectionError: offline" in str(n.message)
                   for n in app._notifications)


@pytest.fixture
async def theme_store(pages, fetcher, tmp_path):
    source = ThemeSource(fetcher, ThemeStore(tmp_path / "themes"), base_url=pages.urls["judal"],
                         clock=pages.clock)
    pages.clock.advance(86400)        # 12-02: four themes
    assert (await source.refresh()).ok
    pages.clock.advance(86400)        # 12-03: 여름(폭염) gone, 셀트리온제약 left 제약
    assert (await source.refresh()).ok
    return source.store


async def test_themes_screen_shows_today_stocks_and_diff(theme_store):
    screen = ThemesScreen(theme_store)
    app = Host(screen)
    async with app.run_test(size=(160, 45)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.snapshot.day == date(2026, 12, 3)
        themes = screen.query_one("#themes-table", DataTable)
        assert themes.row_count == 3
        assert [s.code for s in screen.stocks][:1] == ["000100"]      # 제약, the top mover
        await pilot.press("down")                                     # 여행
        await pilot.pause()
        assert [s.name for s in screen.stocks] == ["하나투어", "SM C&C", "모두투어"]
        await pilot.press("enter")                                    # into the stock table
        await pilot.press("enter")
        await pilot.press("down", "o")
        await pilot.pause()
        assert app.asked == [("lookup", "039130"), ("order", "048550", 1650)]
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = plain(screen.query_one("#themes-diff", Static).render())
        assert "2026-12-03 vs 2026-12-02" in text and "gone 여름(폭염)" in text
        assert "셀트리온제약 068760: -제약" in text
        await pilot.press("left_square_bracket")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.snapshot.day == date(2026, 12, 2) and themes.row_count == 4


async def test_themes_screen_without_snapshots(tmp_path):
    screen = ThemesScreen(ThemeStore(tmp_path / "none"))
    app = Host(screen)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "no snapshot yet" in plain(screen.query_one("#themes-status", Static).render())
        await pilot.press("d", "o", "enter")


async def test_scheduler_screen_lists_jobs_and_runs_one_now():
    clock = ManualClock(datetime(2026, 12, 4, 12, 0, tzinfo=KST))
    registry = JobRegistry(clock=clock)
    gate = asyncio.Event()

    async def ipo():
        await gate.wait()
        return JobOutcome(True, "38.co.kr: 12 offerings")

    async def broken():
        raise RuntimeError("site down")

    registry.add_daily("ipo-refresh", "IPO calendar", ipo, [time(7, 30), time(18, 0)])
    registry.add_daily("judal-snapshot", "Themes", broken, [time(16, 10)])
    screen = SchedulerScreen(registry)
    app = Host(screen)
    async with app.run_test(size=(180, 30)) as pilot:
        await pilot.pause()
        table = screen.query_one(DataTable)
        assert table.row_count == 2
        assert str(table.get_cell("ipo-refresh", "next")) == "12-04 18:00:00"
        assert str(table.get_cell("ipo-refresh", "status")) == "never run"
        await pilot.press("enter")
        await pilot.pause()
        assert str(table.get_cell("ipo-refresh", "status")) == "running"
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert str(table.get_cell("ipo-refresh", "status")) == "ok"
        assert table.get_cell("ipo-refresh", "result") == "38.co.kr: 12 offerings"
        assert str(table.get_cell("ipo-refresh", "last")) == "12-04 12:00:00"
        await pilot.press("down", "r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert str(table.get_cell("judal-snapshot", "status")) == "error"
        assert table.get_cell("judal-snapshot", "result") == "RuntimeError: site down"
