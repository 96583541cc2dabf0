"""What every protocol front asks of the exchange, with an unknown code answered by None."""

from __future__ import annotations

from ..domain.model import Instrument, Level, Quote
from .exchange import Exchange

_MISSING = (KeyError, LookupError, ValueError)


class ExchangeLookups:
    exchange: Exchange

    def instrument(self, code: str) -> Instrument | None:
        try:
            return self.exchange.instrument(code)
        except _MISSING:
            return None

    def quote(self, code: str) -> Quote | None:
        try:
            return self.exchange.quote(code)
        except _MISSING:
            return None

    def levels(self, code: str) -> tuple[list[Level], list[Level]]:
        """(asks, bids), best first, ten levels each at most."""
        try:
            bids, asks = self.exchange.book(code, depth=10)
        except _MISSING:
            return [], []
        return list(asks)[:10], list(bids)[:10]
