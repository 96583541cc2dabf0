"""The LS realtime session over websockets (ls.md §5): register, read, reconnect.

There is no login: every message carries the REST access token in ``header.token``. On every
(re)connect the account is registered for SC0–SC4 again — LS forgets registrations with the
socket (ls.md §8.2) — one registration per TR, which servers that enable all five on the first
one also accept; then every wanted tick subscription (``S3_`` KOSPI / ``K3_`` KOSDAQ, by market:
the server does not route by symbol). A dropped socket is reopened with exponential back-off and
jitter, so a fleet of clients does not reconnect in step.

A registration refused for the token (another process replaced it) gets the token the shared
file holds now (or a new one, within the guard) and the session starts over at once.

The session knows frames, not orders: it hands pushes to the callbacks it is given.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from ..base import BrokerError, BrokerRejected, Connection
from ..tokens import CachedToken
from . import codes
from .errors import BROKER, TOKEN_CODES
from .frames import Ack, FrameError, Push, parse, registration
from .settings import LsSettings

log = logging.getLogger(__name__)

_ON = {codes.TR_TYPE_ACCOUNT_OFF: codes.TR_TYPE_ACCOUNT_ON,
       codes.TR_TYPE_MARKET_OFF: codes.TR_TYPE_MARKET_ON}
_OFF = {on: off for off, on in _ON.items()}


class TokenRefused(BrokerError):
    """A registration was refused for its token; the session restarts with another."""

    replaced_from_file = False   # the other token came from the shared file, not an issuance


class LsRealtime:
    def __init__(self, settings: LsSettings, *,
                 token: Callable[[], Awaitable[CachedToken]],
                 replace_token: Callable[[CachedToken], Awaitable[CachedToken]],
                 on_push: Callable[[Push], None],
                 on_status: Callable[[Connection, str], None],
                 on_live: Callable[[], Awaitable[None]] | None = None,
                 issued: Callable[[], int] = lambda: 0,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
                 rng: random.Random | None = None):
        self.settings = settings
        self._token_of = token
        self._replace_token = replace_token
        self._on_push, self._on_status, self._on_live = on_push, on_status, on_live
        self._issued = issued             # issuances so far by this key's token cache
        self._sleep = sleep
        self._rng = rng or random.Random()
        # Wanted registrations in order, (tr_cd, tr_key) → tr_type; the account's come first.
        self._wanted: dict[tuple[str, str], str] = {
            (tr, ""): codes.TR_TYPE_ACCOUNT_ON for tr in codes.ORDER_EVENT_TRS}
        self._acks: dict[tuple[str, str], asyncio.Future] = {}
        self._ws: ClientConnection | None = None
        self._token: CachedToken | None = None
        self._task: asyncio.Task | None = None
        self._stopping = False
        self._accepting = False           # the session's own registering is done
        self.live = asyncio.Event()
        # Counters for tests and the status line.
        self.sessions = 0
        self.registrations = 0            # registration messages sent, all sessions
        self.bad_frames = 0
        self.token_refusals = 0

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> bool:
        """Run the session in the background; True once the first session is live, False if it
        is not within ``ws_open_timeout`` (it keeps trying)."""
        if self._task is None or self._task.done():
            self._stopping = False
            self._task = asyncio.get_running_loop().create_task(self._run(), name="ls-realtime")
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

    # ------------------------------------------------------------------ registrations

    @property
    def registered(self) -> list[tuple[str, str]]:
        return list(self._wanted)

    async def subscribe(self, tr_cd: str, tr_key: str) -> None:
        """Keep (tr_cd, tr_key) registered from now on; raises on a refusing answer."""
        pair = (tr_cd, tr_key)
        if pair in self._wanted:
            return
        self._wanted[pair] = codes.TR_TYPE_MARKET_ON
        ws = self._ws
        if ws is None or not self._accepting:
            return  # the session being opened (or the next one) registers it
        ack = await self._request(ws, tr_cd, tr_key, codes.TR_TYPE_MARKET_ON)
        if ack.rsp_cd in TOKEN_CODES and self._token is not None:
            self.token_refusals += 1
            await self._replace_token(self._token)
            ack = await self._request(ws, tr_cd, tr_key, codes.TR_TYPE_MARKET_ON)
        if not ack.ok:
            self._wanted.pop(pair, None)
            raise BrokerRejected(ack.rsp_msg or "registration refused", broker=BROKER,
                                 code=ack.rsp_cd, broker_message=ack.rsp_msg)

    async def unsubscribe(self, tr_cd: str, tr_key: str) -> None:
        pair = (tr_cd, tr_key)
        tr_type = self._wanted.get(pair)
        if tr_type is None or tr_type == codes.TR_TYPE_ACCOUNT_ON:
            return
        del self._wanted[pair]
        ws = self._ws
        if ws is not None and self._accepting:
            with contextlib.suppress(BrokerError):
                await self._request(ws, tr_cd, tr_key, _OFF[tr_type])

    async def _request(self, ws: ClientConnection, tr_cd: str, tr_key: str, tr_type: str) -> Ack:
        pair = (tr_cd, tr_key)
        future = asyncio.get_running_loop().create_future()
        self._acks[pair] = future
        # The newest token known: REST may have replaced the one the session opened with.
        token = self._token = await self._token_of()
        try:
            await ws.send(registration(token.token, tr_type, tr_cd, tr_key))
            self.registrations += 1
            return await asyncio.wait_for(future, self.settings.ack_timeout)
        except (asyncio.TimeoutError, ConnectionClosed) as exc:
            raise BrokerError(f"no answer to registration {tr_type} of {tr_cd} "
                              f"({type(exc).__name__})", broker=BROKER) from None
        finally:
            if self._acks.get(pair) is future:
                del self._acks[pair]

    # ------------------------------------------------------------------ the session loop

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
            except TokenRefused as exc:
                detail = str(exc)
                # Another Lucy process's token is waiting in the file: use it at once. After an
                # issuance of our own, back off as usual: someone outside is using the key.
                retry_now = exc.replaced_from_file
            except (OSError, asyncio.TimeoutError, InvalidHandshake, InvalidURI,
                    ConnectionClosed, BrokerError) as exc:
                detail = f"{type(exc).__name__}: {exc}"
            except Exception as exc:  # a bug in a callback must not end reconnecting
                log.exception("ls realtime session failed")
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

    async def _session(self) -> bool:
        self._token = await self._token_of()   # before the socket: no token, no session
        ping = self.settings.ping_interval
        async with connect(self.settings.ws_endpoint, open_timeout=self.settings.ws_open_timeout,
                           ping_interval=ping, ping_timeout=ping, close_timeout=2,
                           max_size=2 ** 22) as ws:
            self._ws = ws
            reader = asyncio.get_running_loop().create_task(self._read(ws))
            try:
                done: set[tuple[str, str]] = set()
                while todo := [pair for pair in self._wanted if pair not in done]:
                    for tr_cd, tr_key in todo:   # pairs added meanwhile are picked up next round
                        done.add((tr_cd, tr_key))
                        tr_type = self._wanted.get((tr_cd, tr_key))
                        if tr_type is None:
                            continue
                        ack = await self._request(ws, tr_cd, tr_key, tr_type)
                        if ack.ok:
                            continue
                        if ack.rsp_cd in TOKEN_CODES:
                            await self._token_refused(ack)
                        if tr_type == codes.TR_TYPE_ACCOUNT_ON:
                            raise BrokerError(f"{tr_cd} registration refused: {ack.rsp_msg}",
                                              broker=BROKER, code=ack.rsp_cd)
                        log.warning("ls: %s %s refused on re-registration: %s %s",
                                    tr_cd, tr_key, ack.rsp_cd, ack.rsp_msg)
                        self._wanted.pop((tr_cd, tr_key), None)
                self._accepting = True
                if self._on_live:
                    await self._on_live()
                if not reader.done():      # the socket may have dropped while registering
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

    async def _token_refused(self, ack: Ack) -> None:
        self.token_refusals += 1
        dead = self._token
        error = TokenRefused(f"{ack.tr_cd} registration refused for its token: {ack.rsp_msg}",
                             broker=BROKER, code=ack.rsp_cd, broker_message=ack.rsp_msg)
        if dead is not None:
            issued = self._issued()
            self._token = await self._replace_token(dead)
            error.replaced_from_file = self._token.token != dead.token and self._issued() == issued
        raise error

    async def _read(self, ws: ClientConnection) -> None:
        try:
            async for raw in ws:
                self._frame(raw)
        finally:
            for future in self._acks.values():
                if not future.done():
                    future.set_exception(BrokerError("the realtime session closed", broker=BROKER))

    def _frame(self, raw: str | bytes) -> None:
        try:
            frame = parse(raw)
        except FrameError as exc:
            self.bad_frames += 1
            log.warning("ls: skipped a frame: %s", exc)
            return
        if isinstance(frame, Ack):
            self._ack(frame)
            return
        try:
            self._on_push(frame)
        except FrameError as exc:
            self.bad_frames += 1
            log.warning("ls: skipped a %s push: %s", frame.tr_cd, exc)
        except Exception:  # a mapping bug must not end the session; the inquiry reconciles
            self.bad_frames += 1
            log.exception("ls: a %s push could not be handled", frame.tr_cd)

    def _ack(self, ack: Ack) -> None:
        future = self._acks.get((ack.tr_cd, ack.tr_key))
        if future is None:  # an answer that does not echo tr_key: the oldest pending of its TR
            future = next((f for (t, _), f in self._acks.items()
                           if t == ack.tr_cd and not f.done()), None)
        if future is None and not ack.tr_cd:
            # An error frame without tr_cd (a refused token, bad JSON): the oldest pending one.
            future = next((f for f in self._acks.values() if not f.done()), None)
        if future is not None and not future.done():
            future.set_result(ack)
        elif not ack.ok:
            log.warning("ls: unsolicited answer %s %s for %s", ack.rsp_cd, ack.rsp_msg, ack.tr_cd)
