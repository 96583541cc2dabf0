"""Profiles: one person's brokers, accounts, funds, plans and limits on this machine (the
secrets themselves are in :mod:`lucy_tui.secrets`)."""

from .model import (
    BROKERS, AccountSpec, Limits, PlanSpec, Profile, ProfileError, parse_account, parse_plan,
)
from .store import (
    LockedOut, ProfileExists, ProfileNotFound, ProfileStore, RealNeedsConfirmation, WrongPassword,
)

__all__ = [
    "BROKERS", "AccountSpec", "Limits", "LockedOut", "PlanSpec", "Profile", "ProfileError",
    "ProfileExists", "ProfileNotFound", "ProfileStore", "RealNeedsConfirmation", "WrongPassword",
    "parse_account", "parse_plan",
]
