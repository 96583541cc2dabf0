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

from websockets.asyncio.client import ClientConnection

from ..base import BrokerError, BrokerRejected, Connection
from ..realtime import YIELD_EVERY, RealtimeSession
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


class LsRealtime(RealtimeSession):
    broker = BROKER
    log = log

    def __init__(self, settings: LsSettings, *,
                 token: Callable[[], Awaitable[CachedToken]],
                 replace_token: Callable[[CachedToken], Awaitable[CachedToken]],
                 on_push: Callable[[Push], None],
                 on_status: Callable[[Connection, str], None],
                 on_live: Callable[[], Awaitable[None]] | None = None,
                 issued: Callable[[], int] = lambda: 0,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
                 rng: random.Random | None = None):
        # Wanted registrations in order, (tr_cd, tr_key) → tr_type; the account's come first.
        super().__init__(settings, wanted={
            (tr, ""): codes.TR_TYPE_ACCOUNT_ON for tr in codes.ORDER_EVENT_TRS},
            on_status=on_status, on_live=on_live, sleep=sleep, rng=rng)
        self._token_of = token
        self._replace_token = replace_token
        self._on_push = on_push
        self._issued = issued             # issuances so far by this key's token cache
        self._token: CachedToken | None = None
        self.token_refusals = 0

    @property
    def registrations(self) -> int:
        """Registration messages sent, all sessions."""
        return self.sent

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
        async def compose() -> str:
            # The newest token known: REST may have replaced the one the session opened with.
            token = self._token = await self._token_of()
            return registration(token.token, tr_type, tr_cd, tr_key)
        return await self._ask(ws, (tr_cd, tr_key), f"registration {tr_type} of {tr_cd}", compose)

    # ------------------------------------------------------------------ the session

    def _failure(self, exc: BaseException) -> tuple[str, bool]:
        if isinstance(exc, TokenRefused):
            # Another Lucy process's token is waiting in the file: use it at once. After an
            # issuance of our own, back off as usual: someone outside is using the key.
            return str(exc), exc.replaced_from_file
        return super()._failure(exc)

    async def _prepare(self) -> None:
        self._token = await self._token_of()   # before the socket: no token, no session

    @property
    def _ping_interval(self) -> float | None:
        return self.settings.ping_interval

    async def _seed(self, ws: ClientConnection, pair: tuple[str, str]) -> None:
        tr_cd, tr_key = pair
        tr_type = self._wanted.get(pair)
        if tr_type is None:
            return
        ack = await self._request(ws, tr_cd, tr_key, tr_type)
        if ack.ok:
            return
        if ack.rsp_cd in TOKEN_CODES:
            await self._token_refused(ack)
        if tr_type == codes.TR_TYPE_ACCOUNT_ON:
            raise BrokerError(f"{tr_cd} registration refused: {ack.rsp_msg}",
                              broker=BROKER, code=ack.rsp_cd)
        log.warning("ls: %s %s refused on re-registration: %s %s",
                    tr_cd, tr_key, ack.rsp_cd, ack.rsp_msg)
        self._wanted.pop(pair, None)

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

    async def _read_frames(self, ws: ClientConnection) -> None:
        count = 0
        async for raw in ws:
            count += 1
            if count % YIELD_EVERY == 0:
                await asyncio.sleep(0)      # see brokers/realtime.YIELD_EVERY
            self._frame(raw)

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
        future = self._pending(ack.tr_cd, ack.tr_key)
        if future is None and not ack.tr_cd:
            # An error frame without tr_cd (a refused token, bad JSON): the oldest pending one.
            future = next((f for f in self._acks.values() if not f.done()), None)
        if future is not None and not future.done():
            future.set_result(ack)
        elif not ack.ok:
            log.warning("ls: unsolicited answer %s %s for %s", ack.rsp_cd, ack.rsp_msg, ack.tr_cd)
