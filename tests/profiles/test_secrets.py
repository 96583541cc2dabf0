import pytest

from lucy_tui import redact
from lucy_tui.secrets import (
    Credentials, SecretNotSet, Secrets, SecretsError, SecretsUnavailable, env_names,
)
from support.keyring import BrokenKeyring, installed_keyring


def test_keyring_round_trip_one_entry_per_profile_and_broker(memory_keyring):
    s = Secrets()
    s.set("main", "kis", "PSkeyAAAA1111", "secretBBBB2222")
    s.set("main", "ls", "LSkeyCCCC3333", "secretDDDD4444")
    assert s.get("main", "kis") == Credentials("PSkeyAAAA1111", "secretBBBB2222")
    assert s.get("main", "ls").app_secret == "secretDDDD4444"
    assert sorted(memory_keyring.entries) == [("lucy", "main/kis"), ("lucy", "main/ls")]
    assert s.has("main", "kis") and not s.has("other", "kis")
    s.delete("main", "kis")
    s.delete("main", "kis")               # deleting what is not there is no error
    with pytest.raises(SecretNotSet, match="lucy profile set-secret main kis"):
        s.get("main", "kis")


def test_credentials_never_print_themselves():
    c = Credentials("PSkeyAAAA1111", "secretBBBB2222")
    assert "secretBBBB2222" not in repr(c) and "PSkeyAAAA1111" not in str(c)


def test_values_handed_out_are_registered_for_redaction(memory_keyring):
    s = Secrets()
    s.set("main", "kis", "PSkeyAAAA1111", "secretBBBB2222")
    redact.forget_all()
    s.get("main", "kis")
    assert redact.redact("key PSkeyAAAA1111 secret secretBBBB2222") == "key «redacted» secret «redacted»"


def test_missing_keyring_names_the_remedies_and_stores_nothing(no_keyring, tmp_path):
    s = Secrets()
    for call in (lambda: s.get("main", "kis"), lambda: s.set("main", "kis", "k" * 10, "s" * 10),
                 lambda: s.delete("main", "kis"), s.backend_name):
        with pytest.raises(SecretsUnavailable) as info:
            call()
        message = str(info.value)
        for remedy in ("keyrings.alt", "Secret Service", 'secrets = "env"',
                       "LUCY_<PROFILE>_<BROKER>_APPKEY", "never stores them in a plain file"):
            assert remedy in message


def test_a_failing_backend_is_unavailable_too():
    with installed_keyring(BrokenKeyring()):
        with pytest.raises(SecretsUnavailable, match="locked"):
            Secrets().get("main", "kis")


def test_env_mode_is_opt_in_and_reads_the_named_variables(no_keyring):
    environ = {"LUCY_MY_DESK_KIS_APPKEY": "PSenvKEY0001", "LUCY_MY_DESK_KIS_APPSECRET": "envSECRET0001"}
    s = Secrets("env", environ=environ)
    assert s.get("my-desk", "kis") == Credentials("PSenvKEY0001", "envSECRET0001")
    assert env_names("main", "ls") == ("LUCY_MAIN_LS_APPKEY", "LUCY_MAIN_LS_APPSECRET")
    with pytest.raises(SecretNotSet, match="LUCY_MY_DESK_LS_APPKEY and LUCY_MY_DESK_LS_APPSECRET are not set"):
        s.get("my-desk", "ls")
    with pytest.raises(SecretsError, match="stores nothing"):
        s.set("my-desk", "kis", "a" * 10, "b" * 10)
    # The default mode never looks at the environment, even when the variables are there.
    with pytest.raises(SecretsUnavailable):
        Secrets(environ=environ).get("my-desk", "kis")
    with pytest.raises(SecretsError, match="'keyring', 'env'"):
        Secrets("file")


async def test_async_calls(memory_keyring):
    s = Secrets()
    await s.aset("main", "kis", "PSkeyAAAA1111", "secretBBBB2222")
    assert (await s.aget("main", "kis")).app_key == "PSkeyAAAA1111"
    assert await s.ahas("main", "kis")
    await s.adelete("main", "kis")
    assert not await s.ahas("main", "kis")
