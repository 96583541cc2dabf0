"""One KIS session's settings: environment, hosts, key, HTS id, accounts, pacing and timeouts.

Real money is opt-in (DESIGN.md rule 9): ``env="real"`` without ``allow_real=True`` does not
construct. The app key and secret never appear in ``repr`` (rule 8).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from ...domain.model import AccountRef
from .environment import ENVIRONMENTS, KisEnvironment

_CANO = re.compile(r"\d{8}")
_PRODUCT = re.compile(r"\d{2}")


class KisSettingsError(ValueError):
    """A KIS setting that cannot work; the message names the setting."""


@dataclass(frozen=True)
class KisSettings:
    app_key: str = field(repr=False)
    app_secret: str = field(repr=False)
    hts_id: str
    accounts: tuple[AccountRef, ...]
    env: str = "mock"                 # "real" or "mock"
    allow_real: bool = False          # must be True for env="real"
    rest_url: str = ""                # "" → the environment's host; the simulator is just another
    ws_url: str = ""                  # "" → the environment's host (path /tryitout)
    custtype: str = "P"
    #: REST requests a second per app key; None → the environment's published rate.
    rate_limit: int | None = None
    #: Seconds added to the broker's one-second window (clock skew and network jitter).
    rate_margin: float = 0.04
    #: After EGW00201: retries, the first back-off and its cap (doubling, with jitter).
    rate_retries: int = 4
    rate_backoff: float = 0.25
    rate_backoff_max: float = 2.0
    token_dir: Path | None = None     # None → platformdirs user cache "lucy"/tokens
    token_refresh_margin: timedelta = timedelta(minutes=10)
    token_issue_interval: float = 60.0
    token_max_wait: float = 65.0
    request_timeout: float = 10.0     # seconds for one REST answer
    #: Continuation restarts after SYDB0050 (the data changed under the cursor).
    paging_restarts: int = 3
    max_pages: int = 500
    ws_open_timeout: float = 10.0     # how long connect() waits for the first realtime session
    ack_timeout: float = 5.0          # how long a subscribe waits for its ACK
    reconnect_initial: float = 0.5
    reconnect_max: float = 30.0

    def __post_init__(self):
        if self.env not in ENVIRONMENTS:
            raise KisSettingsError(f"kis env: expected 'real' or 'mock', got {self.env!r}")
        if self.env == "real" and not self.allow_real:
            raise KisSettingsError(
                "kis env 'real' trades real money: set allow_real=True explicitly to use it")
        if not self.app_key or not self.app_secret:
            raise KisSettingsError("kis app_key and app_secret are required")
        if not self.hts_id:
            raise KisSettingsError("kis hts_id is required (execution notices are keyed by it)")
        if self.custtype not in ("P", "B"):
            raise KisSettingsError(f"kis custtype: expected 'P' or 'B', got {self.custtype!r}")
        object.__setattr__(self, "accounts", tuple(self.accounts))
        for account in self.accounts:
            if account.broker != "kis":
                raise KisSettingsError(f"account {account}: broker is {account.broker!r}, not 'kis'")
            if not _CANO.fullmatch(account.number) or not _PRODUCT.fullmatch(account.product):
                raise KisSettingsError(
                    f"account {account}: number must be the 8-digit CANO and product the 2-digit "
                    "ACNT_PRDT_CD (e.g. number='50123456', product='01')")
        if self.rate_limit is not None and self.rate_limit < 1:
            raise KisSettingsError("kis rate_limit must be at least 1 request a second")

    @property
    def environment(self) -> KisEnvironment:
        return ENVIRONMENTS[self.env]

    @property
    def rest_base(self) -> str:
        return (self.rest_url or self.environment.rest_url).rstrip("/")

    @property
    def ws_endpoint(self) -> str:
        return self.ws_url or self.environment.ws_url

    @property
    def rate(self) -> int:
        return self.rate_limit or self.environment.rate

    def account(self, number: str, product: str = "") -> AccountRef | None:
        """The configured account for ``number`` (CANO, or the 10-digit CANO+product)."""
        if not product and len(number) == 10:
            number, product = number[:8], number[8:]
        for account in self.accounts:
            if account.number == number and (not product or account.product == product):
                return account
        return None

    @staticmethod
    def make_account(number: str, product: str = "01", label: str = "") -> AccountRef:
        """An AccountRef from ``"50123456-01"``, ``"5012345601"`` or CANO + product."""
        digits = number.replace("-", "")
        if len(digits) == 10:
            digits, product = digits[:8], digits[8:]
        return AccountRef("kis", digits, product, label)
