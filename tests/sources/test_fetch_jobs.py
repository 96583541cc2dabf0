"""The real fetch → parse → store path against the simulator's 38.co.kr and judal pages,
including the bad days: 522, timeouts, blocking and changed markup."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from lucy_tui.clock import KST, ManualClock
from lucy_tui.sim import ipo_demo
from lucy_tui.sim.pages import PagesFront
from lucy_tui.sources.fetch import Fetcher, FetchFailed
from lucy_tui.sources.jobs import IpoSource, ThemeSource
from lucy_tui.sources.models import IpoPhase
from lucy_tui.sources.store import IpoStore, ThemeStore

# Tuesday 2026-12-01 10:00 KST: a trading day.
DAY = datetime(2026, 12, 1, 10, 0, tzinfo=KST)


@pytest.fixture
async def pages():
    async with PagesFront(ManualClock(DAY), stall_seconds=3) as front:
        yield front


@pytest.fixture
async def fetcher():
    f = Fetcher(min_interval=0, jitter=0, retries=2, backoff=0, timeout=0.5)
    yield f
    await f.aclose()


@pytest.fixture
def ipo(pages, fetcher, tmp_path):
    return IpoSource(fetcher, IpoStore(tmp_path / "ipo.json"), base_url=pages.urls["38"],
                     clock=pages.clock)


@pytest.fixture
def themes(pages, fetcher, tmp_path):
    return ThemeSource(fetcher, ThemeStore(tmp_path / "themes"), base_url=pages.urls["judal"],
                       clock=pages.clock)


async def test_ipo_refresh_end_to_end(ipo, pages, tmp_path):
    outcome = await ipo.refresh()
    assert outcome.ok, outcome.message
    assert outcome.message.startswith("38.co.kr: 12 offerings, 12 detail page(s)")
    records = {r.name: r for r in ipo.store.data.records}
    assert len(records) == 12
    signal = records["사이냅소프트"]          # subscribing today
    assert signal.phase(DAY.date()) is IpoPhase.SUBSCRIBING
    assert signal.final_price == 24500 and signal.institutional_competition == Decimal("951.52")
    assert signal.lockup_ratio == Decimal("19.74") and signal.code == "402124"
    assert signal.payment is not None and signal.listing is not None
    assert records["더본코리아"].market == "유가증권"
    assert records["더본코리아"].phase(DAY.date()) is IpoPhase.DONE
    assert records["데이원컴퍼니(구.패스트캠퍼스)"].phase(DAY.date()) is IpoPhase.UPCOMING
    spac = records["디비금융스팩13호"]
    assert spac.spac and spac.lockup_ratio is None     # 0.00% without book-building: unknown
    # The store survives a restart.
    again = IpoStore(tmp_path / "ipo.json").load()
    assert again.records == ipo.store.data.records and len(again.details) == 12


async def test_listed_detail_pages_come_from_the_cache(ipo, pages):
    await ipo.refresh()
    first = pages.hits["38"]
    pages.clock.advance(86400 * 2)
    await ipo.refresh()
    # Schedule pages (1 and 2: empty), listings, and only the details not yet stable.
    assert pages.hits["38"] - first < first


async def test_522_is_retried_then_succeeds(ipo, pages):
    pages.fault("38", "522", times=2)      # two failures, the third try answers
    outcome = await ipo.refresh()
    assert outcome.ok, outcome.message


async def test_site_down_keeps_the_last_good_data(ipo, pages):
    assert (await ipo.refresh()).ok
    before = ipo.store.data.records
    pages.fault("38", "522")
    outcome = await ipo.refresh()
    assert not outcome.ok
    assert outcome.message == ("38.co.kr: HTTP 522 (origin unreachable) after 3 tries "
                               "(kept the last good data)")
    assert ipo.store.data.records == before


async def test_timeout_is_reported(ipo, pages):
    pages.fault("38", "timeout")
    outcome = await ipo.refresh()
    pages.clear()
    assert not outcome.ok and "no answer within 0.5 s after 3 tries" in outcome.message


async def test_changed_markup_is_reported(ipo, pages):
    pages.fault("38", "markup")
    outcome = await ipo.refresh()
    assert outcome.message == ("38.co.kr: table '공모주 청약일정' not found — markup changed? "
                               "(kept the last good data)")


async def test_a_failing_kis_source_leaves_a_38_calendar(ipo):
    async def broken(start, end):
        raise RuntimeError("session closed")

    ipo.kis = broken
    outcome = await ipo.refresh()
    assert outcome.ok and "KIS: RuntimeError: session closed" in outcome.message
    assert len(ipo.store.data.records) == 12


async def test_theme_snapshot_end_to_end_and_diff(themes, pages):
    pages.clock.advance(86400)            # 2026-12-02: the demo's "even" day, four themes
    outcome = await themes.refresh()
    assert outcome.ok and outcome.message == "judal.co.kr: 4 themes, 13 stocks"
    pages.clock.advance(86400)            # the next day: 여름(폭염) gone, 셀트리온제약 left 제약
    assert (await themes.refresh()).ok
    store = themes.store
    assert store.days() == [date(2026, 12, 2), date(2026, 12, 3)]
    from lucy_tui.sources.store import diff
    d = diff(store.load(date(2026, 12, 2)), store.load(date(2026, 12, 3)))
    assert [t.name for t in d.removed] == ["여름(폭염)"] and d.added == ()
    moves = {m.code: m for m in d.moves}
    assert moves["068760"].left == ("제약",) and moves["068760"].joined == ()
    assert moves["002700"].left == ("여름(폭염)",)


async def test_judal_blocked_and_changed(themes, pages):
    pages.fault("judal", "blocked")
    outcome = await themes.refresh()
    assert outcome.message == ("judal.co.kr: blocked (HTTP 403 forbidden) — try again later "
                               "(kept the last snapshot)")
    pages.fault("judal", "markup")
    outcome = await themes.refresh()
    assert "no theme links (themeIdx=) found — markup changed?" in outcome.message
    assert themes.store.days() == []


async def test_fetcher_paces_requests_per_host():
    slept = []

    async def sleep(seconds):
        slept.append(seconds)

    now = [100.0]
    async with PagesFront() as pages:
        f = Fetcher(min_interval=1.0, jitter=0, sleep=sleep, monotonic=lambda: now[0],
                    respect_robots=False)
        for _ in range(3):
            await f.get(pages.urls["judal"] + "/", site="judal.co.kr")
        await f.aclose()
    assert slept == [1.0, 2.0]   # the clock did not move: each request waits its slot


async def test_fetcher_sends_a_browser_user_agent():
    import httpx

    seen = []

    def handler(request):
        seen.append(request.headers)
        return httpx.Response(200, content=b"<html></html>")

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    f = Fetcher(http=http, min_interval=0, jitter=0, respect_robots=False)
    await f.get("http://www.38.co.kr/html/fund/index.htm?o=k", site="38.co.kr", referer="x")
    await http.aclose()
    assert "Mozilla/5.0" in seen[0]["user-agent"] and seen[0]["accept-language"].startswith("ko-KR")


async def test_empty_pages_are_retried_and_reported(pages, fetcher):
    pages.fault("38", "empty")
    with pytest.raises(FetchFailed, match="38.co.kr: empty page \\(throttled\\?\\) after 3 tries"):
        await fetcher.get(pages.urls["38"] + "/html/fund/index.htm?o=k", site="38.co.kr")


async def test_robots_txt_is_read_once_and_honoured(pages, fetcher):
    pages.robots["38"] = "User-agent: *\nDisallow: /html/fund/index.htm\n"
    pages.robots["judal"] = "User-agent: *\nDisallow: /stockAI\nAllow: /\n"
    with pytest.raises(FetchFailed, match="38.co.kr: robots.txt does not allow /html/fund/index.htm"):
        await fetcher.get(pages.urls["38"] + "/html/fund/index.htm?o=k", site="38.co.kr")
    assert await fetcher.get(pages.urls["38"] + "/html/fund/?o=k", site="38.co.kr")
    assert await fetcher.get(pages.urls["judal"] + "/?view=themeList", site="judal.co.kr")
    assert await fetcher.get(pages.urls["judal"] + "/?view=stockList&themeIdx=53", site="judal.co.kr")
    assert pages.hits == {"38": 1, "judal": 2}             # robots.txt is not a page hit
    assert fetcher.requests == 3


async def test_a_new_process_reuses_the_detail_cache_on_disk(ipo, pages, fetcher, tmp_path):
    await ipo.refresh()
    pages.clock.advance(86400 * 40)       # every deal listed, or subscribed, long ago
    first = pages.hits["38"]
    again = IpoSource(fetcher, IpoStore(tmp_path / "ipo.json"), base_url=pages.urls["38"],
                      clock=pages.clock)
    pages.offerings = lambda today: ipo_demo.offerings(DAY.date())     # the same deals as before
    assert (await again.refresh()).ok
    # Two schedule pages and the listings page; every detail page came from the cache.
    assert pages.hits["38"] - first == 3


async def test_faults_can_be_set_over_http(pages, fetcher):
    import httpx

    async with httpx.AsyncClient() as http:
        answer = await http.post(pages.urls["judal"] + "/__sim/faults", json={"fault": "blocked"})
        assert answer.json() == {"ok": True, "site": "judal", "fault": "blocked"}
        bad = await http.post(pages.urls["judal"] + "/__sim/faults", json={"fault": "flood"})
        assert bad.status_code == 400 and "unknown fault 'flood'" in bad.json()["error"]
        with pytest.raises(FetchFailed, match="blocked"):
            await fetcher.get(pages.urls["judal"] + "/", site="judal.co.kr")
        await http.post(pages.urls["judal"] + "/__sim/faults", json={"action": "clear"})
    assert await fetcher.get(pages.urls["judal"] + "/", site="judal.co.kr")
