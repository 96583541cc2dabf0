"""A stored profile → the session it opens: its brokers' settings (keys from the keyring), its
accounts by fund, plans, limits and confirmation threshold, and where its journal and exports
live (per profile, under the user data dir)."""

from __future__ import annotations

from pathlib import Path

from ..profiles.model import Profile
from .spec import BrokerSpec, FundAccount, SessionSpec


def data_dir() -> Path:
    from platformdirs import user_data_path

    return Path(user_data_path("lucy", appauthor=False))


async def session_spec(profile: Profile, secrets, overrides=None) -> SessionSpec:
    """Raises what :func:`lucy_tui.profiles.connect.broker_settings` raises, in words.
    ``overrides[broker]``: settings keywords (hosts, when the brokers are the simulator)."""
    from ..profiles.connect import broker_settings

    settings = await broker_settings(profile, secrets, overrides)
    refs = profile.account_refs()
    funds = {a.label: a.fund for a in profile.accounts}
    base = data_dir() / "profiles" / profile.name
    return SessionSpec(
        profile=profile.name, environment="real" if profile.is_real else "mock",
        brokers=tuple(BrokerSpec(s) for s in settings.values()),
        accounts=tuple(FundAccount(ref, funds.get(ref.label, "")) for ref in refs),
        plans=profile.engine_plans(), limits=profile.risk_limits(),
        confirm_above=profile.confirm_threshold,
        default_account=refs[0] if refs else None,
        journal_dir=base / "journal", export_dir=base / "exports")
