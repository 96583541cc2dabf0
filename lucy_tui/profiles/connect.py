"""From a profile to the settings of its broker sessions: its accounts and environment per
broker, the app key and secret from :mod:`lucy_tui.secrets`, the HTS id for KIS.

Real money stays opt-in twice over: a broker is ``real`` only when the profile says so (which
the store saved only after a confirmation), and only then is ``allow_real`` set.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..secrets import Secrets
from .model import Profile, ProfileError


async def broker_settings(profile: Profile, secrets: Secrets,
                          overrides: Mapping[str, Mapping[str, Any]] | None = None) -> dict:
    """``{broker: KisSettings | LsSettings}`` for every broker the profile has accounts with.

    ``overrides[broker]`` adds settings keywords (hosts of the simulator, token dir, pacing).
    Raises :class:`~lucy_tui.secrets.SecretsError` (no keyring, secret not set) or
    :class:`ProfileError` (what the profile lacks, and the command that fixes it)."""
    from ..brokers.kis.settings import KisSettings
    from ..brokers.ls.settings import LsSettings

    kinds = {"kis": KisSettings, "ls": LsSettings}
    out = {}
    for broker in profile.brokers:
        accounts = tuple(a.ref for a in profile.accounts if a.broker == broker)
        if not accounts:
            continue
        creds = await secrets.aget(profile.name, broker)
        env = profile.environment(broker)
        kw: dict[str, Any] = dict(app_key=creds.app_key, app_secret=creds.app_secret,
                                  accounts=accounts, env=env, allow_real=env == "real")
        if broker == "kis":
            if not profile.hts_id("kis"):
                raise ProfileError(f"profile {profile.name!r}: KIS needs the HTS id (its "
                                   "execution notices are keyed by it): lucy profile edit "
                                   f"{profile.name} --hts kis=YOUR_ID")
            kw["hts_id"] = profile.hts_id("kis")
        kw.update((overrides or {}).get(broker, {}))
        try:
            out[broker] = kinds[broker](**kw)
        except ValueError as exc:
            raise ProfileError(f"profile {profile.name!r}: {exc}") from None
    return out
