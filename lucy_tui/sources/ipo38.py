"""38커뮤니케이션 (www.38.co.kr) page parsers: schedule (o=k), detail (o=v), new listings (o=nw).

Layouts: specs/sources.md §1.3-§1.7. Tables are found by their ``summary`` attribute, data rows
are the rows whose first cell links to ``o=v&no=`` (headers, spacers and ads are skipped), and
values go through :mod:`.text`. Parsers take decoded text (see :func:`decode`) and are pure and
synchronous: callers on the event loop run them in a worker thread.

A page without the expected table raises :class:`MarkupChanged` whose message is what the user
sees in the job status, e.g. ``38.co.kr: table '공모주 청약일정' not found — markup changed?``.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser as HTMLParser, LexborNode as Node

from . import text as t
from .models import IpoDetail, NewListing, ScheduleRow, ScheduleStatus

SITE = "38.co.kr"
BASE_URL = "http://www.38.co.kr"   # https fails on OpenSSL 3 (DH_KEY_TOO_SMALL, §1.2)
FUND_PATH = "/html/fund/index.htm"

SCHEDULE_TABLE = "공모주 청약일정"
LISTINGS_TABLE = "신규상장종목"
DETAIL_TABLES = ("기업개요", "공모정보", "공모청약일정")

_STATUS = {"#0066CC": ScheduleStatus.UPCOMING, "#E3231E": ScheduleStatus.SUBSCRIBING,
           "#333333": ScheduleStatus.FINISHED}
_NO = re.compile(r"[?&]no=(\d+)")
_KOSPI_TAG = "(유가)"


class MarkupChanged(ValueError):
    """The page does not have the shape the parser knows; the message names what is missing."""


def decode(data: bytes) -> str:
    """38.co.kr serves EUC-KR; cp949 is its superset, so rare Hangul survives (§1.2)."""
    return data.decode("cp949", errors="replace")


def schedule_url(page: int = 1, base: str = BASE_URL) -> str:
    return f"{base}{FUND_PATH}?o=k&page={page}"


def detail_url(no: int, base: str = BASE_URL) -> str:
    return f"{base}/html/fund/?o=v&no={no}"


def listings_url(page: int = 1, base: str = BASE_URL) -> str:
    return f"{base}{FUND_PATH}?o=nw&page={page}"


# ---------------------------------------------------------------- helpers


def _table(tree: HTMLParser, summary: str) -> Node:
    for node in tree.css("table[summary]"):
        if t.clean(node.attributes.get("summary")) == summary:
            return node
    raise MarkupChanged(f"{SITE}: table '{summary}' not found — markup changed?")


def _cells(row: Node) -> list[Node]:
    return [c for c in row.iter() if c.tag in ("td", "th")]


def _text(node: Node) -> str:
    return t.clean(node.text(deep=True, separator=" "))


def _offering_no(node: Node) -> int | None:
    for link in node.css("a[href]"):
        match = _NO.search(link.attributes.get("href") or "")
        if match and "o=v" in (link.attributes.get("href") or ""):
            return int(match.group(1))
    return None


def _data_rows(table: Node):
    """(row, cells, no) for each row whose first cell links to a detail page (§1.7)."""
    for row in table.css("tr"):
        cells = _cells(row)
        if not cells:
            continue
        no = _offering_no(cells[0])
        if no is not None:
            yield row, cells, no


def _name_and_market(cell: Node) -> tuple[str, bool, ScheduleStatus | None]:
    name = _text(cell)
    kospi = _KOSPI_TAG in name
    name = t.clean(name.replace(_KOSPI_TAG, ""))
    status = None
    font = cell.css_first("font[color]")
    if font is not None:
        status = _STATUS.get((font.attributes.get("color") or "").upper())
    return name, kospi, status


def _field(label: str, no: int | None, parse, raw: str):
    """Parse one cell; a malformed value names the offering and the column."""
    try:
        return parse(raw)
    except ValueError as exc:
        where = f"no={no} " if no is not None else ""
        raise MarkupChanged(f"{SITE}: {where}{label}: {exc}") from None


def underwriters(raw: str) -> tuple[str, ...]:
    return tuple(p for p in (t.clean(x) for x in re.split(r"[,/]", raw)) if p and p != "-")


# ---------------------------------------------------------------- o=k


def parse_schedule(html: str) -> list[ScheduleRow]:
    """Rows of the 공모주 청약일정 table, in page order (newest subscription first)."""
    tree = HTMLParser(html)
    table = _table(tree, SCHEDULE_TABLE)
    out = []
    for _, cells, no in _data_rows(table):
        if len(cells) < 6:
            raise MarkupChanged(f"{SITE}: no={no}: expected 7 cells in '{SCHEDULE_TABLE}', "
                                f"found {len(cells)} — markup changed?")
        name, kospi, status = _name_and_market(cells[0])
        start, end = _field("공모주일정", no, t.day_range, _text(cells[1]))
        band_low, band_high = _field("희망공모가", no, t.won_range, _text(cells[3]))
        out.append(ScheduleRow(
            no=no, name=name, kospi=kospi, status=status,
            subscription_start=start, subscription_end=end,
            final_price=_field("확정공모가", no, t.won, _text(cells[2])),
            band_low=band_low, band_high=band_high,
            competition=_field("청약경쟁률", no, t.ratio, _text(cells[4])),
            underwriters=underwriters(_text(cells[5])), spac=t.is_spac(name)))
    return out


# ---------------------------------------------------------------- o=nw


def parse_listings(html: str) -> list[NewListing]:
    """Rows of the 신규상장종목 table: 기업명 | 신규상장일 | 현재가 | 전일비(%) | 공모가 |
    공모가대비등락률(%) | 시초가 | 시초/공모(%) | 첫날종가 (§1.5)."""
    tree = HTMLParser(html)
    table = _table(tree, LISTINGS_TABLE)
    out = []
    for _, cells, no in _data_rows(table):
        if len(cells) < 9:
            raise MarkupChanged(f"{SITE}: no={no}: expected 9 cells in '{LISTINGS_TABLE}', "
                                f"found {len(cells)} — markup changed?")
        name, kospi, _ = _name_and_market(cells[0])
        vals = [_text(c) for c in cells[:9]]
        out.append(NewListing(
            no=no, name=name, kospi=kospi,
            listing=_field("신규상장일", no, t.day, vals[1]),
            price=_field("현재가", no, t.won, vals[2]),
            change_pct=_field("전일비", no, t.percent, vals[3]),
            offer_price=_field("공모가", no, t.won, vals[4]),
            offer_change_pct=_field("공모가대비등락률", no, t.percent, vals[5]),
            open_price=_field("시초가", no, t.won, vals[6]),
            open_vs_offer_pct=_field("시초/공모", no, t.percent, vals[7]),
            first_close=_field("첫날종가", no, t.won, vals[8])))
    return out


# ---------------------------------------------------------------- o=v


def detail_labels(html: str, *, require: tuple[str, ...] = DETAIL_TABLES) -> dict[str, str]:
    """label → cleaned value text from the detail tables (and their nested tables).

    Rows hold label/value pairs side by side (up to two per row, §1.4); a cell holding a nested
    table is skipped here and its own rows are read instead (수요예측결과 → 기관경쟁률, 의무보유확약).
    A cell left over after the pairs (the 주간사 row's 주식수/청약한도 note) is kept under
    ``"<label> 비고"``.
    """
    return _labels(HTMLParser(html), require)


def _labels(tree: HTMLParser, require: tuple[str, ...]) -> dict[str, str]:
    if "해당 정보가 없습니다" in (tree.body.text() if tree.body else ""):
        raise MarkupChanged(f"{SITE}: no such offering (해당 정보가 없습니다)")
    tables = []
    for summary in require:
        tables.append(_table(tree, summary))
    labels: dict[str, str] = {}
    for table in tables:
        for row in table.css("tr"):
            cells = [c for c in row.iter() if c.tag in ("td", "th") and c.css_first("table") is None]
            texts = [_text(c) for c in cells]
            for i in range(0, len(texts) - 1, 2):
                label = texts[i].replace(" ", "")
                if label and label not in labels:
                    labels[label] = texts[i + 1]
            if len(texts) % 2 == 1 and len(texts) > 1:
                labels.setdefault(texts[-3].replace(" ", "") + " 비고", texts[-1])
    return labels


def parse_detail(html: str, no: int | None = None) -> IpoDetail:
    tree = HTMLParser(html)
    labels = _labels(tree, DETAIL_TABLES)
    if "시장구분" not in labels and "종목명" not in labels:
        # A throttled answer is a 200 notice page without the detail tables' content (§1.2).
        raise MarkupChanged(f"{SITE}: detail page without '시장구분' — blocked or markup changed?")
    return detail_from_labels(labels, no, limits=underwriter_limits(tree, labels))


def underwriter_limits(tree: HTMLParser, labels: dict[str, str]) -> tuple[tuple[str, int | None], ...]:
    """(firm, 청약한도 in shares) per underwriter: from the 인수회사 | 주식수 | 청약한도 table when
    there are several, else from the note beside the single 주간사 (§1.4)."""
    out: list[tuple[str, int | None]] = []
    for table in tree.css("table"):
        rows = table.css("tr")
        if not rows or "인수회사" not in _text(rows[0]).replace(" ", ""):
            continue
        for row in rows[1:]:
            cells = [_text(c) for c in row.iter() if c.tag in ("td", "th")]
            if len(cells) >= 3 and cells[0] and cells[0] != "-":
                out.append((cells[0], _limit(cells[2])))
        if out:
            return tuple(out)
    firms = underwriters(labels.get("주간사", ""))
    note = labels.get("주간사 비고", "")
    match = re.search(r"청약한도\s*:?\s*([-\d,]+)", note)
    if len(firms) == 1 and match:
        return ((firms[0], _limit(match.group(1))),)
    return ()


def _limit(text: str) -> int | None:
    try:
        return t.won(text)
    except ValueError:
        return None


def detail_from_labels(labels: dict[str, str], no: int | None = None, *,
                       limits: tuple[tuple[str, int | None], ...] = ()) -> IpoDetail:
    def get(*names: str) -> str:
        for name in names:
            if name in labels:
                return labels[name]
        return ""

    def f(label: str, parse, *names: str):
        return _field(label, no, parse, get(*(names or (label,))))

    band_low, band_high = f("희망공모가액", t.won_range)
    forecast = f("수요예측일", t.day_range)
    subscription = f("공모청약일", t.day_range)
    competition_text = get("청약경쟁률")
    inst = f("기관경쟁률", t.ratio)
    lockup = f("의무보유확약", t.percent)
    if lockup is not None and lockup == 0 and inst is None:
        lockup = None   # 0.00% is "unknown" for SPACs and before book-building (§1.7)
    code = get("종목코드") or None
    return IpoDetail(
        no=no, name=t.clean(get("종목명").replace(_KOSPI_TAG, "")), code=code,
        market=get("시장구분") or None, progress=get("진행상황") or None,
        industry=get("업종") or None,
        total_shares=f("총공모주식수", t.won), face_value=f("액면가", t.won),
        band_low=band_low, band_high=band_high,
        final_price=f("확정공모가", t.won),
        offering_amount=f("공모금액", t.million_won),
        underwriters=underwriters(get("주간사")),
        competition=_field("청약경쟁률", no, t.ratio, competition_text),
        competition_proportional=t.proportional_ratio(competition_text),
        forecast_start=forecast[0], forecast_end=forecast[1],
        subscription_start=subscription[0], subscription_end=subscription[1],
        allotment_notice=f("배정공고일", t.day, "배정공고일(신문)", "배정공고일"),
        payment=f("납입일", t.day), refund=f("환불일", t.day),
        listing=f("상장일", t.day, "상장일", "신규상장일", "상장예정일"),
        institutional_competition=inst, lockup_ratio=lockup,
        subscription_limits=limits, raw=dict(labels))


def parse(kind: str, html: str) -> list:
    """The records of one saved page by kind: ``schedule``, ``detail`` or ``listings``."""
    if kind == "schedule":
        return parse_schedule(html)
    if kind == "listings":
        return parse_listings(html)
    if kind == "detail":
        return [parse_detail(html)]
    raise ValueError(f"unknown page kind {kind!r}: use schedule, detail or listings")
