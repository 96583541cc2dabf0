"""What every broker session's settings hold alike: key and secret, the environment and its
hosts, the accounts, and the pacing, token and realtime timings the shared machinery reads.

Real money is opt-in (DESIGN.md rule 9): ``env="real"`` without ``allow_real=True`` does not
construct. The app key and secret never appear in ``repr`` (rule 8). Fields are keyword-only,
so a broker's own fields (with or without defaults) sit beside these in any order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar

from ..domain.model import AccountRef


@dataclass(frozen=True, kw_only=True)
class BrokerSettings:
    #: The broker's name: in messages and on its AccountRefs.
    broker: ClassVar[str] = ""
    #: What a setting that cannot work raises (a ValueError the broker names).
    error: ClassVar[type[ValueError]] = ValueError
    #: env name → the broker's environment (hosts, rates, codes).
    environments: ClassVar[Mapping[str, Any]] = {}

    app_key: str = field(repr=False)
    app_secret: str = field(repr=False)
    accounts: tuple[AccountRef, ...]
    env: str = "mock"                 # "real" or "mock"
    allow_real: bool = False          # must be True for env="real"
    rest_url: str = ""                # "" → the environment's host; the simulator is just another
    ws_url: str = ""                  # "" → the environment's websocket
    #: Seconds added to the broker's one-second windows. Requests are counted until their answer
    #: came (RateLimiter.slot), so transit time needs no margin; this covers clock granularity.
    #: (0.04 when requests were counted from their grant: KIS mock then used 94 % of 2/s.)
    rate_margin: float = 0.01
    #: After a rate refusal: retries, the first back-off and its cap (doubling, with jitter).
    rate_retries: int = 4
    rate_backoff: float = 0.25
    rate_backoff_max: float = 2.0
    token_dir: Path | None = None     # None → platformdirs user cache "lucy"/tokens
    token_refresh_margin: timedelta = timedelta(minutes=10)
    #: The cross-process guard between two issuances for this key, and how long to wait for it.
    token_issue_interval: float = 60.0
    token_max_wait: float = 65.0
    request_timeout: float = 10.0     # seconds for one REST answer
    max_pages: int = 500
    ws_open_timeout: float = 10.0     # how long connect() waits for the first realtime session
    ack_timeout: float = 5.0          # how long a subscription waits for its answer
    reconnect_initial: float = 0.5
    reconnect_max: float = 30.0

    def __post_init__(self):
        name = self.broker
        if self.env not in self.environments:
            raise self.error(f"{name} env: expected 'real' or 'mock', got {self.env!r}")
        if self.env == "real" and not self.allow_real:
            raise self.error(
                f"{name} env 'real' trades real money: set allow_real=True explicitly to use it")
        if not self.app_key or not self.app_secret:
            raise self.error(f"{name} app_key and app_secret are required")
        # Wherever the keys came from (keyring, environment, the demo's simulator), a log line
        # or a crash report that carries them prints them masked.
        from .. import redact

        redact.register(self.app_key, self.app_secret)

    def _freeze_accounts(self) -> None:
        object.__setattr__(self, "accounts", tuple(self.accounts))

    def _check_broker(self, account: AccountRef) -> None:
        if account.broker != self.broker:
            raise self.error(f"account {account}: broker is {account.broker!r}, not {self.broker!r}")

    @property
    def environment(self) -> Any:
        return self.environments[self.env]

    @property
    def rest_base(self) -> str:
        return (self.rest_url or self.environment.rest_url).rstrip("/")

    @property
    def ws_endpoint(self) -> str:
        return self.ws_url or self.environment.ws_url
