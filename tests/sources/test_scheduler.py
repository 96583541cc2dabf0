"""The job registry: trading-day triggers on a controlled clock, run-now, failures, overlap."""

import asyncio
from datetime import date, datetime, time, timedelta

import pytest

from lucy_tui import config
from lucy_tui.clock import KST, ManualClock
from lucy_tui.sources import jobs
from lucy_tui.sources.scheduler import DailyTimesTrigger, JobOutcome, JobRegistry


def kst(*args) -> datetime:
    return datetime(*args, tzinfo=KST)


def test_trigger_fires_at_the_configured_times_of_trading_days():
    trigger = DailyTimesTrigger([time(18, 0), time(7, 30)])
    # Friday 2026-12-04 12:00 → 18:00 the same day.
    assert trigger.get_next_fire_time(None, kst(2026, 12, 4, 12, 0)) == kst(2026, 12, 4, 18, 0)
    # After 18:00 on Friday → Monday 07:30 (the weekend is not trading days).
    assert trigger.get_next_fire_time(None, kst(2026, 12, 4, 18, 0, 1)) == kst(2026, 12, 7, 7, 30)
    # A fire at 07:30 is not repeated: the next is 18:00.
    assert trigger.get_next_fire_time(kst(2026, 12, 7, 7, 30), kst(2026, 12, 7, 7, 30)) \
        == kst(2026, 12, 7, 18, 0)


def test_trigger_skips_krx_holidays():
    trigger = DailyTimesTrigger([time(7, 30)])
    # 2026-12-24 Thursday → 12-25 Christmas and 12-31 year-end closing are KRX holidays.
    assert trigger.get_next_fire_time(None, kst(2026, 12, 24, 8, 0)) == kst(2026, 12, 28, 7, 30)
    assert trigger.get_next_fire_time(None, kst(2026, 12, 30, 8, 0)) == kst(2027, 1, 4, 7, 30)
    every_day = DailyTimesTrigger([time(7, 30)], trading_days_only=False)
    assert every_day.get_next_fire_time(None, kst(2026, 12, 24, 8, 0)) == kst(2026, 12, 25, 7, 30)


def test_trigger_needs_a_time():
    with pytest.raises(ValueError, match="at least one time"):
        DailyTimesTrigger([])


async def test_registry_lists_jobs_with_next_run_and_runs_one_now():
    clock = ManualClock(kst(2026, 12, 4, 12, 0))
    registry = JobRegistry(clock=clock)
    calls = []

    async def job():
        calls.append(clock.now())
        return "12 offerings"

    registry.add_daily("ipo", "IPO calendar", job, [time(7, 30), time(18, 0)])
    (info,) = registry.jobs()
    assert (info.id, info.description, info.schedule) == ("ipo", "IPO calendar",
                                                          "trading days 07:30, 18:00")
    assert info.next_run == kst(2026, 12, 4, 18, 0)
    assert info.last_run is None and info.status == "never run"
    outcome = await registry.run_now("ipo")
    assert outcome == JobOutcome(True, "12 offerings")
    info = registry.info("ipo")
    assert info.last_run == kst(2026, 12, 4, 12, 0) and info.status == "ok"
    assert info.last_outcome.message == "12 offerings" and len(calls) == 1


async def test_a_failing_job_records_its_error_and_does_not_raise():
    registry = JobRegistry(clock=ManualClock())

    async def broken():
        raise ConnectionError("site down")

    registry.add_daily("x", "broken", broken, [time(8)])
    outcome = await registry.run_now("x")
    assert outcome == JobOutcome(False, "ConnectionError: site down")
    assert registry.info("x").status == "error"


async def test_a_job_never_overlaps_itself():
    registry = JobRegistry(clock=ManualClock())
    gate = asyncio.Event()
    runs = 0

    async def slow():
        nonlocal runs
        runs += 1
        await gate.wait()
        return "done"

    registry.add_daily("slow", "slow job", slow, [time(8)])
    first = asyncio.create_task(registry.run_now("slow"))
    await asyncio.sleep(0)
    assert registry.info("slow").status == "running"
    assert await registry.run_now("slow") == JobOutcome(False, "slow is already running")
    gate.set()
    assert (await first).ok and runs == 1
    job = registry.scheduler.get_job("slow")
    assert job.max_instances == 1 and job.coalesce


async def test_unknown_job_and_duplicate_ids():
    registry = JobRegistry(clock=ManualClock())

    async def noop():
        return None

    registry.add_daily("a", "a", noop, [time(8)])
    with pytest.raises(ValueError, match="already registered"):
        registry.add_daily("a", "again", noop, [time(9)])
    with pytest.raises(KeyError, match="no job 'b'"):
        await registry.run_now("b")
    with pytest.raises(ValueError, match="positive"):
        registry.add_interval("t", "tokens", noop, timedelta(0))


async def test_the_scheduler_fires_jobs_on_the_running_loop():
    registry = JobRegistry(clock=ManualClock())
    fired = asyncio.Event()
    seen = []

    async def tick():
        seen.append(asyncio.get_running_loop())
        fired.set()
        return "tick"

    registry.add_interval("tokens", "token check", tick, timedelta(seconds=0.2))
    changes = []
    registry.on_change(changes.append)
    registry.start()
    try:
        await asyncio.wait_for(fired.wait(), 3)
    finally:
        registry.shutdown()
    assert seen[0] is asyncio.get_running_loop()
    assert [c.status for c in changes[:2]] == ["running", "ok"]
    assert registry.info("tokens").schedule == "every 0.2 s"


async def test_register_jobs_uses_the_config_times():
    registry = JobRegistry(clock=ManualClock(kst(2026, 12, 4, 12, 0)))
    schedule = config.parse('[schedule]\nipo_refresh = ["09:15"]\njudal_snapshot = ["16:30"]\n'
                            'master_refresh = ["07:45"]\ntoken_check_minutes = 5\n').schedule

    class Source:
        async def refresh(self):
            return "ok"

    async def noop():
        return None

    jobs.register_jobs(registry, schedule, ipo=Source(), themes=Source(), master_refresh=noop,
                       token_refresh=noop)
    infos = {i.id: i for i in registry.jobs()}
    assert set(infos) == {jobs.IPO_JOB, jobs.THEMES_JOB, jobs.MASTER_JOB, jobs.TOKENS_JOB}
    assert infos[jobs.IPO_JOB].next_run == kst(2026, 12, 7, 9, 15)
    assert infos[jobs.THEMES_JOB].next_run == kst(2026, 12, 4, 16, 30)
    assert infos[jobs.MASTER_JOB].schedule == "trading days 07:45"
    assert infos[jobs.TOKENS_JOB].schedule == "every 5 min"


def test_schedule_config_defaults_and_errors():
    cfg = config.Config()
    assert cfg.schedule.ipo_refresh == (time(7, 30), time(18, 0))
    with pytest.raises(config.ConfigError, match="schedule.ipo_refresh"):
        config.parse('[schedule]\nipo_refresh = "07:30"\n')
    with pytest.raises(config.ConfigError, match="expected a time"):
        config.parse('[schedule]\njudal_snapshot = ["after close"]\n')
