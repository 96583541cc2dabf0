"""What the IPO and theme sources produce: plain frozen records, JSON-friendly.

Money is int won, ratios and rates are Decimal, days are ``date``; a field the page does not (yet)
show is None. Records from 38.co.kr keep the site's sequential offering number ``no`` so the list,
detail and listings pages of one offering join on it.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

# KIS's official dates arrive as this record (defined beside the call, re-exported here).
from ..brokers.kis.pub_offer import PublicOffer  # noqa: F401


class ScheduleStatus(enum.Enum):
    """The 38.co.kr list colours the company name by status (§1.3)."""

    UPCOMING = "upcoming"        # #0066CC
    SUBSCRIBING = "subscribing"  # #E3231E
    FINISHED = "finished"        # #333333


@dataclass(frozen=True)
class ScheduleRow:
    """One row of the 공모주 청약일정 list (o=k)."""

    no: int
    name: str                          # as shown, without the "(유가)" tag
    kospi: bool                        # the "(유가)" tag: listing on the KOSPI market
    status: ScheduleStatus | None
    subscription_start: date | None
    subscription_end: date | None
    final_price: int | None
    band_low: int | None
    band_high: int | None
    competition: Decimal | None        # retail 청약경쟁률, N in "N:1"
    underwriters: tuple[str, ...]
    spac: bool


@dataclass(frozen=True)
class IpoDetail:
    """One company's detail page (o=v): overview, offering, schedule and book-building result."""

    no: int | None
    name: str
    code: str | None                   # 6 characters, may be alphanumeric (0030R0)
    market: str | None                 # 코스닥 / 유가증권 / 코넥스
    progress: str | None               # 진행상황: 공모주 / 신규상장 …
    industry: str | None
    total_shares: int | None
    face_value: int | None
    band_low: int | None
    band_high: int | None
    final_price: int | None
    offering_amount: int | None        # won
    underwriters: tuple[str, ...]
    competition: Decimal | None        # retail
    competition_proportional: Decimal | None
    forecast_start: date | None        # 수요예측일
    forecast_end: date | None
    subscription_start: date | None
    subscription_end: date | None
    allotment_notice: date | None      # 배정공고일
    payment: date | None               # 납입일
    refund: date | None                # 환불일
    listing: date | None               # 상장일 / 신규상장일
    institutional_competition: Decimal | None  # 기관경쟁률
    lockup_ratio: Decimal | None       # 의무보유확약, percent points; None when unknown
    #: (underwriter, 청약한도 in shares) — the most one subscriber may apply for at that firm.
    subscription_limits: tuple[tuple[str, int | None], ...] = ()
    raw: dict[str, str] = field(default_factory=dict)   # label → cleaned text, for format drift


@dataclass(frozen=True)
class NewListing:
    """One row of the 신규상장 list (o=nw)."""

    no: int
    name: str
    kospi: bool
    listing: date | None
    price: int | None
    change_pct: Decimal | None
    offer_price: int | None
    offer_change_pct: Decimal | None
    open_price: int | None
    open_vs_offer_pct: Decimal | None
    first_close: int | None


#: Days after subscription within which an offering without a listing day counts as "listing soon".
LISTING_WINDOW_DAYS = 30


class IpoPhase(enum.Enum):
    UPCOMING = "upcoming"
    SUBSCRIBING = "subscribing"
    LISTING_SOON = "listing soon"
    DONE = "done"


@dataclass(frozen=True)
class IpoRecord:
    """One offering as the calendar shows it: 38.co.kr merged with KIS where both know it."""

    name: str
    no: int | None = None
    code: str | None = None
    market: str | None = None
    spac: bool = False
    subscription_start: date | None = None
    subscription_end: date | None = None
    payment: date | None = None
    refund: date | None = None
    listing: date | None = None
    band_low: int | None = None
    band_high: int | None = None
    final_price: int | None = None
    offering_amount: int | None = None
    underwriters: tuple[str, ...] = ()
    competition: Decimal | None = None
    institutional_competition: Decimal | None = None
    lockup_ratio: Decimal | None = None
    subscription_limits: tuple[tuple[str, int | None], ...] = ()
    sources: tuple[str, ...] = ()

    def phase(self, today: date) -> IpoPhase:
        start, end = self.subscription_start, self.subscription_end or self.subscription_start
        if start is None or today < start:
            return IpoPhase.UPCOMING
        if today <= end:
            return IpoPhase.SUBSCRIBING
        if self.listing is not None:
            return IpoPhase.DONE if today >= self.listing else IpoPhase.LISTING_SOON
        # Listing day not published yet: KRX lists within about a month of subscription.
        return IpoPhase.LISTING_SOON if (today - end).days <= LISTING_WINDOW_DAYS else IpoPhase.DONE

    def events(self) -> list[tuple[date, str]]:
        """(day, kind) for the calendar: subscription days (trading days from start to end),
        payment, refund, listing."""
        from ..domain.calendar import is_trading_day

        out: list[tuple[date, str]] = []
        if self.subscription_start is not None:
            end = self.subscription_end or self.subscription_start
            d = self.subscription_start
            while d <= end and len(out) < 10:
                if d in (self.subscription_start, end) or is_trading_day(d):
                    out.append((d, "subscription"))
                d = date.fromordinal(d.toordinal() + 1)
        for kind in ("payment", "refund", "listing"):
            value = getattr(self, kind)
            if value is not None:
                out.append((value, kind))
        return out


@dataclass(frozen=True)
class Theme:
    idx: int
    name: str
    count: int | None = None          # stocks in the theme, as the list says
    change_pct: Decimal | None = None  # 전일비, when the page gives it


@dataclass(frozen=True)
class ThemeStock:
    code: str
    name: str
    market: str | None = None          # KOSPI / KOSDAQ
    price: int | None = None
    change: int | None = None
    change_pct: Decimal | None = None
    market_cap: int | None = None      # won
    reason: str | None = None          # why judal puts the stock in the theme
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemeSnapshot:
    day: date
    themes: tuple[Theme, ...]
    stocks: dict[int, tuple[ThemeStock, ...]]   # theme idx → its stocks

    def theme(self, idx: int) -> Theme | None:
        return next((t for t in self.themes if t.idx == idx), None)


# ---------------------------------------------------------------- JSON


def to_json(value: Any) -> Any:
    """Records → JSON-ready data (dates ISO, Decimals as strings so no float creeps in)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    return value


def from_json(cls: type, data: Any) -> Any:
    """The inverse of :func:`to_json` for the record classes of this module."""
    import typing

    hints = typing.get_type_hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            kwargs[f.name] = _decode(hints[f.name], data[f.name])
    return cls(**kwargs)


def _decode(hint: Any, raw: Any) -> Any:
    import types
    import typing

    if raw is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return _decode(inner[0], raw)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v) for v in raw)
        return tuple(_decode(a, v) for a, v in zip(args, raw))
    if origin is dict:
        key, val = typing.get_args(hint)
        return {_decode(key, k): _decode(val, v) for k, v in raw.items()}
    if hint is date:
        return date.fromisoformat(raw)
    if hint is Decimal:
        return Decimal(raw)
    if hint is int:
        return int(raw)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint(raw)
    if dataclasses.is_dataclass(hint):
        return from_json(hint, raw)
    return raw
