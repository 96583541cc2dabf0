"""The KIS protocol front: ties the REST gateway and the websocket hub to the exchange and the
shared back office, and carries out the fault switchboard's immediate faults in KIS's words.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from aiohttp import web

from ...clock import Clock
from ..accounts import BackOffice, OrderNotice
from ..events import BookChanged, ExchangeEvent, Trade
from ..exchange import Exchange
from ..faults import Faults
from ..lookups import ExchangeLookups
from .auth import AppKey, KisAccount, TokenBook, make_app_keys
from ...brokers.kis.codes import Domain, Messages, Msg, Outcome
from .inquiries import KisInquiries
from .limits import SlidingWindow
from .orders import KisOrders
from .pub_offer import KisPubOffers
from .quotes import KisQuotes
from .research import KisResearch
from .realtime import RealtimeHub
from .rest import KisRest

NAME = "kis"


@dataclass
class KisOptions:
    """Knobs of the KIS front. Defaults are the spec's; tests shorten timers, never semantics."""

    pingpong_interval: float = 60.0
    #: Drop a session that has not answered a PINGPONG within this many seconds (None: never).
    pingpong_timeout: float | None = None
    #: Requests per window per app key; None means the spec's 20 (real) and 2 (mock).
    rate_limits: dict[Domain, int] | None = None
    rate_period: float = 1.0
    #: Count every tokenP call against the 1/min limit, not only the ones that mint a token.
    token_limit_requests: bool = False
    accept_old_tr_ids: bool = True
    #: The unverified 2026-09-14 changes (kis.md §4.9): ORD_DVSN 41-47, H0STCNT0 field 47.
    after_market_codes: bool = False
    market_cls_code: bool = False
    max_registrations: int = 41
    #: Subscribing the notice with a wrong HTS id drops the connection (else OPSP8992).
    wrong_hts_id_drops: bool = True
    message_overrides: dict[tuple[Domain, Outcome], Msg] = field(default_factory=dict)


class KisFront(ExchangeLookups):
    name = NAME

    def __init__(self, exchange: Exchange, back_office: BackOffice, clock: Clock, faults: Faults, *,
                 seed: int = 0, options: KisOptions | None = None,
                 holdings: list[tuple[str, int, int]] | None = None, cash: int = 1_000_000_000):
        self.exchange = exchange
        self.back_office = back_office
        self.clock = clock
        self.faults = faults
        self.options = options or KisOptions()
        self.messages = Messages(dict(self.options.message_overrides))
        self.real, self.mock = make_app_keys(seed)
        self.keys = (self.real, self.mock)
        self.tokens = TokenBook(list(self.keys), clock, seed=seed,
                                limit_requests=self.options.token_limit_requests)
        self.limiter = SlidingWindow(self.options.rate_limits, period=self.options.rate_period,
                                     now=clock.monotonic)
        rng = random.Random(f"kis-front:{seed}")
        self.owners: dict[str, tuple[AppKey, KisAccount]] = {}
        self._open_accounts(rng, holdings, cash)
        self.rest = KisRest(self, rng=random.Random(f"kis-rest:{seed}"))
        KisOrders(self).install(self.rest)
        KisInquiries(self).install(self.rest)
        KisQuotes(self).install(self.rest)
        KisPubOffers(self).install(self.rest)
        KisResearch(self).install(self.rest)
        self.realtime = RealtimeHub(self, rng=random.Random(f"kis-ws:{seed}"))
        back_office.add_listener(self._on_notice)
        exchange.add_listener(self._on_exchange)
        faults.register(NAME, drop_websockets=self.realtime.drop_all,
                        expire_tokens=self._expire_tokens, invalidate_tokens=self._invalidate_tokens,
                        send_malformed=self.realtime.send_malformed)

    def _open_accounts(self, rng: random.Random, holdings, cash: int) -> None:
        back = self.back_office
        back.define_series("kis-real", rng.randrange(100_000, 900_000))
        back.define_series("kis-mock", rng.randrange(1_000, 9_000))
        for app in self.keys:
            for account in app.accounts:
                owner = account.owner(app.domain)
                self.owners[owner] = (app, account)
                back.open_account(owner, name=app.holder, series=f"kis-{app.domain.value}",
                                  cash=cash, holdings=holdings or ())

    def install(self, app: web.Application) -> None:
        self.rest.install(app)
        self.realtime.install(app)

    async def close(self) -> None:
        self.faults.release_stalls()
        await self.realtime.close()

    # ------------------------------------------------------------ what the handlers ask

    def owner_of(self, key: AppKey, cano: str, product: str) -> str | None:
        """The back-office owner of CANO/ACNT_PRDT_CD, if the key set holds that account."""
        cano, product = (cano or "").strip(), (product or "").strip()
        for account in key.accounts:
            if account.cano == cano and account.product == product:
                return account.owner(key.domain)
        return None

    def is_trading_day(self, day: date) -> bool:
        return self.exchange.calendar.is_trading_day(day)

    def next_trading_day(self, day: date) -> date:
        return self.exchange.calendar.next_trading_day(day)

    def closed_outcome(self) -> Outcome:
        """Which "market closed" answer fits now: not a trading day, before the open, or after."""
        now = self.clock.now()
        if not self.is_trading_day(now.date()):
            return Outcome.NOT_TRADING_DAY
        if now.time() < time(9, 0):
            return Outcome.BEFORE_OPEN
        return Outcome.MARKET_CLOSED

    # ------------------------------------------------------------ events

    def _on_notice(self, notice: OrderNotice) -> None:
        if notice.owner in self.owners:
            self.realtime.publish_notice(notice)

    def _on_exchange(self, event: ExchangeEvent) -> None:
        if isinstance(event, Trade):
            self.realtime.on_trade(event)
        elif isinstance(event, BookChanged):
            self.realtime.on_book(event.code)

    def _expire_tokens(self) -> int:
        return self.tokens.expire_all()

    def _invalidate_tokens(self, sticky: bool = False) -> int:
        return self.tokens.invalidate_all(sticky)

    # ------------------------------------------------------------ what `lucy sim` prints

    def credentials(self) -> dict[str, Any]:
        return {app.domain.value: app.as_dict() for app in self.keys}

    def account_labels(self) -> dict[str, str]:
        return {owner: account.label for owner, (_, account) in self.owners.items()}

