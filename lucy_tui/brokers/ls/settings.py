"""One LS session's settings: environment, hosts, key, the account, pacing and timeouts.

LS binds the account to the app key: no TR carries an account number or password, the server
fills them in from the token (ls.md §3.1). So one session serves exactly one account, the one
its key was issued for, and ``accounts`` holds that one.

Real money is opt-in (DESIGN.md rule 9): ``env="real"`` without ``allow_real=True`` does not
construct. The app key and secret never appear in ``repr`` (rule 8).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from ...domain import costs
from ...domain.model import AccountRef
from .environment import ENVIRONMENTS, LsEnvironment

_ACCOUNT = re.compile(r"\d{8,20}")
_MAC = re.compile(r"[0-9A-Fa-f]{12}")


class LsSettingsError(ValueError):
    """An LS setting that cannot work; the message names the setting."""


@dataclass(frozen=True)
class LsSettings:
    app_key: str = field(repr=False)
    app_secret: str = field(repr=False)
    accounts: tuple[AccountRef, ...]
    env: str = "mock"                 # "real" or "mock" (which kind of key this is)
    allow_real: bool = False          # must be True for env="real"
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
    #: Seconds added to the broker's one-second windows (clock skew and network jitter).
    rate_margin: float = 0.04
    #: After IGW00201: retries, the first back-off and its cap (doubling, with jitter).
    rate_retries: int = 4
    rate_backoff: float = 0.25
    rate_backoff_max: float = 2.0
    token_dir: Path | None = None     # None → platformdirs user cache "lucy"/tokens
    token_refresh_margin: timedelta = timedelta(minutes=10)
    #: The cross-process guard between two issuances for this key. LS publishes no cap, but every
    #: issuance kills the live token of whoever else uses the key, so issuing stays rare.
    token_issue_interval: float = 10.0
    token_max_wait: float = 15.0
    request_timeout: float = 10.0     # seconds for one REST answer
    max_pages: int = 500
    ws_open_timeout: float = 10.0     # how long connect() waits for the first realtime session
    ack_timeout: float = 5.0          # how long a registration waits for its answer
    reconnect_initial: float = 0.5
    reconnect_max: float = 30.0
    #: WebSocket-level pings: LS sends none and requires none (§7); ours find a dead socket.
    ping_interval: float | None = 20.0

    def __post_init__(self):
        if self.env not in ENVIRONMENTS:
            raise LsSettingsError(f"ls env: expected 'real' or 'mock', got {self.env!r}")
        if self.env == "real" and not self.allow_real:
            raise LsSettingsError(
                "ls env 'real' trades real money: set allow_real=True explicitly to use it")
        if not self.app_key or not self.app_secret:
            raise LsSettingsError("ls app_key and app_secret are required")
        object.__setattr__(self, "accounts", tuple(self.accounts))
        if len(self.accounts) != 1:
            raise LsSettingsError(
                f"ls accounts: an LS app key serves exactly one account (the server binds it to "
                f"the token); got {len(self.accounts)}. Use one session per key and account")
        for account in self.accounts:
            if account.broker != "ls":
                raise LsSettingsError(f"account {account}: broker is {account.broker!r}, not 'ls'")
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
    def rest_base(self) -> str:
        return (self.rest_url or self.environment.rest_url).rstrip("/")

    @property
    def ws_endpoint(self) -> str:
        return self.ws_url or self.environment.ws_url

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
