"""A profile: one person's brokers, accounts, funds, plans and limits on this machine.

Frozen values, validated when built, so a Profile that exists is a usable one. The text forms
(``kis:12345678-01:fundA:Alpha Fund``, ``core=fundA:60,fundB:40``) are shared by the command
line and the Users screen. App keys and secrets are not here: they live in the keyring
(:mod:`lucy_tui.secrets`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from ..domain.model import AccountRef

BROKERS = ("kis", "ls")
ENVIRONMENTS = ("mock", "real")
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")
LABEL = re.compile(r"[^\s:,=]{1,32}")


class ProfileError(ValueError):
    """A profile, account or plan that cannot be: the message says what and how to fix it."""


def check_name(name: str) -> str:
    name = name.strip()
    if not NAME.fullmatch(name):
        raise ProfileError(f"profile name {name!r}: use 1-32 letters, digits, '-' or '_', starting "
                           "with a letter or digit (it becomes part of LUCY_<PROFILE>_… names)")
    return name


def check_broker(broker: str) -> str:
    broker = broker.strip().lower()
    if broker not in BROKERS:
        raise ProfileError(f"unknown broker {broker!r} (known: {', '.join(BROKERS)})")
    return broker


@dataclass(frozen=True, slots=True)
class AccountSpec:
    broker: str
    number: str
    product: str = ""     # KIS 상품코드 (01…); empty for LS
    label: str = ""       # what orders and plans call it; unique in the profile
    fund: str = ""        # the fund it belongs to, for reports

    def __post_init__(self) -> None:
        object.__setattr__(self, "broker", check_broker(self.broker))
        if not re.fullmatch(r"[0-9]{4,20}", self.number):
            raise ProfileError(f"account number {self.number!r}: expected 4-20 digits")
        if self.product and not re.fullmatch(r"[0-9]{1,4}", self.product):
            raise ProfileError(f"account product code {self.product!r}: expected 1-4 digits")
        if self.broker == "kis":
            if len(self.number) == 10 and not self.product:     # CANO and product run together
                object.__setattr__(self, "product", self.number[8:])
                object.__setattr__(self, "number", self.number[:8])
            if not self.product:
                object.__setattr__(self, "product", "01")     # the usual 종합 product
            if len(self.number) != 8 or len(self.product) != 2:
                raise ProfileError(f"KIS account {self.number}-{self.product}: expected the "
                                   "8-digit account number and the 2-digit product code, "
                                   "e.g. 50123456-01")
        if not self.label:
            object.__setattr__(self, "label", f"{self.broker}{self.number[-4:]}")
        if not LABEL.fullmatch(self.label):
            raise ProfileError(f"account label {self.label!r}: 1-32 characters, no spaces, ':', "
                               "',' or '='")

    @property
    def ref(self) -> AccountRef:
        return AccountRef(self.broker, self.number, self.product, self.label)

    def text(self) -> str:
        """The form :func:`parse_account` reads back."""
        number = self.number + (f"-{self.product}" if self.product else "")
        return f"{self.broker}:{number}:{self.label}" + (f":{self.fund}" if self.fund else "")


def parse_account(text: str) -> AccountSpec:
    """``BROKER:NUMBER[-PRODUCT][:LABEL[:FUND]]``, e.g. ``kis:12345678-01:fundA:Alpha Fund``."""
    parts = [p.strip() for p in text.strip().split(":", 3)]
    if len(parts) < 2 or not parts[1]:
        raise ProfileError(f"account {text!r}: expected BROKER:NUMBER[-PRODUCT][:LABEL[:FUND]], "
                           "e.g. kis:12345678-01:fundA:Alpha Fund")
    number, _, product = parts[1].partition("-")
    return AccountSpec(parts[0], number, product, parts[2] if len(parts) > 2 else "",
                       parts[3] if len(parts) > 3 else "")


@dataclass(frozen=True, slots=True)
class PlanSpec:
    name: str
    legs: tuple[tuple[str, Decimal], ...]     # (account label, weight)

    def __post_init__(self) -> None:
        if not LABEL.fullmatch(self.name):
            raise ProfileError(f"plan name {self.name!r}: 1-32 characters, no spaces, ':', ',' "
                               "or '='")
        if not self.legs:
            raise ProfileError(f"plan {self.name!r} has no accounts")
        legs = tuple((label, Decimal(weight)) for label, weight in self.legs)
        if any(w <= 0 for _, w in legs):
            raise ProfileError(f"plan {self.name!r}: every weight must be positive")
        labels = [label for label, _ in legs]
        if len(set(labels)) != len(labels):
            raise ProfileError(f"plan {self.name!r} names an account twice")
        object.__setattr__(self, "legs", legs)

    def text(self) -> str:
        return f"{self.name}=" + ",".join(f"{label}:{weight}" for label, weight in self.legs)


def parse_plan(text: str) -> PlanSpec:
    """``NAME=LABEL:WEIGHT,LABEL:WEIGHT``, e.g. ``core=fundA:60,fundB:40``."""
    name, eq, rest = text.partition("=")
    if not eq or not rest.strip():
        raise ProfileError(f"plan {text!r}: expected NAME=LABEL:WEIGHT,LABEL:WEIGHT, "
                           "e.g. core=fundA:60,fundB:40")
    legs = []
    for part in rest.split(","):
        label, colon, weight = part.strip().rpartition(":")
        try:
            legs.append((label.strip(), Decimal(weight.strip())))
        except InvalidOperation:
            colon = ""
        if not colon or not label.strip():
            raise ProfileError(f"plan {name.strip()!r}: {part.strip()!r} is not LABEL:WEIGHT")
    return PlanSpec(name.strip(), tuple(legs))


@dataclass(frozen=True, slots=True)
class Limits:
    """Pre-trade guards of the profile. Zero means no limit."""

    max_qty: int = 0
    max_value: int = 0          # KRW per order
    confirm_value: int = 0      # KRW: orders worth more need a second Enter

    def __post_init__(self) -> None:
        for name in ("max_qty", "max_value", "confirm_value"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ProfileError(f"{name} must be a whole number ≥ 0, got {value!r}")


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    accounts: tuple[AccountSpec, ...] = ()
    plans: tuple[PlanSpec, ...] = ()
    limits: Limits = field(default_factory=Limits)
    environments: tuple[tuple[str, str], ...] = ()   # (broker, "mock"|"real"); absent = mock
    hts_ids: tuple[tuple[str, str], ...] = ()        # (broker, HTS id)
    password_hash: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", check_name(self.name))
        labels = [a.label for a in self.accounts]
        dupes = sorted({x for x in labels if labels.count(x) > 1})
        if dupes:
            raise ProfileError(f"profile {self.name!r}: account label {dupes[0]!r} is used twice")
        keys = [a.ref.key for a in self.accounts]
        if len(set(keys)) != len(keys):
            raise ProfileError(f"profile {self.name!r}: the same account is listed twice")
        names = [p.name for p in self.plans]
        if len(set(names)) != len(names):
            raise ProfileError(f"profile {self.name!r}: two plans share a name")
        for plan in self.plans:
            for label, _ in plan.legs:
                if label not in labels:
                    raise ProfileError(f"plan {plan.name!r}: no account labelled {label!r} in "
                                       f"profile {self.name!r}")
        envs = dict(self.environments)
        for broker, env in envs.items():
            check_broker(broker)
            if env not in ENVIRONMENTS:
                raise ProfileError(f"{broker} environment {env!r}: expected 'mock' or 'real'")
        object.__setattr__(self, "environments", tuple(sorted(envs.items())))
        hts = {check_broker(b): i.strip() for b, i in self.hts_ids if i.strip()}
        object.__setattr__(self, "hts_ids", tuple(sorted(hts.items())))

    # ------------------------------------------------------------------ reading

    def environment(self, broker: str) -> str:
        return dict(self.environments).get(broker, "mock")

    def hts_id(self, broker: str) -> str:
        return dict(self.hts_ids).get(broker, "")

    @property
    def brokers(self) -> tuple[str, ...]:
        """Brokers this profile uses: those with an account, an environment or an HTS id."""
        used = {a.broker for a in self.accounts} | {b for b, _ in self.environments}
        used |= {b for b, _ in self.hts_ids}
        return tuple(b for b in BROKERS if b in used)

    @property
    def real_brokers(self) -> tuple[str, ...]:
        return tuple(b for b, env in self.environments if env == "real")

    @property
    def is_real(self) -> bool:
        """Any broker of this profile trades real money (the console shows it in red)."""
        return bool(self.real_brokers)

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    def account(self, label: str) -> AccountSpec:
        for a in self.accounts:
            if a.label == label:
                return a
        raise ProfileError(f"profile {self.name!r} has no account labelled {label!r}")

    # ------------------------------------------------------------------ for the engine

    def account_refs(self) -> tuple[AccountRef, ...]:
        return tuple(a.ref for a in self.accounts)

    def engine_plans(self):
        from ..engine.allocation import Leg, Plan

        return tuple(Plan(p.name, tuple(Leg(self.account(label).ref, weight)
                                        for label, weight in p.legs)) for p in self.plans)

    def risk_limits(self):
        from ..engine.risk import RiskLimits

        return RiskLimits(max_qty=self.limits.max_qty, max_value=self.limits.max_value,
                          allow_real=self.is_real)

    @property
    def confirm_threshold(self) -> int:
        """KRW above which an order needs a second Enter (0: never)."""
        return self.limits.confirm_value

    # ------------------------------------------------------------------ changing

    def with_environment(self, broker: str, env: str) -> Profile:
        envs = dict(self.environments)
        envs[check_broker(broker)] = env
        return replace(self, environments=tuple(envs.items()))

    def with_hts_id(self, broker: str, hts_id: str) -> Profile:
        ids = dict(self.hts_ids)
        ids[check_broker(broker)] = hts_id
        return replace(self, hts_ids=tuple(ids.items()))

    def switches_to_real(self, new: Profile) -> tuple[str, ...]:
        """Brokers that ``new`` trades for real and this profile did not: these need the user's
        confirmation before the change is saved."""
        return tuple(b for b in new.real_brokers if b not in self.real_brokers)


# ---------------------------------------------------------------------- TinyDB documents

def to_doc(p: Profile) -> dict:
    return {
        "name": p.name,
        "accounts": [[a.broker, a.number, a.product, a.label, a.fund] for a in p.accounts],
        "plans": [{"name": pl.name, "legs": [[label, str(w)] for label, w in pl.legs]}
                  for pl in p.plans],
        "limits": {"max_qty": p.limits.max_qty, "max_value": p.limits.max_value,
                   "confirm_value": p.limits.confirm_value},
        "environments": dict(p.environments),
        "hts_ids": dict(p.hts_ids),
        "password": p.password_hash,
    }


def from_doc(doc: dict) -> Profile:
    try:
        return Profile(
            name=doc["name"],
            accounts=tuple(AccountSpec(*a) for a in doc.get("accounts", ())),
            plans=tuple(PlanSpec(pl["name"], tuple((label, Decimal(w)) for label, w in pl["legs"]))
                        for pl in doc.get("plans", ())),
            limits=Limits(**doc.get("limits", {})),
            environments=tuple(doc.get("environments", {}).items()),
            hts_ids=tuple(doc.get("hts_ids", {}).items()),
            password_hash=doc.get("password"),
        )
    except (KeyError, TypeError, InvalidOperation) as exc:
        raise ProfileError(f"stored profile {doc.get('name', '?')!r} is damaged: {exc}") from None
