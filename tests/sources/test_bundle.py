from datetime import datetime

from lucy_tui.clock import KST, ManualClock
from lucy_tui.config import ScheduleConfig
from lucy_tui.sim.pages import PagesFront
from lucy_tui.sources.bundle import build
from lucy_tui.sources.jobs import IPO_JOB, THEMES_JOB


async def test_build_against_the_demo_sites(tmp_path):
    clock = ManualClock(datetime(2026, 12, 2, 10, 0, tzinfo=KST))
    async with PagesFront(clock) as pages:
        sources = build(ScheduleConfig(), pages=pages.urls, directory=tmp_path, clock=clock)
        try:
            assert [j.id for j in sources.registry.jobs()] == [IPO_JOB, THEMES_JOB]
            assert (await sources.refresh_ipo()).ok
            assert (await sources.refresh_themes()).ok
        finally:
            await sources.aclose()
    assert len(sources.ipo_store.data.records) == 12
    assert sources.theme_store.latest().day == clock.now().date()
    assert (tmp_path / "ipo.json").exists() and (tmp_path / "themes" / "2026-12-02.json").exists()
    assert sources.registry.info(IPO_JOB).status == "ok"


def test_build_for_the_real_sites_is_polite(tmp_path):
    sources = build(ScheduleConfig(), directory=tmp_path)
    assert sources.ipo.base == "http://www.38.co.kr"             # not https: DH_KEY_TOO_SMALL
    assert sources.themes.base == "https://www.judal.co.kr"
    assert sources.fetcher.min_interval >= 1.0 and sources.fetcher.respect_robots
