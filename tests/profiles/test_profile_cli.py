"""``lucy profile …`` end to end through cli.main, with the hidden prompts scripted."""

import subprocess
import sys

import pytest

from lucy_tui.cli import main
from lucy_tui.profiles import ProfileStore
from lucy_tui.profiles import cli as profile_cli
from lucy_tui.secrets import Secrets


@pytest.fixture
def prompts(monkeypatch):
    """Answers for getpass (hidden) and input (visible), in order; records what was asked."""
    hidden, visible, asked = [], [], []

    def fake_getpass(prompt=""):
        asked.append(prompt)
        if not hidden:
            raise EOFError
        return hidden.pop(0)

    def fake_input(prompt=""):
        asked.append(prompt)
        if not visible:
            raise EOFError
        return visible.pop(0)

    monkeypatch.setattr(profile_cli, "getpass", fake_getpass)
    monkeypatch.setattr("builtins.input", fake_input)
    return hidden, visible, asked


def lucy(*args):
    return main(["profile", *args])


def test_add_list_edit_remove(memory_keyring, prompts, capsys):
    assert lucy("add", "main", "--account", "kis:12345678-01:fundA:Alpha Fund",
                "--account", "ls:555566667777:fundB", "--plan", "core=fundA:60,fundB:40",
                "--hts", "kis=myhts", "--max-qty", "5,000", "--max-value", "100000000",
                "--confirm-above", "20000000") == 0
    assert "lucy profile set-secret main kis" in capsys.readouterr().out
    p = ProfileStore().get("main")
    assert [a.label for a in p.accounts] == ["fundA", "fundB"] and p.limits.max_qty == 5000
    assert p.engine_plans()[0].name == "core" and p.hts_id("kis") == "myhts"

    assert lucy("list") == 0
    out = capsys.readouterr().out
    for words in ("main  kis=mock ls=mock", "account kis:12345678-01:fundA:Alpha Fund",
                  "plan    core=fundA:60,fundB:40", "max qty 5,000", "confirm above 20,000,000 KRW", "kis     secret missing"):
        assert words in out, words

    assert lucy("edit", "main", "--remove-plan", "core", "--remove-account", "fundB",
                "--account", "kis:87654321-01:fundC", "--max-qty", "0") == 0
    p = ProfileStore().get("main")
    assert [a.label for a in p.accounts] == ["fundA", "fundC"] and p.plans == () and p.limits.max_qty == 0

    prompts[1].append("n")
    assert lucy("remove", "main") == 1
    assert ProfileStore().names() == ["main"]
    prompts[1].append("y")
    assert lucy("remove", "main") == 0
    assert ProfileStore().names() == []


def test_bad_input_is_one_clear_message(memory_keyring, prompts, capsys):
    assert lucy("add", "main", "--account", "kis:12ab") == 2
    err = capsys.readouterr().err
    assert "digits" in err and "Traceback" not in err
    assert lucy("add", "main", "--plan", "core=ghost:1") == 2
    assert "no account labelled 'ghost'" in capsys.readouterr().err
    assert lucy("edit", "nobody") == 2
    assert "no profile named 'nobody'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        lucy("add", "x", "--max-qty", "lots")
    assert "expected a whole number" in capsys.readouterr().err
    assert lucy("add", "x", "--env", "kis=paper") == 2
    assert "expected mock or real" in capsys.readouterr().err


def test_secrets_are_typed_hidden_never_arguments(memory_keyring, prompts, capsys):
    hidden, _, asked = prompts
    assert lucy("add", "main", "--account", "kis:12345678") == 0
    hidden += ["PSappKEY000111", "appSECRET000222"]
    assert lucy("set-secret", "main", "kis") == 0
    assert any("app secret" in a and "hidden" in a for a in asked)
    assert Secrets().get("main", "kis").app_secret == "appSECRET000222"
    out = capsys.readouterr()
    assert "appSECRET000222" not in out.out + out.err
    with pytest.raises(SystemExit):          # no argument takes a secret
        lucy("set-secret", "main", "kis", "appSECRET000222")
    assert lucy("list") == 0
    assert "kis     secret set" in capsys.readouterr().out
    # Removing the profile removes its keyring entries.
    assert lucy("remove", "main", "--yes") == 0
    assert memory_keyring.entries == {}


def test_set_secret_without_keyring_says_what_to_do_before_asking(no_keyring, prompts, capsys):
    hidden, _, asked = prompts
    assert lucy("add", "main") == 0
    assert lucy("set-secret", "main", "kis") == 2
    err = capsys.readouterr().err
    assert "keyrings.alt" in err and 'secrets = "env"' in err and "Traceback" not in err
    assert asked == []                     # nothing typed for nothing


def test_env_mode_set_secret_points_at_the_variables(tmp_path, no_keyring, prompts, capsys):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[general]\nsecrets = "env"\n')
    assert main(["--config", str(cfg), "profile", "add", "desk"]) == 0
    assert main(["--config", str(cfg), "profile", "set-secret", "desk", "ls"]) == 2
    err = capsys.readouterr().err
    assert "LUCY_DESK_LS_APPKEY" in err and "LUCY_DESK_LS_APPSECRET" in err


def test_switching_to_real_asks_for_the_profile_name(memory_keyring, prompts, capsys):
    _, visible, asked = prompts
    assert lucy("add", "main", "--account", "kis:12345678") == 0
    visible.append("yes")                    # not the name: refused
    assert lucy("edit", "main", "--env", "kis=real") == 1
    assert not ProfileStore().get("main").is_real
    assert "REAL MONEY" in capsys.readouterr().err
    assert lucy("edit", "main", "--env", "kis=real") == 1     # no answer at all: refused
    visible.append("main")
    assert lucy("edit", "main", "--env", "kis=real") == 0
    assert ProfileStore().get("main").is_real
    assert lucy("list") == 0
    assert "kis=REAL" in capsys.readouterr().out
    visible.append("live")
    assert lucy("add", "live", "--env", "ls=real") == 0
    assert ProfileStore().get("live").real_brokers == ("ls",)


def test_password_protects_edits_and_locks_out(memory_keyring, prompts, capsys):
    hidden, _, _ = prompts
    hidden += ["pw1", "pw1"]
    assert lucy("add", "main", "--password") == 0
    assert ProfileStore().get("main").has_password
    hidden += ["pw1"]
    assert lucy("edit", "main", "--hts", "kis=abc") == 0
    for _ in range(3):
        hidden.append("nope")
        assert lucy("edit", "main", "--hts", "kis=zzz") == 1
    assert "locked for 5 s" in capsys.readouterr().err
    hidden.append("pw1")
    assert lucy("edit", "main", "--hts", "kis=zzz") == 1
    assert "try again in" in capsys.readouterr().err
    assert ProfileStore().get("main").hts_id("kis") == "abc"
    hidden += ["a", "b"]
    assert lucy("add", "other", "--password") == 1
    assert "differ" in capsys.readouterr().err and "other" not in ProfileStore().names()


def test_help_lists_the_actions():
    out = subprocess.run([sys.executable, "-m", "lucy_tui.cli", "profile", "--help"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    for word in ("list", "add", "edit", "remove", "set-secret"):
        assert word in out.stdout
