"""The ``lucy`` command.

Heavy imports (textual, the simulator) happen inside the commands that need them, so
``lucy --version`` and ``lucy --help`` answer at once.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__

DESCRIPTION = """\
Lucy: a keyboard-driven trading console for Korean fund managers.

With no command, Lucy opens the console. Without a config file it runs in demo mode: a
simulated KRX market on this machine, no keys and no network needed."""


def build_parser() -> argparse.ArgumentParser:
    from . import config

    parser = argparse.ArgumentParser(
        prog="lucy", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"Config file: {config.default_path()} (see config.example.toml for every key).",
    )
    parser.add_argument("--version", action="version", version=f"lucy {__version__}")
    parser.add_argument("--config", type=Path, metavar="FILE",
                        help="use this config file instead of the default one")
    parser.add_argument("--demo", action="store_true",
                        help="run against the built-in simulated market whatever the config says")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    lookup = commands.add_parser(
        "lookup", help="find instruments by code, Korean name or 초성 (e.g. ㅅㅅㅈㅈ)",
        description="Search the instrument list by code, Korean or English name, or 초성.")
    lookup.add_argument("query", nargs="+", help="what to look for")
    lookup.add_argument("-n", "--limit", type=int, default=20, help="at most this many results")

    from .sources import cli as ipo_cli

    ipo_cli.add_arguments(commands.add_parser(
        "ipo", help="parse a saved 38.co.kr IPO page and print its records"))

    from .profiles import cli as profile_cli

    profile = commands.add_parser(
        "profile", help="manage profiles: brokers, accounts, plans, limits and secrets",
        description="Profiles hold one person's brokers, accounts, plans and limits. App keys and "
                    "secrets go to the OS keyring and are typed at a hidden prompt.")
    profile_cli.add_arguments(profile)

    from .sim import cli as sim_cli

    sim = commands.add_parser("sim", help="run the broker simulators in the foreground")
    sim_cli.add_arguments(sim)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from . import config

    try:
        cfg = config.load(args.config, must_exist=args.config is not None)
        config.apply_market_rules(cfg.market)
    except config.ConfigError as exc:
        print(f"lucy: {exc}", file=sys.stderr)
        return 2
    if args.command == "lookup":
        return _lookup(" ".join(args.query), args.limit)
    if args.command == "ipo":
        from .sources import cli as ipo_cli

        return ipo_cli.run(args)
    if args.command == "profile":
        from .profiles import cli as profile_cli

        return profile_cli.run(args, cfg.general.secrets)
    if args.command == "sim":
        import asyncio

        from .sim import cli as sim_cli

        return asyncio.run(sim_cli.run(args))
    return _console(cfg, demo=args.demo)


def _lookup(query: str, limit: int) -> int:
    from .domain.instruments import load_default
    from .domain.krx import format_krw

    results = load_default().search(query, limit=limit)
    if not results:
        print(f"'{query}': no instrument found", file=sys.stderr)
        return 1
    for inst in results:
        print(f"{inst.code}  {inst.isin}  {inst.market.value:<6} {inst.kind.value:<5} "
              f"{format_krw(inst.base_price):>10}  {inst.name}  ({inst.name_en})")
    return 0


def log_path() -> Path:
    from platformdirs import user_log_path

    return Path(user_log_path("lucy", appauthor=False)) / "lucy.log"


def _console(cfg, *, demo: bool) -> int:
    from . import redact
    from .ui.app import LucyApp

    # The screen is the terminal: what goes wrong goes to a file, secrets and tokens masked.
    redact.log_to_file(log_path())

    profiles = None
    if cfg.general.environment != "demo" and not demo:
        from .profiles.store import ProfileStore
        from .secrets import Secrets
        from .ui.screens.login import stored_choices

        try:
            profiles = stored_choices(ProfileStore(), Secrets(cfg.general.secrets))
        except Exception as exc:      # a damaged profile store is reported, never a traceback
            print(f"lucy: cannot read the profiles: {exc}", file=sys.stderr)
            return 2
        if not profiles:
            print("lucy: no profile yet. Add one with `lucy profile add NAME --account "
                  "kis:50123456-01:fundA ...` (see `lucy profile add --help`), or run `lucy --demo`.",
                  file=sys.stderr)
            return 2
    LucyApp(cfg, profiles=profiles).run()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
