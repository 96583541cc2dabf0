"""What can be known about a command before the engine sees it, each message at its spot.

Errors block (off tick, outside the band, zero or odd-lot quantity, a price on a market order, no
size, no route, above a hard maximum); warnings (a large order, a price far through the touch)
need a second Enter (UX.md). The KRX messages are :mod:`lucy_tui.domain.krx`'s own, so the line,
the ticket and the engine say the same thing in the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from ..domain import calendar, krx
from ..domain.krx import ViolationCode
from ..domain.model import Instrument, Quote, Side
from ..engine.allocation import shares_for_amount
from .commands import AmendCmd, Command, EntryError, MARKET_KINDS, PlaceCmd
from .pricing import PriceUnavailable, resolve_price


@dataclass(frozen=True, slots=True)
class Guards:
    """Per-profile limits. Zero turns a guard off; ``warn_away_percent`` is how far through the
    opposite best a limit may go (buy above the ask, sell below the bid) before a warning."""

    max_qty: int = 0
    max_value: int = 0
    warn_value: int = 0
    warn_away_percent: Decimal = Decimal(5)

    @classmethod
    def from_limits(cls, limits, **kwargs) -> Guards:
        """From the engine's :class:`~lucy_tui.engine.risk.RiskLimits` (same hard maxima)."""
        return cls(max_qty=limits.max_qty, max_value=limits.max_value, **kwargs)


@dataclass(frozen=True, slots=True)
class EntryCheck:
    """The outcome, shaped like the engine's ``risk.Check``: ``errors`` block, ``warnings``
    need confirmation (messages, most important first). ``error_spots``/``warning_spots`` are
    the same messages as :class:`EntryError` s with the offsets to underline. ``price`` is the
    limit that would be sent (None: priced by the exchange, or unknown) and ``qty`` the shares
    (computed from the amount for ₩ orders, 0 when it cannot be yet)."""

    error_spots: tuple[EntryError, ...] = ()
    warning_spots: tuple[EntryError, ...] = ()
    price: int | None = None
    qty: int = 0

    @property
    def errors(self) -> tuple[str, ...]:
        return tuple(e.message for e in self.error_spots)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(e.message for e in self.warning_spots)

    @property
    def ok(self) -> bool:
        return not self.error_spots

    @property
    def first(self) -> EntryError | None:
        """The single most important message and its spot (UX.md: only that one shows)."""
        return (self.error_spots or self.warning_spots or (None,))[0]

    @property
    def message(self) -> str:
        first = self.first
        return first.message if first is not None else ""


_PRICE_CODES = {ViolationCode.BAD_TICK, ViolationCode.ABOVE_UPPER_LIMIT,
                ViolationCode.BELOW_LOWER_LIMIT, ViolationCode.PRICE_REQUIRED,
                ViolationCode.PRICE_NOT_ALLOWED}
_SIZE_CODES = {ViolationCode.BAD_QUANTITY, ViolationCode.NOT_LOT_MULTIPLE}


def _won(n: int) -> str:
    return f"{krx.format_krw(n)}원"


def validate(cmd: Command, quote: Quote | None, instrument: Instrument | None = None,
             today: date | None = None, *, guards: Guards | None = None,
             when: datetime | None = None) -> EntryCheck:
    """Check ``cmd`` against KRX rules (for ``today``; None: today's tables), the quote's band
    and ``guards``. With ``when`` the session is checked too (is the order type accepted now).
    ``instrument`` defaults to the command's own; for an amend pass the order's instrument."""
    if isinstance(cmd, PlaceCmd):
        return _validate_place(cmd, quote, instrument or cmd.instrument, today,
                               guards or Guards(), when)
    if isinstance(cmd, AmendCmd):
        return _validate_amend(cmd, quote, instrument, today)
    return EntryCheck()


def _band(quote: Quote | None) -> dict:
    if quote is not None and quote.upper_limit and quote.lower_limit:
        return dict(upper=quote.upper_limit, lower=quote.lower_limit, base=quote.base or None)
    return {}


def _validate_place(cmd: PlaceCmd, quote: Quote | None, inst: Instrument, today: date | None,
                    guards: Guards, when: datetime | None) -> EntryCheck:
    end = cmd.span("end") or (0, 0)

    def at(*names: str) -> tuple[int, int]:
        for name in names:
            span = cmd.span(name)
            if span is not None:
                return span
        return end

    errors: list[EntryError] = []
    warnings: list[EntryError] = []

    def error(message: str, *names: str) -> None:
        errors.append(EntryError(message, *at(*names)))

    if cmd.account is None and not cmd.plan:
        error("주문할 계좌나 배분계획(plan)을 지정하세요 — name an account or a plan "
              "(to kis:fundA, plan:core)", "route", "end")
    if cmd.qty and cmd.amount:
        error("수량과 금액 중 하나만 입력하세요 — a quantity or an amount, not both", "size")
    elif not cmd.qty and not cmd.amount:
        error(str(krx.check_quantity(0, max(inst.lot, 1))), "size", "end")

    price: int | None = None
    priced = True
    try:
        price = resolve_price(cmd.price, quote, inst, today)
    except PriceUnavailable as exc:
        error(str(exc), "price")
        priced = False

    lot = max(inst.lot, 1)
    qty = cmd.qty
    at_price = price if cmd.type.needs_price else (quote.upper_limit if quote and
                                                   quote.upper_limit else None)
    if cmd.amount and not cmd.qty and at_price:
        qty = shares_for_amount(cmd.amount, at_price, lot)
        if qty <= 0:
            error(f"금액 {_won(cmd.amount)}으로는 {krx.format_krw(lot)}주도 살 수 없습니다 "
                  f"(1주 {_won(at_price)}) — the amount buys no shares", "size")

    sent_price = price if cmd.price.kind not in MARKET_KINDS else cmd.price.value
    violations = krx.order_violations(
        cmd.type, sent_price, qty if qty else lot, tif=cmd.tif, venue=cmd.venue,
        instrument=inst, on=today, when=when, **_band(quote))
    if when is None:
        # Without a time, still check what never works: IOC on a top order, NXT conditional…
        combo = calendar.order_type_allowed(cmd.type, cmd.tif, calendar.Phase.CONTINUOUS,
                                            cmd.venue, on=today)
        if combo is not None and combo.code in (ViolationCode.ORDER_TYPE_NOT_ALLOWED,
                                                ViolationCode.VENUE_NOT_ALLOWED):
            violations.insert(0, combo)
    for v in violations:
        if v.code is ViolationCode.PRICE_REQUIRED and not priced:
            continue    # already said why: no quote to take the price from
        if v.code in _PRICE_CODES:
            error(v.ko, "price", "type")
        elif v.code in _SIZE_CODES:
            error(v.ko, "size")
        elif v.code is ViolationCode.HALTED:
            error(v.ko, "symbol")
        elif v.code is ViolationCode.VENUE_NOT_ALLOWED:
            error(v.ko, "venue", "tif", "type", "symbol")
        else:
            error(v.ko, "tif", "type", "venue", "price")

    value = qty * at_price if qty and at_price else cmd.amount or None
    if guards.max_qty and qty > guards.max_qty:
        error(f"수량 {krx.format_krw(qty)}주가 최대 주문수량 {krx.format_krw(guards.max_qty)}주를 "
              "넘습니다 — above the maximum quantity", "size")
    if guards.max_value and value is not None and value > guards.max_value:
        error(f"주문금액 {_won(value)}이 최대 주문금액 {_won(guards.max_value)}을 넘습니다 — "
              "above the maximum order value", "size", "price")
    elif guards.warn_value and value is not None and value >= guards.warn_value:
        warnings.append(EntryError(
            f"주문금액 {_won(value)} (경고 기준 {_won(guards.warn_value)}) — 보내려면 한 번 더 "
            "Enter", *at("size")))
    away = _away_warning(cmd.side, price if cmd.type.needs_price else None, quote,
                         guards.warn_away_percent)
    if away:
        warnings.append(EntryError(away, *at("price")))
    # Several messages may point at one spot; the order above puts the most blocking first.
    return EntryCheck(tuple(_dedupe(errors)), tuple(warnings),
                      price if cmd.type.needs_price else None, qty)


def _dedupe(errors: list[EntryError]) -> list[EntryError]:
    seen: set[str] = set()
    out = []
    for e in errors:
        if e.message not in seen:
            seen.add(e.message)
            out.append(e)
    return out


def _away_warning(side: Side, price: int | None, quote: Quote | None, percent: Decimal) -> str:
    if price is None or quote is None or not percent:
        return ""
    if side is Side.BUY and quote.best_ask:
        touch, over = quote.best_ask, price - quote.best_ask
        word = "매도호가"
    elif side is Side.SELL and quote.best_bid:
        touch, over = quote.best_bid, quote.best_bid - price
        word = "매수호가"
    else:
        return ""
    if over <= 0 or Decimal(over) * 100 <= percent * touch:
        return ""
    pct = (Decimal(over) * 100 / touch).quantize(Decimal("0.1"))
    direction = "높습니다" if side is Side.BUY else "낮습니다"
    return (f"{_won(price)}은 {word}({_won(touch)})보다 {pct}% {direction} — far through the touch; "
            "보내려면 한 번 더 Enter")


def _validate_amend(cmd: AmendCmd, quote: Quote | None, inst: Instrument | None,
                    today: date | None) -> EntryCheck:
    price_at = cmd.span("price") or (0, 0)
    errors: list[EntryError] = []
    price: int | None = None
    if cmd.price.kind in MARKET_KINDS or cmd.price.kind == "cond":
        errors.append(EntryError("정정은 지정가로만 할 수 있습니다 — amend to a limit price",
                                 *price_at))
    else:
        try:
            price = resolve_price(cmd.price, quote, inst, today)
        except PriceUnavailable as exc:
            errors.append(EntryError(str(exc), *price_at))
    if price is not None:
        v = krx.check_price(price, instrument=inst, on=today, **_band(quote))
        if v is not None:
            errors.append(EntryError(v.ko, *price_at))
    if cmd.qty is not None:
        lot = max(inst.lot, 1) if inst is not None else 1
        v = krx.check_quantity(cmd.qty, lot)
        if v is not None:
            errors.append(EntryError(v.ko, *(cmd.span("qty") or (0, 0))))
    return EntryCheck(tuple(errors), (), price, cmd.qty or 0)


__all__ = ["EntryCheck", "Guards", "validate"]
