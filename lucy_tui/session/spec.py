"""What a session is made of, as data: brokers (with their settings), accounts (with the fund
each belongs to), allocation plans and limits. A profile or the demo builds one."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..brokers.settings import BrokerSettings
from ..domain.model import AccountRef
from ..engine.allocation import Plan
from ..engine.risk import RiskLimits


@dataclass(frozen=True)
class FundAccount:
    ref: AccountRef
    fund: str = ""           # the fund this account trades for; accounts aggregate by it


@dataclass(frozen=True)
class BrokerSpec:
    settings: BrokerSettings

    @property
    def name(self) -> str:
        return self.settings.broker

    @property
    def env(self) -> str:
        return self.settings.env


@dataclass(frozen=True)
class SessionSpec:
    profile: str
    environment: str                         # "demo", "mock" or "real": what the header shows
    brokers: tuple[BrokerSpec, ...]
    accounts: tuple[FundAccount, ...]
    plans: tuple[Plan, ...] = ()
    limits: RiskLimits = field(default_factory=RiskLimits)
    #: Orders above this value (KRW) ask for confirmation in the ticket and on the command line.
    confirm_above: int = 0
    default_account: AccountRef | None = None
    default_plan: str = ""
    journal_dir: Path | None = None
    export_dir: Path | None = None

    def fund_of(self, account: AccountRef) -> str:
        for spec in self.accounts:
            if spec.ref.key == account.key:
                return spec.fund
        return ""

    def account(self, text: str) -> AccountRef | None:
        """The account a user names: ``label``, ``broker:label`` or ``broker:number``."""
        broker, _, rest = text.partition(":")
        if not rest:
            broker, rest = "", text
        for spec in self.accounts:
            ref = spec.ref
            if broker and ref.broker != broker:
                continue
            if rest in (ref.label, ref.number, f"{ref.number}-{ref.product}"):
                return ref
        return None
