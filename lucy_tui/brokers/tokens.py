"""Access tokens cached on disk and issued sparingly (DESIGN.md rules 6 and 8).

KIS mints one token a minute per app key at most (a second request gets EGW00133 and the user
gets a KakaoTalk message for every issuance); LS keeps one live token per key. So a token is
issued once, written to the platformdirs cache (mode 0600, atomically) and reused by every
Lucy process and every restart until it nears its expiry.

One file per (broker, app key): the name carries a hash of the key, never the key; the content
is the token itself, its expiry and the time of the last issuance. That last time is the
cross-process issuance guard: a process that finds an issuance less than ``issue_interval`` ago
uses the token the other process wrote, or waits. A lock file (created with O_EXCL, so it works
on every OS) keeps two processes from issuing at the same instant.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import jwt

from .. import redact
from ..clock import KST, Clock, SystemClock
from .base import AuthError

#: A lock older than this belongs to a process that died while issuing.
_STALE_LOCK = 30.0
_POLL = 0.05


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """What a broker's token endpoint answered."""

    token: str
    token_type: str = "Bearer"
    expires_at: datetime | None = None   # the broker's own expiry field, if it has one


@dataclass(frozen=True, slots=True)
class CachedToken:
    token: str
    token_type: str
    expires_at: datetime
    issued_at: datetime

    def __post_init__(self) -> None:
        # Every token Lucy holds, read from the cache or freshly issued, is masked in logs.
        redact.register(self.token)

    @property
    def header(self) -> str:
        return f"{self.token_type} {self.token}"

    def remaining(self, now: datetime) -> timedelta:
        return self.expires_at - now

    def __repr__(self) -> str:  # rule 8: never print the token
        return f"CachedToken(expires_at={self.expires_at.isoformat()}, issued_at={self.issued_at.isoformat()})"


class IssuanceThrottled(AuthError):
    """No usable token, and the broker's issuance pace forbids asking for one yet."""


def key_id(app_key: str) -> str:
    """A stable name for an app key that does not reveal it."""
    return hashlib.sha256(app_key.encode()).hexdigest()[:24]


def jwt_expiry(token: str) -> datetime | None:
    """The ``exp`` claim of a JWT, unverified (the token is the broker's business, not ours)."""
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    exp = claims.get("exp")
    if not isinstance(exp, (int, float)) or isinstance(exp, bool):
        return None
    return datetime.fromtimestamp(exp, timezone.utc).astimezone(KST)


def default_directory() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("lucy", appauthor=False) / "tokens"


class TokenCache:
    """The token of one (broker, app key): from memory, from disk, or freshly issued.

    ``get(issue)`` returns a token with more than ``refresh_margin`` left, issuing one through
    ``issue`` when needed and allowed. When the guard forbids issuing, a token that is still
    valid (if inside the margin) is returned; with none, it waits up to ``max_wait`` seconds for
    the guard (or another process) and raises :class:`IssuanceThrottled` beyond that.
    """

    def __init__(self, broker: str, app_key: str, *, directory: Path | None = None,
                 refresh_margin: timedelta = timedelta(minutes=10),
                 issue_interval: float = 60.0, max_wait: float = 65.0,
                 clock: Clock | None = None,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep):
        if not broker or not broker.replace("_", "").isalnum():
            raise ValueError(f"broker name must be alphanumeric, got {broker!r}")
        self.broker = broker
        self.key_id = key_id(app_key)
        self.directory = Path(directory) if directory is not None else default_directory()
        self.path = self.directory / f"{broker}-{self.key_id}.json"
        self._lock_path = self.directory / f"{broker}-{self.key_id}.lock"
        self.refresh_margin = refresh_margin
        self.issue_interval = issue_interval
        self.max_wait = max_wait
        self._clock = clock or SystemClock()
        self._sleep = sleep
        self._token: CachedToken | None = None
        self._local = asyncio.Lock()
        self.issued = 0   # issuances by this object, for tests and logs

    # ------------------------------------------------------------------ reading

    def current(self) -> CachedToken | None:
        """The best token known without issuing: memory, else the file; None if expired."""
        now = self._clock.now()
        if self._token is None or self._token.expires_at <= now:
            self._token = self._read().get("token")
        if self._token is not None and self._token.expires_at <= now:
            return None
        return self._token

    def fresh(self) -> CachedToken | None:
        token = self.current()
        if token is None or token.remaining(self._clock.now()) <= self.refresh_margin:
            return None
        return token

    # ------------------------------------------------------------------ issuing

    async def get(self, issue: Callable[[], Awaitable[IssuedToken]]) -> CachedToken:
        token = self.fresh()
        if token is not None:
            return token
        async with self._local:
            token = self.fresh()
            if token is not None:
                return token
            return await self._issue_guarded(issue)

    async def reissue(self, bad: CachedToken | str,
                      issue: Callable[[], Awaitable[IssuedToken]]) -> CachedToken:
        """The broker refused ``bad`` (expired or revoked): forget it and get another."""
        self.invalidate(bad)
        return await self.get(issue)

    def invalidate(self, bad: CachedToken | str) -> None:
        text = bad.token if isinstance(bad, CachedToken) else bad
        if self._token is not None and self._token.token == text:
            self._token = None
        state = self._read()
        on_disk = state.get("token")
        if on_disk is not None and on_disk.token == text:
            # Keep the issuance time: the guard still applies to the next issuance.
            self._write(None, state.get("last_issue"))

    async def _issue_guarded(self, issue: Callable[[], Awaitable[IssuedToken]]) -> CachedToken:
        deadline = self._clock.monotonic() + self.max_wait
        while True:
            async with self._file_lock(deadline):
                state = self._read()
                now = self._clock.now()
                token = state.get("token")
                if token is not None and token.remaining(now) > self.refresh_margin:
                    self._token = token     # another process issued meanwhile
                    return token
                last = state.get("last_issue")
                wait = 0.0 if last is None else self.issue_interval - (now - last).total_seconds()
                if wait <= 0:
                    try:
                        issued = await issue()
                    except IssuanceThrottled:
                        # Someone outside this cache (another tool on the same key) issued:
                        # the broker's minute runs from now as far as we can tell.
                        self._write(token, self._clock.now())
                        wait = self.issue_interval
                    else:
                        self.issued += 1
                        return self._store(issued, self._clock.now())
            if token is not None and token.expires_at > now:
                self._token = token         # good enough until the guard lets us refresh
                return token
            remaining = deadline - self._clock.monotonic()
            if wait > remaining:
                raise IssuanceThrottled(
                    f"no valid token, and a new one may be issued only in {wait:.0f} s",
                    broker=self.broker)
            await self._sleep(min(wait, 1.0))

    def _store(self, issued: IssuedToken, now: datetime) -> CachedToken:
        expiries = [t for t in (issued.expires_at, jwt_expiry(issued.token)) if t is not None]
        if not expiries:
            raise AuthError("the token endpoint gave no expiry", broker=self.broker)
        expires_at = min(t if t.tzinfo else t.replace(tzinfo=KST) for t in expiries)
        token = CachedToken(issued.token, issued.token_type or "Bearer", expires_at, now)
        self._write(token, now)
        self._token = token
        return token

    # ------------------------------------------------------------------ the file

    def _read(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("key_id") != self.key_id:
            return {}
        state: dict = {}
        try:
            if data.get("last_issue"):
                state["last_issue"] = datetime.fromisoformat(data["last_issue"])
            if data.get("access_token"):
                state["token"] = CachedToken(
                    data["access_token"], data.get("token_type") or "Bearer",
                    datetime.fromisoformat(data["expires_at"]),
                    datetime.fromisoformat(data["issued_at"]))
        except (KeyError, TypeError, ValueError):
            return {}
        return state

    def _write(self, token: CachedToken | None, last_issue: datetime | None) -> None:
        data = {"broker": self.broker, "key_id": self.key_id,
                "last_issue": last_issue.isoformat() if last_issue else None}
        if token is not None:
            data.update(access_token=token.token, token_type=token.token_type,
                        expires_at=token.expires_at.isoformat(),
                        issued_at=token.issued_at.isoformat())
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = self.directory / f".{self.path.name}.{secrets.token_hex(6)}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    @contextlib.asynccontextmanager
    async def _file_lock(self, deadline: float):
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        while True:
            try:
                fd = os.open(self._lock_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                break
            except FileExistsError:
                with contextlib.suppress(OSError):
                    # File times are the OS's wall clock, whatever clock this cache was given.
                    age = time.time() - self._lock_path.stat().st_mtime
                    if abs(age) > _STALE_LOCK:
                        os.unlink(self._lock_path)
                        continue
                if self._clock.monotonic() > deadline:
                    raise IssuanceThrottled("another process is issuing a token and has not finished",
                                            broker=self.broker) from None
                await self._sleep(_POLL)
        os.close(fd)
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                os.unlink(self._lock_path)
