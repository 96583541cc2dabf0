"""What the real and mock LS environments offer, as data (ls.md §1, §4.1, §5.1, §6.1).

Both use the same REST host; the app key decides the environment. They differ in the websocket
port, in the symbol format mock insists on (``A`` + code) and in what Lucy lets each of them do.
Everything that differs lives in one :class:`LsEnvironment` per environment, so the client has
no ``if mock`` branches.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...domain.model import OrderType, TimeInForce, Venue
from ..base import Capabilities
from . import codes
from .codes import Domain

_DAY = TimeInForce.DAY
#: (OrdprcPtnCode, OrdCndiTpCode) pairs from the LS guide (krx.md §4). Mid-point IOC/FOK
#: (12 + 1/2) is only inferred there, and LS has no stop-limit: both are left out.
_ORDER_TYPES = frozenset(
    {(t, _DAY) for t in codes.ORDPRC_PTN_CODE.values()}
    | {(t, tif) for t in (OrderType.LIMIT, OrderType.MARKET, OrderType.BEST)
       for tif in (TimeInForce.IOC, TimeInForce.FOK)})


@dataclass(frozen=True)
class LsEnvironment:
    name: str                        # "real" / "mock"
    domain: Domain
    rest_url: str
    ws_url: str
    #: Stocks and ETFs: mock refuses the bare code in IsuNo and wants ``A`` + code; real takes
    #: both. ELW (J) and ETN (Q) carry their prefix everywhere.
    prefix_codes: bool
    order_types: frozenset[tuple[OrderType, TimeInForce]]
    venues: frozenset[Venue]
    #: No LS limit is published; one client caps itself at 100 symbols a connection (§5.1).
    max_subscriptions: int = 100

    def tr_limits(self, corporate: bool) -> dict[str, int]:
        if not corporate:
            return dict(codes.TR_LIMITS)
        # Corporate budgets where LS publishes them; the individual ones elsewhere.
        return {**codes.TR_LIMITS, **codes.TR_LIMITS_CORPORATE}

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(order_types=self.order_types, venues=self.venues,
                            amend_partial=True, max_tick_subscriptions=self.max_subscriptions)

    def supports(self, type: OrderType, tif: TimeInForce) -> bool:
        return (type, tif) in self.order_types


REAL = LsEnvironment(
    name="real", domain=Domain.REAL, rest_url=codes.REST_URL, ws_url=codes.WS_URL[Domain.REAL],
    prefix_codes=False, order_types=_ORDER_TYPES,
    # CSPAT00601 routes by MbrNo to KRX or NXT; it has no SOR (§4.1).
    venues=frozenset({Venue.KRX, Venue.NXT}),
)

MOCK = LsEnvironment(
    name="mock", domain=Domain.MOCK, rest_url=codes.REST_URL, ws_url=codes.WS_URL[Domain.MOCK],
    prefix_codes=True, order_types=_ORDER_TYPES,
    # NXT in 모의투자 is undocumented (§9.10): mock trades KRX only until someone sees otherwise.
    venues=frozenset({Venue.KRX}),
)

ENVIRONMENTS = {"real": REAL, "mock": MOCK}
