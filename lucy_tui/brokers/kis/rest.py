"""KIS REST calls over one ``httpx.AsyncClient``: headers, pacing, retries and paging (kis.md §2, §3).

Every call gets its token first (cached, or issued within the one-a-minute guard) and then its
slot from the rate limiter, so the slot's time is the time the request leaves. What may be
retried, and how:

* ``EGW00201``/``EGW00215`` (rate): refused before acceptance — back off (the whole key holds)
  and retry a bounded number of times, then :class:`RateLimited`;
* ``EGW00123``/``EGW00121`` (token): refused at the gateway, so the request provably did not
  reach the order system — re-issue the token and retry once;
* anything else without a clear answer on an order (timeout, reset, 5xx without a recognised
  code) is :class:`OutcomeUnknown` and is never sent again.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Awaitable, Callable
from datetime import datetime

import httpx

from ...clock import KST
from ..base import AuthError, BrokerError, BrokerRejected, ConnectionFailed
from ..ratelimit import RateLimiter
from ..tokens import IssuanceThrottled, IssuedToken, TokenCache
from .errors import BROKER, RATE_CODES, STALE_CURSOR, TOKEN_CODES, TOKEN_THROTTLED, Envelope, error_for
from .settings import KisSettings
from ..rest import RestClient

TOKEN_PATH = "/oauth2/tokenP"
APPROVAL_PATH = "/oauth2/Approval"
EXPIRY_FORMAT = "%Y-%m-%d %H:%M:%S"
MORE = ("F", "M")


class KisRest(RestClient):
    broker = BROKER

    def __init__(self, settings: KisSettings, *, limiter: RateLimiter, tokens: TokenCache,
                 http: httpx.AsyncClient | None = None,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
                 rng: random.Random | None = None):
        super().__init__(settings, limiter=limiter, tokens=tokens, http=http, sleep=sleep, rng=rng)
        self.env = settings.environment

    # ------------------------------------------------------------------ credentials

    async def issue_token(self) -> IssuedToken:
        body = {"grant_type": "client_credentials", "appkey": self.settings.app_key,
                "appsecret": self.settings.app_secret}
        envelope = await self._post_plain(TOKEN_PATH, body)
        data = envelope.body
        if envelope.status == 200 and data.get("access_token"):
            expires = None
            text = str(data.get("access_token_token_expired") or "").strip()
            if text:
                try:
                    expires = datetime.strptime(text, EXPIRY_FORMAT).replace(tzinfo=KST)
                except ValueError:
                    expires = None
            return IssuedToken(str(data["access_token"]), str(data.get("token_type") or "Bearer"),
                               expires)
        code, text = envelope.msg_cd, envelope.msg1
        kw = {"broker": BROKER, "code": code, "broker_message": text}
        if code == TOKEN_THROTTLED:
            raise IssuanceThrottled(text or "token issuance throttled (one a minute)", **kw)
        raise AuthError(text or f"token refused (HTTP {envelope.status})", **kw)

    async def approval_key(self) -> str:
        body = {"grant_type": "client_credentials", "appkey": self.settings.app_key,
                "secretkey": self.settings.app_secret}
        async with self.limiter.slot(self.key):
            envelope = await self._post_plain(APPROVAL_PATH, body)
        key = envelope.body.get("approval_key") if envelope.status == 200 else None
        if not key:
            raise AuthError(envelope.msg1 or f"approval key refused (HTTP {envelope.status})",
                            broker=BROKER, code=envelope.msg_cd, broker_message=envelope.msg1)
        return str(key)

    async def _post_plain(self, path: str, body: dict) -> Envelope:
        try:
            resp = await self.http.post(self.settings.rest_base + path, content=json.dumps(body),
                                        headers={"content-type": "application/json; charset=utf-8"})
        except httpx.HTTPError as exc:
            raise ConnectionFailed(f"{path}: {type(exc).__name__}", broker=BROKER) from None
        return Envelope.of(resp)

    # ------------------------------------------------------------------ calls

    def headers(self, tr_id: str, token_header: str, tr_cont: str = "") -> dict[str, str]:
        return {
            "content-type": "application/json; charset=utf-8",
            "authorization": token_header,
            "appkey": self.settings.app_key,
            "appsecret": self.settings.app_secret,
            "tr_id": tr_id,
            "tr_cont": tr_cont,
            "custtype": self.settings.custtype,
        }

    async def call(self, method: str, function: str, *, params: dict[str, str] | None = None,
                   body: dict[str, str] | None = None, order: bool = False,
                   tr_cont: str = "") -> Envelope:
        """One request, paced and retried as the module docstring says; raises on failure."""
        tr_id = self.env.tr_ids[function]
        url = self.settings.rest_base + self.env.path(function)
        content = json.dumps(body) if body is not None else None
        rate_tries = 0
        token_retried = False
        while True:
            token = await self.tokens.get(self.issue_token)
            async with self.limiter.slot(self.key):
                resp = await self._send(method, url, order=order, params=params, content=content,
                                        headers=self.headers(tr_id, token.header, tr_cont))
            envelope = Envelope.of(resp)
            if envelope.ok:
                return envelope
            code = envelope.msg_cd
            if code in RATE_CODES and rate_tries < self.settings.rate_retries:
                delay = self._rate_backoff(rate_tries)
                rate_tries += 1
                self._hold(delay)
                continue
            if code in TOKEN_CODES and not token_retried:
                token_retried = True
                await self.tokens.reissue(token, self.issue_token)
                continue
            raise error_for(envelope, order=order)

    async def pages(self, function: str, params: dict[str, str], *, rows_key: str = "output1",
                    totals_key: str = "output2") -> tuple[list[dict], dict]:
        """Every page of a continuation inquiry: (all rows, the totals of the last page).

        ``SYDB0050`` (the data changed under the cursor) restarts the query from the first page,
        a bounded number of times, instead of looping on a dead cursor.
        """
        restarts = 0
        while True:
            try:
                return await self._pages_once(function, params, rows_key, totals_key)
            except BrokerRejected as exc:
                if exc.code != STALE_CURSOR or restarts >= self.settings.paging_restarts:
                    raise
                restarts += 1

    async def _pages_once(self, function, params, rows_key, totals_key):
        rows: list[dict] = []
        fk = nk = cont = ""
        for _ in range(self.settings.max_pages):
            query = {**params, "CTX_AREA_FK100": fk, "CTX_AREA_NK100": nk}
            envelope = await self.call("GET", function, params=query, tr_cont=cont)
            data = envelope.body
            page = data.get(rows_key) or []
            rows.extend(page if isinstance(page, list) else [page])
            totals = data.get(totals_key) or {}
            if isinstance(totals, list):
                totals = totals[0] if totals else {}
            fk = str(data.get("ctx_area_fk100") or data.get("CTX_AREA_FK100") or "")
            nk = str(data.get("ctx_area_nk100") or data.get("CTX_AREA_NK100") or "")
            if envelope.headers.get("tr_cont", "").strip() not in MORE or not nk.strip():
                return rows, totals
            cont = "N"
        raise BrokerError(f"{function}: more than {self.settings.max_pages} pages", broker=BROKER)

