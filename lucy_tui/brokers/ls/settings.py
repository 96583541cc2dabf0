"""One LS session's settings: environment, hosts, key, the account, pacing and timeouts.

LS binds the account to the app key: no TR carries an account number or password, the server
fills them in from the token (ls.md §3.1). So one session serves exactly one account, the one
its key was issued for, and ``accounts`` holds that one.

What every broker's settings hold (keys, hosts, the real-money guard, pacing, token and
realtime timings) is in brokers/settings.py.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from ...domain import costs
from ...domain.model import AccountRef
from ..settings import BrokerSettings
from .environment import ENVIRONMENTS, LsEnvironment

_ACCOUNT = re.compile(r"\d{8,20}")
_MAC = re.compile(r"[0-9A-Fa-f]{12}")


class LsSettingsError(ValueError):
    """An LS setting that cannot work; the message names the setting."""


@dataclass(frozen=True, kw_only=True)
class LsSettings(BrokerSettings):
    broker: ClassVar[str] = "ls"
    error: ClassVar[type[ValueError]] = LsSettingsError
    environments: ClassVar[Mapping[str, LsEnvironment]] = ENVIRONMENTS

    env: str = "mock"                 # "real" or "mock" (which kind of key this is)
    rest_url: str = ""                # "" → https://openapi.ls-sec.co.kr:8080 (both environments)
    ws_url: str = ""                  # "" → the environment's websocket (real 9443, mock 29443)
    #: 법인 (corporate) accounts have their own per-TR budgets and must send a MAC address.
    corporate: bool = False
    mac_address: str = ""
    #: Commission per side, to tell how many shares the buying power pays for.
    commission_rate: Decimal = costs.DEFAULT_COMMISSION_RATE
    #: Requests a second per TR; entries replace the published table (tests, or a changed limit).
    tr_limits: Mapping[str, int] | None = None
    #: The optional account-wide gate across all TRs (ls.md §6.1 "Follow"); None: per-TR only.
    account_rate_limit: int | None = None
    #: LS publishes no cap, but every issuance kills the live token of whoever else uses the
    #: key, so issuing stays rare.
    token_issue_interval: float = 10.0
    token_max_wait: float = 15.0
    ack_timeout: float = 5.0          # how long a registration waits for its answer
    #: WebSocket-level pings: LS sends none and requires none (§7); ours find a dead socket.
    ping_interval: float | None = 20.0

    def __post_init__(self):
        super().__post_init__()
        self._freeze_accounts()
        if len(self.accounts) != 1:
            raise LsSettingsError(
                f"ls accounts: an LS app key serves exactly one account (the server binds it to "
                f"the token); got {len(self.accounts)}. Use one session per key and account")
        for account in self.accounts:
            self._check_broker(account)
            if not _ACCOUNT.fullmatch(account.number) or account.product:
                raise LsSettingsError(
                    f"account {account}: number must be the LS account number in digits "
                    "(e.g. '55501234501') and product empty")
        if self.corporate and not _MAC.fullmatch(self.mac_address):
            raise LsSettingsError(
                "ls mac_address: corporate (법인) accounts must send a 12-hex-digit MAC address")
        if self.mac_address and not _MAC.fullmatch(self.mac_address):
            raise LsSettingsError(f"ls mac_address: expected 12 hex digits, got {self.mac_address!r}")
        for tr, n in (self.tr_limits or {}).items():
            if n < 1:
                raise LsSettingsError(f"ls tr_limits[{tr!r}] must be at least 1 request a second")
        if self.account_rate_limit is not None and self.account_rate_limit < 1:
            raise LsSettingsError("ls account_rate_limit must be at least 1 request a second")
        if not Decimal(0) <= self.commission_rate < Decimal(1):
            raise LsSettingsError("ls commission_rate must be a fraction between 0 and 1")
        if self.rate_retries < 0:
            raise LsSettingsError("ls rate_retries must not be negative")

    @property
    def environment(self) -> LsEnvironment:
        return ENVIRONMENTS[self.env]

    @property
    def account(self) -> AccountRef:
        return self.accounts[0]

    def limits(self) -> dict[str, int]:
        """Requests a second per TR in force: the published table for this kind of account,
        with ``tr_limits`` on top."""
        table = dict(self.environment.tr_limits(self.corporate))
        table.update(self.tr_limits or {})
        return table

    def find_account(self, number: str) -> AccountRef | None:
        number = (number or "").replace("-", "").strip()
        for account in self.accounts:
            if account.number == number:
                return account
        return None

    @staticmethod
    def make_account(number: str, label: str = "") -> AccountRef:
        """An AccountRef from ``"555-01234-501"`` or ``"55501234501"``."""
        return AccountRef("ls", number.replace("-", "").strip(), "", label)
