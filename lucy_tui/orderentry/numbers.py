"""Numbers as traders type them: ``71000``, ``71,000``, ``1억``, ``5천만``, ``1.5억``, ``10만주``.

Korean counts in groups of four digits (만 10⁴, 억 10⁸, 조 10¹²), each group written with digits
or with 천/백/십: ``1억5천만`` is 150,000,000 and ``2억5000만`` is 250,000,000. A unit without a
number before it counts one (``만원`` is 10,000 won). A decimal is allowed where the result is
whole (``1.5만`` is 15,000; ``1.23456만`` is refused). Commas must group by three, so a slip such
as ``71,00`` is caught instead of read as 7,100.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_BIG = (("조", 10 ** 12), ("억", 10 ** 8), ("만", 10 ** 4))
_SMALL = (("천", 1000), ("백", 100), ("십", 10))
_PLAIN = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
#: Far above any order (10조 KRW): a bigger number is a typo, and keeps ints small.
LARGEST = 10 ** 13
AMOUNT_PREFIXES = ("₩", "\\")   # on Korean keyboards the ₩ key types a backslash
UNIT_CHARS = frozenset("조억만천백십")


class NumberError(ValueError):
    """A number that cannot be read; the message (Korean, with English) names the text."""


def normalize(token: str) -> str:
    """Full-width digits and ￦ as half-width (some IMEs send them)."""
    return unicodedata.normalize("NFKC", token)


def _plain(text: str, whole: str) -> Decimal:
    if not _PLAIN.fullmatch(text):
        raise NumberError(f"'{whole}'은(는) 숫자로 읽을 수 없습니다 — not a number "
                          "(쉼표는 세 자리마다: 71,000)")
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise NumberError(f"'{whole}'은(는) 숫자로 읽을 수 없습니다") from None


def _group(text: str, whole: str) -> Decimal:
    """A number below 만: digits, or digits with 천/백/십."""
    if _PLAIN.fullmatch(text):
        return _plain(text, whole)
    total = Decimal(0)
    rest = text
    found = False
    for unit, mult in _SMALL:
        if unit in rest:
            head, rest = rest.split(unit, 1)
            total += (_plain(head, whole) if head else 1) * mult
            found = True
    if rest:
        total += _plain(rest, whole)
    if not found:
        raise NumberError(f"'{whole}'은(는) 숫자로 읽을 수 없습니다 — not a number")
    return total


def parse_number(text: str) -> int:
    """The whole number ``text`` spells (no sign, no currency mark, no 주/원 suffix)."""
    whole = text
    if not text:
        raise NumberError("숫자가 없습니다 — a number is missing")
    total = Decimal(0)
    rest = text
    for unit, mult in _BIG:
        if unit in rest:
            head, rest = rest.split(unit, 1)
            total += (_group(head, whole) if head else 1) * mult
    if rest:
        total += _group(rest, whole)
    if total != total.to_integral_value():
        raise NumberError(f"'{whole}'은(는) 정수가 아닙니다 — not a whole number")
    if total > LARGEST:
        raise NumberError(f"'{whole}'은(는) 너무 큰 수입니다 — number too large")
    return int(total)


def looks_numeric(token: str) -> bool:
    """Whether a token is meant as a number (a size or a price), right or wrong."""
    t = normalize(token)
    if t.startswith(AMOUNT_PREFIXES):
        t = t[1:]
    return bool(t) and t[0].isdigit()


def parse_size(token: str) -> tuple[str, int]:
    """``("qty", n)`` or ``("amount", n)`` for a size token.

    ``₩…``, ``…원`` and numbers with 만/억/조 and no ``주`` are amounts in KRW; plain numbers
    and ``…주`` are shares.
    """
    t = normalize(token)
    marked = t.startswith(AMOUNT_PREFIXES)
    if marked:
        t = t[1:]
    if t.endswith("주"):
        if marked:
            raise NumberError(f"'{token}': ₩(금액)과 주(수량)를 함께 쓸 수 없습니다 — "
                              "an amount or a quantity, not both")
        return "qty", parse_number(t[:-1])
    if t.endswith("원"):
        return "amount", parse_number(t[:-1])
    value = parse_number(t)
    if marked or any(ch in t for ch in "조억만"):
        return "amount", value
    return "qty", value


def parse_price(token: str) -> int:
    """A price in won: digits with commas or Korean units, an optional 원 suffix."""
    t = normalize(token)
    if t.startswith(AMOUNT_PREFIXES):
        t = t[1:]
    if t.endswith("원"):
        t = t[:-1]
    return parse_number(t)
