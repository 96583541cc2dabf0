"""Knobs of the LS front: the spec's **Follow:** defaults and the alternatives of its unverified
facts (ls.md §9), so a client can be tested against either reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...brokers.ls import codes
from ...brokers.ls.codes import Msg, Outcome, TokenLifetime

#: How an order the exchange refuses after the broker's own checks is answered (unverified).
REJECT_AT_REST = "rest"   # a business error on the REST call, no number, no SC events (default)
REJECT_AS_SC4 = "sc4"     # accepted at REST (00039/00040, a number), then SC0 and SC4


@dataclass
class LsOptions:
    """Knobs of the LS front. Defaults follow the spec's **Follow:** lines; the alternatives of
    its unverified facts are here. Tests shorten pages, never change semantics by accident."""

    #: Requests per second per TR and key; None: the published individual (or corporate) table.
    rate_limits: dict[str, int] | None = None
    corporate: bool = False
    rate_period: float = 1.0
    #: Optional account-wide cap across TRs (unverified at LS; off by default).
    account_limit: int | None = None
    #: HTTP status of IGW00201 (undocumented; Follow: 500).
    rate_limit_status: int = 500
    token_lifetime: TokenLifetime = TokenLifetime.FIXED
    #: Take a JSON body on /oauth2/token too (LS documents form-encoded only).
    token_accepts_json: bool = False
    #: 모의투자 orders need IsuNo as A+code (official note); else the simulator refuses them.
    mock_requires_prefix: bool = True
    #: t-series continuations need the issued tr_cont_key as well as the body cursor.
    strict_cont_key: bool = False
    #: REJECT_AT_REST or REJECT_AS_SC4 for orders the exchange refuses.
    exchange_rejects: str = REJECT_AT_REST
    #: Blocks of a rejected order's answer: "zeroed" (the official example: echo OutBlock1 and a
    #: zero-filled OutBlock2), "empty" (OutBlock2 {}), "none" (rsp_cd / rsp_msg only).
    reject_blocks: str = "zeroed"
    page_sizes: dict[str, int] = field(default_factory=lambda: {
        codes.T0425: codes.T0425_PAGE_SIZE, codes.T0424: codes.T0424_PAGE_SIZE,
        codes.CSPAQ13700: codes.CSPAQ13700_PAGE_SIZE})
    #: SC0–SC4 balance fields are "실서버 데이터 미제공" (zero on real); mock fills them.
    real_balance_fields: bool = False
    message_overrides: dict[Outcome, Msg] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.exchange_rejects not in (REJECT_AT_REST, REJECT_AS_SC4):
            raise ValueError(f"exchange_rejects is {REJECT_AT_REST!r} or {REJECT_AS_SC4!r}")
        if self.reject_blocks not in ("zeroed", "empty", "none"):
            raise ValueError("reject_blocks is 'zeroed', 'empty' or 'none'")

    def page_size(self, tr_cd: str) -> int:
        return self.page_sizes.get(tr_cd, 100)


