"""The ``secrets`` key of [general], and more broken files: each names file, line, key and the
expectation."""

from pathlib import Path

import pytest

from lucy_tui import config

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"


def test_secrets_defaults_to_the_keyring_and_accepts_env():
    assert config.Config().general.secrets == "keyring"
    assert config.parse('[general]\nsecrets = "env"\n').general.secrets == "env"


def test_example_documents_the_secrets_key_and_its_remedy_variables():
    text = EXAMPLE.read_text()
    assert 'secrets = "keyring"' in text and "LUCY_<PROFILE>_<BROKER>_APPKEY" in text
    assert config.parse(text).general.secrets == "keyring"


BROKEN = [
    ('[general]\nsecrets = "file"\n', ["line 2: general.secrets", "'keyring', 'env'", "'file'"]),
    ('[general]\nsecrets = true\n', ["line 2: general.secrets", "expected a string"]),
    ('[general]\nenvironment = "demo"\nsecret = "env"\n',
     ["line 3: general.secret: unknown key", "secrets"]),
    ('# top\n\n[general]\n\n  secrets = "plain"\n', ["line 5: general.secrets", "'keyring', 'env'"]),
    ('[profiles]\nmain = 1\n', ["line 1: unknown section [profiles]", "general"]),
    ('[general]\nsecrets = "env"\n[general]\n', ["not valid TOML"]),
    ('[demo]\nseed = 1.5\n', ["line 2: demo.seed", "expected a whole number", "1.5"]),
    ('[market]\ncsat_days = [2026-11-19, "someday"]\n', ["line 2: market.csat_days", "expected a date"]),
]


@pytest.mark.parametrize("text,expected", BROKEN)
def test_broken_files(tmp_path, text, expected):
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(config.ConfigError) as info:
        config.load(path)
    message = str(info.value)
    assert message.startswith(str(path))
    for part in expected:
        assert part in message, (part, message)


def test_cli_reports_a_bad_secrets_key_and_does_nothing(tmp_path, capsys):
    from lucy_tui.cli import main

    path = tmp_path / "config.toml"
    path.write_text('[general]\nsecrets = "plaintext"\n')
    assert main(["--config", str(path), "profile", "list"]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "general.secrets" in err and "Traceback" not in err
