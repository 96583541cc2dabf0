"""Token cache: reuse across restarts, 0600 files without the key, and the issuance guard."""

import asyncio
import os
import stat
from datetime import timedelta

import jwt
import pytest

from lucy_tui.brokers.tokens import (
    IssuanceThrottled, IssuedToken, TokenCache, jwt_expiry, key_id,
)
from lucy_tui.clock import ManualClock

APP_KEY = "PS" + "k" * 34
SECRET = "s" * 180


def make_jwt(clock: ManualClock, lifetime: int = 86400, n: int = 0) -> str:
    iat = int(clock.now().timestamp())
    return jwt.encode({"sub": "token", "aud": f"aud-{n}", "iss": "unogw", "iat": iat,
                       "exp": iat + lifetime, "jti": APP_KEY}, "x" * 64, algorithm="HS512")


class Issuer:
    def __init__(self, clock, lifetime=86400, broker_expiry=None):
        self.clock, self.lifetime, self.broker_expiry = clock, lifetime, broker_expiry
        self.calls = 0

    async def __call__(self) -> IssuedToken:
        self.calls += 1
        await asyncio.sleep(0)
        return IssuedToken(make_jwt(self.clock, self.lifetime, self.calls), "Bearer",
                           self.broker_expiry)


@pytest.fixture
def clock():
    return ManualClock()


def cache(tmp_path, clock, **kw) -> TokenCache:
    async def sleep(seconds):
        clock.advance(seconds)
        await asyncio.sleep(0)

    return TokenCache("kis", APP_KEY, directory=tmp_path, clock=clock, sleep=sleep, **kw)


async def test_issued_once_and_reused_after_a_restart(tmp_path, clock):
    issuer = Issuer(clock)
    first = await cache(tmp_path, clock).get(issuer)
    assert issuer.calls == 1
    assert first.expires_at == clock.now() + timedelta(days=1)
    clock.advance(3600)
    again = await cache(tmp_path, clock).get(issuer)   # a new process, same file
    assert issuer.calls == 1 and again.token == first.token
    assert again.header == f"Bearer {first.token}"


async def test_file_is_private_and_names_no_secret(tmp_path, clock):
    c = cache(tmp_path, clock)
    await c.get(Issuer(clock))
    assert stat.S_IMODE(os.stat(c.path).st_mode) == 0o600
    assert APP_KEY not in c.path.name and key_id(APP_KEY) in c.path.name
    text = c.path.read_text()
    # The JWT itself carries the key as jti (KIS does that); nothing else may.
    body = text.replace(c.current().token, "")
    assert APP_KEY not in body and SECRET not in body
    assert not [p for p in tmp_path.iterdir() if p.name.endswith((".tmp", ".lock"))]
    assert "CachedToken(" in repr(c.current()) and c.current().token not in repr(c.current())


async def test_expiry_is_the_earlier_of_the_jwt_and_the_broker_field(tmp_path, clock):
    broker_says = clock.now() + timedelta(hours=5)
    token = await cache(tmp_path, clock).get(Issuer(clock, broker_expiry=broker_says))
    assert token.expires_at == broker_says
    assert jwt_expiry(token.token) == clock.now() + timedelta(days=1)
    assert jwt_expiry("not a jwt") is None


async def test_refreshed_ahead_of_expiry(tmp_path, clock):
    issuer = Issuer(clock)
    c = cache(tmp_path, clock, refresh_margin=timedelta(minutes=10))
    first = await c.get(issuer)
    clock.advance(86400 - 11 * 60)
    assert (await c.get(issuer)).token == first.token
    clock.advance(2 * 60)          # 9 minutes left: inside the margin
    second = await c.get(issuer)
    assert issuer.calls == 2 and second.token != first.token


async def test_guard_returns_the_still_valid_token_rather_than_issue_twice_a_minute(tmp_path, clock):
    issuer = Issuer(clock, lifetime=15 * 60)   # short-lived: always inside a 20-minute margin
    c = cache(tmp_path, clock, refresh_margin=timedelta(minutes=20))
    first = await c.get(issuer)
    clock.advance(30)
    assert (await c.get(issuer)).token == first.token and issuer.calls == 1
    clock.advance(31)
    assert (await c.get(issuer)).token != first.token and issuer.calls == 2


async def test_reissue_after_refusal_waits_for_the_guard(tmp_path, clock):
    issuer = Issuer(clock)
    c = cache(tmp_path, clock)
    first = await c.get(issuer)
    clock.advance(20)
    start = clock.monotonic()
    second = await c.reissue(first, issuer)
    assert second.token != first.token and issuer.calls == 2
    assert clock.monotonic() - start == pytest.approx(40, abs=1.01)


async def test_reissue_gives_up_beyond_max_wait(tmp_path, clock):
    issuer = Issuer(clock)
    c = cache(tmp_path, clock, max_wait=5)
    first = await c.get(issuer)
    with pytest.raises(IssuanceThrottled):
        await c.reissue(first, issuer)
    assert issuer.calls == 1
    assert c.current() is None       # the refused token is gone from memory and disk
    assert cache(tmp_path, clock).current() is None


async def test_two_processes_issue_once(tmp_path, clock):
    issuer = Issuer(clock)
    a, b = cache(tmp_path, clock), cache(tmp_path, clock)
    ta, tb = await asyncio.gather(a.get(issuer), b.get(issuer))
    assert issuer.calls == 1 and ta.token == tb.token


async def test_guard_is_shared_through_the_file(tmp_path, clock):
    issuer = Issuer(clock)
    a = cache(tmp_path, clock, max_wait=1)
    token = await a.get(issuer)
    a.invalidate(token)
    b = cache(tmp_path, clock, max_wait=1)     # another process: knows only the file
    with pytest.raises(IssuanceThrottled):
        await b.get(issuer)
    assert issuer.calls == 1


async def test_corrupt_or_foreign_file_is_ignored(tmp_path, clock):
    c = cache(tmp_path, clock)
    tmp_path.mkdir(exist_ok=True)
    c.path.write_text("{not json")
    assert c.current() is None
    c.path.write_text('{"key_id": "someone-else", "access_token": "x"}')
    assert c.current() is None
    await c.get(Issuer(clock))
    assert c.current() is not None


async def test_a_stale_lock_from_a_dead_process_is_broken(tmp_path, clock):
    c = cache(tmp_path, clock)
    lock = tmp_path / c.path.name.replace(".json", ".lock")
    lock.write_text("")
    old = lock.stat().st_mtime - 120
    os.utime(lock, (old, old))
    await c.get(Issuer(clock))
    assert not lock.exists()


def test_default_directory_is_the_platformdirs_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    c = TokenCache("kis", APP_KEY)
    assert str(c.directory).startswith(str(tmp_path / "xdg"))
    assert "lucy" in c.directory.parts
