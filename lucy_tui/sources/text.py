"""Cell text → values, for the scraped pages (specs/sources.md §1.7, §2.3).

Every function takes the raw text of one cell and returns a value or None. None means "the page
shows nothing usable here" (`-`, `예정`, blank, `&nbsp;`): never zero, because a missing final price
or ratio is not a price or ratio of zero. A cell that has text but not the expected shape raises
:class:`ValueError` naming the text, so a format change is reported instead of silently dropped.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

#: Cell texts that mean "not available".
PLACEHOLDERS = frozenset({"", "-", "－", "예정", "상장", "미정", "N/A", "n/a", "- 원", "-원",
                          "- 원 (%)", "- 주", "-주", "- (백만원)"})

_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")
_YEAR_NAME = re.compile(r"\((?:유가|코스닥|코넥스)\)|\(구\.[^)]*\)")


def clean(text: str | None) -> str:
    """Collapse all whitespace (U+00A0 from `&nbsp;`, tabs, newlines) to single spaces."""
    if text is None:
        return ""
    return _SPACE.sub(" ", text.replace("\u00a0", " ")).strip()


def blank(text: str | None) -> bool:
    return clean(text) in PLACEHOLDERS


def won(text: str | None) -> int | None:
    """`24,500`, `14,000원`, `500 원`, `-24,342 (백만원)` → the first integer, unit ignored."""
    text = clean(text)
    if text in PLACEHOLDERS:
        return None
    match = _NUMBER.search(text)
    if match is None:
        raise ValueError(f"no number in {text!r}")
    number = match.group().replace(",", "")
    if "." in number:
        raise ValueError(f"expected a whole number of won, got {text!r}")
    return int(number)


def million_won(text: str | None) -> int | None:
    """`16,800 (백만원)` → 16_800_000_000 won (the cell states its unit; we keep won)."""
    value = won(text)
    if value is None:
        return None
    return value * 1_000_000 if "백만원" in clean(text) else value


def won_range(text: str | None) -> tuple[int | None, int | None]:
    """`22,000~26,700`, `8,700 ~ 11,000원` → (low, high); a single price gives (p, p)."""
    text = clean(text)
    if text in PLACEHOLDERS:
        return None, None
    parts = [p for p in re.split(r"\s*~\s*", text)]
    if len(parts) == 1:
        value = won(parts[0])
        return value, value
    if len(parts) != 2:
        raise ValueError(f"expected a price range like 22,000~26,700, got {text!r}")
    return won(parts[0]), won(parts[1])


def ratio(text: str | None) -> Decimal | None:
    """`772.80:1`, `1,616.27:1`, `14.43`, `2071.41:1 (비례 4143:1)` → Decimal of the first ratio."""
    text = clean(text)
    if text in PLACEHOLDERS:
        return None
    match = _NUMBER.search(text)
    if match is None:
        raise ValueError(f"expected a ratio like 772.80:1, got {text!r}")
    try:
        return Decimal(match.group().replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only decimals
        raise ValueError(f"bad ratio {text!r}") from None


def proportional_ratio(text: str | None) -> Decimal | None:
    """The `(비례 4143:1)` part of a retail competition cell, when the page gives it."""
    match = re.search(r"비례\s*([\d,]+(?:\.\d+)?)", clean(text))
    return Decimal(match.group(1).replace(",", "")) if match else None


def percent(text: str | None) -> Decimal | None:
    """`19.74%`, `-44.20%`, `120.3%` → Decimal percent points (19.74)."""
    text = clean(text)
    if text in PLACEHOLDERS:
        return None
    match = _NUMBER.search(text)
    if match is None:
        raise ValueError(f"expected a percentage like 19.74%, got {text!r}")
    return Decimal(match.group().replace(",", ""))


def day(text: str | None) -> date | None:
    """`2025.08.07`, `2026/01/30`, `2024-05-23`, `20240523` → date."""
    text = clean(text)
    if text in PLACEHOLDERS:
        return None
    match = re.search(r"(\d{4})[./-]?\s*(\d{1,2})[./-]?\s*(\d{1,2})", text)
    if match is None:
        raise ValueError(f"expected a date like 2025.08.07, got {text!r}")
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        raise ValueError(f"not a calendar date: {text!r}") from None


def day_range(text: str | None) -> tuple[date | None, date | None]:
    """`2024.12.17~12.18` (list pages: no year on the end, rolled over December),
    `2024.05.13 ~ 2024.05.14` (detail pages) → (start, end)."""
    text = clean(text)
    if text in PLACEHOLDERS:
        return None, None
    parts = re.split(r"\s*~\s*", text)
    start = day(parts[0])
    if len(parts) == 1 or start is None:
        return start, start
    if len(parts) != 2:
        raise ValueError(f"expected a date range like 2024.12.17~12.18, got {text!r}")
    end_text = parts[1]
    if blank(end_text):
        return start, None
    short = re.fullmatch(r"(\d{1,2})[./](\d{1,2})", end_text)
    if short:
        month, dom = map(int, short.groups())
        # The list pages drop the end year: a range ending in an earlier month crosses New Year.
        year = start.year + 1 if month < start.month else start.year
        try:
            return start, date(year, month, dom)
        except ValueError:
            raise ValueError(f"not a calendar date: {text!r}") from None
    return start, day(end_text)


def korean_amount(text: str | None) -> int | None:
    """judal 시가총액 `9조 8176억원`, `2706억원` → won (int)."""
    text = clean(text).replace(" ", "")
    if text in PLACEHOLDERS:
        return None
    match = re.fullmatch(r"(?:(\d[\d,]*)조)?(?:(\d[\d,]*)억)?(?:(\d[\d,]*)만)?원?", text)
    if match is None or not any(match.groups()):
        raise ValueError(f"expected an amount like 9조 8176억원, got {text!r}")
    jo, eok, man = (int(g.replace(",", "")) if g else 0 for g in match.groups())
    return jo * 10**12 + eok * 10**8 + man * 10**4


def match_name(name: str) -> str:
    """A company name reduced for matching across sources: `(유가)`, `(구.옛이름)`, spaces and
    the `(주)`/`주식회사` forms removed (§1.7)."""
    name = _YEAR_NAME.sub("", clean(name))
    name = re.sub(r"\(주\)|㈜|주식회사", "", name)
    return re.sub(r"\s+", "", name).upper()


def is_spac(name: str) -> bool:
    return "스팩" in name or "기업인수목적" in name
