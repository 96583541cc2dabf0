"""The job registry: background jobs on Lucy's event loop, with what the Scheduler screen shows.

APScheduler's ``AsyncIOScheduler`` fires the jobs on the running loop. Each job is an injected
``async`` callable (so the console registers token refresh for its own brokers) that returns a
:class:`JobOutcome` or a status line; whatever it raises is caught and becomes the job's error
status, never an exception in the UI. A job never overlaps itself: APScheduler runs at most one
instance and coalesces missed runs, and ``run_now`` on a running job reports that it is running
instead of starting a second copy.

Times are KST wall-clock times; ``trading_days_only`` jobs fire only on KRX trading days
(:mod:`lucy_tui.domain.calendar`), so next-run shows the real next run, holidays skipped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from ..clock import KST, Clock, SystemClock
from ..domain import calendar

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobOutcome:
    ok: bool
    message: str

    @classmethod
    def of(cls, value: object) -> JobOutcome:
        if isinstance(value, JobOutcome):
            return value
        return cls(True, "done" if value is None else str(value))


JobFunc = Callable[[], Awaitable[object]]


@dataclass(frozen=True)
class JobInfo:
    """What the Scheduler screen lists for one job."""

    id: str
    description: str
    schedule: str                       # "trading days 07:30, 18:00" / "every 10 min"
    next_run: datetime | None
    last_run: datetime | None
    last_outcome: JobOutcome | None
    running: bool

    @property
    def status(self) -> str:
        if self.running:
            return "running"
        if self.last_outcome is None:
            return "never run"
        return "ok" if self.last_outcome.ok else "error"


class DailyTimesTrigger(BaseTrigger):
    """Fires at fixed KST times of day, on trading days only when asked to."""

    def __init__(self, times: Iterable[time], *, trading_days_only: bool = True,
                 is_trading_day: Callable[[date], bool] = calendar.is_trading_day):
        self.times = tuple(sorted(set(times)))
        if not self.times:
            raise ValueError("a daily job needs at least one time")
        self.trading_days_only = trading_days_only
        self.is_trading_day = is_trading_day

    def get_next_fire_time(self, previous_fire_time: datetime | None,
                           now: datetime) -> datetime | None:
        after = now.astimezone(KST)
        if previous_fire_time is not None:
            after = max(after, previous_fire_time.astimezone(KST) + timedelta(microseconds=1))
        day = after.date()
        for _ in range(370):
            if not self.trading_days_only or self.is_trading_day(day):
                for at in self.times:
                    when = datetime.combine(day, at, KST)
                    if when >= after:
                        return when
            day += timedelta(days=1)
        return None

    def describe(self) -> str:
        days = "trading days" if self.trading_days_only else "every day"
        return f"{days} " + ", ".join(at.strftime("%H:%M") for at in self.times)

    def __str__(self) -> str:
        return self.describe()


@dataclass
class _Job:
    id: str
    description: str
    func: JobFunc
    trigger: BaseTrigger
    schedule: str
    last_run: datetime | None = None
    last_outcome: JobOutcome | None = None
    running: bool = False


class JobRegistry:
    """Jobs by id; ``start()`` once the loop runs, ``shutdown()`` on exit."""

    def __init__(self, *, clock: Clock | None = None, scheduler: AsyncIOScheduler | None = None):
        self.clock = clock or SystemClock()
        self.scheduler = scheduler or AsyncIOScheduler(timezone=KST)
        self._jobs: dict[str, _Job] = {}
        self._listeners: list[Callable[[JobInfo], None]] = []

    # ------------------------------------------------------------ registration

    def add_daily(self, job_id: str, description: str, func: JobFunc, times: Iterable[time], *,
                  trading_days_only: bool = True) -> None:
        trigger = DailyTimesTrigger(times, trading_days_only=trading_days_only)
        self._add(_Job(job_id, description, func, trigger, trigger.describe()))

    def add_interval(self, job_id: str, description: str, func: JobFunc, every: timedelta) -> None:
        if every <= timedelta(0):
            raise ValueError(f"{job_id}: the interval must be positive, not {every}")
        minutes = every.total_seconds() / 60
        label = f"every {minutes:g} min" if minutes >= 1 else f"every {every.total_seconds():g} s"
        self._add(_Job(job_id, description, func, IntervalTrigger(seconds=every.total_seconds(),
                                                                  timezone=KST), label))

    def _add(self, job: _Job) -> None:
        if job.id in self._jobs:
            raise ValueError(f"job {job.id!r} is already registered")
        self._jobs[job.id] = job
        self.scheduler.add_job(self._scheduled, job.trigger, args=(job.id,), id=job.id,
                               name=job.description, max_instances=1, coalesce=True,
                               misfire_grace_time=3600, replace_existing=True)

    def remove(self, job_id: str) -> None:
        self._job(job_id)
        del self._jobs[job_id]
        self.scheduler.remove_job(job_id)

    def on_change(self, listener: Callable[[JobInfo], None]) -> None:
        """Called after a job starts and after it ends (the UI refreshes its row)."""
        self._listeners.append(listener)

    def off_change(self, listener: Callable[[JobInfo], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    # ------------------------------------------------------------ lifecycle

    def start(self) -> None:
        if not self.scheduler.running:
            self.scheduler.start()

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    # ------------------------------------------------------------ queries

    def _job(self, job_id: str) -> _Job:
        try:
            return self._jobs[job_id]
        except KeyError:
            raise KeyError(f"no job {job_id!r} (jobs: {', '.join(self._jobs) or 'none'})") from None

    def info(self, job_id: str) -> JobInfo:
        job = self._job(job_id)
        return JobInfo(job.id, job.description, job.schedule, self.next_run(job_id),
                       job.last_run, job.last_outcome, job.running)

    def jobs(self) -> list[JobInfo]:
        return [self.info(job_id) for job_id in self._jobs]

    def next_run(self, job_id: str) -> datetime | None:
        job = self._job(job_id)
        scheduled = self.scheduler.get_job(job_id)
        when = getattr(scheduled, "next_run_time", None) if scheduled is not None else None
        if when is None:
            # Not started yet: what the trigger would say now.
            when = job.trigger.get_next_fire_time(None, self.clock.now())
        return when.astimezone(KST) if when is not None else None

    # ------------------------------------------------------------ running

    async def _scheduled(self, job_id: str) -> None:
        if job_id in self._jobs:
            await self.run_now(job_id)

    async def run_now(self, job_id: str) -> JobOutcome:
        """Run the job at once (unless it is running) and return how it went; never raises
        for a failing job."""
        job = self._job(job_id)
        if job.running:
            return JobOutcome(False, f"{job_id} is already running")
        job.running = True
        job.last_run = self.clock.now()
        self._notify(job)
        outcome = JobOutcome(False, "cancelled")
        try:
            outcome = JobOutcome.of(await job.func())
        except asyncio.CancelledError:
            raise
        except Exception as exc:   # a job's failure is its status, never the UI's exception
            log.exception("job %s failed", job_id)
            outcome = JobOutcome(False, f"{type(exc).__name__}: {exc}")
        finally:
            job.running = False
            job.last_outcome = outcome
            self._notify(job)
        return outcome

    def _notify(self, job: _Job) -> None:
        info = self.info(job.id)
        for listener in list(self._listeners):
            try:
                listener(info)
            except Exception:
                log.exception("job listener failed")

