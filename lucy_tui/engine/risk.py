"""Pre-trade checks: everything an order must pass before anything leaves (DESIGN.md rule 9).

Checks are pure functions over what the engine gathered (quote, instrument, buying power, the
position, recent orders); each failure is one message. A duplicate of a recent order is not an
error but a warning that needs the user's confirmation (UX.md: amber, second Enter)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..domain import krx
from ..domain.model import Instrument, Order, OrderType, Quote, Side


@dataclass(frozen=True, slots=True)
class RiskLimits:
    """Per-profile guards. Zero means no limit."""

    max_qty: int = 0
    max_value: int = 0                       # KRW, at the limit price (upper band for market)
    duplicate_window: timedelta = timedelta(seconds=10)
    allow_real: bool = False                 # the profile opted in to the real environment


@dataclass(frozen=True, slots=True)
class Check:
    """The outcome of the pre-trade checks: ``errors`` block; ``warnings`` need confirmation."""

    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def message(self) -> str:
        """The single most important message (UX.md: only the most important shows)."""
        return (self.errors or self.warnings or ("",))[0]


def sizing_price(type: OrderType, price: int | None, quote: Quote | None) -> int | None:
    """The price an order's value and cash are measured at: the limit, or the upper band for
    priceless buys/sells (the worst a market order can do)."""
    if type.needs_price and price:
        return price
    if quote is not None and quote.upper_limit:
        return quote.upper_limit
    return None


def check(*, side: Side, code: str, qty: int, price: int | None, type: OrderType,
          limits: RiskLimits, instrument: Instrument | None = None, quote: Quote | None = None,
          cash: int | None = None, sellable: int | None = None, real: bool = False,
          recent: list[Order] | tuple[Order, ...] = (), now: datetime | None = None,
          **krx_kwargs) -> Check:
    errors: list[str] = []
    if real and not limits.allow_real:
        errors.append("실계좌(real) 주문이 허용되지 않은 프로필입니다 — real trading is not enabled "
                      "for this profile")
    band = {}
    if quote is not None and quote.upper_limit and quote.lower_limit:
        band = dict(upper=quote.upper_limit, lower=quote.lower_limit, base=quote.base or None)
    violation = krx.check_order(type, price, qty, instrument=instrument, **band, **krx_kwargs)
    if violation is not None:
        errors.append(str(violation))
    at = sizing_price(type, price, quote)
    value = qty * at if at else None
    if limits.max_qty and qty > limits.max_qty:
        errors.append(f"수량 {krx.format_krw(qty)}주가 최대 주문수량 {krx.format_krw(limits.max_qty)}주를 "
                      "넘습니다")
    if limits.max_value and value is not None and value > limits.max_value:
        errors.append(f"주문금액 {krx.format_krw(value)}원이 최대 주문금액 "
                      f"{krx.format_krw(limits.max_value)}원을 넘습니다")
    if side is Side.BUY and cash is not None and value is not None and value > cash:
        errors.append(f"주문가능금액 부족: 필요 {krx.format_krw(value)}원, 가능 {krx.format_krw(cash)}원")
    if side is Side.SELL and sellable is not None and qty > sellable:
        errors.append(f"매도가능수량 부족: 주문 {krx.format_krw(qty)}주, 가능 {krx.format_krw(sellable)}주")
    warnings: list[str] = []
    if now is not None and limits.duplicate_window:
        since = now - limits.duplicate_window
        for order in recent:
            if (order.code == code and order.side is side and order.qty == qty
                    and order.price == price and order.created_at is not None
                    and order.created_at >= since):
                seconds = int((now - order.created_at).total_seconds())
                warnings.append(f"{seconds}초 전 같은 주문({order.local_id})이 있습니다 — 다시 "
                                "보내려면 확인하세요")
                break
    return Check(tuple(errors), tuple(warnings))
