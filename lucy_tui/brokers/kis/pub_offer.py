"""KIS 예탁원정보(공모주청약일정) [국내주식-151]: the official IPO dates (specs/sources.md §5).

``GET /uapi/domestic-stock/v1/ksdinfo/pub-offer``, tr ``HHKDB669108C0``, real environment only.
Rows come in ``output1`` (one object is possible: a list of one). More rows follow while the
answer's ``tr_cont`` header is ``M``: the same query is sent again with ``tr_cont: N``, at most
:data:`MAX_PAGES` times, as the official sample does.

Call it with a session's REST client: ``await pub_offers(broker.rest, start, end)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..base import BrokerError, NotSupported
from .errors import BROKER
from .rest import KisRest

FUNCTION = "pub_offer"
MAX_PAGES = 10


@dataclass(frozen=True)
class PublicOffer:
    """One offering as KIS publishes it, in domain words."""

    code: str
    name: str | None
    record_date: date | None
    final_price: int | None
    face_value: int | None
    subscription_start: date | None
    subscription_end: date | None
    payment: date | None
    refund: date | None
    listing: date | None
    lead_manager: str | None


def _day(text: object) -> date | None:
    digits = re.sub(r"\D", "", str(text or ""))
    if len(digits) != 8:
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def _won(text: object) -> int | None:
    raw = str(text or "").replace(",", "").strip()
    if not raw or not re.fullmatch(r"-?\d+(\.0+)?", raw):
        return None
    value = int(raw.split(".")[0])
    return value or None


def _text(text: object) -> str | None:
    value = str(text or "").strip()
    return value or None


def offer(row: dict) -> PublicOffer:
    """One ``output1`` row → :class:`PublicOffer` (blanks and unparsable cells → None)."""
    span = [part for part in str(row.get("subscr_dt") or "").split("~")]
    start = _day(span[0]) if span else None
    end = _day(span[1]) if len(span) > 1 else start
    return PublicOffer(
        code=str(row.get("sht_cd") or "").strip(), name=_text(row.get("isin_name")),
        record_date=_day(row.get("record_date")), final_price=_won(row.get("fix_subscr_pri")),
        face_value=_won(row.get("face_value")), subscription_start=start, subscription_end=end,
        payment=_day(row.get("pay_dt")), refund=_day(row.get("refund_dt")),
        listing=_day(row.get("list_dt")), lead_manager=_text(row.get("lead_mgr")))


async def pub_offers(rest: KisRest, start: date, end: date, code: str = "") -> list[PublicOffer]:
    """Offerings whose dates fall in ``start``..``end`` (all of them, every page)."""
    if not rest.env.serves(FUNCTION):
        raise NotSupported("공모주청약일정 (ksdinfo/pub-offer) is served by the real KIS host only",
                           broker=BROKER)
    params = {"SHT_CD": code, "CTS": "", "F_DT": start.strftime("%Y%m%d"),
              "T_DT": end.strftime("%Y%m%d")}
    rows: list[dict] = []
    cont = ""
    for _ in range(MAX_PAGES):
        envelope = await rest.call("GET", FUNCTION, params=params, tr_cont=cont)
        page = envelope.body.get("output1") or []
        rows.extend(page if isinstance(page, list) else [page])
        if envelope.headers.get("tr_cont", "").strip() != "M":
            return [offer(r) for r in rows if isinstance(r, dict)]
        cont = "N"
    raise BrokerError(f"{FUNCTION}: more than {MAX_PAGES} pages", broker=BROKER)
