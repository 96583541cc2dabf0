"""KIS realtime data frames: the AES-encrypted execution notice and the framing all TRs share.

Frame: ``<enc>|<tr_id>|<nnn>|<payload>`` (kis.md §5.3) — ``enc`` 0 plain / 1 encrypted, ``nnn`` the
zero-padded record count, the payload the records' fields joined by ``^``. An encrypted payload is
Base64 of AES-256-CBC/PKCS#7 over the UTF-8 plaintext, key = the ACK's 32-character ``key``,
IV = its 16-character ``iv``, both as ASCII bytes.

The execution notice (``H0STCNI0`` real / ``H0STCNI9`` mock) has the current 26-field layout
(§5.5). How the variants fill it:

=============  =========  =======  =======  =======  ==============================
variant        RCTF_CLS   CNTG_YN  ACPT_YN  RFUS_YN  CNTG_QTY / CNTG_UNPR carry
=============  =========  =======  =======  =======  ==============================
order ack      0          1        1        0        order qty / order price
fill           0          2        2        0        fill qty / fill price
amend ack      1          1        2        0        amended qty / new price
cancel ack     2          1        2        0        cancelled qty / order price
reject         0          1        1        1        order qty / order price
IOC/FOK rest   0          1        3        0        cancelled qty / order price
=============  =========  =======  =======  =======  ==============================
"""

from __future__ import annotations

import base64
import random
import string
from collections.abc import Sequence

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from ...domain.model import Side
from ..accounts import NoticeKind, OrderNotice
from ...brokers.kis import codes

_KEY_CHARS = string.ascii_lowercase + string.digits


def new_key_iv(rng: random.Random) -> tuple[str, str]:
    """A fresh (32-char key, 16-char iv) pair, lower-case letters and digits like KIS's."""
    key = "".join(rng.choice(_KEY_CHARS) for _ in range(32))
    iv = "".join(rng.choice(_KEY_CHARS) for _ in range(16))
    return key, iv


def encrypt(plaintext: str, key: str, iv: str) -> str:
    padder = padding.PKCS7(algorithms.AES.block_size).padder()
    data = padder.update(plaintext.encode("utf-8")) + padder.finalize()
    enc = Cipher(algorithms.AES(key.encode("ascii")), modes.CBC(iv.encode("ascii"))).encryptor()
    return base64.b64encode(enc.update(data) + enc.finalize()).decode("ascii")


def decrypt(payload: str, key: str, iv: str) -> str:
    dec = Cipher(algorithms.AES(key.encode("ascii")), modes.CBC(iv.encode("ascii"))).decryptor()
    data = dec.update(base64.b64decode(payload)) + dec.finalize()
    unpadder = padding.PKCS7(algorithms.AES.block_size).unpadder()
    return (unpadder.update(data) + unpadder.finalize()).decode("utf-8")


def frame(tr_id: str, records: Sequence[Sequence[str]], *, key_iv: tuple[str, str] | None = None) -> str:
    """One data frame carrying ``records`` (each already the TR's field list)."""
    payload = "^".join("^".join(record) for record in records)
    if key_iv is None:
        return f"0|{tr_id}|{len(records):03d}|{payload}"
    return f"1|{tr_id}|{len(records):03d}|{encrypt(payload, *key_iv)}"


def _n(value: int | None, width: int) -> str:
    return str(max(0, value or 0)).zfill(width)


def notice_record(notice: OrderNotice, *, hts_id: str, acnt_no: str, holder: str,
                  branch: str) -> list[str]:
    """The 26 fields of an H0STCNI0/H0STCNI9 record for one back-office notice."""
    order = notice.order
    dvsn = codes.DVSN_OF.get((order.type, order.tif), "00")
    kind = notice.kind
    fill = kind is NoticeKind.FILLED
    rctf = {"new": "0", "amend": "1", "cancel": "2"}[order.action]
    if kind in (NoticeKind.FILLED, NoticeKind.EXPIRED):
        rctf = "0"
    acpt = {
        NoticeKind.ACCEPTED: "1", NoticeKind.REJECTED: "1", NoticeKind.FILLED: "2",
        NoticeKind.AMENDED: "2", NoticeKind.CANCELLED: "2", NoticeKind.EXPIRED: "3",
    }[kind]
    order_price = order.price or 0
    slot_price = notice.price if fill else order_price
    fields = [
        hts_id,                                        # 0 CUST_ID
        acnt_no,                                       # 1 ACNT_NO
        f"{order.no:010d}",                            # 2 ODER_NO
        f"{order.orig_no:010d}" if order.orig_no else "",  # 3 OODER_NO
        "01" if order.side is Side.SELL else "02",     # 4 SELN_BYOV_CLS
        rctf,                                          # 5 RCTF_CLS
        dvsn,                                          # 6 ODER_KIND
        codes.ODER_COND[order.tif],                    # 7 ODER_COND
        order.code,                                    # 8 STCK_SHRN_ISCD
        _n(notice.qty, 10),                            # 9 CNTG_QTY (ack: order qty)
        _n(slot_price, 9),                             # 10 CNTG_UNPR (ack: order price)
        notice.time.strftime("%H%M%S"),                # 11 STCK_CNTG_HOUR
        "1" if kind is NoticeKind.REJECTED else "0",   # 12 RFUS_YN
        "2" if fill else "1",                          # 13 CNTG_YN
        acpt,                                          # 14 ACPT_YN
        branch,                                        # 15 BRNC_NO
        _n(order.qty, 9),                              # 16 ODER_QTY
        holder,                                        # 17 ACNT_NAME
        _n(order.stop_price, 9),                       # 18 ORD_COND_PRC
        codes.ORD_EXG_GB.get(order.venue.value, "1"),  # 19 ORD_EXG_GB
        "Y" if fill or kind is NoticeKind.REJECTED else "N",  # 20 POPUP_YN
        "   ",                                         # 21 FILLER
        "00",                                          # 22 CRDT_CLS (cash)
        "",                                            # 23 CRDT_LOAN_DATE
        notice.name,                                   # 24 CNTG_ISNM40
        _n(order_price, 9),                            # 25 ODER_PRC
    ]
    assert len(fields) == codes.H0STCNI0_FIELDS
    return fields
