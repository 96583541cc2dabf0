"""KIS answers → the typed errors of :mod:`lucy_tui.brokers.base` (kis.md §3.2, §6).

Business refusals come as HTTP 200 with ``rt_cd`` ≠ "0"; gateway errors (rate, token, domain) as
HTTP 500 with the same three fields; the token endpoint as HTTP 403 with
``error_code``/``error_description``. Every error keeps the broker's code and its Korean text
(``msg1`` arrives right-padded: stripped here).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..base import (
    AuthError, BrokerError, BrokerRejected, NotSupported, OutcomeUnknown, RateLimited,
)
from ..rest import Envelope as _Envelope

BROKER = "kis"

RATE_CODES = frozenset({"EGW00201", "EGW00215"})
TOKEN_CODES = frozenset({"EGW00121", "EGW00123"})
TOKEN_THROTTLED = "EGW00133"
STALE_CURSOR = "SYDB0050"
#: The gateway gave up waiting for the order system: the order may be working (§6.2).
GATEWAY_TIMEOUTS = frozenset({"EGW00301", "EGW00302"})
AUTH_CODES = frozenset({
    "EGW00102", "EGW00103", "EGW00104", "EGW00105", "EGW00205", "EGW00206", "EGW00207",
    "EGW00208", "EGW02004", TOKEN_THROTTLED,
}) | TOKEN_CODES
UNSUPPORTED_CODES = frozenset({"EGW02006", "MCA00124", "OPSQ0002", "90000000"})


@dataclass(frozen=True, slots=True)
class Envelope(_Envelope):
    """One KIS REST answer: ``rt_cd``/``msg_cd``/``msg1``, or the token endpoint's error fields."""

    @property
    def rt_cd(self) -> str:
        return str(self.body.get("rt_cd", "")).strip()

    @property
    def msg_cd(self) -> str:
        return str(self.body.get("msg_cd") or self.body.get("error_code") or "").strip()

    @property
    def msg1(self) -> str:
        return str(self.body.get("msg1") or self.body.get("error_description") or "").strip()

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.rt_cd == "0"

    @property
    def recognised(self) -> bool:
        """Did the gateway or the business layer say what happened (a code we can act on)?"""
        return bool(self.msg_cd) and (self.status == 200 or self.msg_cd in KNOWN_GATEWAY)


KNOWN_GATEWAY = (RATE_CODES | AUTH_CODES | UNSUPPORTED_CODES
                 | frozenset({"OPSQ9995", "OPSQ9996", "OPSQ9997", "OPSQ9998", "OPSQ9999"}))


def error_for(envelope: Envelope, *, order: bool = False) -> BrokerError:
    """The error an unsuccessful answer stands for. ``order``: the request could have placed,
    amended or cancelled something, so an answer without a recognised code is *unknown*."""
    code, text = envelope.msg_cd, envelope.msg1
    kw = {"broker": BROKER, "code": code, "broker_message": text}
    if code in RATE_CODES:
        return RateLimited(text or "rate limit exceeded", **kw)
    if code in AUTH_CODES:
        return AuthError(text or "authentication refused", **kw)
    if code in UNSUPPORTED_CODES:
        return NotSupported(text or "not offered by this environment", **kw)
    if code in GATEWAY_TIMEOUTS:
        if order:
            return OutcomeUnknown(text or "the gateway timed out", **kw)
        return BrokerError(text or "the gateway timed out", **kw)
    if envelope.status == 200 and envelope.rt_cd not in ("", "0"):
        return BrokerRejected(text or f"refused (rt_cd {envelope.rt_cd})", **kw)
    if code.startswith("OPSQ") or (envelope.status < 500 and code):
        # Input and parsing errors, and 4xx with a code: the request never became an order.
        return BrokerRejected(text or f"refused (HTTP {envelope.status})", **kw)
    if order:
        return OutcomeUnknown(f"HTTP {envelope.status} without a business answer"
                              + (f": {text}" if text else ""), **kw)
    return BrokerError(f"HTTP {envelope.status}" + (f": {text}" if text else ""), **kw)
