"""What the real and mock KIS environments offer, as data (kis.md §1, §3.3, §4.1, §4.9, §6.1).

Mock (모의투자) differs from real in hosts, tr ids, page sizes, order types, venues, rate and the
services it serves. Everything that differs lives in one :class:`KisEnvironment` per
environment, so the client has no ``if mock`` branches.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...domain.model import OrderType, TimeInForce, Venue
from . import codes
from .codes import Domain
from .codes import DEFAULT_LIMITS
from .research_codes import RESEARCH_PATHS
from ..base import Capabilities

# Functions of the client, named as the simulator's tr table names them.
BUY, SELL, RVSECNCL = "buy", "sell", "rvsecncl"
DAILY_CCLD, BALANCE, PSBL_ORDER = "daily_ccld", "balance", "psbl_order"
DAILY_CCLD_OLD = "daily_ccld_old"     # the same inquiry for orders older than three months
PRICE, STOCK_INFO = "price", "stock_info"

_PATHS = {BUY: codes.P_ORDER_CASH, SELL: codes.P_ORDER_CASH, RVSECNCL: codes.P_ORDER_RVSECNCL,
          DAILY_CCLD: codes.P_DAILY_CCLD, DAILY_CCLD_OLD: codes.P_DAILY_CCLD,
          BALANCE: codes.P_BALANCE,
          PSBL_ORDER: codes.P_PSBL_ORDER, PRICE: codes.P_PRICE, STOCK_INFO: codes.P_STOCK_INFO}
_PATHS["pub_offer"] = codes.P_PUB_OFFER   # brokers/kis/pub_offer.py
_PATHS.update(RESEARCH_PATHS)   # chart, finance, investor flow, opinions, REST order book


def _current_ids(domain: Domain) -> dict[str, str]:
    """function → the current (new) tr id in ``domain``; absent when the domain lacks it."""
    ids = {}
    for function, path in _PATHS.items():
        for spec in codes.TRS[path]:
            if spec.function == function:
                served = spec.real if domain is Domain.REAL else spec.mock
                if served:
                    ids[function] = served[0]   # the first is the current id
    return ids


@dataclass(frozen=True)
class KisEnvironment:
    name: str                       # "real" / "mock"
    domain: Domain
    rest_url: str
    ws_url: str
    rate: int                       # REST requests per second per app key
    tr_ids: dict[str, str]
    notice_tr: str
    ord_dvsn: frozenset[str]        # order type codes the environment takes
    venues: frozenset[Venue]
    daily_ccld_venue: str           # EXCG_ID_DVSN_CD of the daily inquiry: ALL where served
    daily_page: int
    balance_page: int
    max_subscriptions: int = 41

    def path(self, function: str) -> str:
        return _PATHS[function]

    def serves(self, function: str) -> bool:
        return function in self.tr_ids

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(
            order_types=frozenset(codes.ORD_DVSN[c] for c in self.ord_dvsn),
            venues=self.venues, amend_partial=True,
            # The notice subscription takes one of the session's registrations.
            max_tick_subscriptions=self.max_subscriptions - 1)

    def supports(self, type: OrderType, tif: TimeInForce) -> bool:
        return codes.DVSN_OF.get((type, tif)) in self.ord_dvsn


REAL = KisEnvironment(
    name="real", domain=Domain.REAL,
    rest_url="https://openapi.koreainvestment.com:9443",
    ws_url="ws://ops.koreainvestment.com:21000/tryitout",
    rate=DEFAULT_LIMITS[Domain.REAL],
    tr_ids=_current_ids(Domain.REAL),
    notice_tr=codes.WS_NOTICE[Domain.REAL],
    ord_dvsn=frozenset(codes.ORD_DVSN),
    venues=frozenset({Venue.KRX, Venue.NXT, Venue.SOR}),
    daily_ccld_venue="ALL",
    daily_page=codes.PAGE_SIZE[(codes.P_DAILY_CCLD, Domain.REAL)],
    balance_page=codes.PAGE_SIZE[(codes.P_BALANCE, Domain.REAL)],
)

MOCK = KisEnvironment(
    name="mock", domain=Domain.MOCK,
    rest_url="https://openapivts.koreainvestment.com:29443",
    ws_url="ws://ops.koreainvestment.com:31000/tryitout",
    rate=DEFAULT_LIMITS[Domain.MOCK],
    tr_ids=_current_ids(Domain.MOCK),
    notice_tr=codes.WS_NOTICE[Domain.MOCK],
    ord_dvsn=codes.MOCK_ORD_DVSN,
    venues=frozenset({Venue.KRX}),
    daily_ccld_venue="KRX",
    daily_page=codes.PAGE_SIZE[(codes.P_DAILY_CCLD, Domain.MOCK)],
    balance_page=codes.PAGE_SIZE[(codes.P_BALANCE, Domain.MOCK)],
)

ENVIRONMENTS = {"real": REAL, "mock": MOCK}
