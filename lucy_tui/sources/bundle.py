"""Everything the console needs from this package, built in one call.

    sources = build(cfg.schedule, pages=sim.urls.get("pages"))   # demo: the simulator's sites
    sources.registry.start()                                     # once the loop runs
    IpoScreen(sources.ipo_store, refresh=lambda: sources.registry.run_now(IPO_JOB))
    ThemesScreen(sources.theme_store); SchedulerScreen(sources.registry)
    await sources.aclose()                                       # on exit

With ``pages`` (the simulator's ``{"38": url, "judal": url}``) the jobs read the local demo sites
without pacing; without it they read the real sites at one request a second per host.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from ..clock import Clock, SystemClock
from . import ipo38, judal
from .fetch import Fetcher
from .jobs import IPO_JOB, THEMES_JOB, IpoSource, KisOffers, ThemeSource, register_jobs
from .scheduler import JobRegistry
from .store import IpoStore, ThemeStore, data_dir


@dataclass
class Sources:
    fetcher: Fetcher
    ipo: IpoSource
    themes: ThemeSource
    registry: JobRegistry

    @property
    def ipo_store(self) -> IpoStore:
        return self.ipo.store

    @property
    def theme_store(self) -> ThemeStore:
        return self.themes.store

    async def refresh_ipo(self):
        return await self.registry.run_now(IPO_JOB)

    async def refresh_themes(self):
        return await self.registry.run_now(THEMES_JOB)

    async def aclose(self) -> None:
        self.registry.shutdown()
        await self.fetcher.aclose()


def build(schedule, *, pages: dict[str, str] | None = None, directory: Path | None = None,
          clock: Clock | None = None, kis: KisOffers | None = None,
          master_refresh: Callable[[], Awaitable[object]] | None = None,
          token_refresh: Callable[[], Awaitable[object]] | None = None) -> Sources:
    """The stores, sources and job registry for ``schedule`` (config ``[schedule]``)."""
    clock = clock or SystemClock()
    root = directory or data_dir()
    local = pages is not None
    # The local demo sites need no politeness; the real ones get ≤1 request/s with jitter.
    fetcher = Fetcher(min_interval=0.0 if local else 1.0, jitter=0.0 if local else 0.5)
    ipo = IpoSource(fetcher, IpoStore(root / "ipo.json"),
                    base_url=pages["38"] if local else ipo38.BASE_URL, kis=kis, clock=clock)
    themes = ThemeSource(fetcher, ThemeStore(root / "themes"),
                         base_url=pages["judal"] if local else judal.BASE_URL, clock=clock)
    registry = JobRegistry(clock=clock)
    register_jobs(registry, schedule, ipo=ipo, themes=themes, master_refresh=master_refresh,
                  token_refresh=token_refresh)
    return Sources(fetcher, ipo, themes, registry)
