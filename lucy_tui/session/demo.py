"""The demo: the broker simulators inside this process on free localhost ports, and a profile
with two funds across KIS and LS accounts and an allocation plan, so a newcomer trades at once
with no keys and no network.

The simulators run the mock domains at the real environments' request rates (KIS 20/s): the demo
should feel like production, and the mock budgets (KIS 2/s) would make every order wait behind
its own quote and buying-power inquiries. Tokens and the journal live in a directory of this run
only, since the simulated broker forgets everything when the process ends."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

from ..brokers.kis import KisSettings
from ..brokers.kis.codes import Domain
from ..brokers.ls.settings import LsSettings
from ..config import Config
from ..domain.model import AccountRef
from ..engine.allocation import Leg, Plan
from ..engine.risk import RiskLimits
from .spec import FundAccount, BrokerSpec, SessionSpec

DEMO_PROFILE = "demo"
KIS_DEMO_RATE = 20
FUND_A, FUND_B = "알파펀드", "베타펀드"


def make_sim(config: Config):
    from ..sim.kis.front import KisOptions
    from ..sim.server import SimServer

    demo = config.demo
    return SimServer(seed=demo.seed, session=demo.session, market=True, pages=True,
                     market_interval=demo.market_interval,
                     kis_options=KisOptions(rate_limits={Domain.MOCK: KIS_DEMO_RATE,
                                                         Domain.REAL: KIS_DEMO_RATE}))


def demo_spec(sim, workdir: Path | None = None) -> SessionSpec:
    """The demo profile over a running :class:`SimServer`."""
    workdir = Path(workdir or tempfile.mkdtemp(prefix="lucy-demo-"))
    kis = sim.credentials["kis"]["mock"]
    ls = sim.credentials["ls"]["mock"]
    fund_a = KisSettings.make_account(kis["accounts"][0], label="A")
    fund_b = KisSettings.make_account(kis["accounts"][1], label="B")
    ls_a = LsSettings.make_account(ls["account"], "C")
    kis_settings = KisSettings(
        app_key=kis["app_key"], app_secret=kis["app_secret"], hts_id=kis["hts_id"],
        accounts=(fund_a, fund_b), env="mock", rest_url=sim.urls["kis"]["rest"],
        ws_url=sim.urls["kis"]["ws"] + "/tryitout", token_dir=workdir / "tokens",
        rate_limit=KIS_DEMO_RATE, reconnect_initial=0.2, reconnect_max=2.0)
    ls_settings = LsSettings(
        app_key=ls["app_key"], app_secret=ls["app_secret"], accounts=(ls_a,), env="mock",
        rest_url=sim.urls["ls"]["rest"], ws_url=sim.urls["ls"]["ws"],
        token_dir=workdir / "tokens", token_issue_interval=1.0, reconnect_initial=0.2,
        reconnect_max=2.0)
    accounts = (FundAccount(fund_a, FUND_A), FundAccount(fund_b, FUND_B), FundAccount(ls_a, FUND_A))
    core = Plan("core", (Leg(fund_a, Decimal(40)), Leg(fund_b, Decimal(35)), Leg(ls_a, Decimal(25))))
    alpha = Plan("alpha", (Leg(fund_a, Decimal(60)), Leg(ls_a, Decimal(40))))
    return SessionSpec(
        profile=DEMO_PROFILE, environment="demo",
        brokers=(BrokerSpec(kis_settings), BrokerSpec(ls_settings)),
        accounts=accounts, plans=(core, alpha),
        limits=RiskLimits(max_qty=1_000_000, max_value=5_000_000_000),
        confirm_above=300_000_000, default_account=fund_a,
        journal_dir=workdir / "journal", export_dir=workdir / "exports")


def account_label(ref: AccountRef) -> str:
    return f"{ref.broker}:{ref.label or ref.number}"


def research_broker(sim, spec: SessionSpec, clock):
    """A KIS client on the simulator's real-domain keys, for market data only (charts,
    statements, flows, opinions): the demo's trading sessions stay on the mock domain."""
    from ..brokers.kis import KisBroker

    kis = sim.credentials["kis"]["real"]
    workdir = spec.journal_dir.parent if spec.journal_dir else Path(tempfile.mkdtemp())
    settings = KisSettings(
        app_key=kis["app_key"], app_secret=kis["app_secret"], hts_id=kis["hts_id"],
        accounts=(KisSettings.make_account(kis["accounts"][0], label="research"),),
        env="real", allow_real=True, rest_url=sim.urls["kis"]["rest"],
        ws_url=sim.urls["kis"]["ws"], token_dir=workdir / "tokens", rate_limit=KIS_DEMO_RATE)
    return KisBroker(settings, clock=clock)
