"""From a parsed order to the engine's intent."""

from __future__ import annotations

from ..domain.model import Quote
from ..engine.engine import PlaceOrder
from .commands import PlaceCmd
from .pricing import resolve_price


def to_intent(cmd: PlaceCmd, quote: Quote | None, *, confirmed: bool = False) -> PlaceOrder:
    """The :class:`PlaceOrder` for ``cmd``, with ``@bid``/``@ask``/``@last`` priced from
    ``quote`` (raises :class:`~.pricing.PriceUnavailable` without one; call
    :func:`~.checks.validate` first). ``confirmed`` passes the user's second Enter on."""
    price = resolve_price(cmd.price, quote, cmd.instrument)
    return PlaceOrder(
        code=cmd.instrument.code,
        side=cmd.side,
        qty=cmd.qty,
        price=price if cmd.type.needs_price else None,
        type=cmd.type,
        tif=cmd.tif,
        venue=cmd.venue,
        account=None if cmd.plan else cmd.account,
        plan=cmd.plan,
        amount=0 if cmd.qty else cmd.amount,
        confirmed=confirmed,
    )
