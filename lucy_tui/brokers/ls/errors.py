"""LS answers → the typed errors of :mod:`lucy_tui.brokers.base` (ls.md §2.3, §3.3, §6).

Business refusals come as HTTP 200 with a ``rsp_cd`` that is not a success code; gateway errors
(token, rate) carry ``IGW…`` codes in the same envelope, token ones with HTTP 500; the token
endpoint answers HTTP 403 with ``error_code``/``error_description``. Every error keeps the
broker's code and its Korean text.

For orders, only an answer that says what happened is definite: an acceptance code (or an order
number), a business refusal, or a gateway code that proves the request stopped at the gateway
(rate, token). Anything else — a 5xx without a code, a success code without an order number, an
unrecognised IGW code — may have reached the order system, so it is an unknown outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..base import AuthError, BrokerError, BrokerRejected, OutcomeUnknown, RateLimited
from ..rest import Envelope as _Envelope
from .codes import (
    AMEND_OK_CODES, CANCEL_OK_CODES, ORDER_OK_CODES, RATE_LIMITED, READ_OK_CODES,
    TOKEN_APPKEY_INVALID, TOKEN_APPSECRET_INVALID, TOKEN_EXPIRED, TOKEN_INVALID, TOKEN_NOT_FOUND,
)

BROKER = "ls"

RATE_CODE = RATE_LIMITED.rsp_cd                                   # IGW00201
#: The token was refused at the gateway: the request went no further, a retry is safe.
TOKEN_CODES = frozenset({TOKEN_INVALID.rsp_cd, TOKEN_NOT_FOUND.rsp_cd, TOKEN_EXPIRED.rsp_cd})
#: session_key invalid / not found / expired (§2.3).
SESSION_CODES = frozenset({"IGW00124", "IGW00125", "IGW00126"})
AUTH_CODES = (TOKEN_CODES | SESSION_CODES
              | frozenset({TOKEN_APPKEY_INVALID[0], TOKEN_APPSECRET_INVALID[0]}))
#: Codes that read as success. On an order without an order number they say nothing definite
#: (clients call ``00000`` on an order "ambiguous", §7).
SUCCESS_CODES = READ_OK_CODES | ORDER_OK_CODES | AMEND_OK_CODES | CANCEL_OK_CODES


@dataclass(frozen=True, slots=True)
class Envelope(_Envelope):
    """One LS REST answer: ``rsp_cd``/``rsp_msg``, continuation headers and output blocks."""

    @property
    def rsp_cd(self) -> str:
        return str(self.body.get("rsp_cd") or self.body.get("error_code") or "").strip()

    @property
    def rsp_msg(self) -> str:
        return str(self.body.get("rsp_msg") or self.body.get("error_description") or "").strip()

    @property
    def tr_cont(self) -> str:
        return self.headers.get("tr_cont", "").strip().upper()

    @property
    def tr_cont_key(self) -> str:
        return self.headers.get("tr_cont_key", "").strip()

    @property
    def gateway(self) -> bool:
        return self.rsp_cd.startswith("IGW")

    def block(self, name: str) -> dict[str, Any]:
        """An output block that is one object (an array's first row, {} when absent)."""
        value = self.body.get(name)
        if isinstance(value, list):
            value = value[0] if value else {}
        return value if isinstance(value, dict) else {}

    def rows(self, name: str) -> list[dict[str, Any]]:
        value = self.body.get(name)
        if isinstance(value, dict):
            return [value] if value else []
        return [row for row in value or () if isinstance(row, dict)]


def error_for(envelope: Envelope, *, order: bool = False) -> BrokerError:
    """The error an unsuccessful answer stands for. ``order``: the request could have placed,
    amended or cancelled something, so an answer that does not say what happened is *unknown*."""
    code, text = envelope.rsp_cd, envelope.rsp_msg
    kw = {"broker": BROKER, "code": code, "broker_message": text}
    if code == RATE_CODE or envelope.status == 429:
        return RateLimited(text or "rate limit exceeded", **kw)
    if code in AUTH_CODES:
        return AuthError(text or "authentication refused", **kw)
    if order and envelope.status == 200 and code in SUCCESS_CODES:
        return OutcomeUnknown(f"answer {code} without an order number: the order may be working; "
                              "check today's orders", **kw)
    if envelope.status == 200 and code and not envelope.gateway:
        return BrokerRejected(text or f"refused (rsp_cd {code})", **kw)
    if 400 <= envelope.status < 500 and code:
        # The gateway refused the request as such: it never became an order.
        return BrokerRejected(text or f"refused (HTTP {envelope.status})", **kw)
    what = f"HTTP {envelope.status}" + (f" {code}" if code else "") + (f": {text}" if text else "")
    if order:
        return OutcomeUnknown(f"{what} without a business answer: the order may be working; "
                              "check today's orders", **kw)
    return BrokerError(what, **kw)
