from datetime import datetime, timedelta
from types import SimpleNamespace

from lucy_tui.brokers.tokens import IssuedToken, TokenCache
from lucy_tui.clock import KST, ManualClock
from lucy_tui.sources.token_refresh import token_job


def client(name, tmp_path, clock, fail=False):
    issued = []

    async def issue():
        if fail:
            raise ConnectionError("host unreachable")
        issued.append(clock.now())
        return IssuedToken(f"tok-{len(issued)}", expires_at=clock.now() + timedelta(hours=24))

    tokens = TokenCache(name, f"key-{name}", directory=tmp_path, clock=clock,
                        refresh_margin=timedelta(hours=1), issue_interval=60.0)
    return SimpleNamespace(name=name, tokens=tokens, rest=SimpleNamespace(issue_token=issue)), issued


async def test_tokens_are_renewed_only_inside_the_margin(tmp_path):
    clock = ManualClock(datetime(2026, 12, 1, 7, 0, tzinfo=KST))
    kis, issued = client("kis", tmp_path, clock)
    job = token_job([kis], clock=clock)
    outcome = await job()
    assert outcome.ok and outcome.message == "kis: renewed, 24h00m left" and len(issued) == 1
    clock.advance(3600 * 10)
    assert (await job()).message == "kis: valid, 14h00m left" and len(issued) == 1
    clock.advance(3600 * 13 + 60)                  # 59 min left: inside the one-hour margin
    assert (await job()).message == "kis: renewed, 24h00m left" and len(issued) == 2


async def test_one_failing_broker_does_not_hide_the_others(tmp_path):
    clock = ManualClock(datetime(2026, 12, 1, 7, 0, tzinfo=KST))
    kis, _ = client("kis", tmp_path, clock)
    ls, _ = client("ls", tmp_path, clock, fail=True)
    outcome = await token_job(lambda: [ls, kis], clock=clock)()
    assert not outcome.ok
    assert outcome.message == "ls: host unreachable; kis: renewed, 24h00m left"
    assert (await token_job([], clock=clock)()).message == "no broker sessions"
