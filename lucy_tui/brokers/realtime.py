"""What every broker's realtime session does alike: one background task that keeps a websocket
session open, reopening it with exponential back-off and jitter (so a fleet of clients does not
reconnect in step), and on each new socket asks again for every wanted (tr, key) pair before
the session counts as live.

The wire — how a pair is asked for, how answers and pushes look, what a refusal means — is the
subclass's: it sends through ``_ask`` and resolves answers through ``_pending``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from .base import BrokerError, Connection

Pair = tuple[str, str]


#: Frames a reader handles before it lets the rest of the loop run. Frames already buffered
#: come back from the socket without a suspension, so a burst of thousands of notices would
#: otherwise hold the loop (and every key press in the console) until it is drained. A key
#: crosses the loop several times on its way to the screen, each time behind one reader's batch:
#: at 8 frames (~0.6 ms) fill_storm's keypress p99 was 34-51 ms over 7 runs, at 32 38-81 ms
#: (interleaved runs, same machine), with no loss of notices per second.
YIELD_EVERY = 8


class RealtimeSession:
    #: Names the background task, log lines and errors.
    broker = ""
    log = logging.getLogger(__name__)

    def __init__(self, settings: Any, *,
                 wanted: dict[Pair, Any],
                 on_status: Callable[[Connection, str], None],
                 on_live: Callable[[], Awaitable[None]] | None = None,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
                 rng: random.Random | None = None):
        self.settings = settings
        self._on_status, self._on_live = on_status, on_live
        self._sleep = sleep
        self._rng = rng or random.Random()
        # Wanted pairs in order: the session asks for them in this order on every socket.
        self._wanted = wanted
        self._acks: dict[Pair, asyncio.Future] = {}
        self._ws: ClientConnection | None = None
        self._task: asyncio.Task | None = None
        self._stopping = False
        self._accepting = False           # the session's own asking is done
        self.live = asyncio.Event()
        # Counters for tests and the status line.
        self.sessions = 0
        self.sent = 0                     # requests sent, all sessions
        self.bad_frames = 0

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> bool:
        """Run the session in the background; True once the first session is live, False if it
        is not within ``ws_open_timeout`` (it keeps trying)."""
        if self._task is None or self._task.done():
            self._stopping = False
            self._task = asyncio.get_running_loop().create_task(
                self._run(), name=f"{self.broker}-realtime")
        try:
            await asyncio.wait_for(self.live.wait(), self.settings.ws_open_timeout)
            return True
        except asyncio.TimeoutError:
            return False

    async def stop(self) -> None:
        self._stopping = True
        ws, task = self._ws, self._task
        if ws is not None:
            with contextlib.suppress(Exception):
                await ws.close()
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._task = None

    # ------------------------------------------------------------------ requests and answers

    async def _ask(self, ws: ClientConnection, pair: Pair, what: str,
                   compose: Callable[[], Awaitable[str]]) -> Any:
        """Send what ``compose`` makes for ``pair`` and wait for the answer ``_pending`` finds."""
        future = asyncio.get_running_loop().create_future()
        self._acks[pair] = future
        message = await compose()
        try:
            await ws.send(message)
            self.sent += 1
            return await asyncio.wait_for(future, self.settings.ack_timeout)
        except (asyncio.TimeoutError, ConnectionClosed) as exc:
            raise BrokerError(f"no answer to {what} ({type(exc).__name__})",
                              broker=self.broker) from None
        finally:
            if self._acks.get(pair) is future:
                del self._acks[pair]
            if not future.done():
                future.cancel()      # the asker is gone (closing): nobody would read its answer

    def _pending(self, tr: str, key: str) -> asyncio.Future | None:
        """The request an answer for (tr, key) belongs to; an answer that does not echo the key
        goes to the oldest pending one of its TR."""
        future = self._acks.get((tr, key))
        if future is None:
            future = next((f for (t, _), f in self._acks.items() if t == tr and not f.done()), None)
        return future

    # ------------------------------------------------------------------ the session loop

    def _failure(self, exc: BaseException) -> tuple[str, bool]:
        """The status detail for a failed session, and whether to reopen at once."""
        return f"{type(exc).__name__}: {exc}", False

    async def _run(self) -> None:
        attempt = 0
        first = True
        while not self._stopping:
            if first:
                self._on_status(Connection.CONNECTING, "")
            detail = ""
            retry_now = False
            try:
                went_live = await self._session()
                if went_live:
                    attempt = 0
                detail = "realtime session closed"
            except asyncio.CancelledError:
                raise
            except (OSError, asyncio.TimeoutError, InvalidHandshake, InvalidURI,
                    ConnectionClosed, BrokerError) as exc:
                detail, retry_now = self._failure(exc)
            except Exception as exc:  # a bug in a callback must not end reconnecting
                self.log.exception("%s realtime session failed", self.broker)
                detail = f"{type(exc).__name__}: {exc}"
            finally:
                self._ws = None
                self._accepting = False
                self.live.clear()
                for future in self._acks.values():
                    if not future.done():
                        future.cancel()
                self._acks.clear()
            if self._stopping:
                break
            first = False
            delay = 0.0 if retry_now else (
                min(self.settings.reconnect_initial * 2 ** attempt, self.settings.reconnect_max)
                * self._rng.uniform(0.5, 1.0))
            attempt += 1
            self._on_status(Connection.RECONNECTING, f"{detail}; retrying in {delay:.1f} s")
            await self._sleep(delay)
        self._on_status(Connection.DISCONNECTED, "closed")

    async def _prepare(self) -> None:
        """Whatever the new socket needs before it opens (a key, a token)."""

    def _opened(self) -> None:
        """The new socket is open; nothing has been asked on it yet."""

    @property
    def _ping_interval(self) -> float | None:
        return 20

    async def _seed(self, ws: ClientConnection, pair: Pair) -> None:
        """Ask for one wanted pair on a new socket; raise to end the session."""
        raise NotImplementedError

    async def _session(self) -> bool:
        await self._prepare()
        ping = self._ping_interval
        async with connect(self.settings.ws_endpoint, open_timeout=self.settings.ws_open_timeout,
                           ping_interval=ping, ping_timeout=ping, close_timeout=2,
                           max_size=2 ** 22) as ws:
            self._ws = ws
            self._opened()
            reader = asyncio.get_running_loop().create_task(self._read(ws))
            try:
                done: set[Pair] = set()
                while todo := [pair for pair in self._wanted if pair not in done]:
                    for pair in todo:   # pairs added meanwhile are picked up next round
                        done.add(pair)
                        await self._seed(ws, pair)
                self._accepting = True
                if self._on_live:
                    await self._on_live()
                if not reader.done():      # the socket may have dropped while asking
                    self.sessions += 1
                    self.live.set()
                    self._on_status(Connection.LIVE, "")
                await reader
            finally:
                if not reader.done():
                    reader.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await reader
            return True

    async def _read(self, ws: ClientConnection) -> None:
        try:
            await self._read_frames(ws)
        finally:
            for future in self._acks.values():
                if not future.done():
                    future.set_exception(
                        BrokerError("the realtime session closed", broker=self.broker))
                    # Marked as read: at shutdown the asker may never run again to read it.
                    future.exception()

    async def _read_frames(self, ws: ClientConnection) -> None:
        raise NotImplementedError
