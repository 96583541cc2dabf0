"""``config.toml`` → typed, frozen settings.

Every section is a dataclass whose fields are the keys, their types and defaults, so the schema
lives in one place: :data:`SECTIONS`. A broken file never half-loads: every problem is collected
and reported at once with the file, the line and the key, and what was expected.
``config.example.toml`` documents every key; a test keeps the two in step.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
import types
import typing
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path

ENVIRONMENTS = ("demo", "mock", "real")
SESSION_MODES = ("always", "krx")
SECRET_SOURCES = ("keyring", "env")


@dataclass(frozen=True)
class GeneralConfig:
    #: demo: built-in simulators; mock: the brokers' paper-trading hosts; real: real money.
    environment: str = "demo"
    #: Where broker app keys and secrets come from: "keyring" (the OS keyring) or "env"
    #: (LUCY_<PROFILE>_<BROKER>_APPKEY / _APPSECRET environment variables, opt-in only).
    secrets: str = "keyring"


@dataclass(frozen=True)
class DemoConfig:
    #: Seed of the simulated market: the same seed gives the same prices and fills.
    seed: int = 0
    #: "always": the simulated exchange trades around the clock; "krx": it follows KRX hours.
    session: str = "always"
    #: Seconds between steps of the synthetic market.
    market_interval: float = 0.1


@dataclass(frozen=True)
class MarketConfig:
    #: First day of the 1-won ETF/ETN tick below 2,000 won (reported as 12-08 and 12-18).
    etf_fine_ticks_from: date = date(2023, 12, 18)
    #: CSAT (수능) days, when KRX opens and closes an hour late. 2026 is not yet confirmed.
    csat_days: tuple[date, ...] = (date(2025, 11, 13), date(2026, 11, 19))
    #: NXT main-market start (09:00:30 is widely quoted but unverified).
    nxt_main_start: time = time(9, 0)


@dataclass(frozen=True)
class ScheduleConfig:
    #: KST times of the IPO calendar refresh (38.co.kr + KIS), on trading days.
    ipo_refresh: tuple[time, ...] = (time(7, 30), time(18, 0))
    #: KST times of the judal theme snapshot (after the close), on trading days.
    judal_snapshot: tuple[time, ...] = (time(16, 10),)
    #: KST times of the KIS/LS instrument master refresh (before the open), on trading days.
    master_refresh: tuple[time, ...] = (time(8, 0),)
    #: Minutes between checks that renew broker tokens close to expiry.
    token_check_minutes: int = 10


@dataclass(frozen=True)
class UiConfig:
    #: A Textual theme name (e.g. "textual-dark", "nord", "gruvbox", "textual-light").
    theme: str = "textual-dark"
    #: Ring the terminal bell on fills and alerts.
    bell: bool = False
    #: Lines the fill tape keeps in memory (older lines stay in the journal).
    tape_lines: int = 50_000


@dataclass(frozen=True)
class Config:
    general: GeneralConfig = field(default_factory=GeneralConfig)
    demo: DemoConfig = field(default_factory=DemoConfig)
    market: MarketConfig = field(default_factory=MarketConfig)
    ui: UiConfig = field(default_factory=UiConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    #: Binding id → keys ("f2" or "f2,ctrl+t"); the ids are listed by the help screen (F1).
    keymap: dict[str, str] = field(default_factory=dict)
    path: Path | None = None


SECTIONS: dict[str, type] = {"general": GeneralConfig, "demo": DemoConfig, "market": MarketConfig,
                             "ui": UiConfig, "schedule": ScheduleConfig}
#: Sections whose keys are the user's own names (checked by whoever knows them: the keymap's ids
#: by the console, which owns the bindings).
FREE_SECTIONS = ("keymap",)
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("general", "environment"): ENVIRONMENTS,
    ("general", "secrets"): SECRET_SOURCES,
    ("demo", "session"): SESSION_MODES,
}


class ConfigError(ValueError):
    """Everything wrong with one config file, each problem on its own line."""

    def __init__(self, path: Path | None, problems: list[str]):
        self.path, self.problems = path, problems
        where = str(path) if path else "config"
        super().__init__(f"{where}: " + "\n  ".join(problems) if len(problems) == 1
                         else f"{where}: {len(problems)} problems\n  " + "\n  ".join(problems))


def default_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path("lucy", appauthor=False) / "config.toml"


def load(path: Path | None = None, *, must_exist: bool = False) -> Config:
    """Read ``path`` (or the default location); a missing default file gives the defaults."""
    path = Path(path) if path is not None else default_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if must_exist:
            raise ConfigError(path, ["file not found"]) from None
        return Config(path=None)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, [f"cannot be read: {exc}"]) from None
    return parse(text, path)


def parse(text: str, path: Path | None = None) -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, [f"not valid TOML: {exc}"]) from None
    problems: list[str] = []
    sections = {}
    for name, value in data.items():
        if name in FREE_SECTIONS and isinstance(value, dict):
            sections[name] = _free_section(name, value, text, problems)
        elif name not in SECTIONS:
            problems.append(f"line {_line_of(text, None, name)}: unknown section [{name}]"
                            f" (known: {', '.join((*SECTIONS, *FREE_SECTIONS))})")
        elif not isinstance(value, dict):
            problems.append(f"line {_line_of(text, None, name)}: '{name}' must be a section ([{name}])")
        else:
            sections[name] = _section(name, value, text, problems)
    if problems:
        raise ConfigError(path, problems)
    return Config(path=path, **sections)


def _section(name: str, values: dict, text: str, problems: list[str]):
    cls = SECTIONS[name]
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    kwargs = {}
    for key, raw in values.items():
        where = f"line {_line_of(text, name, key)}: {name}.{key}"
        if key not in known:
            problems.append(f"{where}: unknown key (known: {', '.join(sorted(known))})")
            continue
        try:
            value = _coerce(raw, hints[key])
        except (TypeError, ValueError) as exc:
            problems.append(f"{where}: {exc}")
            continue
        choices = CHOICES.get((name, key))
        if choices and value not in choices:
            problems.append(f"{where}: expected one of {', '.join(map(repr, choices))}, got {raw!r}")
            continue
        kwargs[key] = value
    return cls(**kwargs)


def _free_section(name: str, values: dict, text: str, problems: list[str]) -> dict[str, str]:
    out = {}
    for key, raw in values.items():
        if not isinstance(raw, str) or not raw.strip():
            problems.append(f"line {_line_of(text, name, key)}: {name}.{key}: expected keys as a "
                            f"string like \"f2\" or \"f2,ctrl+t\", got {_kind(raw)}")
        else:
            out[key] = raw.strip()
    return out


def _coerce(raw, hint):
    origin = typing.get_origin(hint)
    if origin is tuple:
        item = typing.get_args(hint)[0]
        if not isinstance(raw, list):
            raise TypeError(f"expected a list, got {_kind(raw)}")
        return tuple(_coerce(x, item) for x in raw)
    if origin in (typing.Union, types.UnionType):
        raise TypeError("internal: unions are not config types")
    if hint is bool:
        if not isinstance(raw, bool):
            raise TypeError(f"expected true or false, got {_kind(raw)}")
        return raw
    if hint is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise TypeError(f"expected a whole number, got {_kind(raw)}")
        return raw
    if hint is float:
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise TypeError(f"expected a number, got {_kind(raw)}")
        if raw <= 0:
            raise ValueError(f"expected a positive number, got {raw}")
        return float(raw)
    if hint is str:
        if not isinstance(raw, str):
            raise TypeError(f"expected a string, got {_kind(raw)}")
        return raw
    if hint in (date, time):
        if isinstance(raw, hint):
            return raw
        if isinstance(raw, str):
            try:
                return hint.fromisoformat(raw)
            except ValueError:
                pass
        example = "2026-01-02" if hint is date else '"09:00"'
        raise TypeError(f"expected a {hint.__name__} like {example}, got {raw!r}")
    raise TypeError(f"internal: unsupported config type {hint}")


def _kind(raw) -> str:
    return {bool: "true/false", int: "a number", float: "a number", str: "a string",
            list: "a list", dict: "a table"}.get(type(raw), type(raw).__name__) + f" ({raw!r})"


def _line_of(text: str, section: str | None, key: str) -> int | str:
    """The line of ``key`` inside ``[section]`` (or of the section header itself)."""
    current = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        header = re.match(r"\[\s*([^\]\s]+)\s*\]", stripped)
        if header:
            current = header.group(1)
            if section is None and current == key:
                return number
            continue
        if current == section and re.match(rf"{re.escape(key)}\s*=", stripped):
            return number
        if section is None and current is None and re.match(rf"{re.escape(key)}\s*=", stripped):
            return number
    return "?"


def apply_market_rules(market: MarketConfig) -> None:
    """Make the unverified KRX facts the config overrides take effect in the domain rules."""
    from datetime import datetime, timedelta

    from .domain import calendar, krx

    krx.set_etp_fine_ticks_from(market.etf_fine_ticks_from)
    calendar.set_csat_days(market.csat_days)
    delay = (datetime.combine(date.min, market.nxt_main_start)
             - datetime.combine(date.min, time(9, 0)))
    if delay < timedelta(0):
        raise ConfigError(None, [f"market.nxt_main_start: {market.nxt_main_start} is before 09:00"])
    calendar.set_nxt_open_delay(delay)
