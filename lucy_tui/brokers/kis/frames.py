"""KIS websocket data frames: framing, AES decryption and the records of the TRs Lucy reads.

Frame (kis.md §5.3): ``<enc>|<tr_id>|<nnn>|<payload>``; ``enc`` 1 means the payload is Base64 of
AES-256-CBC/PKCS#7 ciphertext under the key/iv the TR's subscribe ACK carried. Records are the
fields joined by ``^``, ``nnn`` of them back to back.

The execution notice has 26 fields since KIS added NXT in 2025; the older 23-field layout is still
read (a frame whose field count fits only 23 per record), so a feed that lags behind the layout
change does not go dark.
"""

from __future__ import annotations

import base64
import binascii
import functools
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from .codes import H0STCNI0_FIELDS, H0STCNT0_FIELDS


class FrameError(ValueError):
    """A frame that does not parse: counted and skipped, never fatal to the session."""


#: H0STCNI0/H0STCNI9, current layout (§5.5).
NOTICE_FIELDS = (
    "CUST_ID", "ACNT_NO", "ODER_NO", "OODER_NO", "SELN_BYOV_CLS", "RCTF_CLS", "ODER_KIND",
    "ODER_COND", "STCK_SHRN_ISCD", "CNTG_QTY", "CNTG_UNPR", "STCK_CNTG_HOUR", "RFUS_YN",
    "CNTG_YN", "ACPT_YN", "BRNC_NO", "ODER_QTY", "ACNT_NAME", "ORD_COND_PRC", "ORD_EXG_GB",
    "POPUP_YN", "FILLER", "CRDT_CLS", "CRDT_LOAN_DATE", "CNTG_ISNM40", "ODER_PRC",
)
#: The layout before March 2025 (§5.5 "Layout history").
NOTICE_FIELDS_23 = NOTICE_FIELDS[:18] + (
    "CNTG_ISNM", "CRDT_CLS", "CRDT_LOAN_DATE", "CNTG_ISNM40", "ODER_PRC")
assert len(NOTICE_FIELDS) == H0STCNI0_FIELDS and len(NOTICE_FIELDS_23) == 23

#: Positions read from an H0STCNT0 record (46 fields; a 47th MARKET_CLS_CODE is tolerated).
TICK_CODE, TICK_HOUR, TICK_PRICE, TICK_SIGN, TICK_CHANGE = 0, 1, 2, 3, 4
TICK_ASK1, TICK_BID1, TICK_QTY, TICK_CUM_VOLUME, TICK_SIDE = 10, 11, 12, 13, 21


@dataclass(frozen=True, slots=True)
class DataFrame:
    encrypted: bool
    tr_id: str
    count: int
    payload: str


def split_frame(text: str) -> DataFrame:
    parts = text.split("|", 3)
    if len(parts) != 4 or parts[0] not in ("0", "1"):
        raise FrameError("not a data frame")
    enc, tr_id, count, payload = parts
    if not count.isdigit() or int(count) < 1:
        raise FrameError(f"bad record count {count!r}")
    return DataFrame(enc == "1", tr_id, int(count), payload)


@functools.lru_cache(maxsize=16)
def _cipher(key: str, iv: str) -> Cipher:
    # One per subscription's key and iv: building it (the AES key schedule) cost as much as
    # decrypting the notice itself, thousands of times a second in a busy market.
    return Cipher(algorithms.AES(key.encode()), modes.CBC(iv.encode()))


def decrypt(payload: str, key: str, iv: str) -> str:
    """AES-256-CBC, PKCS#7, Base64; key and iv are the ACK's strings taken as bytes."""
    try:
        cipher = _cipher(key, iv).decryptor()
        data = cipher.update(base64.b64decode(payload, validate=True)) + cipher.finalize()
        pad = data[-1] if data else 0
        if not 1 <= pad <= 16 or data[-pad:] != bytes((pad,)) * pad:
            raise ValueError("Invalid padding bytes.")
        return data[:-pad].decode("utf-8")
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise FrameError(f"cannot decrypt: {exc}") from None


#: What some TRs send for an empty value (§5.3); read as the empty string it stands for.
NULL = "(null)"


def records(payload: str, count: int, widths: tuple[int, ...]) -> list[list[str]]:
    """Split ``payload`` into ``count`` records of the first width in ``widths`` that fits."""
    fields = ["" if f == NULL else f for f in payload.split("^")]
    for width in widths:
        if len(fields) == width * count:
            return [fields[i * width:(i + 1) * width] for i in range(count)]
    raise FrameError(f"{len(fields)} fields do not make {count} record(s) of {' or '.join(map(str, widths))}")


@dataclass(frozen=True, slots=True)
class Notice:
    """One execution-notice record, fields by name."""

    fields: dict[str, str]

    def __getitem__(self, name: str) -> str:
        return self.fields.get(name, "")

    def int(self, name: str) -> int:
        value = self[name].strip()
        try:
            return int(value) if value else 0
        except ValueError:
            raise FrameError(f"{name} is not a number: {value!r}") from None

    @property
    def is_fill(self) -> bool:
        return self["CNTG_YN"] == "2"

    @property
    def is_rejected(self) -> bool:
        return self["RFUS_YN"] == "1"


def parse_notices(plaintext: str, count: int) -> list[Notice]:
    out = []
    for record in records(plaintext, count, (len(NOTICE_FIELDS), len(NOTICE_FIELDS_23))):
        names = NOTICE_FIELDS if len(record) == len(NOTICE_FIELDS) else NOTICE_FIELDS_23
        out.append(Notice(dict(zip(names, record))))
    return out


def parse_ticks(payload: str, count: int) -> list[list[str]]:
    return records(payload, count, (H0STCNT0_FIELDS, H0STCNT0_FIELDS + 1))
