"""order-cash and order-rvsecncl (kis.md §4.2, §4.3), on top of the shared back office.

Input problems the broker catches itself (unknown account, bad ORD_DVSN, a venue or order type the
domain does not take, missing price) are refused before the back office sees the order; buying
power, holdings and symbol checks are the back office's; ticks, bands, sessions are the
exchange's. All of them come back HTTP 200 with the domain's code and text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...domain.model import Side, Venue
from ..accounts import PlaceResult, Refusal
from ...brokers.kis import codes
from ...brokers.kis.codes import Domain, Outcome
from .rest import Ctx, Reply, envelope

if TYPE_CHECKING:
    from .front import KisFront

O = Outcome

_REFUSALS = {
    Refusal.UNKNOWN_ACCOUNT: O.BAD_ACCOUNT,
    Refusal.UNKNOWN_SYMBOL: O.UNKNOWN_SYMBOL,
    Refusal.BAD_QUANTITY: O.BAD_QUANTITY,
    Refusal.INSUFFICIENT_CASH: O.INSUFFICIENT_CASH,
    Refusal.NO_HOLDINGS: O.NO_HOLDINGS,
    Refusal.INSUFFICIENT_HOLDINGS: O.INSUFFICIENT_HOLDINGS,
    Refusal.ORDER_NOT_FOUND: O.ORDER_NOT_FOUND,
    Refusal.NOTHING_TO_CANCEL: O.NOTHING_TO_CANCEL,
    Refusal.AMEND_QTY_INCREASE: O.AMEND_QTY_INCREASE,
    Refusal.TYPE_CHANGE: O.ORDER_TYPE_NOT_ALLOWED,
}

#: The exchange's RejectReason names → outcomes (MARKET_CLOSED is refined by the clock).
_REJECTS = {
    "UNKNOWN_SYMBOL": O.UNKNOWN_SYMBOL,
    "BAD_TICK": O.BAD_TICK,
    "ABOVE_UPPER_LIMIT": O.ABOVE_UPPER,
    "BELOW_LOWER_LIMIT": O.BELOW_LOWER,
    "BAD_QUANTITY": O.BAD_QUANTITY,
    "PRICE_REQUIRED": O.PRICE_REQUIRED,
    "PRICE_NOT_ALLOWED": O.PRICE_REQUIRED,
    "MARKET_CLOSED": O.MARKET_CLOSED,
    "HALTED": O.HALTED,
    "ORDER_TYPE_NOT_ALLOWED": O.ORDER_TYPE_NOT_ALLOWED,
    "VENUE_NOT_ALLOWED": O.VENUE_NOT_ALLOWED,
    "NOTHING_TO_CANCEL": O.NOTHING_TO_CANCEL,
    "NOT_OWNER": O.ORDER_NOT_FOUND,
    "AMEND_QTY_INCREASE": O.AMEND_QTY_INCREASE,
}


class KisOrders:
    def __init__(self, front: KisFront):
        self.front = front

    def install(self, rest) -> None:
        rest.handle("buy", lambda ctx: self.order_cash(ctx, Side.BUY))
        rest.handle("sell", lambda ctx: self.order_cash(ctx, Side.SELL))
        rest.handle("rvsecncl", self.rvsecncl)

    # ------------------------------------------------------------ helpers

    def _fail(self, ctx: Ctx, outcome: Outcome) -> Reply:
        return Reply(envelope(self.front.messages.get(ctx.domain, outcome)))

    def _ok(self, ctx: Ctx, outcome: Outcome, no: int) -> Reply:
        output = {
            "KRX_FWDG_ORD_ORGNO": codes.BRANCH[ctx.domain],
            "ODNO": f"{no:010d}",
            "ORD_TMD": self.front.clock.now().strftime("%H%M%S"),
        }
        return Reply(envelope(self.front.messages.get(ctx.domain, outcome), output=output))

    def _outcome(self, result: PlaceResult, *, amend: bool = False) -> Outcome:
        if result.refusal is not None:
            return _REFUSALS[result.refusal]
        name = getattr(result.reject_reason, "name", str(result.reject_reason))
        outcome = _REJECTS.get(name, O.ORDER_TYPE_NOT_ALLOWED)
        if outcome is O.MARKET_CLOSED:
            outcome = self.front.closed_outcome()
        if amend and outcome is O.HALTED:
            outcome = O.HALTED_AMEND
        return outcome

    def _dvsn(self, ctx: Ctx, dvsn: str, venue: str):
        """(OrderType, TimeInForce) of an ORD_DVSN, or the refusal."""
        table = dict(codes.ORD_DVSN)
        if self.front.options.after_market_codes:
            table.update(codes.AFTER_MARKET_ORD_DVSN)
        if dvsn not in table:
            return O.ORDER_TYPE_NOT_ALLOWED
        if ctx.domain is Domain.MOCK and dvsn not in codes.MOCK_ORD_DVSN:
            return O.ORDER_TYPE_NOT_ALLOWED
        allowed = codes.VENUE_ORD_DVSN[venue] | (
            frozenset(codes.AFTER_MARKET_ORD_DVSN) if venue == "KRX" else frozenset())
        if dvsn not in allowed:
            return O.ORDER_TYPE_NOT_ALLOWED
        return table[dvsn]

    def _venue(self, ctx: Ctx) -> str | Outcome:
        venue = ctx.arg("EXCG_ID_DVSN_CD").strip().upper() or "KRX"
        if venue not in codes.VENUE_ORD_DVSN:
            return O.VENUE_NOT_ALLOWED
        if ctx.domain is Domain.MOCK and venue != "KRX":
            return O.VENUE_NOT_ALLOWED
        return venue

    @staticmethod
    def _int(text: str) -> int | None:
        text = text.strip()
        return int(text) if text.isdigit() else None

    # ------------------------------------------------------------ order-cash

    def order_cash(self, ctx: Ctx, side: Side) -> Reply:
        owner = self.front.owner_of(ctx.key, ctx.arg("CANO"), ctx.arg("ACNT_PRDT_CD"))
        if owner is None:
            return self._fail(ctx, O.BAD_ACCOUNT)
        venue = self._venue(ctx)
        if isinstance(venue, Outcome):
            return self._fail(ctx, venue)
        kind = self._dvsn(ctx, ctx.arg("ORD_DVSN").strip(), venue)
        if isinstance(kind, Outcome):
            return self._fail(ctx, kind)
        order_type, tif = kind
        qty = self._int(ctx.arg("ORD_QTY"))
        if not qty:
            return self._fail(ctx, O.BAD_QUANTITY)
        price = self._int(ctx.arg("ORD_UNPR", "0") or "0")
        if price is None:
            return self._fail(ctx, O.PRICE_REQUIRED)
        stop = None
        if ctx.arg("ORD_DVSN").strip() == "22":
            stop = self._int(ctx.arg("CNDT_PRIC"))
            if not stop:
                return self._fail(ctx, O.PRICE_REQUIRED)
        if order_type.needs_price and price <= 0:
            return self._fail(ctx, O.PRICE_REQUIRED)
        code = ctx.arg("PDNO").strip()
        result = self.front.back_office.place(
            owner, code, side, qty, price if order_type.needs_price else None,
            type=order_type, tif=tif, venue=Venue(venue), stop_price=stop)
        if not result.ok:
            return self._fail(ctx, self._outcome(result))
        return self._ok(ctx, O.BUY_OK if side is Side.BUY else O.SELL_OK, result.record.no)

    # ------------------------------------------------------------ order-rvsecncl

    def rvsecncl(self, ctx: Ctx) -> Reply:
        owner = self.front.owner_of(ctx.key, ctx.arg("CANO"), ctx.arg("ACNT_PRDT_CD"))
        if owner is None:
            return self._fail(ctx, O.BAD_ACCOUNT)
        venue = self._venue(ctx)
        if isinstance(venue, Outcome):
            return self._fail(ctx, venue)
        orig_no = self._int(ctx.arg("ORGN_ODNO"))
        branch = ctx.arg("KRX_FWDG_ORD_ORGNO").strip()
        if orig_no is None or (branch and branch != codes.BRANCH[ctx.domain]):
            return self._fail(ctx, O.ORDER_NOT_FOUND)
        action = ctx.arg("RVSE_CNCL_DVSN_CD").strip()
        whole = ctx.arg("QTY_ALL_ORD_YN", "Y").strip().upper() != "N"
        qty = None
        if not whole:
            qty = self._int(ctx.arg("ORD_QTY"))
            if not qty:
                return self._fail(ctx, O.BAD_QUANTITY)
        back = self.front.back_office
        if action == "02":
            result = back.cancel(owner, orig_no, qty=qty)
            if not result.ok:
                return self._fail(ctx, self._outcome(result))
            return self._ok(ctx, O.CANCEL_OK, result.record.no)
        if action != "01":
            return self._fail(ctx, O.ORDER_TYPE_NOT_ALLOWED)
        kind = self._dvsn(ctx, ctx.arg("ORD_DVSN").strip(), venue)
        if isinstance(kind, Outcome):
            return self._fail(ctx, kind)
        order_type, tif = kind
        price = self._int(ctx.arg("ORD_UNPR", "0") or "0")
        if price is None or (order_type.needs_price and price <= 0):
            return self._fail(ctx, O.PRICE_REQUIRED)
        result = back.amend(owner, orig_no, price=price if order_type.needs_price else None,
                            qty=qty, type=order_type, tif=tif)
        if not result.ok:
            return self._fail(ctx, self._outcome(result, amend=True))
        return self._ok(ctx, O.AMEND_OK, result.record.no)
