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

from websockets.asyncio.client import ClientConnection

from .codes import WS_TRADE
from ..base import BrokerError, BrokerRejected, Connection
from ..realtime import YIELD_EVERY, RealtimeSession
from .frames import FrameError, Notice, decrypt, parse_notices, parse_ticks, split_frame
from .settings import KisSettings

log = logging.getLogger(__name__)

PINGPONG = "PINGPONG"
SUBSCRIBE, UNSUBSCRIBE = "1", "2"
#: ACK codes that leave the subscription in place (§5.2): done, or already there after a reconnect.
ACK_OK = frozenset({"OPSP0000", "OPSP0002"})
UNSUB_OK = frozenset({"OPSP0001", "OPSP0003"})
IN_USE = "OPSP8996"


class KisRealtime(RealtimeSession):
    broker = "kis"
    log = log

    def __init__(self, settings: KisSettings, *,
                 approval: Callable[[], Awaitable[str]],
                 on_notice: Callable[[Notice], None],
                 on_tick: Callable[[list[str]], None],
                 on_status: Callable[[Connection, str], None],
                 on_open: Callable[[], None] | None = None,
                 on_live: Callable[[], Awaitable[None]] | None = None,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
                 rng: random.Random | None = None):
        self.notice_tr = settings.environment.notice_tr
        # The notice subscription is always first.
        super().__init__(settings, wanted={(self.notice_tr, settings.hts_id): None},
                         on_status=on_status, on_live=on_live, sleep=sleep, rng=rng)
        self._approval = approval
        self._on_notice, self._on_tick = on_notice, on_tick
        self._on_open = on_open
        self._keys: dict[str, tuple[str, str]] = {}
        self._approval_key = ""
        self.pingpongs = 0

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
        async def compose() -> str:
            return json.dumps({
                "header": {"approval_key": self._approval_key, "custtype": self.settings.custtype,
                           "tr_type": tr_type, "content-type": "utf-8"},
                "body": {"input": {"tr_id": tr_id, "tr_key": tr_key}},
            })
        what = f"{'un' if tr_type == UNSUBSCRIBE else ''}subscribe {tr_id}"
        return await self._ask(ws, (tr_id, tr_key), what, compose)

    # ------------------------------------------------------------------ the session

    async def _prepare(self) -> None:
        self._approval_key = await self._approval()

    def _opened(self) -> None:
        self._keys.clear()             # a new session brings new key/iv pairs
        if self._on_open:
            self._on_open()

    async def _seed(self, ws: ClientConnection, pair: tuple[str, str]) -> None:
        tr_id, tr_key = pair
        rt_cd, msg_cd, msg1 = await self._request(ws, tr_id, tr_key, SUBSCRIBE)
        if msg_cd == IN_USE or (tr_id == self.notice_tr and msg_cd not in ACK_OK):
            raise BrokerError(f"{tr_id} refused: {msg1}", broker="kis", code=msg_cd)
        if msg_cd not in ACK_OK:
            log.warning("kis: %s %s refused on resubscribe: %s %s",
                        tr_id, tr_key, msg_cd, msg1)
            self._wanted.pop((tr_id, tr_key), None)

    async def _read_frames(self, ws: ClientConnection) -> None:
        count = 0
        async for raw in ws:
            count += 1
            if count % YIELD_EVERY == 0:
                await asyncio.sleep(0)      # see brokers/realtime.YIELD_EVERY
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
        future = self._pending(tr_id, tr_key)
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
