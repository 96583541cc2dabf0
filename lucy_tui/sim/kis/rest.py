"""The KIS REST gateway: OAuth endpoints, the checks every ``/uapi`` call passes, envelopes.

Order of the gateway's checks on a ``/uapi`` call, each answered as KIS does (kis.md §3, §6):

1. fault switchboard: a forced rate-limit answer;
2. ``appkey``/``appsecret`` headers, ``authorization: Bearer <token>`` (EGW00102-00105, EGW00205,
   EGW00121 invalid/revoked, EGW00123 expired) — all HTTP 500 with rt_cd/msg_cd/msg1;
3. domain: the token decides it (real or mock key); a real-domain token presented with a mock
   app key is the "real domain called with a mock key" case, EGW02004;
4. per-app-key sliding window, 20/s real, 2/s mock → EGW00201;
5. tr_id against the path: a real-only TR on the mock domain → EGW02006 "모의투자 TR 이 아닙니다.";
   the V-prefixed rewrite of a real-only TR (which mock does not serve) → rt_cd 1 "모의투자에서는
   해당업무가 제공되지 않습니다."; a tr_id the path does not serve → MCA00124.

Business answers are HTTP 200 with rt_cd ≠ 0. Every ``/uapi`` answer carries the ``tr_id``,
``tr_cont`` and ``gt_uid`` headers.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ...brokers.kis import codes
from .auth import AppKey, TokenError
from ...brokers.kis.codes import Domain, GatewayError, Msg
from .paging import query_get

if TYPE_CHECKING:
    from .front import KisFront

JSON_TYPE = "application/json; charset=utf-8"
MSG_WIDTH = 80


@dataclass
class Ctx:
    """One authenticated ``/uapi`` request."""

    request: web.Request
    key: AppKey
    domain: Domain
    tr_id: str
    function: str
    tr_cont: str
    query: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)

    def arg(self, name: str, default: str = "") -> str:
        """An input by its documented name: query keys case-insensitively, body keys likewise."""
        source = self.body if self.request.method == "POST" else self.query
        value = query_get(source, name, default)
        return "" if value is None else str(value)


@dataclass
class Reply:
    body: dict[str, Any]
    tr_cont: str = "D"
    status: int = 200


Handler = Callable[[Ctx], Awaitable[Reply] | Reply]


def ymd_arg(text: str) -> date | None:
    """A ``YYYYMMDD`` query argument as a date; None when blank or not a date."""
    text = text.strip()
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def pad_msg(text: str) -> str:
    """msg1 of the OPS layer comes right-padded with spaces to 80 bytes (EUC-KR widths)."""
    width = len(text.encode("cp949", errors="replace"))
    return text + " " * max(0, MSG_WIDTH - width)


def envelope(msg: Msg, *, pad: bool = True, **outputs: Any) -> dict[str, Any]:
    """A business answer (HTTP 200). msg1 is right-padded on every one of them (§3.2), orders and
    refusals included: clients strip it, and one that compares unstripped text must see KIS's."""
    body: dict[str, Any] = {"rt_cd": msg.rt_cd, "msg_cd": msg.msg_cd,
                            "msg1": pad_msg(msg.msg1) if pad else msg.msg1}
    body.update(outputs)
    return body


def gateway_body(err: GatewayError) -> dict[str, str]:
    return {"rt_cd": err.rt_cd, "msg_cd": err.msg_cd, "msg1": err.msg1}


class KisRest:
    def __init__(self, front: KisFront, *, rng: random.Random):
        self.front = front
        self._rng = rng
        self._handlers: dict[str, Handler] = {}

    def handle(self, function: str, handler: Handler) -> None:
        self._handlers[function] = handler

    def install(self, app: web.Application) -> None:
        app.router.add_post("/oauth2/tokenP", self.token)
        app.router.add_post("/oauth2/revokeP", self.revoke)
        app.router.add_post("/oauth2/Approval", self.approval)
        app.router.add_post("/uapi/hashkey", self.hashkey)
        for path, specs in codes.TRS.items():
            method = "POST" if path in codes.ORDER_PATHS else "GET"
            app.router.add_route(method, path, self.uapi)

    # ------------------------------------------------------------ OAuth

    async def _json_body(self, request: web.Request) -> dict[str, Any]:
        raw = await request.read()
        try:
            body = json.loads(raw.decode("utf-8") or "{}")
        except (UnicodeDecodeError, json.JSONDecodeError):
            # Some clients post OAuth bodies form-encoded; KIS documents JSON only.
            body = dict((await request.post()) or {}) if raw else {}
        return body if isinstance(body, dict) else {}

    async def _oauth(self, request: web.Request, fn: Callable[[dict], dict]) -> web.Response:
        if self.front.faults.take_rate_limit(self.front.name, request.path, None):
            return web.json_response({"error_code": codes.TOKEN_RATE[0],
                                      "error_description": codes.TOKEN_RATE[1]}, status=403)
        try:
            answer = fn(await self._json_body(request))
        except TokenError as err:
            await self._fault_pause(request.path, None)
            return web.json_response(err.body(), status=err.status)
        await self._fault_pause(request.path, None)
        return web.json_response(answer)

    async def token(self, request: web.Request) -> web.Response:
        return await self._oauth(request, self.front.tokens.issue)

    async def revoke(self, request: web.Request) -> web.Response:
        return await self._oauth(request, self.front.tokens.revoke)

    async def approval(self, request: web.Request) -> web.Response:
        return await self._oauth(request, self.front.tokens.approval)

    async def hashkey(self, request: web.Request) -> web.StreamResponse:
        headers = request.headers
        tokens = self.front.tokens
        appkey, secret = headers.get("appkey"), headers.get("appsecret")
        err: GatewayError | None = None
        if not appkey:
            err = codes.APPKEY_REQUIRED
        elif not secret:
            err = codes.APPSECRET_REQUIRED
        elif tokens.app_key(appkey) is None:
            err = codes.APPKEY_INVALID
        elif tokens.app_key(appkey).app_secret != secret:
            err = codes.APPSECRET_INVALID
        if err is not None:
            return self._gateway(err, "")
        key = tokens.app_key(appkey)
        if self.front.faults.take_rate_limit(self.front.name, request.path, None) \
                or not self.front.limiter.allow(key.app_key, key.domain):
            return self._gateway(codes.RATE_LIMITED, "")
        raw = await request.read()
        try:
            body = json.loads(raw.decode("utf-8") or "{}")
        except (UnicodeDecodeError, json.JSONDecodeError):
            return self._gateway(codes.BAD_JSON, "")
        await self._fault_pause(request.path, None)
        return web.json_response({"BODY": body, "HASH": hashlib.sha256(raw).hexdigest()})

    # ------------------------------------------------------------ /uapi

    async def uapi(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        headers = request.headers
        tr_id = (headers.get("tr_id") or "").strip()
        front = self.front
        if front.faults.take_rate_limit(front.name, path, tr_id or None):
            return self._gateway(codes.RATE_LIMITED, tr_id)
        auth = front.tokens.authenticate(headers.get("authorization"), headers.get("appkey"),
                                         headers.get("appsecret"))
        if isinstance(auth, GatewayError):
            return self._gateway(auth, tr_id)
        token_key, header_key = auth
        if token_key is not header_key:
            if token_key.domain is Domain.REAL and header_key.domain is Domain.MOCK:
                return self._gateway(codes.WRONG_DOMAIN, tr_id)
            return self._gateway(codes.TOKEN_INVALID, tr_id)
        domain = token_key.domain
        custtype = headers.get("custtype")
        if custtype is not None and custtype.strip() not in ("P", "B", ""):
            return self._gateway(codes.BAD_CUSTTYPE, tr_id)
        if not front.limiter.allow(token_key.app_key, domain):
            return self._gateway(codes.RATE_LIMITED, tr_id)
        if not tr_id:
            return self._gateway(codes.TR_ID_NOT_FOUND, tr_id)
        resolved = self._resolve(path, tr_id, domain)
        if isinstance(resolved, GatewayError):
            return self._gateway(resolved, tr_id)
        if isinstance(resolved, Msg):
            reply = Reply(envelope(resolved))
        else:
            ctx = Ctx(request, token_key, domain, tr_id, resolved,
                      (headers.get("tr_cont") or "").strip())
            if request.method == "POST":
                raw = await request.read()
                try:
                    body = json.loads(raw.decode("utf-8")) if raw.strip() else None
                except (UnicodeDecodeError, json.JSONDecodeError):
                    return self._gateway(codes.BAD_JSON, tr_id)
                if not isinstance(body, dict):
                    return self._gateway(codes.BODY_NOT_FOUND, tr_id)
                ctx.body = body
            else:
                ctx.query = dict(request.query)
            result = self._handlers[resolved](ctx)
            reply = await result if hasattr(result, "__await__") else result
        await self._fault_pause(path, tr_id)
        return self._json(reply.body, tr_id, reply.tr_cont, reply.status)

    def _resolve(self, path: str, tr_id: str, domain: Domain) -> str | GatewayError | Msg:
        """The function a (path, tr_id) names for this domain, or the gateway's refusal."""
        allow_old = self.front.options.accept_old_tr_ids
        for spec in codes.TRS.get(path, ()):
            if not allow_old and tr_id in spec.old_ids:
                continue
            if domain is Domain.MOCK:
                if tr_id in spec.mock:
                    return spec.function
                if tr_id in spec.mock_rewrites:
                    return self.front.messages.get(domain, codes.Outcome.MOCK_UNSUPPORTED)
                if tr_id in spec.real:
                    return codes.NOT_MOCK_TR
            elif tr_id in spec.real:
                return spec.function
        return codes.NO_SERVICE

    # ------------------------------------------------------------ responses

    def _headers(self, tr_id: str, tr_cont: str) -> dict[str, str]:
        return {"tr_id": tr_id, "tr_cont": tr_cont, "gt_uid": "%032x" % self._rng.getrandbits(128)}

    def _json(self, body: dict[str, Any], tr_id: str, tr_cont: str, status: int = 200) -> web.Response:
        return web.Response(text=json.dumps(body, ensure_ascii=False), status=status,
                            content_type="application/json", charset="utf-8",
                            headers=self._headers(tr_id, tr_cont))

    def _gateway(self, err: GatewayError, tr_id: str) -> web.Response:
        return self._json(gateway_body(err), tr_id, "D", err.status)

    async def _fault_pause(self, path: str, key: str | None) -> None:
        seconds = self.front.faults.take_stall(self.front.name, path, key)
        if seconds is not None:
            await self.front.faults.hold(seconds)
