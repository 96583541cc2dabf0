"""One IPO calendar from 38.co.kr and KIS (specs/sources.md §5, §7.4).

38.co.kr knows the book-building story (band, institutional demand, lock-up, retail demand); KIS
publishes the official dates (subscription, payment, refund, listing) and final price. Offerings
are matched by stock code when the 38 detail page gave one, else by name reduced for matching
(``(유가)``, ``(구.…)``, spaces and ``(주)`` removed). Where both give a date, KIS's wins; KIS
offerings 38 does not list are kept too.
"""

from __future__ import annotations

import dataclasses

from . import text as t
from .models import IpoDetail, IpoRecord, NewListing, PublicOffer, ScheduleRow


def from_38(row: ScheduleRow, detail: IpoDetail | None, listing: NewListing | None) -> IpoRecord:
    d = detail
    return IpoRecord(
        name=row.name, no=row.no, code=d.code if d else None,
        market=(d.market if d and d.market else ("유가증권" if row.kospi else None)),
        spac=row.spac,
        subscription_start=row.subscription_start or (d.subscription_start if d else None),
        subscription_end=row.subscription_end or (d.subscription_end if d else None),
        payment=d.payment if d else None, refund=d.refund if d else None,
        listing=(d.listing if d and d.listing else (listing.listing if listing else None)),
        band_low=row.band_low, band_high=row.band_high,
        final_price=row.final_price if row.final_price is not None else (d.final_price if d else None),
        offering_amount=d.offering_amount if d else None,
        underwriters=row.underwriters or (d.underwriters if d else ()),
        competition=row.competition if row.competition is not None else (d.competition if d else None),
        institutional_competition=d.institutional_competition if d else None,
        lockup_ratio=d.lockup_ratio if d else None,
        subscription_limits=d.subscription_limits if d else (),
        sources=("38",))


def _with_kis(record: IpoRecord, offer: PublicOffer) -> IpoRecord:
    def pick(official, fallback):
        return official if official is not None else fallback

    return dataclasses.replace(
        record, code=record.code or offer.code or None,
        subscription_start=pick(offer.subscription_start, record.subscription_start),
        subscription_end=pick(offer.subscription_end, record.subscription_end),
        payment=pick(offer.payment, record.payment), refund=pick(offer.refund, record.refund),
        listing=pick(offer.listing, record.listing),
        final_price=pick(offer.final_price, record.final_price),
        sources=record.sources + ("kis",))


def from_kis(offer: PublicOffer) -> IpoRecord:
    return IpoRecord(
        name=offer.name or offer.code, code=offer.code or None, spac=t.is_spac(offer.name or ""),
        subscription_start=offer.subscription_start, subscription_end=offer.subscription_end,
        payment=offer.payment, refund=offer.refund, listing=offer.listing,
        final_price=offer.final_price,
        underwriters=(offer.lead_manager,) if offer.lead_manager else (), sources=("kis",))


def merge(rows: list[ScheduleRow], details: dict[int, IpoDetail] | None = None,
          offers: list[PublicOffer] | None = None,
          listings: list[NewListing] | None = None) -> list[IpoRecord]:
    """The calendar: every 38 row (with its detail and listing when known) merged with KIS."""
    details = details or {}
    by_no = {x.no: x for x in listings or ()}
    records = [from_38(r, details.get(r.no), by_no.get(r.no)) for r in rows]
    index_code = {r.code: i for i, r in enumerate(records) if r.code}
    index_name = {t.match_name(r.name): i for i, r in enumerate(records)}
    for offer in offers or ():
        i = index_code.get(offer.code) if offer.code else None
        if i is None and offer.name:
            i = index_name.get(t.match_name(offer.name))
        if i is None:
            records.append(from_kis(offer))
        elif "kis" not in records[i].sources:
            records[i] = _with_kis(records[i], offer)
    records.sort(key=lambda r: (r.subscription_start is not None, r.subscription_start),
                 reverse=True)
    return records
