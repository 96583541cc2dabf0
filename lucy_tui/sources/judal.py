"""주달 (www.judal.co.kr) parsers: the theme list and one theme's stocks (specs/sources.md §2).

Both markups parse: up to mid-2026 (theme name and count in a ``span``, ``th.text-left``, links to
finance.naver.com ``?code=``) and from 2026-10 (name as link text, count alone in the ``span``,
``th.text-start``, links to stock.naver.com ``/stock/<code>/``). Identity comes from hrefs, not
from classes, and an empty result is an error: the 2026-10 change made one parser return zero
themes without complaint.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser as HTMLParser, LexborNode as Node

from . import text as t
from .models import Theme, ThemeStock

SITE = "judal.co.kr"
BASE_URL = "https://www.judal.co.kr"

_IDX = re.compile(r"themeIdx=(\d+)")
_COUNT = re.compile(r"\s*\((\d+)\)\s*$")
_CODE = re.compile(r"(?:code=|/stock/)([0-9A-Z]{6})")
_MARKET = re.compile(r"\b(KOSPI|KOSDAQ|KONEX)\b")


class MarkupChanged(ValueError):
    """The page has none of what the parser looks for; the message is the job's status."""


def home_url(base: str = BASE_URL) -> str:
    return f"{base}/"


def theme_list_url(base: str = BASE_URL) -> str:
    return f"{base}/?view=themeList"


def theme_url(idx: int, base: str = BASE_URL) -> str:
    return f"{base}/?view=stockList&themeIdx={idx}"


def _text(node: Node) -> str:
    return t.clean(node.text(deep=True, separator=" "))


def _header_index(table: Node | None, label: str) -> int | None:
    if table is None:
        return None
    for row in table.css("tr"):
        heads = [t.clean(c.text(deep=True, separator=" ")) for c in row.iter() if c.tag == "th"]
        if len(heads) > 1:
            for i, head in enumerate(heads):
                if head.replace(" ", "") == label:
                    return i
            return None
    return None


def _ancestor(node: Node, tag: str) -> Node | None:
    parent = node.parent
    while parent is not None and parent.tag != tag:
        parent = parent.parent
    return parent


def parse_themes(html: str) -> list[Theme]:
    """Every theme linked from the home page or the themeList page, de-duplicated by idx.

    On the themeList table the 전일비 column gives each theme's change rate.
    """
    tree = HTMLParser(html)
    themes: dict[int, Theme] = {}
    for link in tree.css('a[href*="themeIdx="]'):
        match = _IDX.search(link.attributes.get("href") or "")
        if match is None:
            continue
        idx = int(match.group(1))
        if idx in themes:
            continue
        label = _text(link).replace("Information", "").strip()
        count_match = _COUNT.search(label)
        count = int(count_match.group(1)) if count_match else None
        name = _COUNT.sub("", label).strip()
        if not name:
            continue
        change = None
        row = _ancestor(link, "tr")
        if row is not None:
            column = _header_index(_ancestor(row, "table"), "전일비")
            cells = [c for c in row.iter() if c.tag in ("td", "th")]
            if column is not None and column < len(cells):
                try:
                    change = t.percent(_text(cells[column]))
                except ValueError:
                    change = None
        themes[idx] = Theme(idx=idx, name=name, count=count, change_pct=change)
    if not themes:
        raise MarkupChanged(f"{SITE}: no theme links (themeIdx=) found — markup changed?")
    return list(themes.values())


def _reason(cell: Node) -> str | None:
    for node in cell.css("[title], [data-bs-title], [data-bs-original-title]"):
        for attr in ("data-bs-original-title", "data-bs-title", "title"):
            value = node.attributes.get(attr)
            if value and value.strip():
                return t.clean(HTMLParser(value).text() if "<" in value else value)
    return None


def _stacked(cell: Node | None) -> list[str]:
    if cell is None:
        return []
    return [p for p in _text(cell).split(" ") if p]


def _safe(parse, raw):
    try:
        return parse(raw)
    except ValueError:
        return None


def parse_theme_stocks(html: str) -> list[ThemeStock]:
    """The member stocks of one theme page, in page order.

    A stock is a ``th`` whose link carries a 6-character code; the other cells of its row, when
    present, give 현재가격 (price over change), 전일비, 시가총액 and the related themes (§2.3).
    """
    tree = HTMLParser(html)
    out: list[ThemeStock] = []
    seen: set[str] = set()
    for link in tree.css("a[href]"):
        match = _CODE.search(link.attributes.get("href") or "")
        if match is None or "naver" not in (link.attributes.get("href") or ""):
            continue
        code = match.group(1)
        if code in seen:
            continue
        # The name cell is a th; an abridged copy (or a parser that drops a stray th) leaves
        # only the link, whose parent then stands in for the cell.
        cell = _ancestor(link, "th") or _ancestor(link, "td") or link.parent or link
        seen.add(code)
        bold = link.css_first("b") or cell.css_first("b")
        name = _text(bold) if bold is not None else _text(cell).split(" ")[0]
        market_match = _MARKET.search(_text(cell))
        row = _ancestor(cell, "tr")
        cells = [c for c in row.iter() if c.tag in ("td", "th")] if row is not None else [cell]
        price = change = change_pct = cap = None
        related: tuple[str, ...] = ()
        if len(cells) > 2:
            stacked = _stacked(cells[1])
            price = _safe(t.won, stacked[0]) if stacked else None
            change = _safe(t.won, stacked[1]) if len(stacked) > 1 else None
            change_pct = _safe(t.percent, _text(cells[2]))
            if len(cells) > 15:
                cap = _safe(t.korean_amount, _text(cells[15]))
            related = tuple(_text(a) for a in row.css("a.btn-outline-success"))
        out.append(ThemeStock(code=code, name=name,
                              market=market_match.group(1) if market_match else None,
                              price=price, change=change, change_pct=change_pct, market_cap=cap,
                              reason=_reason(cell), related=related))
    if not out:
        raise MarkupChanged(f"{SITE}: no stock rows (Naver code links) found — markup changed?")
    return out
