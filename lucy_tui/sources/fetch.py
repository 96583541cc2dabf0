"""Polite page fetching for the scrapers: browser-like headers, pacing, bounded retries.

Both sites are small community sites behind Cloudflare; they answer bursts with HTTP 522, empty
bodies or a notice page (specs/sources.md §1.2, §2.4). So every host gets at most one request per
``min_interval`` seconds plus random jitter, and a failed request is retried a few times with a
growing delay. Blocking is read from the HTTP status (403/429/503), never from page words: judal
pages contain "차단" and "robot" in normal text.

Each host's ``robots.txt`` is read once per fetcher (the sites' rules are not documented, §1.2,
§2.4) and honoured; a host without one, or one that cannot be read, allows everything.

Failures raise :class:`FetchFailed` whose message is a sentence for the job status, e.g.
``38.co.kr: HTTP 522 (origin unreachable) after 3 tries``.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

USER_AGENT = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/126.0.0.0 Safari/537.36")
HEADERS = {"User-Agent": USER_AGENT, "Accept-Language": "ko-KR,ko;q=0.9,en;q=0.6",
           "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}

_BLOCKED = {403: "forbidden", 429: "too many requests"}
_REASONS = {522: "origin unreachable", 521: "origin down", 520: "unknown origin error",
            524: "origin timed out", 502: "bad gateway", 503: "service unavailable",
            504: "gateway timeout", 500: "server error"}


class FetchFailed(Exception):
    """A page could not be fetched; ``str()`` is the status line the user sees."""

    def __init__(self, message: str, *, status: int | None = None, blocked: bool = False):
        super().__init__(message)
        self.status, self.blocked = status, blocked


class Fetcher:
    """GETs pages as bytes. One instance per process is enough; it owns its httpx client unless
    one is passed in."""

    def __init__(self, *, http: httpx.AsyncClient | None = None, min_interval: float = 1.0,
                 jitter: float = 0.5, retries: int = 2, backoff: float = 2.0,
                 timeout: float = 15.0, sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
                 monotonic: Callable[[], float] = time.monotonic, rng: random.Random | None = None,
                 respect_robots: bool = True):
        self._own_http = http is None
        self.http = http or httpx.AsyncClient(headers=HEADERS, follow_redirects=True,
                                              timeout=httpx.Timeout(timeout))
        self.min_interval, self.jitter = min_interval, jitter
        self.retries, self.backoff, self.timeout = retries, backoff, timeout
        self._sleep, self._monotonic = sleep, monotonic
        self._rng = rng or random.Random()
        self._next_slot: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self.respect_robots = respect_robots
        self._robots: dict[str, RobotFileParser | None] = {}
        self.requests = 0

    async def aclose(self) -> None:
        if self._own_http:
            await self.http.aclose()

    async def _pace(self, host: str) -> None:
        lock = self._locks.setdefault(host, asyncio.Lock())
        async with lock:
            now = self._monotonic()
            wait = self._next_slot.get(host, now) - now
            if wait > 0:
                await self._sleep(wait)
            gap = self.min_interval + (self._rng.uniform(0, self.jitter) if self.jitter else 0)
            self._next_slot[host] = max(now, self._next_slot.get(host, now)) + gap

    async def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            rules = None
            await self._pace(parts.netloc)
            try:
                resp = await self.http.get(origin + "/robots.txt", headers=HEADERS,
                                           timeout=self.timeout)
                if resp.status_code == 200:
                    rules = RobotFileParser()
                    rules.parse(resp.text.splitlines())
            except httpx.HTTPError:
                rules = None   # unreadable rules are no rules; the page request will tell more
            self._robots[origin] = rules
        rules = self._robots[origin]
        return rules is None or rules.can_fetch(USER_AGENT, url)

    async def get(self, url: str, *, site: str, referer: str | None = None) -> bytes:
        """The body of ``url``; raises :class:`FetchFailed` after the retries are spent."""
        host = urlsplit(url).netloc
        if self.respect_robots and not await self._allowed(url):
            raise FetchFailed(f"{site}: robots.txt does not allow {urlsplit(url).path}")
        headers = dict(HEADERS)
        if referer:
            headers["Referer"] = referer
        tries = self.retries + 1
        problem = ""
        status = None
        for attempt in range(tries):
            if attempt:
                await self._sleep(self.backoff * attempt)
            await self._pace(host)
            self.requests += 1
            try:
                resp = await self.http.get(url, headers=headers, timeout=self.timeout)
            except httpx.TimeoutException:
                problem, status = f"no answer within {self.timeout:g} s", None
                continue
            except httpx.HTTPError as exc:
                problem, status = f"cannot connect ({type(exc).__name__})", None
                continue
            status = resp.status_code
            if status in _BLOCKED:
                raise FetchFailed(f"{site}: blocked (HTTP {status} {_BLOCKED[status]}) — "
                                  "try again later", status=status, blocked=True)
            if status >= 500:
                problem = f"HTTP {status} ({_REASONS.get(status, 'server error')})"
                continue
            if status != 200:
                raise FetchFailed(f"{site}: HTTP {status} for {url}", status=status)
            if not resp.content.strip():
                problem = "empty page (throttled?)"
                continue
            return resp.content
        plural = "try" if tries == 1 else "tries"
        raise FetchFailed(f"{site}: {problem} after {tries} {plural}", status=status)
