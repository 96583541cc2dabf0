"""LS REST calls over one ``httpx.AsyncClient``: token, headers, per-TR pacing, retries and
continuation paging (ls.md §2, §3, §6).

Every call gets its token first and then its slot from the rate limiter (per TR, and per key
when an account-wide gate is set), so the slot's time is the time the request leaves. What may
be retried, and how:

* ``IGW00201`` (rate): refused before acceptance — back off (the whole key holds) and retry a
  bounded number of times, then :class:`RateLimited`;
* ``IGW00121``/``IGW00122``/``IGW00123`` (token): refused at the gateway, so the request provably
  went no further. LS keeps one live token per app key, and another process on the same key may
  have replaced ours: the shared token file is read again first, and a token is issued only when
  the file still holds the dead one (TokenCache's cross-process guard paces that). At most two
  token retries per call and never more than one issuance, so a key fought over by a foreign
  client cannot make Lucy issue in a loop;
* anything else without a clear answer on an order (timeout, reset, 5xx without a recognised
  code) is :class:`OutcomeUnknown` and is never sent again.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx

from ...clock import Clock, SystemClock
from ..base import AuthError, BrokerError, ConnectionFailed
from ..ratelimit import RateLimiter
from ..tokens import CachedToken, IssuanceThrottled, IssuedToken, TokenCache
from . import codes
from .errors import BROKER, RATE_CODE, TOKEN_CODES, Envelope, error_for
from .settings import LsSettings
from ..rest import RestClient

log = logging.getLogger(__name__)

#: Token retries per call (re-read the file, then perhaps one issuance).
TOKEN_RETRIES = 2


class LsRest(RestClient):
    broker = BROKER

    def __init__(self, settings: LsSettings, *, limiter: RateLimiter, tokens: TokenCache,
                 http: httpx.AsyncClient | None = None,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
                 rng: random.Random | None = None, clock: Clock | None = None):
        super().__init__(settings, limiter=limiter, tokens=tokens, http=http, sleep=sleep, rng=rng)
        self.clock = clock or SystemClock()
        self.token_requests = 0             # calls to the token endpoint (not in ``sent``)

    # ------------------------------------------------------------------ tokens

    async def issue_token(self) -> IssuedToken:
        """``POST /oauth2/token`` (form-encoded). Kills any other live token of this key at LS,
        so it is only ever called through the TokenCache guard."""
        form = {"grant_type": codes.GRANT_TYPE, "appkey": self.settings.app_key,
                "appsecretkey": self.settings.app_secret, "scope": codes.SCOPE}
        self.token_requests += 1
        try:
            resp = await self.http.post(self.settings.rest_base + codes.P_TOKEN, data=form,
                                        headers={"content-type": codes.FORM_CONTENT_TYPE})
        except httpx.HTTPError as exc:
            raise ConnectionFailed(f"{self.settings.rest_base} unreachable for a token "
                                   f"({type(exc).__name__})", broker=BROKER) from None
        envelope = Envelope.of(resp)
        data = envelope.body
        if envelope.status == 200 and data.get("access_token"):
            expires = None
            seconds = data.get("expires_in", data.get("expire_in"))
            try:
                if seconds is not None:
                    expires = self.clock.now() + timedelta(seconds=int(seconds))
            except (TypeError, ValueError):
                expires = None
            return IssuedToken(str(data["access_token"]),
                               str(data.get("token_type") or codes.TOKEN_TYPE), expires)
        code, text = envelope.rsp_cd, envelope.rsp_msg
        kw = {"broker": BROKER, "code": code, "broker_message": text}
        if code == RATE_CODE:
            raise IssuanceThrottled(text or "token issuance throttled", **kw)
        raise AuthError(text or f"token refused (HTTP {envelope.status})", **kw)

    async def token(self) -> CachedToken:
        return await self.tokens.get(self.issue_token)

    async def replace_token(self, dead: CachedToken | str) -> CachedToken:
        """LS refused ``dead``: take what the shared file holds now, issuing only if it holds
        ``dead`` too (another Lucy process that replaced it has written its token there)."""
        return await self.tokens.reissue(dead, self.issue_token)

    # ------------------------------------------------------------------ TR calls

    def headers(self, tr_cd: str, token: CachedToken, tr_cont: str = codes.CONT_NO,
                tr_cont_key: str = "") -> dict[str, str]:
        return {
            "content-type": codes.JSON_CONTENT_TYPE,
            "authorization": token.header,
            codes.H_TR_CD: tr_cd,
            codes.H_TR_CONT: tr_cont,
            codes.H_TR_CONT_KEY: tr_cont_key,
            codes.H_MAC: self.settings.mac_address,
        }

    async def call(self, tr_cd: str, fields: dict[str, Any], *, order: bool = False,
                   tr_cont: str = codes.CONT_NO, tr_cont_key: str = "",
                   accept: Callable[[Envelope], bool] | None = None) -> Envelope:
        """One TR, paced and retried as the module docstring says; raises on failure.

        ``accept`` decides success (orders: an acceptance code or an order number); by default
        HTTP 200 with a read-success code.
        """
        url = self.settings.rest_base + codes.TR_PATH[tr_cd]
        content = json.dumps({codes.in_block(tr_cd): fields}, ensure_ascii=False)
        accept = accept or _read_ok
        rate_tries = token_tries = 0
        issued_here = False
        while True:
            token = await self.token()
            async with self.limiter.slot(self.key, tr_cd):
                resp = await self._send("POST", url, order=order, label=f"{tr_cd}: ",
                                        content=content.encode("utf-8"),
                                        headers=self.headers(tr_cd, token, tr_cont, tr_cont_key))
            envelope = Envelope.of(resp)
            if accept(envelope):
                return envelope
            code = envelope.rsp_cd
            if (code == RATE_CODE or envelope.status == 429) and rate_tries < self.settings.rate_retries:
                delay = self._rate_backoff(rate_tries)
                rate_tries += 1
                log.info("ls: %s answered %s; holding the key %.2f s", tr_cd, code or 429, delay)
                self._hold(delay)
                continue
            if code in TOKEN_CODES and token_tries < TOKEN_RETRIES and not issued_here:
                token_tries += 1
                before = self.tokens.issued
                replacement = await self.replace_token(token)
                # After an issuance of our own, a refusal means someone outside keeps issuing
                # on this key: give up rather than answer in kind.
                issued_here = self.tokens.issued > before
                if replacement.token != token.token:
                    continue
            raise error_for(envelope, order=order)

    async def pages(self, tr_cd: str, fields: dict[str, Any], *, rows: str,
                    cursor: str | None = None) -> tuple[list[dict], dict, list[Envelope]]:
        """Every page of a continuation inquiry: (all rows, the summary block of the last page,
        the envelopes). t-series TRs carry a body ``cursor`` (``cts_ordno``...) that goes into
        the next InBlock together with ``tr_cont: Y`` and the previous ``tr_cont_key``; C-series
        ones page by the headers alone (ls.md §3.5)."""
        out_rows: list[dict] = []
        envelopes: list[Envelope] = []
        summary_block = codes.out_block(tr_cd) if tr_cd[:1].islower() else codes.out_block(tr_cd, 2)
        page_fields = dict(fields)
        cont, cont_key = codes.CONT_NO, ""
        seen: set[str] = set()
        for _ in range(self.settings.max_pages):
            envelope = await self.call(tr_cd, page_fields, tr_cont=cont, tr_cont_key=cont_key)
            envelopes.append(envelope)
            out_rows.extend(envelope.rows(rows))
            summary = envelope.block(summary_block)
            more = envelope.tr_cont == codes.CONT_YES
            if cursor is not None:
                position = str(summary.get(cursor) or "").strip()
                more = more and bool(position.strip("0 "))
                if more and position in seen:
                    # The server started over instead of continuing: following it would only
                    # repeat pages (and spend the TR's budget) until max_pages.
                    raise BrokerError(f"{tr_cd}: the continuation from {cursor} {position} came "
                                      "back to a page already read", broker=BROKER)
                seen.add(position)
                page_fields = {**page_fields, cursor: position}
            if not more:
                return out_rows, summary, envelopes
            cont, cont_key = codes.CONT_YES, envelope.tr_cont_key
        raise BrokerError(f"{tr_cd}: more than {self.settings.max_pages} pages", broker=BROKER)


def _read_ok(envelope: Envelope) -> bool:
    return envelope.status == 200 and envelope.rsp_cd in codes.READ_OK_CODES

