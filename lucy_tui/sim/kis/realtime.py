"""KIS WebSocket sessions (kis.md §5): subscribe/unsubscribe, ACKs with AES key/iv, OPSP codes,
PINGPONG, execution notices and market data.

* Served on the REST port at ``/``, ``/tryitout`` and ``/tryitout/<TR>``; no auth at connect.
* A session belongs to the app key of the first approval key it subscribes with; another live
  session of that key gets ``OPSP8996 ALREADY IN USE appkey``.
* At most 41 (tr_id, tr_key) registrations per session, the notice included (``OPSP0008``).
* Every ACK, error ACKs included, carries ``output {iv, key}`` — one pair per (session, tr_id) —
  because clients read it unconditionally; ``encrypt`` is ``"Y"`` for the notice TRs.
* An execution-notice subscription whose tr_key is not the key's HTS id drops the connection
  without a close frame, as the official README reports for a wrong HTS id.
* PINGPONG goes out every ``pingpong_interval`` seconds; an echoed text frame or a pong control
  frame answers it; with ``pingpong_timeout`` set, a session that stays silent is dropped.
  Client pings get pongs.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from ...domain.model import Side
from ..accounts import OrderNotice
from ...brokers.kis import codes
from . import notices
from ...brokers.kis.codes import WsMsg
from .marketdata import BookState, Tape, book_record
from ..websession import WsHub, WsSession

if TYPE_CHECKING:
    from .auth import AppKey
    from .front import KisFront

#: Records per H0STCNT0 frame when trades come in bursts.
MAX_BATCH = 20


def _compact(message: dict) -> str:
    """Control text as KIS sends it, without blanks (§5.4): some clients echo PINGPONG verbatim
    and some match it as text, so the spacing is part of the wire."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


class Session(WsSession):
    def __init__(self, ws: web.WebSocketResponse, request: web.Request):
        super().__init__(ws, request)
        self.app: AppKey | None = None
        self.regs: set[tuple[str, str]] = set()
        self.keys: dict[str, tuple[str, str]] = {}
        self.answered = True

    def subscribed(self, tr_id: str, tr_key: str) -> bool:
        return (tr_id, tr_key) in self.regs


class RealtimeHub(WsHub):
    label = "KIS"
    autoping = False            # PINGPONG and pongs both count as an answer (see _pinger)
    session_type = Session

    def __init__(self, front: KisFront, *, rng: random.Random):
        super().__init__(front)
        self.options = front.options
        self._rng = rng
        self._bound: dict[str, Session] = {}
        self._tapes: dict[str, Tape] = {}
        self._books: dict[str, BookState] = defaultdict(BookState)
        self._pending_trades: dict[str, list[list[str]]] = defaultdict(list)

    def install(self, app: web.Application) -> None:
        app.router.add_get("/", self.handle)
        app.router.add_get("/tryitout", self.handle)
        app.router.add_get("/tryitout/{tr}", self.handle)

    # ------------------------------------------------------------ connection

    def _tasks(self, session: Session) -> list[asyncio.Task]:
        return [*super()._tasks(session), asyncio.create_task(self._pinger(session))]

    async def _on_control(self, session: Session, msg) -> None:
        if msg.type == WSMsgType.PING:
            await session.ws.pong(msg.data)
        elif msg.type == WSMsgType.PONG:
            session.answered = True

    def _forget(self, session: Session) -> None:
        super()._forget(session)
        if session.app is not None and self._bound.get(session.app.app_key) is session:
            del self._bound[session.app.app_key]

    async def _pinger(self, session: Session) -> None:
        interval = self.options.pingpong_interval
        timeout = self.options.pingpong_timeout
        wait = interval
        try:
            while not session.closed:
                await asyncio.sleep(wait)
                stamp = self.front.clock.now().strftime("%Y%m%d%H%M%S")
                session.answered = False
                session.send(_compact({"header": {"tr_id": "PINGPONG", "datetime": stamp}}))
                wait = interval
                if timeout is not None:
                    await asyncio.sleep(min(timeout, interval))
                    if not session.answered:
                        session.abort()
                        return
                    wait = max(0.0, interval - timeout)
        except asyncio.CancelledError:
            return

    # ------------------------------------------------------------ control messages

    def _ack(self, session: Session, msg: WsMsg, tr_id: str, tr_key: str) -> None:
        key, iv = self._key_for(session, tr_id)
        encrypt = "Y" if tr_id in (codes.WS_NOTICE_REAL, codes.WS_NOTICE_MOCK) else "N"
        session.send(_compact({
            "header": {"tr_id": tr_id, "tr_key": tr_key, "encrypt": encrypt},
            "body": {"rt_cd": msg.rt_cd, "msg_cd": msg.msg_cd, "msg1": msg.msg1,
                     "output": {"iv": iv, "key": key}},
        }))

    def _key_for(self, session: Session, tr_id: str) -> tuple[str, str]:
        if tr_id not in session.keys:
            session.keys[tr_id] = notices.new_key_iv(self._rng)
        return session.keys[tr_id]

    def _on_text(self, session: Session, text: str) -> None:
        try:
            msg = json.loads(text)
        except json.JSONDecodeError:
            return self._ack(session, codes.WS_BAD_JSON, "", "")
        if not isinstance(msg, dict):
            return self._ack(session, codes.WS_BAD_JSON, "", "")
        header = msg.get("header")
        if not isinstance(header, dict):
            return self._ack(session, codes.WS_NO_HEADER, "", "")
        if header.get("tr_id") == "PINGPONG":
            session.answered = True
            return None
        body = msg.get("body")
        if not isinstance(body, dict):
            return self._ack(session, codes.WS_NO_BODY, "", "")
        inp = body.get("input")
        if not isinstance(inp, dict):
            return self._ack(session, codes.WS_NO_INPUT, "", "")
        tr_id = str(inp.get("tr_id") or "")
        tr_key = inp.get("tr_key")
        if tr_key is None:
            return self._ack(session, codes.WS_NO_TR_KEY, tr_id, "")
        tr_key = str(tr_key)
        approval = header.get("approval_key")
        if not approval:
            return self._ack(session, codes.WS_NO_APPKEY, tr_id, tr_key)
        app = self.front.tokens.approval_owner(str(approval))
        if app is None:
            return self._ack(session, codes.WS_BAD_APPROVAL, tr_id, tr_key)
        if str(header.get("custtype", "P") or "P") not in ("P", "B"):
            return self._ack(session, codes.WS_BAD_CUSTTYPE, tr_id, tr_key)
        tr_type = str(header.get("tr_type", ""))
        if tr_type not in ("1", "2"):
            return self._ack(session, codes.WS_BAD_TR_TYPE, tr_id, tr_key)
        if session.app is None:
            other = self._bound.get(app.app_key)
            if other is not None and other is not session and not other.closed:
                return self._ack(session, codes.WS_IN_USE, tr_id, tr_key)
            session.app = app
            self._bound[app.app_key] = session
        elif session.app is not app:
            return self._ack(session, codes.WS_BAD_APPKEY, tr_id, tr_key)
        domain = app.domain
        if tr_id not in codes.WS_TRS[domain]:
            return self._ack(session, codes.WS_BAD_TR_ID, tr_id, tr_key)
        if tr_id == codes.WS_NOTICE[domain]:
            if tr_key != app.hts_id:
                if self.options.wrong_hts_id_drops:
                    session.abort()
                    return None
                return self._ack(session, codes.WS_BAD_TR_KEY, tr_id, tr_key)
        elif not (1 <= len(tr_key) <= 12 and tr_key.isalnum()):
            return self._ack(session, codes.WS_BAD_TR_KEY, tr_id, tr_key)
        pair = (tr_id, tr_key)
        if tr_type == "1":
            if pair in session.regs:
                return self._ack(session, codes.WS_ALREADY, tr_id, tr_key)
            if len(session.regs) >= self.options.max_registrations:
                return self._ack(session, codes.WS_MAX, tr_id, tr_key)
            session.regs.add(pair)
            return self._ack(session, codes.WS_SUBSCRIBED, tr_id, tr_key)
        if pair not in session.regs:
            return self._ack(session, codes.WS_NOT_FOUND, tr_id, tr_key)
        session.regs.discard(pair)
        return self._ack(session, codes.WS_UNSUBSCRIBED, tr_id, tr_key)

    # ------------------------------------------------------------ data

    def publish_notice(self, notice: OrderNotice) -> None:
        owner = self.front.owners.get(notice.owner)
        if owner is None:
            return
        app, account = owner
        tr_id = codes.WS_NOTICE[app.domain]
        record = notices.notice_record(notice, hts_id=app.hts_id, acnt_no=account.acnt_no,
                                       holder=app.holder, branch=codes.BRANCH[app.domain])
        for session in list(self.sessions):
            if session.app is app and session.subscribed(tr_id, app.hts_id):
                key_iv = self._key_for(session, tr_id)
                self._send_data(session, notices.frame(tr_id, [record], key_iv=key_iv))

    def on_trade(self, event: Any) -> None:
        code = event.code
        tape = self._tapes.get(code)
        if tape is None:
            tape = self._tapes[code] = Tape(code)
        when = getattr(event, "time", None) or self.front.clock.now()
        side = event.side if isinstance(getattr(event, "side", None), Side) else None
        tape.apply(time=when, price=event.price, qty=event.qty, side=side,
                   high=event.high, low=event.low)
        if not any(s.subscribed(codes.WS_TRADE, code) for s in self.sessions):
            return
        quote = self.front.quote(code)
        if quote is None:
            return
        asks, bids = self.front.levels(code)
        record = tape.record(
            time=when, price=event.price, qty=event.qty, side=side,
            cum_volume=event.cum_volume or quote.volume, open_=event.open or quote.open,
            high=event.high or quote.high, low=event.low or quote.low, base=quote.base,
            upper=quote.upper_limit, lower=quote.lower_limit, asks=asks, bids=bids,
            market_cls_code=self.options.market_cls_code,
            session=getattr(event, "session", "regular"))
        self._pending_trades[code].append(record)
        self._schedule()

    def on_book(self, code: str) -> None:
        if any(s.subscribed(codes.WS_BOOK, code) for s in self.sessions):
            self._dirty_books.add(code)
            self._schedule()

    def _schedule(self) -> None:
        if not self.sessions:       # nobody to send to: nothing worth keeping
            self._pending_trades.clear()
            self._dirty_books.clear()
            return
        super()._schedule()

    def flush(self) -> None:
        """Send what accumulated since the last flush: trades batched per symbol, one book each."""
        self._flush_scheduled = False
        trades, self._pending_trades = self._pending_trades, defaultdict(list)
        books, self._dirty_books = self._dirty_books, set()
        for code, records in trades.items():
            targets = [s for s in self.sessions if s.subscribed(codes.WS_TRADE, code)]
            if not targets:
                continue
            for i in range(0, len(records), MAX_BATCH):
                text = notices.frame(codes.WS_TRADE, records[i:i + MAX_BATCH])
                for session in targets:
                    self._send_data(session, text)
        for code in books:
            targets = [s for s in self.sessions if s.subscribed(codes.WS_BOOK, code)]
            if not targets:
                continue
            asks, bids = self.front.levels(code)
            quote = self.front.quote(code)
            record = book_record(code, self.front.clock.now(), list(asks), list(bids),
                                 quote.volume if quote else 0, self._books[code])
            text = notices.frame(codes.WS_BOOK, [record])
            for session in targets:
                self._send_data(session, text)

    # ------------------------------------------------------------ faults

    def _malformed(self, session: Session) -> str:
        """A frame a robust client must survive: truncated data, a bad cipher text, or junk."""
        market = sorted(tr for tr, _ in session.regs if tr in (codes.WS_TRADE, codes.WS_BOOK))
        if market:
            return f"0|{market[0]}|001|005930^0933"
        notice = [tr for tr, _ in session.regs if tr in (codes.WS_NOTICE_REAL, codes.WS_NOTICE_MOCK)]
        if notice:
            return f"1|{notice[0]}|001|%%not-base64%%"
        return '{"header": {"tr_id": '


