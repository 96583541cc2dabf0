"""Allocation plans: a named list of (account, weight) legs, and the largest-remainder split."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..domain.model import AccountRef


@dataclass(frozen=True, slots=True)
class Leg:
    account: AccountRef
    weight: Decimal          # any positive scale: 40/35/25 or 0.4/0.35/0.25


@dataclass(frozen=True, slots=True)
class Plan:
    name: str
    legs: tuple[Leg, ...]

    def __post_init__(self) -> None:
        if not self.legs:
            raise ValueError(f"plan {self.name!r} has no legs")
        if any(Decimal(leg.weight) <= 0 for leg in self.legs):
            raise ValueError(f"plan {self.name!r}: every weight must be positive")
        keys = [leg.account.key for leg in self.legs]
        if len(set(keys)) != len(keys):
            raise ValueError(f"plan {self.name!r} names an account twice")


def split_quantity(total: int, weights: list[Decimal] | tuple[Decimal, ...], lot: int = 1) -> list[int]:
    """Split ``total`` shares (a multiple of ``lot``) by weight with the largest-remainder method:
    every leg gets the floor of its exact share, the lots left over go to the largest remainders
    (ties to the earlier leg), so the parts sum to ``total`` and each is within one lot of exact."""
    if total < 0 or total % lot:
        raise ValueError(f"{total} is not a whole number of {lot}-share lots")
    lots = total // lot
    exact = [Fraction(Decimal(w)) for w in weights]
    scale = sum(exact)
    shares = [lots * w / scale for w in exact]
    base = [int(s) for s in shares]
    left = lots - sum(base)
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - base[i]), i))
    for i in order[:left]:
        base[i] += 1
    return [n * lot for n in base]


def shares_for_amount(amount: int, price: int, lot: int = 1) -> int:
    """Whole lots that ``amount`` KRW buys at ``price`` (never more than the amount)."""
    if price <= 0:
        raise ValueError("an amount order needs a positive price to size it")
    return amount // price // lot * lot
