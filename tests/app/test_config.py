import dataclasses
import re
from datetime import date, time
from pathlib import Path

import pytest

from lucy_tui import config

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"


def test_example_file_parses_to_the_defaults():
    assert config.parse(EXAMPLE.read_text()) == config.Config()


def test_example_documents_every_key_of_every_section():
    text = EXAMPLE.read_text()
    for name, cls in config.SECTIONS.items():
        assert f"[{name}]" in text
        for f in dataclasses.fields(cls):
            assert re.search(rf"^{f.name}\s*=", text, re.M), f"{name}.{f.name} missing from example"


def test_missing_default_file_gives_defaults(tmp_path):
    assert config.load(tmp_path / "nope.toml") == config.Config()


def test_missing_explicit_file_is_an_error(tmp_path):
    with pytest.raises(config.ConfigError, match="file not found"):
        config.load(tmp_path / "nope.toml", must_exist=True)


def test_values_are_typed(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text('[demo]\nseed = 7\nsession = "krx"\n[market]\nnxt_main_start = "09:00:30"\n'
                 'csat_days = ["2026-11-19"]\netf_fine_ticks_from = 2023-12-08\n')
    c = config.load(p)
    assert c.demo.seed == 7 and c.demo.session == "krx"
    assert c.market.nxt_main_start == time(9, 0, 30)
    assert c.market.csat_days == (date(2026, 11, 19),)
    assert c.market.etf_fine_ticks_from == date(2023, 12, 8)
    assert c.path == p


BROKEN = [
    ("[demo\nseed = 1\n", ["not valid TOML", "line 1"]),
    ("[demo]\nseed = \"seven\"\n", ["line 2: demo.seed", "expected a whole number"]),
    ("[demo]\nsession = \"sometimes\"\n", ["line 2: demo.session", "'always', 'krx'"]),
    ("[general]\nenvironment = \"prod\"\n", ["general.environment", "'demo', 'mock', 'real'"]),
    ("[demo]\nseeed = 1\n", ["line 2: demo.seeed: unknown key", "seed"]),
    ("[brokers]\nx = 1\n", ["line 1: unknown section [brokers]"]),
    ("[market]\ncsat_days = \"2026-11-19\"\n", ["market.csat_days", "expected a list"]),
    ("[market]\nnxt_main_start = 9\n", ["market.nxt_main_start", "expected a time"]),
    ("[demo]\nmarket_interval = -1\n", ["demo.market_interval", "positive"]),
    ("demo = 3\n", ["line 1", "must be a section"]),
]


@pytest.mark.parametrize("text,expected", BROKEN)
def test_broken_files_name_file_line_key_and_expectation(tmp_path, text, expected):
    p = tmp_path / "config.toml"
    p.write_text(text)
    with pytest.raises(config.ConfigError) as info:
        config.load(p)
    message = str(info.value)
    assert str(p) in message
    for part in expected:
        assert part in message


def test_all_problems_are_reported_at_once():
    with pytest.raises(config.ConfigError) as info:
        config.parse('[demo]\nseed = "x"\nbogus = 1\n[general]\nenvironment = 3\n')
    assert len(info.value.problems) == 3


def test_market_rules_reach_the_domain():
    from datetime import datetime

    from lucy_tui.clock import KST
    from lucy_tui.domain import calendar, krx
    from lucy_tui.domain.model import InstrumentKind, Venue

    c = config.parse('[market]\netf_fine_ticks_from = 2023-12-08\ncsat_days = [2026-11-19]\n'
                     'nxt_main_start = "09:00:30"\n')
    try:
        config.apply_market_rules(c.market)
        assert krx.tick_size(1_500, InstrumentKind.ETF, on=date(2023, 12, 10)) == 1
        assert calendar.session_at(datetime(2026, 11, 19, 9, 30, tzinfo=KST)) is calendar.Phase.OPENING_AUCTION
        nxt_open = datetime(2026, 11, 24, 9, 0, 15, tzinfo=KST)
        assert calendar.session_at(nxt_open, Venue.NXT) is not calendar.Phase.CONTINUOUS
    finally:
        config.apply_market_rules(config.MarketConfig())
    assert krx.tick_size(1_500, InstrumentKind.ETF, on=date(2023, 12, 10)) == 5
    assert calendar.session_at(datetime(2026, 11, 24, 9, 0, 15, tzinfo=KST), Venue.NXT) is calendar.Phase.CONTINUOUS


def test_nxt_start_before_nine_is_refused():
    c = config.parse('[market]\nnxt_main_start = "08:59"\n')
    with pytest.raises(config.ConfigError, match="before 09:00"):
        config.apply_market_rules(c.market)
