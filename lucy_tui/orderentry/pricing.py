"""Turning a PriceSpec into the price sent: ``@ask+2`` is two valid ticks above the best ask."""

from __future__ import annotations

from datetime import date

from ..domain import krx
from ..domain.model import Instrument, InstrumentKind, Market, Quote
from .commands import PriceSpec
from .vocab import KIND_EN, KIND_KO


class PriceUnavailable(ValueError):
    """A quote-relative price with no quote (or no such side of the book) to take it from."""


def resolve_price(spec: PriceSpec, quote: Quote | None, instrument: Instrument | None = None,
                  on: date | None = None) -> int | None:
    """The limit price of ``spec``; None for kinds the exchange prices (market, best, top, mid).

    ``bid``/``ask``/``last`` read the quote and move by ``spec.ticks`` valid ticks of the
    instrument's tick table (on ``on``; None: today's rules). Raises :class:`PriceUnavailable`
    when the quote, or the side of the book asked for, is missing.
    """
    if not spec.from_quote:
        return spec.value
    name = f"@{KIND_EN[spec.kind]}({KIND_KO[spec.kind]})"
    if quote is None:
        raise PriceUnavailable(f"시세를 받지 못해 {name} 가격을 정할 수 없습니다 — no quote yet")
    if spec.kind == "bid":
        base = quote.best_bid
    elif spec.kind == "ask":
        base = quote.best_ask
    else:
        base = quote.last or None
    if not base:
        raise PriceUnavailable(f"{quote.code}: {KIND_KO[spec.kind]}가 없어 {name} 가격을 정할 수 "
                               f"없습니다 — no {spec.kind} price in the quote")
    kind = instrument.kind if instrument is not None else InstrumentKind.STOCK
    market = instrument.market if instrument is not None else Market.KOSPI
    # A quote price is on a tick already; rounding guards a feed that sends one that is not.
    price = krx.round_to_tick(base, kind, market, on)
    if spec.ticks > 0:
        price = krx.tick_up(price, kind, market, on, n=spec.ticks)
    elif spec.ticks < 0:
        price = krx.tick_down(price, kind, market, on, n=-spec.ticks)
    return price
