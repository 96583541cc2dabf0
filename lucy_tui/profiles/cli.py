"""``lucy profile list|add|edit|remove|set-secret``.

Secrets and passwords are typed at a hidden prompt (getpass), never given as arguments: an
argument ends up in the shell history and in ``ps`` for every user of the machine.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from getpass import getpass

from ..secrets import Secrets, SecretsError, SecretsUnavailable
from .model import (
    BROKERS, ENVIRONMENTS, Limits, Profile, ProfileError, check_broker, parse_account, parse_plan,
)
from .store import LockedOut, ProfileStore, RealNeedsConfirmation, WrongPassword


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="profile_command", metavar="ACTION", required=True)
    sub.add_parser("list", help="show every profile, its accounts, plans, limits and secrets")

    add = sub.add_parser("add", help="create a profile")
    add.add_argument("name", help="profile name: letters, digits, '-' or '_'")
    _settings(add, editing=False)

    edit = sub.add_parser("edit", help="change a profile")
    edit.add_argument("name")
    _settings(edit, editing=True)

    remove = sub.add_parser("remove", help="delete a profile and its keyring entries")
    remove.add_argument("name")
    remove.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    secret = sub.add_parser(
        "set-secret", help="store a broker's app key and secret in the keyring (typed hidden)")
    secret.add_argument("name", help="profile")
    secret.add_argument("broker", choices=BROKERS)


def _settings(p: argparse.ArgumentParser, *, editing: bool) -> None:
    p.add_argument("--account", action="append", default=[], metavar="SPEC",
                   help="BROKER:NUMBER[-PRODUCT][:LABEL[:FUND]], e.g. kis:12345678-01:fundA:Alpha"
                        + (" (replaces the account with the same label)" if editing else ""))
    p.add_argument("--plan", action="append", default=[], metavar="SPEC",
                   help="allocation plan NAME=LABEL:WEIGHT,..., e.g. core=fundA:60,fundB:40")
    p.add_argument("--env", action="append", default=[], metavar="BROKER=ENV",
                   help="mock or real per broker (real asks for confirmation)")
    p.add_argument("--hts", action="append", default=[], metavar="BROKER=ID", help="HTS id")
    p.add_argument("--max-qty", type=_count, metavar="N", help="largest order in shares (0: none)")
    p.add_argument("--max-value", type=_count, metavar="KRW", help="largest order value (0: none)")
    p.add_argument("--confirm-above", type=_count, metavar="KRW",
                   help="orders worth more need a second Enter (0: never)")
    p.add_argument("--password", action="store_true",
                   help="set a password (asked at a hidden prompt)")
    if editing:
        p.add_argument("--remove-account", action="append", default=[], metavar="LABEL")
        p.add_argument("--remove-plan", action="append", default=[], metavar="NAME")
        p.add_argument("--no-password", action="store_true", help="remove the password")


def _count(text: str) -> int:
    try:
        value = int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number ≥ 0, got {value}")
    return value


def _pairs(items: list[str], what: str) -> list[tuple[str, str]]:
    out = []
    for item in items:
        broker, eq, value = item.partition("=")
        if not eq or not value.strip():
            raise ProfileError(f"{what} {item!r}: expected BROKER=VALUE, e.g. kis=mock")
        out.append((check_broker(broker), value.strip()))
    return out


class _Cancelled(Exception):
    pass


def run(args: argparse.Namespace, secrets_mode: str = "keyring") -> int:
    """Run one ``lucy profile`` action; a clear message and a non-zero code on any problem."""
    try:
        store = ProfileStore()
    except ProfileError as exc:
        return _fail(exc)
    secrets = Secrets(secrets_mode)
    try:
        action = args.profile_command.replace("-", "_")
        return globals()[f"_{action}"](args, store, secrets)
    except (ProfileError, SecretsError) as exc:
        return _fail(exc)
    except _Cancelled as exc:
        print(f"lucy profile: {exc}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, EOFError):
        print("\nlucy profile: cancelled, nothing changed", file=sys.stderr)
        return 1
    finally:
        store.close()


def _fail(exc: Exception) -> int:
    print(f"lucy profile: {exc}", file=sys.stderr)
    return 1 if isinstance(exc, (WrongPassword, LockedOut)) else 2


def _list(args, store: ProfileStore, secrets: Secrets) -> int:
    profiles = store.list()
    if not profiles:
        print("no profiles yet: `lucy profile add NAME --account kis:12345678-01:fundA`")
        return 0
    try:
        holder = secrets.backend_name()
    except SecretsUnavailable:
        holder = None
    for p in profiles:
        envs = " ".join(f"{b}={'REAL' if p.environment(b) == 'real' else 'mock'}"
                        for b in p.brokers) or "no brokers"
        lock = "  [password]" if p.has_password else ""
        print(f"{p.name}  {envs}{lock}" + ("  *** REAL MONEY ***" if p.is_real else ""))
        for a in p.accounts:
            print(f"  account {a.text()}")
        for plan in p.plans:
            print(f"  plan    {plan.text()}")
        lim = p.limits
        print(f"  limits  max qty {_num(lim.max_qty)}, max value {_num(lim.max_value, ' KRW')}, "
              f"confirm above {_num(lim.confirm_value, ' KRW')}")
        for b in p.brokers:
            hts = f", HTS id {p.hts_id(b)}" if p.hts_id(b) else ""
            state = "keyring unavailable" if holder is None else _secret_state(secrets, p.name, b)
            print(f"  {b:<7} secret {state}{hts}")
    if holder is None and secrets.mode == "keyring":
        print(f"\nnote: {SecretsUnavailable()}", file=sys.stderr)
    return 0


def _num(value: int, unit: str = "") -> str:
    return f"{value:,}{unit}" if value else "none"


def _secret_state(secrets: Secrets, profile: str, broker: str) -> str:
    try:
        return "set" if secrets.has(profile, broker) else "missing"
    except SecretsUnavailable:
        return "keyring unavailable"


def _apply(args, profile: Profile, *, editing: bool) -> Profile:
    accounts = list(profile.accounts)
    if editing:
        gone = set(args.remove_account)
        missing = gone - {a.label for a in accounts}
        if missing:
            raise ProfileError(f"profile {profile.name!r} has no account labelled "
                               f"{sorted(missing)[0]!r}")
        accounts = [a for a in accounts if a.label not in gone]
    for text in args.account:
        spec = parse_account(text)
        accounts = [a for a in accounts if a.label != spec.label] + [spec]
    plans = list(profile.plans)
    if editing:
        gone = set(args.remove_plan)
        plans = [p for p in plans if p.name not in gone]
    for text in args.plan:
        spec = parse_plan(text)
        plans = [p for p in plans if p.name != spec.name] + [spec]
    envs = dict(profile.environments)
    for broker, env in _pairs(args.env, "--env"):
        if env not in ENVIRONMENTS:
            raise ProfileError(f"--env {broker}={env}: expected mock or real")
        envs[broker] = env
    hts = dict(profile.hts_ids) | dict(_pairs(args.hts, "--hts"))
    lim = profile.limits
    limits = Limits(lim.max_qty if args.max_qty is None else args.max_qty,
                    lim.max_value if args.max_value is None else args.max_value,
                    lim.confirm_value if args.confirm_above is None else args.confirm_above)
    return replace(profile, accounts=tuple(accounts), plans=tuple(plans), limits=limits,
                   environments=tuple(envs.items()), hts_ids=tuple(hts.items()))


def _confirm_real(name: str, brokers: tuple[str, ...]) -> None:
    print(f"Profile {name!r} will trade REAL MONEY with {', '.join(brokers)}: orders go to the "
          "live market.", file=sys.stderr)
    answer = input(f"Type the profile name ({name}) to confirm: ")
    if answer.strip() != name:
        raise _Cancelled("not confirmed: the profile was not changed")


def _new_password(name: str) -> str:
    first = getpass(f"New password for {name!r}: ")
    if not first:
        raise _Cancelled("empty password: nothing changed")
    if getpass("Again: ") != first:
        raise _Cancelled("the passwords differ: nothing changed")
    return first


def _unlock(store: ProfileStore, name: str) -> Profile:
    """The profile, once its password (if it has one) has been typed right."""
    profile = store.get(name)
    if profile.has_password:
        wait = store.locked_for(profile.name)
        if wait > 0:
            raise LockedOut(profile.name, wait)
        profile = store.verify_password(profile.name, getpass(f"Password for {profile.name!r}: "))
    return profile


def _save(store: ProfileStore, profile: Profile, *, adding: bool) -> Profile:
    save = store.add if adding else store.update
    try:
        return save(profile)
    except RealNeedsConfirmation as exc:
        _confirm_real(exc.name, exc.brokers)
        return save(profile, confirm_real=True)


def _add(args, store: ProfileStore, secrets: Secrets) -> int:
    profile = _apply(args, Profile(args.name), editing=False)
    password = _new_password(profile.name) if args.password else None
    try:
        store.get(profile.name)
    except ProfileError:
        pass
    else:
        raise ProfileError(f"profile {profile.name!r} already exists: use `lucy profile edit`")
    profile = _save(store, profile, adding=True)
    if password is not None:
        store.set_password(profile.name, password)
    print(f"added profile {profile.name!r}" + (" (REAL money)" if profile.is_real else ""))
    for b in profile.brokers:
        print(f"  next: lucy profile set-secret {profile.name} {b}")
    return 0


def _edit(args, store: ProfileStore, secrets: Secrets) -> int:
    if args.password and args.no_password:
        raise ProfileError("--password and --no-password contradict each other")
    profile = _unlock(store, args.name)
    changed = _apply(args, profile, editing=True)
    password = _new_password(profile.name) if args.password else None
    changed = _save(store, changed, adding=False)
    if password is not None:
        store.set_password(profile.name, password)
    elif args.no_password:
        store.set_password(profile.name, None)
    print(f"saved profile {changed.name!r}" + (" (REAL money)" if changed.is_real else ""))
    return 0


def _remove(args, store: ProfileStore, secrets: Secrets) -> int:
    profile = _unlock(store, args.name)
    if not args.yes:
        answer = input(f"Remove profile {profile.name!r} and its keyring entries? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            raise _Cancelled("not removed")
    store.remove(profile.name)
    left = []
    for broker in BROKERS:
        try:
            secrets.delete(profile.name, broker)
        except SecretsUnavailable:
            left.append(broker)
    print(f"removed profile {profile.name!r}")
    if left and secrets.mode == "keyring":
        print(f"note: the keyring could not be reached; entries lucy/{profile.name}/<broker> may "
              "remain", file=sys.stderr)
    return 0


def _set_secret(args, store: ProfileStore, secrets: Secrets) -> int:
    profile = _unlock(store, args.name)
    secrets.check_storable(profile.name, args.broker)   # say so before anything is typed
    broker = args.broker.upper()
    app_key = getpass(f"{broker} app key for {profile.name!r} (hidden): ").strip()
    app_secret = getpass(f"{broker} app secret for {profile.name!r} (hidden): ").strip()
    if not app_key or not app_secret:
        raise _Cancelled("empty app key or secret: nothing stored")
    secrets.set(profile.name, args.broker, app_key, app_secret)
    print(f"stored the {broker} app key and secret of {profile.name!r} in the keyring")
    return 0
