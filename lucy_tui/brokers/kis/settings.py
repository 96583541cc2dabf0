"""One KIS session's settings: what every broker's hold (brokers/settings.py), plus the HTS id,
the customer type, the app key's REST rate and continuation restarts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from ...domain.model import AccountRef
from ..settings import BrokerSettings
from .environment import ENVIRONMENTS, KisEnvironment

_CANO = re.compile(r"\d{8}")
_PRODUCT = re.compile(r"\d{2}")


class KisSettingsError(ValueError):
    """A KIS setting that cannot work; the message names the setting."""


@dataclass(frozen=True, kw_only=True)
class KisSettings(BrokerSettings):
    broker: ClassVar[str] = "kis"
    error: ClassVar[type[ValueError]] = KisSettingsError
    environments: ClassVar[Mapping[str, KisEnvironment]] = ENVIRONMENTS

    hts_id: str
    ws_url: str = ""                  # "" → the environment's host (path /tryitout)
    custtype: str = "P"
    #: REST requests a second per app key; None → the environment's published rate.
    rate_limit: int | None = None
    #: Continuation restarts after SYDB0050 (the data changed under the cursor).
    paging_restarts: int = 3

    def __post_init__(self):
        super().__post_init__()
        if not self.hts_id:
            raise KisSettingsError("kis hts_id is required (execution notices are keyed by it)")
        if self.custtype not in ("P", "B"):
            raise KisSettingsError(f"kis custtype: expected 'P' or 'B', got {self.custtype!r}")
        self._freeze_accounts()
        for account in self.accounts:
            self._check_broker(account)
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
