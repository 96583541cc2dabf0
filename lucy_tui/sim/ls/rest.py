"""The LS REST gateway: OAuth endpoints, the checks every TR call passes, envelopes.

Every TR is a ``POST`` to its function path with the TR in the ``tr_cd`` header (ls.md §3). The
gateway's checks, in order, each answered as LS does:

1. fault switchboard: a forced rate-limit answer (``IGW00201``);
2. ``authorization: Bearer <token>``: none → ``IGW00122``; unknown, superseded by a newer token of
   the same key, revoked or invalidated → ``IGW00121``; expired → ``IGW00123`` — all HTTP 500 with
   ``rsp_cd`` / ``rsp_msg``;
3. the ``tr_cd`` must be one this path serves (unverified answer, HTTP 500);
4. the TR's per-second budget for this key (``IGW00201``; HTTP status configurable, 500 by default);
5. a JSON body holding the TR's input block (``t0425InBlock`` / ``CSPAT00601InBlock1``).

Business answers are HTTP 200 with the TR's ``rsp_cd``. Every answer, errors included, carries the
``tr_cd``, ``tr_cont`` and ``tr_cont_key`` headers, because some clients read them unconditionally.
The domain (real or mock) follows from the token's app key; the host is the same.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from aiohttp import web

from ...brokers.ls import codes
from ...brokers.ls.codes import Domain, GatewayError, Msg
from .auth import LsKey, TokenError

if TYPE_CHECKING:
    from .front import LsFront


@dataclass
class Ctx:
    """One authenticated TR call."""

    request: web.Request
    key: LsKey
    tr_cd: str
    tr_cont: str
    tr_cont_key: str
    body: dict[str, Any]
    block: dict[str, Any]

    @property
    def domain(self) -> Domain:
        return self.key.domain

    @property
    def owner(self) -> str:
        return self.key.owner()

    def raw(self, name: str, default: Any = "") -> Any:
        value = self.block.get(name, default)
        return default if value is None else value

    def text(self, name: str, default: str = "") -> str:
        return str(self.raw(name, default)).strip()

    def number(self, name: str, default: int | None = 0) -> Decimal | None:
        """A numeric input (JSON number or digits in a string); None when it is not a number."""
        value = self.raw(name, None)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None if default is None else Decimal(default)
        if isinstance(value, bool):
            return None
        try:
            return Decimal(str(value).strip())
        except InvalidOperation:
            return None

    def integer(self, name: str, default: int | None = 0) -> int | None:
        """A whole-number input; None when missing-without-default, not a number, or fractional."""
        value = self.number(name, default)
        if value is None or value != value.to_integral_value():
            return None
        return int(value)


@dataclass
class Reply:
    body: dict[str, Any]
    tr_cont: str = codes.CONT_NO
    tr_cont_key: str = ""
    status: int = 200


Handler = Callable[[Ctx], Awaitable[Reply] | Reply]


def envelope(msg: Msg, **blocks: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"rsp_cd": msg.rsp_cd, "rsp_msg": msg.rsp_msg}
    body.update(blocks)
    return body


class LsRest:
    def __init__(self, front: LsFront):
        self.front = front
        self._handlers: dict[str, Handler] = {}

    def handle(self, tr_cd: str, handler: Handler) -> None:
        self._handlers[tr_cd] = handler

    @property
    def served(self) -> list[str]:
        return sorted(self._handlers)

    def install(self, app: web.Application) -> None:
        app.router.add_post(codes.P_TOKEN, self.token)
        app.router.add_post(codes.P_REVOKE, self.revoke)
        for path in sorted(set(codes.TR_PATH.values())):
            app.router.add_post(path, self.tr_call)

    # ------------------------------------------------------------ OAuth

    async def _form(self, request: web.Request) -> dict[str, str]:
        raw = await request.read()
        text = raw.decode("utf-8", errors="replace")
        kind = (request.content_type or "").lower()
        if kind == "application/json" or text.lstrip().startswith("{"):
            if not self.front.options.token_accepts_json:
                # LS documents a form body only; a JSON body carries no form fields.
                return {}
            try:
                body = json.loads(text or "{}")
            except json.JSONDecodeError:
                return {}
            return {str(k): str(v) for k, v in body.items()} if isinstance(body, dict) else {}
        return dict(parse_qsl(text, keep_blank_values=True))

    async def _oauth(self, request: web.Request, fn: Callable[[dict], dict]) -> web.Response:
        front = self.front
        if front.faults.take_rate_limit(front.name, request.path, None):
            err = codes.RATE_LIMITED
            return web.json_response({"error_code": err.rsp_cd, "error_description": err.rsp_msg},
                                     status=codes.TOKEN_ERROR_STATUS)
        form = await self._form(request)
        try:
            answer, status = fn(form), 200
        except TokenError as err:
            answer, status = err.body(), err.status
        await self._fault_pause(request.path, None)
        return web.Response(text=json.dumps(answer, ensure_ascii=False), status=status,
                            content_type="application/json", charset="utf-8")

    async def token(self, request: web.Request) -> web.Response:
        return await self._oauth(request, self.front.tokens.issue)

    async def revoke(self, request: web.Request) -> web.Response:
        return await self._oauth(request, self.front.tokens.revoke)

    # ------------------------------------------------------------ TR calls

    async def tr_call(self, request: web.Request) -> web.StreamResponse:
        front = self.front
        path = request.path
        headers = request.headers
        tr_cd = (headers.get(codes.H_TR_CD) or "").strip()
        if front.faults.take_rate_limit(front.name, path, tr_cd or None):
            return self._gateway(self._rate_limited(), tr_cd)
        key = front.tokens.authenticate(headers.get("authorization"))
        if isinstance(key, GatewayError):
            return self._gateway(key, tr_cd)
        handler = self._handlers.get(tr_cd)
        if handler is None or codes.TR_PATH.get(tr_cd) != path:
            return self._gateway(codes.TR_NOT_FOUND, tr_cd)
        if not front.limiter.allow(key.app_key, tr_cd):
            return self._gateway(self._rate_limited(), tr_cd)
        raw = await request.read()
        try:
            body = json.loads(raw.decode("utf-8")) if raw.strip() else None
        except (UnicodeDecodeError, json.JSONDecodeError):
            body = None
        if not isinstance(body, dict):
            return self._gateway(codes.BAD_BODY, tr_cd)
        block = body.get(codes.in_block(tr_cd))
        if not isinstance(block, dict):
            reply = Reply(envelope(front.messages.get(codes.Outcome.BAD_INPUT, key.domain)))
        else:
            ctx = Ctx(request, key, tr_cd, (headers.get(codes.H_TR_CONT) or "").strip().upper(),
                      (headers.get(codes.H_TR_CONT_KEY) or "").strip(), body, block)
            result = handler(ctx)
            reply = await result if hasattr(result, "__await__") else result
        await self._fault_pause(path, tr_cd)
        return self._json(reply.body, tr_cd, reply.tr_cont, reply.tr_cont_key, reply.status)

    def _rate_limited(self) -> GatewayError:
        err = codes.RATE_LIMITED
        return GatewayError(self.front.options.rate_limit_status, err.rsp_cd, err.rsp_msg)

    # ------------------------------------------------------------ responses

    @staticmethod
    def _json(body: dict[str, Any], tr_cd: str, tr_cont: str, tr_cont_key: str,
              status: int = 200) -> web.Response:
        return web.Response(text=json.dumps(body, ensure_ascii=False), status=status,
                            content_type="application/json", charset="utf-8",
                            headers={codes.H_TR_CD: tr_cd, codes.H_TR_CONT: tr_cont,
                                     codes.H_TR_CONT_KEY: tr_cont_key})

    def _gateway(self, err: GatewayError, tr_cd: str) -> web.Response:
        return self._json({"rsp_cd": err.rsp_cd, "rsp_msg": err.rsp_msg}, tr_cd, codes.CONT_NO, "",
                          err.status)

    async def _fault_pause(self, path: str, key: str | None) -> None:
        seconds = self.front.faults.take_stall(self.front.name, path, key)
        if seconds is not None:
            await self.front.faults.hold(seconds)
