import subprocess
import sys

import pytest

from lucy_tui import __version__
from lucy_tui.cli import main


def run(*args):
    return subprocess.run([sys.executable, "-m", "lucy_tui.cli", *args],
                          capture_output=True, text=True, timeout=60)


def test_version():
    out = run("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"lucy {__version__}"


def test_help_names_the_commands_and_the_config_file():
    out = run("--help")
    assert out.returncode == 0
    for word in ("lookup", "--config", "--demo", "config.toml", "demo mode"):
        assert word in out.stdout


def test_broken_config_is_one_clear_message_and_nothing_starts(tmp_path, capsys):
    bad = tmp_path / "config.toml"
    bad.write_text('[demo]\nseed = "x"\n')
    assert main(["--config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "line 2: demo.seed" in err and "Traceback" not in err


def test_missing_explicit_config(tmp_path, capsys):
    assert main(["--config", str(tmp_path / "none.toml")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_real_environment_without_a_profile_says_how_to_add_one(tmp_path, capsys):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[general]\nenvironment = "real"\n')
    assert main(["--config", str(cfg)]) == 2
    err = capsys.readouterr().err
    assert "lucy profile add" in err and "--demo" in err


@pytest.mark.parametrize("query,code", [("005930", "005930"), ("ㅅㅅㅈㅈ", "005930"),
                                        ("삼성전자", "005930"), ("naver", "035420")])
def test_lookup(query, code, capsys):
    assert main(["lookup", query]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(code)


def test_lookup_nothing_found(capsys):
    assert main(["lookup", "zzzzqqq"]) == 1
    assert "no instrument found" in capsys.readouterr().err
