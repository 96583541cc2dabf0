"""LS WebSocket sessions (ls.md §5): registrations, acks, SC0–SC4 and market data.

* Served on the REST port at ``/websocket`` and ``/websocket/stock``; no auth at connect, no
  login frame, no server pings (protocol pings from clients are answered).
* Every client message is ``{"header": {"token", "tr_type"}, "body": {"tr_cd", "tr_key"}}`` and
  carries the raw access token; a missing, dead or expired token gets an error ack with the
  gateway's code (``IGW00122`` / ``IGW00121`` / ``IGW00123``).
* ``tr_type`` 1 with any of SC0–SC4 registers the token's account for all five order-event TRs
  (registering each of them separately works too); one ``tr_type`` 2 turns all five off.
  ``tr_type`` 3 / 4 register / unregister market data by ``tr_key`` (the 6-digit code).
* Acks are ``{"header": {"tr_cd", "tr_key", "tr_type", "rsp_cd", "rsp_msg"}}`` with no body;
  ``rsp_cd`` ``00000`` is success.
* Data: ``{"header": {"tr_cd": "S3_", "tr_key": "005930"}, "body": {...}}``; account pushes have
  only ``tr_cd`` in the header. All values are strings.
* Registrations belong to the socket: a reconnect starts with none, as at LS.
* Market selection is by TR: S3_/H1_ carry KOSPI symbols, K3_/HA_ KOSDAQ ones; a KOSDAQ code
  registered on S3_ is acked and then yields nothing.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ...brokers.ls import codes
from ...brokers.ls.codes import GatewayError
from ...domain.model import Market, Side
from ..accounts import NoticeKind, OrderNotice
from . import sc
from .options import REJECT_AS_SC4
from .orders import reject_outcome
from .ticks import Tape, book_body, trade_body
from ..websession import WsHub, WsSession

if TYPE_CHECKING:
    from .auth import LsKey
    from .front import LsFront

#: Market-data TRs served, with the market each carries.
MARKET_TRS: dict[str, Market] = {codes.S3_: Market.KOSPI, codes.K3_: Market.KOSDAQ,
                                 codes.H1_: Market.KOSPI, codes.HA_: Market.KOSDAQ}
TRADE_TRS = frozenset({codes.S3_, codes.K3_})
BOOK_TRS = frozenset({codes.H1_, codes.HA_})


class Session(WsSession):
    def __init__(self, ws: web.WebSocketResponse, request: web.Request):
        super().__init__(ws, request)
        self.accounts: set[str] = set()           # app keys whose SC0–SC4 this socket gets
        self.market: set[tuple[str, str]] = set()  # (tr_cd, code)


class LsRealtime(WsHub):
    label = "LS"
    session_type = Session

    def __init__(self, front: LsFront):
        super().__init__(front)
        self._tapes: dict[str, Tape] = {}
        self._lineseq = 0
        self._execno: dict[str, int] = {}            # domain → last execno
        self._exec_ids: dict[tuple[str, str], str] = {}

    def install(self, app: web.Application) -> None:
        for path in codes.WS_PATHS:
            app.router.add_get(path, self.handle)

    def tape(self, code: str) -> Tape | None:
        return self._tapes.get(code)

    # ------------------------------------------------------------ control messages

    @staticmethod
    def _ack(session: Session, tr_cd: str, tr_key: str, tr_type: str, rsp_cd: str,
             rsp_msg: str) -> None:
        session.send(json.dumps({"header": {"tr_cd": tr_cd, "tr_key": tr_key, "tr_type": tr_type,
                                            "rsp_cd": rsp_cd, "rsp_msg": rsp_msg}},
                                ensure_ascii=False))

    def _error(self, session: Session, name: str, tr_cd: str = "", tr_key: str = "",
               tr_type: str = "") -> None:
        rsp_cd, rsp_msg = codes.WS_ERRORS[name]
        self._ack(session, tr_cd, tr_key, tr_type, rsp_cd, rsp_msg)

    def _on_text(self, session: Session, text: str) -> None:
        try:
            msg = json.loads(text)
        except json.JSONDecodeError:
            return self._error(session, "bad_json")
        header = msg.get("header") if isinstance(msg, dict) else None
        body = msg.get("body") if isinstance(msg, dict) else None
        if not isinstance(header, dict) or not isinstance(body, dict):
            return self._error(session, "bad_json")
        tr_cd = str(body.get("tr_cd") or "")
        tr_key = str(body.get("tr_key") or "")
        tr_type = str(header.get("tr_type") or "")
        key = self.front.tokens.resolve(header.get("token"))
        if isinstance(key, GatewayError):
            return self._ack(session, tr_cd, tr_key, tr_type, key.rsp_cd, key.rsp_msg)
        if tr_type not in codes.TR_TYPES:
            return self._error(session, "bad_tr_type", tr_cd, tr_key, tr_type)
        if tr_type in (codes.TR_TYPE_ACCOUNT_ON, codes.TR_TYPE_ACCOUNT_OFF):
            if tr_cd not in codes.ORDER_EVENT_TRS:
                return self._error(session, "bad_tr_cd", tr_cd, tr_key, tr_type)
            if tr_type == codes.TR_TYPE_ACCOUNT_ON:
                session.accounts.add(key.app_key)
            else:
                session.accounts.discard(key.app_key)
        else:
            if tr_cd not in MARKET_TRS:
                return self._error(session, "bad_tr_cd", tr_cd, tr_key, tr_type)
            code = tr_key.strip()
            if not (len(code) == 6 and code.isalnum()):
                return self._error(session, "bad_tr_key", tr_cd, tr_key, tr_type)
            if tr_type == codes.TR_TYPE_MARKET_ON:
                session.market.add((tr_cd, code))
            else:
                session.market.discard((tr_cd, code))
        return self._ack(session, tr_cd, tr_key, tr_type, codes.WS_OK, codes.WS_ACK_TEXT[tr_type])

    # ------------------------------------------------------------ data

    def _next_execno(self, key: LsKey, exec_id: str) -> str:
        found = self._exec_ids.get((key.domain.value, exec_id))
        if found is None:
            number = self._execno.get(key.domain.value, 0) + 1
            self._execno[key.domain.value] = number
            found = self._exec_ids[(key.domain.value, exec_id)] = str(number)
        return found

    def publish_notice(self, notice: OrderNotice) -> None:
        key = self.front.by_owner.get(notice.owner)
        if key is None:
            return
        rejected = notice.kind is NoticeKind.REJECTED
        if rejected and self.front.options.exchange_rejects != REJECT_AS_SC4:
            return          # answered at REST with an error and no order number
        rec = notice.order
        back = self.front.back_office
        orig = back.order(notice.owner, rec.orig_no) if rec.orig_no else None
        inst = self.front.instrument(rec.code)
        fill_balances = key.domain is codes.Domain.MOCK or self.front.options.real_balance_fields
        ctx = sc.EventContext(key, inst, back.account(notice.owner), 0, fill_balances)
        execno = "0"
        if notice.kind is NoticeKind.FILLED and rec.fills:
            execno = self._next_execno(key, rec.fills[-1].exec_id)
        reject_code = ""
        if rejected:
            reject_code = self.front.messages.get(reject_outcome(rec.reject_reason),
                                                  key.domain).rsp_cd[-4:]
        frames = sc.events_of(notice, ctx, orig=orig, execno=execno, reject_code=reject_code)
        targets = [s for s in self.sessions if not s.closed and key.app_key in s.accounts]
        for tr_cd, body in frames:
            self._lineseq += 1
            body["lineseq"] = str(self._lineseq)
            text = json.dumps({"header": {"tr_cd": tr_cd}, "body": body}, ensure_ascii=False)
            for session in targets:
                self._send_data(session, text)

    def on_trade(self, event: Any) -> None:
        code = event.code
        tape = self._tapes.get(code)
        if tape is None:
            tape = self._tapes[code] = Tape(code)
        when = getattr(event, "time", None) or self.front.clock.now()
        side = event.side if isinstance(getattr(event, "side", None), Side) else None
        tape.apply(when, event.price, event.qty, side)
        inst = self.front.instrument(code)
        if inst is None:
            return
        tr_cd = codes.TRADE_TR.get(inst.market)
        targets = [s for s in self.sessions if (tr_cd, code) in s.market and not s.closed]
        if not targets:
            return
        quote = self.front.quote(code)
        if quote is None:
            return
        asks, bids = self.front.levels(code)
        body = trade_body(tape, when=when, price=event.price, qty=event.qty, side=side,
                          quote=quote, asks=asks, bids=bids)
        text = json.dumps({"header": {"tr_cd": tr_cd, "tr_key": code}, "body": body},
                          ensure_ascii=False)
        for session in targets:
            self._send_data(session, text)

    def on_book(self, code: str) -> None:
        if any(tr in BOOK_TRS and c == code for s in self.sessions for tr, c in s.market):
            self._dirty_books.add(code)
            self._schedule()

    def flush(self) -> None:
        """One book frame per changed symbol since the last flush."""
        self._flush_scheduled = False
        books, self._dirty_books = self._dirty_books, set()
        for code in books:
            inst = self.front.instrument(code)
            if inst is None:
                continue
            tr_cd = codes.H1_ if inst.market is Market.KOSPI else codes.HA_
            targets = [s for s in self.sessions if (tr_cd, code) in s.market and not s.closed]
            if not targets:
                continue
            asks, bids = self.front.levels(code)
            text = json.dumps({"header": {"tr_cd": tr_cd, "tr_key": code},
                               "body": book_body(code, self.front.clock.now(), asks, bids)},
                              ensure_ascii=False)
            for session in targets:
                self._send_data(session, text)

    # ------------------------------------------------------------ faults

    @staticmethod
    def _malformed(session: Session) -> str:
        """A frame a robust client must survive: JSON cut off in the middle of a body."""
        market = sorted(session.market)
        if market:
            tr_cd, code = market[0]
            return '{"header": {"tr_cd": "%s", "tr_key": "%s"}, "body": {"chetime": "09' % (
                tr_cd, code)
        return '{"header": {"tr_cd": "SC1"}, "body": {"lineseq": '

