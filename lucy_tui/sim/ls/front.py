"""The LS protocol front: ties the REST gateway and the websocket hub to the exchange and the
shared back office, and carries out the fault switchboard's immediate faults in LS's words.
"""

from __future__ import annotations

import random
from typing import Any

from aiohttp import web

from ...brokers.ls import codes
from ...brokers.ls.codes import Messages
from ...clock import Clock
from ..accounts import BackOffice, OrderNotice
from ..events import BookChanged, ExchangeEvent, Trade
from ..exchange import Exchange
from ..faults import Faults
from ..lookups import ExchangeLookups
from .auth import CREDENTIAL_NAMES, LsKey, TokenBook, make_keys
from .inquiries import LsInquiries
from .limits import TrLimiter
from .options import LsOptions
from .orders import LsOrders
from .paging import ContKeys
from .quotes import LsQuotes
from .realtime import LsRealtime
from .rest import LsRest

NAME = "ls"


class LsFront(ExchangeLookups):
    name = NAME

    def __init__(self, exchange: Exchange, back_office: BackOffice, clock: Clock, faults: Faults, *,
                 seed: int = 0, options: LsOptions | None = None,
                 holdings: list[tuple[str, int, int]] | None = None, cash: int = 1_000_000_000):
        self.exchange = exchange
        self.back_office = back_office
        self.clock = clock
        self.faults = faults
        self.options = options or LsOptions()
        self.messages = Messages(dict(self.options.message_overrides))
        self.keys = make_keys(seed)
        self.tokens = TokenBook(list(self.keys), clock, seed=seed,
                                lifetime=self.options.token_lifetime)
        limits = self.options.rate_limits
        if limits is None:
            limits = dict(codes.TR_LIMITS)
            if self.options.corporate:
                limits.update(codes.TR_LIMITS_CORPORATE)
        self.limiter = TrLimiter(limits, period=self.options.rate_period,
                                 account_limit=self.options.account_limit, now=clock.monotonic)
        rng = random.Random(f"ls-front:{seed}")
        self.cont_keys = ContKeys(random.Random(f"ls-cont:{seed}"))
        self.by_owner: dict[str, LsKey] = {}
        #: Orders the exchange refused that REST answered with an error: no number to show.
        self.hidden: set[tuple[str, int]] = set()
        self._open_accounts(rng, holdings, cash)
        self.rest = LsRest(self)
        LsOrders(self).install(self.rest)
        LsInquiries(self).install(self.rest)
        LsQuotes(self).install(self.rest)
        self.realtime = LsRealtime(self)
        back_office.add_listener(self._on_notice)
        exchange.add_listener(self._on_exchange)
        faults.register(NAME, drop_websockets=self.realtime.drop_all,
                        expire_tokens=self.tokens.expire_all,
                        invalidate_tokens=self.tokens.invalidate_all,
                        send_malformed=self.realtime.send_malformed)

    def _open_accounts(self, rng: random.Random, holdings, cash: int) -> None:
        back = self.back_office
        # LS order numbers are small (official examples: 84, 32004, 86382), unlike KIS's.
        back.define_series("ls-real", rng.randrange(10_000, 90_000))
        back.define_series("ls-mock", rng.randrange(100, 9_000))
        for key in self.keys:
            self.by_owner[key.owner()] = key
            back.open_account(key.owner(), name=key.holder, series=f"ls-{key.domain.value}",
                              cash=cash, holdings=holdings or ())

    def install(self, app: web.Application) -> None:
        self.rest.install(app)
        self.realtime.install(app)

    async def close(self) -> None:
        self.faults.release_stalls()
        await self.realtime.close()

    # ------------------------------------------------------------ what the handlers ask

    def visible(self, owner: str, no: int) -> bool:
        return (owner, no) not in self.hidden

    # ------------------------------------------------------------ events

    def _on_notice(self, notice: OrderNotice) -> None:
        if notice.owner in self.by_owner:
            self.realtime.publish_notice(notice)

    def _on_exchange(self, event: ExchangeEvent) -> None:
        if isinstance(event, Trade):
            self.realtime.on_trade(event)
        elif isinstance(event, BookChanged):
            self.realtime.on_book(event.code)

    # ------------------------------------------------------------ what `lucy sim` prints

    def credentials(self) -> dict[str, Any]:
        return {name: key.as_dict() for name, key in zip(CREDENTIAL_NAMES, self.keys)}
