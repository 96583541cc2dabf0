"""The KIS realtime session over websockets (kis.md §5): subscribe, decrypt, answer PINGPONG,
reconnect.

One session per app key. On every (re)connect: a fresh approval key from the REST host, a new
socket, then every wanted (tr_id, tr_key) subscribed again — the execution notice keyed by the
HTS id first, then ticks. Each subscribe ACK carries the key/iv for that TR's encrypted frames
(kept per tr_id: last ACK wins, and a new session brings new ones). A dropped socket is
reopened with exponential back-off and jitter, so a fleet of clients does not reconnect in step.

The session knows frames, not orders: it hands parsed notice records and tick records to the
callbacks it is given, and the broker maps them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
from collections.abc import Awaitable, Callable

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from .codes import WS_TRADE
from ..base import BrokerError, BrokerRejected, Connection
from .frames import FrameError, Notice, decrypt, parse_notices, parse_ticks, split_frame
from .settings import KisSettings

log = logging.getLogger(__name__)

PINGPONG = "PINGPONG"
SUBSCRIBE, UNSUBSCRIBE = "1", "2"
#: ACK codes that leave the subscription in place (§5.2): done, or already there after a reconnect.
ACK_OK = frozenset({"OPSP0000", "OPSP0002"})
UNSUB_OK = frozenset({"OPSP0001", "OPSP0003"})
IN_USE = "OPSP8996"


class KisRealtime:
    def __init__(self, settings: KisSettings, *,
                 approval: Callable[[], Awaitable[str]],
                 on_notice: Callable[[Notice], None],
                 on_tick: Callable[[list[str]], None],
                 on_status: Callable[[Connection, str], None],
                 on_open: Callable[[], None] | None = None,
                 on_live: Callable[[], Awaitable[None]] | None = None,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
                 rng: random.Random | None = None):
        self.settings = settings
        self.notice_tr = settings.environment.notice_tr
        self._approval = approval
        self._on_notice, self._on_tick, self._on_status = on_notice, on_tick, on_status
        self._on_open, self._on_live = on_open, on_live
        self._sleep = sleep
        self._rng = rng or random.Random()
        # Wanted subscriptions in order; the notice subscription is always first.
        self._wanted: dict[tuple[str, str], None] = {(self.notice_tr, settings.hts_id): None}
        self._keys: dict[str, tuple[str, str]] = {}
        self._acks: dict[tuple[str, str], asyncio.Future] = {}
        self._ws: ClientConnection | None = None
        self._approval_key = ""
        self._task: asyncio.Task | None = None
        self._stopping = False
        self._accepting = False           # the session's own subscribing is done
        self.live = asyncio.Event()
        # Counters for tests and the status line.
        self.sessions = 0
        self.pingpongs = 0
        self.bad_frames = 0

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> bool:
        """Run the session in the background; True once the first session is live, False if it
        is not within ``ws_open_timeout`` (it keeps trying)."""
        if self._task is None or self._task.done():
            self._stopping = False
            self._task = asyncio.get_running_loop().create_task(self._run(), name="kis-realtime")
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

    # ------------------------------------------------------------------ subscriptions

    @property
    def subscriptions(self) -> list[tuple[str, str]]:
        return list(self._wanted)

    async def subscribe(self, tr_id: str, tr_key: str) -> None:
        """Keep (tr_id, tr_key) subscribed from now on; raises on a refusing ACK."""
        pair = (tr_id, tr_key)
        if pair in self._wanted:
            return
        self._wanted[pair] = None
        ws = self._ws
        if ws is None or not self._accepting:
            return  # the session being opened (or the next one) subscribes it
        rt_cd, msg_cd, msg1 = await self._request(ws, tr_id, tr_key, SUBSCRIBE)
        if msg_cd not in ACK_OK:
            self._wanted.pop(pair, None)
            raise BrokerRejected(msg1 or "subscribe refused", broker="kis", code=msg_cd,
                                 broker_message=msg1)

    async def unsubscribe(self, tr_id: str, tr_key: str) -> None:
        pair = (tr_id, tr_key)
        if pair not in self._wanted or tr_id == self.notice_tr:
            return
        del self._wanted[pair]
        ws = self._ws
        if ws is not None and self._accepting:
            with contextlib.suppress(BrokerError):
                await self._request(ws, tr_id, tr_key, UNSUBSCRIBE)

    async def _request(self, ws: ClientConnection, tr_id: str, tr_key: str,
                       tr_type: str) -> tuple[str, str, str]:
        pair = (tr_id, tr_key)
        future = asyncio.get_running_loop().create_future()
        self._acks[pair] = future
        message = {
            "header": {"approval_key": self._approval_key, "custtype": self.settings.custtype,
                       "tr_type": tr_type, "content-type": "utf-8"},
            "body": {"input": {"tr_id": tr_id, "tr_key": tr_key}},
        }
        try:
            await ws.send(json.dumps(message))
            return await asyncio.wait_for(future, self.settings.ack_timeout)
        except (asyncio.TimeoutError, ConnectionClosed) as exc:
            raise BrokerError(f"no answer to {'un' if tr_type == UNSUBSCRIBE else ''}subscribe "
                              f"{tr_id} ({type(exc).__name__})", broker="kis") from None
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
            try:
                went_live = await self._session()
                if went_live:
                    attempt = 0
                detail = "realtime session closed"
            except asyncio.CancelledError:
                raise
            except (OSError, asyncio.TimeoutError, InvalidHandshake, InvalidURI,
                    ConnectionClosed, BrokerError) as exc:
                detail = f"{type(exc).__name__}: {exc}"
            except Exception as exc:  # a bug in a callback must not end reconnecting
                log.exception("kis realtime session failed")
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
            delay = min(self.settings.reconnect_initial * 2 ** attempt, self.settings.reconnect_max)
            delay *= self._rng.uniform(0.5, 1.0)
            attempt += 1
            self._on_status(Connection.RECONNECTING, f"{detail}; retrying in {delay:.1f} s")
            await self._sleep(delay)
        self._on_status(Connection.DISCONNECTED, "closed")

    async def _session(self) -> bool:
        self._approval_key = await self._approval()
        async with connect(self.settings.ws_endpoint, open_timeout=self.settings.ws_open_timeout,
                           ping_interval=20, ping_timeout=20, close_timeout=2,
                           max_size=2 ** 22) as ws:
            self._ws = ws
            self._keys.clear()             # a new session brings new key/iv pairs
            if self._on_open:
                self._on_open()
            reader = asyncio.get_running_loop().create_task(self._read(ws))
            try:
                done: set[tuple[str, str]] = set()
                while todo := [pair for pair in self._wanted if pair not in done]:
                    for tr_id, tr_key in todo:   # pairs added meanwhile are picked up next round
                        done.add((tr_id, tr_key))
                        rt_cd, msg_cd, msg1 = await self._request(ws, tr_id, tr_key, SUBSCRIBE)
                        if msg_cd == IN_USE or (tr_id == self.notice_tr and msg_cd not in ACK_OK):
                            raise BrokerError(f"{tr_id} refused: {msg1}", broker="kis", code=msg_cd)
                        if msg_cd not in ACK_OK:
                            log.warning("kis: %s %s refused on resubscribe: %s %s",
                                        tr_id, tr_key, msg_cd, msg1)
                            self._wanted.pop((tr_id, tr_key), None)
                self._accepting = True
                if self._on_live:
                    await self._on_live()
                if not reader.done():      # the socket may have dropped while seeding
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
                    future.set_exception(BrokerError("the realtime session closed", broker="kis"))

    async def _read_frames(self, ws: ClientConnection) -> None:
        async for raw in ws:
            text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
            if text[:1] in ("0", "1"):
                self._data(text)
                continue
            try:
                message = json.loads(text)
                header = message.get("header") or {}
            except (ValueError, AttributeError):
                self.bad_frames += 1
                continue
            tr_id = str(header.get("tr_id", ""))
            if tr_id == PINGPONG:
                # Echo the frame as it came: what the official client does; the server drops
                # sessions that stay silent.
                await ws.send(text)
                self.pingpongs += 1
                continue
            self._control(tr_id, str(header.get("tr_key", "")), message.get("body") or {})

    def _control(self, tr_id: str, tr_key: str, body: dict) -> None:
        output = body.get("output") or {}
        if isinstance(output, dict) and output.get("key") and output.get("iv"):
            self._keys[tr_id] = (str(output["key"]), str(output["iv"]))
        answer = (str(body.get("rt_cd", "")), str(body.get("msg_cd", "")),
                  str(body.get("msg1", "")).strip())
        future = self._acks.get((tr_id, tr_key))
        if future is None:  # an ACK that does not echo tr_key: the oldest pending one of its TR
            future = next((f for (t, _), f in self._acks.items() if t == tr_id and not f.done()), None)
        if future is not None and not future.done():
            future.set_result(answer)

    def _data(self, text: str) -> None:
        try:
            frame = split_frame(text)
            payload = frame.payload
            if frame.encrypted:
                pair = self._keys.get(frame.tr_id)
                if pair is None:
                    raise FrameError(f"encrypted {frame.tr_id} frame before its ACK")
                payload = decrypt(payload, *pair)
            if frame.tr_id == self.notice_tr:
                for notice in parse_notices(payload, frame.count):
                    self._on_notice(notice)
            elif frame.tr_id == WS_TRADE:
                for record in parse_ticks(payload, frame.count):
                    self._on_tick(record)
        except FrameError as exc:
            self.bad_frames += 1
            log.warning("kis: skipped a frame: %s", exc)
        except Exception:  # a mapping bug must not end the session; the inquiry reconciles
            self.bad_frames += 1
            log.exception("kis: a frame could not be handled")
