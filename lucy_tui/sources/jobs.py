"""The refresh jobs: fetch → parse (in a worker thread) → merge → store, reporting a status.

:class:`IpoSource` reads 38.co.kr's schedule pages, the detail pages of open and recent deals
(cached by offering number once listed), the new-listings page and, when a KIS session is there,
KIS's official dates. :class:`ThemeSource` reads judal's theme list and each theme's stocks and
stores one snapshot per day. Neither raises: a site that is down, slow, blocking or changed gives
an unsuccessful :class:`JobOutcome` whose message says so, and the last good data stays.
:func:`register_jobs` puts them, and the injected master and token jobs, on a registry.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import date, timedelta

from ..clock import Clock, SystemClock
from . import ipo38, ipo_kis, judal
from .fetch import Fetcher, FetchFailed
from .models import IpoDetail, PublicOffer, ThemeSnapshot, ThemeStock
from .scheduler import JobOutcome, JobRegistry
from .store import IpoData, IpoStore, ThemeStore

log = logging.getLogger(__name__)

KisOffers = Callable[[date, date], Awaitable[list[PublicOffer]]]

#: Detail pages of deals listed this many days ago or more are taken from the cache (§1.2).
DETAIL_STABLE_DAYS = 3
#: Offerings whose subscription ended this long ago do not get their detail page re-read.
DETAIL_WINDOW_DAYS = 20


def _problem(exc: Exception) -> str:
    return str(exc) if isinstance(exc, (FetchFailed, ValueError)) else f"{type(exc).__name__}: {exc}"


class IpoSource:
    def __init__(self, fetcher: Fetcher, store: IpoStore, *, base_url: str = ipo38.BASE_URL,
                 pages: int = 2, detail_limit: int = 20, kis: KisOffers | None = None,
                 clock: Clock | None = None):
        self.fetcher, self.store = fetcher, store
        self.base = base_url.rstrip("/")
        self.pages, self.detail_limit = pages, detail_limit
        #: ``async (start, end) -> [PublicOffer]``; set when a KIS session exists.
        self.kis = kis
        self.clock = clock or SystemClock()
        self.last_outcome: JobOutcome | None = None
        self._listeners: list[Callable[[IpoData], None]] = []

    def on_update(self, listener: Callable[[IpoData], None]) -> None:
        self._listeners.append(listener)

    async def _page(self, url: str, parse, *args):
        data = await self.fetcher.get(url, site=ipo38.SITE)
        return await asyncio.to_thread(lambda: parse(ipo38.decode(data), *args))

    async def refresh(self) -> JobOutcome:
        try:
            outcome = await self._refresh()
        except Exception as exc:    # the status says what went wrong; the data stays
            log.exception("IPO refresh failed")
            outcome = JobOutcome(False, _problem(exc))
        self.last_outcome = outcome
        return outcome

    async def _refresh(self) -> JobOutcome:
        if self.store.data.updated is None:
            # First run of this process: the detail cache on disk saves re-reading listed deals.
            await asyncio.to_thread(self.store.load)
        today = self.clock.now().date()
        notes: list[str] = []
        try:
            rows = await self._page(ipo38.schedule_url(1, self.base), ipo38.parse_schedule)
        except (FetchFailed, ipo38.MarkupChanged) as exc:
            return JobOutcome(False, f"{exc} (kept the last good data)")
        for page in range(2, self.pages + 1):
            try:
                more = await self._page(ipo38.schedule_url(page, self.base), ipo38.parse_schedule)
            except (FetchFailed, ipo38.MarkupChanged) as exc:
                notes.append(f"page {page}: {exc}")
                break
            if not more:
                break
            rows.extend(more)
        details = dict(self.store.data.details)
        failed: list[str] = []
        fetched = 0
        for row in self._need_detail(rows, details, today)[: self.detail_limit]:
            try:
                details[row.no] = await self._page(ipo38.detail_url(row.no, self.base),
                                                   ipo38.parse_detail, row.no)
                fetched += 1
            except (FetchFailed, ipo38.MarkupChanged) as exc:
                failed.append(f"{row.name}: {exc}")
        if failed:
            notes.append(f"{len(failed)} detail page(s) failed ({failed[0]})")
        listings = []
        try:
            listings = await self._page(ipo38.listings_url(1, self.base), ipo38.parse_listings)
        except (FetchFailed, ipo38.MarkupChanged) as exc:
            notes.append(f"listings: {exc}")
        offers: list[PublicOffer] = []
        if self.kis is not None:
            try:
                offers = await self.kis(today - timedelta(days=40), today + timedelta(days=60))
            except Exception as exc:   # KIS is the optional half: 38 alone still makes a calendar
                notes.append(f"KIS: {_problem(exc)}")
        records = ipo_kis.merge(rows, details, offers, listings)
        data = IpoData(records=records, details=details, updated=self.clock.now())
        await asyncio.to_thread(self.store.save, data)
        for listener in list(self._listeners):
            listener(data)
        matched = sum(1 for r in records if "kis" in r.sources)
        summary = f"{ipo38.SITE}: {len(rows)} offerings, {fetched} detail page(s)"
        if self.kis is not None:
            summary += f"; KIS: {len(offers)} offerings, {matched} in the calendar"
        return JobOutcome(True, "; ".join([summary] + notes))

    @staticmethod
    def _need_detail(rows, details: dict[int, IpoDetail], today: date):
        out = []
        for row in rows:
            cached = details.get(row.no)
            if cached is not None and cached.listing is not None \
                    and (today - cached.listing).days >= DETAIL_STABLE_DAYS:
                continue
            end = row.subscription_end or row.subscription_start
            if end is not None and (today - end).days > DETAIL_WINDOW_DAYS and cached is not None:
                continue
            out.append(row)
        # Open and upcoming deals first: they are what the user is deciding on.
        return sorted(out, key=lambda r: abs(((r.subscription_start or today) - today).days))


class ThemeSource:
    def __init__(self, fetcher: Fetcher, store: ThemeStore, *, base_url: str = judal.BASE_URL,
                 max_themes: int | None = None, clock: Clock | None = None):
        self.fetcher, self.store = fetcher, store
        self.base = base_url.rstrip("/")
        self.max_themes = max_themes
        self.clock = clock or SystemClock()
        self.last_outcome: JobOutcome | None = None
        self._listeners: list[Callable[[ThemeSnapshot], None]] = []

    def on_update(self, listener: Callable[[ThemeSnapshot], None]) -> None:
        self._listeners.append(listener)

    async def _page(self, url: str, parse):
        data = await self.fetcher.get(url, site=judal.SITE, referer=self.base + "/")
        return await asyncio.to_thread(lambda: parse(data.decode("utf-8", errors="replace")))

    async def refresh(self) -> JobOutcome:
        try:
            outcome = await self._refresh()
        except Exception as exc:
            log.exception("theme snapshot failed")
            outcome = JobOutcome(False, _problem(exc))
        self.last_outcome = outcome
        return outcome

    async def _refresh(self) -> JobOutcome:
        try:
            themes = await self._page(judal.theme_list_url(self.base), judal.parse_themes)
        except (FetchFailed, judal.MarkupChanged) as exc:
            return JobOutcome(False, f"{exc} (kept the last snapshot)")
        if self.max_themes is not None:
            themes = themes[: self.max_themes]
        stocks: dict[int, tuple[ThemeStock, ...]] = {}
        failed: list[str] = []
        for theme in themes:
            try:
                stocks[theme.idx] = tuple(await self._page(judal.theme_url(theme.idx, self.base),
                                                           judal.parse_theme_stocks))
            except (FetchFailed, judal.MarkupChanged) as exc:
                failed.append(f"{theme.name}: {exc}")
                if isinstance(exc, FetchFailed) and exc.blocked:
                    break   # a blocked client only digs deeper by insisting (§2.4)
        if len(failed) * 2 > len(themes):
            return JobOutcome(False, f"{judal.SITE}: {len(failed)} of {len(themes)} theme pages "
                                     f"failed ({failed[0]}) — kept the last snapshot")
        snap = ThemeSnapshot(day=self.clock.now().date(),
                             themes=tuple(t for t in themes if t.idx in stocks), stocks=stocks)
        await asyncio.to_thread(self.store.save, snap)
        for listener in list(self._listeners):
            listener(snap)
        note = f"; {len(failed)} failed ({failed[0]})" if failed else ""
        return JobOutcome(True, f"{judal.SITE}: {len(stocks)} themes, "
                                f"{sum(len(v) for v in stocks.values())} stocks{note}")


# ---------------------------------------------------------------- registration


IPO_JOB = "ipo-refresh"
THEMES_JOB = "judal-snapshot"
MASTER_JOB = "master-refresh"
TOKENS_JOB = "token-refresh"


def register_jobs(registry: JobRegistry, schedule, *, ipo: IpoSource | None = None,
                  themes: ThemeSource | None = None,
                  master_refresh: Callable[[], Awaitable[object]] | None = None,
                  token_refresh: Callable[[], Awaitable[object]] | None = None) -> None:
    """Register the standard jobs at the times of ``schedule`` (config ``[schedule]``)."""
    if ipo is not None:
        registry.add_daily(IPO_JOB, "IPO calendar: 38.co.kr (+ KIS official dates)",
                           ipo.refresh, schedule.ipo_refresh)
    if themes is not None:
        registry.add_daily(THEMES_JOB, "Theme snapshot from judal.co.kr (after the close)",
                           themes.refresh, schedule.judal_snapshot)
    if master_refresh is not None:
        registry.add_daily(MASTER_JOB, "KIS/LS instrument master (before the open)",
                           master_refresh, schedule.master_refresh)
    if token_refresh is not None:
        registry.add_interval(TOKENS_JOB, "Broker tokens: renew ahead of expiry",
                              token_refresh, timedelta(minutes=max(1, schedule.token_check_minutes)))

