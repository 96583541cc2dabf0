"""LS websocket messages (ls.md §5.1): what Lucy sends, and the two kinds of frame it receives.

Every client message is ``{"header": {"token", "tr_type"}, "body": {"tr_cd", "tr_key"}}`` with
the raw access token (no ``Bearer``). The server answers a registration with a header-only frame
carrying ``rsp_cd``/``rsp_msg`` (an :class:`Ack`) and pushes data as ``{"header": {"tr_cd",
"tr_key"?}, "body": {...}}`` with every value a string (a :class:`Push`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from . import codes


class FrameError(ValueError):
    """A frame that does not parse: counted and skipped, never fatal to the session."""


def registration(token: str, tr_type: str, tr_cd: str, tr_key: str = "") -> str:
    if tr_type not in codes.TR_TYPES:
        raise ValueError(f"tr_type must be one of {sorted(codes.TR_TYPES)}, got {tr_type!r}")
    return json.dumps({"header": {"token": token, "tr_type": tr_type},
                       "body": {"tr_cd": tr_cd, "tr_key": tr_key}}, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class Ack:
    tr_cd: str
    tr_key: str
    tr_type: str
    rsp_cd: str
    rsp_msg: str

    @property
    def ok(self) -> bool:
        return self.rsp_cd == codes.WS_OK


@dataclass(frozen=True, slots=True)
class Push:
    tr_cd: str
    tr_key: str
    body: dict[str, str]

    def __getitem__(self, name: str) -> str:
        value = self.body.get(name)
        return "" if value is None else str(value).strip()

    def int(self, name: str) -> int:
        """A number field; blank is 0, decimals are truncated, anything else is a FrameError."""
        value = self[name].replace(",", "")
        if not value:
            return 0
        try:
            return int(value)
        except ValueError:
            pass
        try:
            return int(Decimal(value).to_integral_value(rounding=ROUND_DOWN))
        except (InvalidOperation, ValueError):
            raise FrameError(f"{self.tr_cd} {name} is not a number: {value!r}") from None


def parse(raw: str | bytes) -> Ack | Push:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    try:
        message: Any = json.loads(text)
    except ValueError:
        raise FrameError("not JSON") from None
    if not isinstance(message, dict) or not isinstance(message.get("header"), dict):
        raise FrameError("no header object")
    header = message["header"]
    tr_cd = str(header.get("tr_cd") or "").strip()
    tr_key = str(header.get("tr_key") or "").strip()
    body = message.get("body")
    if "rsp_cd" in header and not body:
        return Ack(tr_cd, tr_key, str(header.get("tr_type") or "").strip(),
                   str(header.get("rsp_cd") or "").strip(), str(header.get("rsp_msg") or "").strip())
    if not tr_cd:
        raise FrameError("a push without tr_cd")
    if not isinstance(body, dict):
        raise FrameError(f"{tr_cd} push without a body object")
    return Push(tr_cd, tr_key, body)
