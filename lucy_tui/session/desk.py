"""The desk: what the screens show beyond single orders — cash, buying power and positions per
account (and summed by fund), each broker's connection state — kept current from the engine's
events and refreshed from the brokers on demand. Headless, so tests read it without a screen."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from datetime import datetime

from ..brokers.base import BrokerError, Connection
from ..domain.model import AccountRef, Balance, Position
from ..engine import BalanceChanged, BrokerStatusChanged, PositionChanged
from .spec import SessionSpec

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AccountView:
    account: AccountRef
    fund: str
    cash: int = 0              # D+0 after today's fills
    cash_d2: int = 0
    buying_power: int = 0
    positions: tuple[Position, ...] = ()
    refreshed: datetime | None = None

    @property
    def stock_value(self) -> int:
        return sum(p.market_value for p in self.positions)

    @property
    def cost(self) -> int:
        return sum(p.cost for p in self.positions if p.last)

    @property
    def pnl(self) -> int:
        return sum(p.pnl for p in self.positions)


@dataclass(frozen=True)
class FundView:
    fund: str
    accounts: tuple[AccountView, ...]

    def total(self, attr: str) -> int:
        return sum(getattr(a, attr) for a in self.accounts)


class Desk:
    """Engine events only record what changed; the views are built when a screen reads them,
    because under a fill storm every fill moves a position and the cash (thousands a second)
    while the accounts screen reads a few times a second at most."""

    def __init__(self, spec: SessionSpec):
        self.spec = spec
        self._accounts: dict[str, AccountView] = {
            a.ref.key: AccountView(a.ref, a.fund) for a in spec.accounts}
        self._positions: dict[str, dict[str, Position]] = {k: {} for k in self._accounts}
        self._cash: dict[str, int] = {}
        self._last: dict[str, int] = {}
        self.status: dict[str, BrokerStatusChanged] = {}

    # ------------------------------------------------------------ from the engine

    def apply(self, event) -> bool:
        """Fold one engine event in; True when what the accounts screen shows changed."""
        kind = type(event)
        if kind is PositionChanged:
            pos = event.position
            book = self._positions.setdefault(pos.account.key, {})
            if pos.qty:
                book[pos.code] = pos
            else:
                book.pop(pos.code, None)
            return True
        if kind is BalanceChanged:
            if event.account.key in self._accounts:
                self._cash[event.account.key] = event.cash
            return True
        if kind is BrokerStatusChanged:
            self.status[event.broker] = event
        return False

    def mark(self, code: str, last: int) -> None:
        """A last price seen (a tick or a quote): positions in ``code`` are valued at it."""
        self._last[code] = last

    def _priced(self, pos: Position) -> Position:
        last = self._last.get(pos.code) or pos.last
        return pos if last == pos.last else replace(pos, last=last)

    # ------------------------------------------------------------ views

    def accounts(self) -> list[AccountView]:
        out = []
        for key, view in self._accounts.items():
            book = self._positions.get(key, {})
            out.append(replace(view, cash=self._cash.get(key, view.cash), positions=tuple(
                self._priced(book[code]) for code in sorted(book))))
        return out

    def funds(self) -> list[FundView]:
        groups: dict[str, list[AccountView]] = {}
        for view in self.accounts():
            groups.setdefault(view.fund or str(view.account), []).append(view)
        return [FundView(fund, tuple(views)) for fund, views in groups.items()]

    def position(self, account: AccountRef, code: str) -> Position | None:
        pos = self._positions.get(account.key, {}).get(code)
        return self._priced(pos) if pos is not None else None

    def broker_state(self, broker: str) -> Connection | None:
        event = self.status.get(broker)
        return event.state if event else None

    # ------------------------------------------------------------ from the brokers

    async def refresh(self, engine, now: datetime | None = None) -> list[str]:
        """Balances and positions from every connected broker, then a last price for every held
        symbol; returns what could not be refreshed, in words."""
        problems: list[str] = []

        async def one(view: AccountView) -> None:
            broker = engine.brokers.get(view.account.broker)
            if broker is None:
                problems.append(f"{view.account}: {view.account.broker} 미접속")
                return
            try:
                balance, positions = await broker.balance(view.account)
            except BrokerError as exc:
                problems.append(f"{view.account}: 잔고 조회 실패 — {exc}")
                return
            self._load(balance, positions, now)

        await asyncio.gather(*(one(v) for v in self._accounts.values()))
        codes = {code for book in self._positions.values() for code in book}
        for code in sorted(codes):
            try:
                quote = await engine.quote(code, max_age=1.0)
            except LookupError:
                break                          # no broker connected
            except BrokerError as exc:
                problems.append(f"{code}: 시세 조회 실패 — {exc}")
                continue
            self.mark(code, quote.last)
        return problems

    def _load(self, balance: Balance, positions: list[Position], now) -> None:
        key = balance.account.key
        book = {}
        for pos in positions:
            if pos.qty:
                book[pos.code] = pos
                if pos.last:
                    self._last[pos.code] = pos.last
        self._positions[key] = book
        self._cash.pop(key, None)
        view = self._accounts.get(key) or AccountView(balance.account, self.spec.fund_of(balance.account))
        self._accounts[key] = replace(view, cash=balance.cash, cash_d2=balance.cash_d2,
                                      buying_power=balance.buying_power, refreshed=now)
