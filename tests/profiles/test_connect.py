import pytest

from lucy_tui.profiles import Profile, ProfileError, parse_account
from lucy_tui.profiles.connect import broker_settings
from lucy_tui.secrets import SecretNotSet, Secrets, SecretsUnavailable


def profile(**kw) -> Profile:
    return Profile("desk", accounts=(parse_account("kis:50123456-01:fundA"),
                                     parse_account("ls:55501234501:fundB")), **kw)


async def test_settings_come_from_the_profile_and_the_keyring(memory_keyring):
    s = Secrets()
    s.set("desk", "kis", "PSkisKEY0001", "kisSECRET0001")
    s.set("desk", "ls", "LSkey0000001", "lsSECRET00001")
    p = profile(hts_ids=(("kis", "myhts"),), environments=(("ls", "real"),))
    out = await broker_settings(p, s, {"kis": {"rest_url": "http://127.0.0.1:1"}})
    kis, ls = out["kis"], out["ls"]
    assert (kis.app_key, kis.hts_id, kis.env, kis.allow_real) == ("PSkisKEY0001", "myhts", "mock", False)
    assert kis.accounts[0].label == "fundA" and kis.rest_base == "http://127.0.0.1:1"
    assert (ls.app_secret, ls.env, ls.allow_real) == ("lsSECRET00001", "real", True)
    assert "kisSECRET0001" not in repr(kis)


async def test_no_keyring_stops_before_any_session(no_keyring):
    with pytest.raises(SecretsUnavailable):
        await broker_settings(profile(hts_ids=(("kis", "h"),)), Secrets())


async def test_missing_secret_and_hts_id(memory_keyring):
    s = Secrets()
    with pytest.raises(SecretNotSet, match="set-secret desk kis"):
        await broker_settings(profile(hts_ids=(("kis", "h"),)), s)
    s.set("desk", "kis", "PSkisKEY0001", "kisSECRET0001")
    with pytest.raises(ProfileError, match="--hts kis=YOUR_ID"):
        await broker_settings(profile(), s)


def test_kis_account_numbers_are_checked_when_entered():
    assert parse_account("kis:5012345601").text() == "kis:50123456-01:kis3456"
    with pytest.raises(ProfileError, match="8-digit"):
        parse_account("kis:1234567")
