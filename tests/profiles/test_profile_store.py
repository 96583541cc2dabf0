import asyncio
import stat
import time

import pytest

from lucy_tui.profiles import (
    LockedOut, Profile, ProfileError, ProfileExists, ProfileNotFound, ProfileStore,
    RealNeedsConfirmation, WrongPassword, parse_account,
)
from lucy_tui.profiles import passwords


class Clock:
    def __init__(self):
        self.t = 1_000_000.0

    def __call__(self):
        return self.t


def test_crud_and_persistence(tmp_path):
    path = tmp_path / "p.json"
    store = ProfileStore(path)
    store.add(Profile("main", accounts=(parse_account("kis:12345678:fundA"),)))
    store.add(Profile("backup"))
    assert store.names() == ["backup", "main"]
    with pytest.raises(ProfileExists):
        store.add(Profile("MAIN"))
    store.add(Profile("my_desk"))
    with pytest.raises(ProfileExists):      # it would share my_desk's LUCY_MY_DESK_ variables
        store.add(Profile("My-Desk"))
    changed = store.get("Main").with_hts_id("kis", "hts9")
    store.update(changed)
    store.remove("backup")
    store.close()
    again = ProfileStore(path)
    assert again.names() == ["main", "my_desk"]
    assert again.get("main").hts_id("kis") == "hts9"
    with pytest.raises(ProfileNotFound, match="profiles: main, my_desk"):
        again.get("nobody")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_default_path_is_in_the_user_data_dir(tmp_path):
    store = ProfileStore()
    assert store.path == tmp_path / "data" / "lucy" / "profiles.json"


def test_real_needs_confirmation_on_add_and_on_switch(tmp_path):
    store = ProfileStore(tmp_path / "p.json")
    with pytest.raises(RealNeedsConfirmation, match="REAL money with kis"):
        store.add(Profile("r", environments=(("kis", "real"),)))
    assert store.names() == []
    store.add(Profile("r", environments=(("kis", "real"),)), confirm_real=True)
    store.add(Profile("m"))
    with pytest.raises(RealNeedsConfirmation) as info:
        store.update(store.get("m").with_environment("ls", "real"))
    assert info.value.brokers == ("ls",) and not store.get("m").is_real
    store.update(store.get("m").with_environment("ls", "real"), confirm_real=True)
    assert store.get("m").is_real
    # Already real: other edits need no new confirmation; going back to mock never does.
    store.update(store.get("r").with_hts_id("kis", "x"))
    store.update(store.get("r").with_environment("kis", "mock"))
    assert not store.get("r").is_real


def test_password_is_a_salted_scrypt_hash_and_is_kept_by_updates(tmp_path):
    store = ProfileStore(tmp_path / "p.json")
    store.add(Profile("a"))
    store.add(Profile("b"))
    store.set_password("a", "hunter2")
    store.set_password("b", "hunter2")
    ha, hb = store.get("a").password_hash, store.get("b").password_hash
    assert ha.startswith("scrypt$") and ha != hb and "hunter2" not in (tmp_path / "p.json").read_text()
    store.update(Profile("a"))          # a form without the hash does not clear it
    assert store.get("a").password_hash == ha
    assert store.verify_password("a", "hunter2").name == "a"
    store.set_password("a", None)
    assert store.verify_password("a", "anything").name == "a"
    with pytest.raises(ValueError):
        passwords.hash_password("")


def test_lockout_grows_and_survives_a_restart(tmp_path):
    clock = Clock()
    store = ProfileStore(tmp_path / "p.json", now=clock)
    store.add(Profile("a"))
    store.set_password("a", "right")
    for left in (2, 1):
        with pytest.raises(WrongPassword) as info:
            store.verify_password("a", "wrong")
        assert info.value.attempts_left == left and info.value.wait == 0
    with pytest.raises(WrongPassword, match="locked for 5 s"):
        store.verify_password("a", "wrong")
    # Locked: even the right password is not checked.
    with pytest.raises(LockedOut, match="try again in 5 s") as info:
        store.verify_password("a", "right")
    assert info.value.wait == pytest.approx(5)
    store.close()
    store = ProfileStore(tmp_path / "p.json", now=clock)
    clock.t += 3
    with pytest.raises(LockedOut, match="in 2 s"):
        store.verify_password("a", "right")
    clock.t += 2.5
    with pytest.raises(WrongPassword, match="locked for 10 s"):
        store.verify_password("a", "wrong")
    clock.t += 10.5
    assert store.verify_password("a", "right").name == "a"
    assert store.locked_for("a") == 0
    with pytest.raises(WrongPassword) as info:     # success reset the count
        store.verify_password("a", "wrong")
    assert info.value.attempts_left == 2


def test_wait_is_capped():
    assert passwords.wait_after(2) == 0
    assert passwords.wait_after(3) == passwords.FIRST_WAIT
    assert passwords.wait_after(100) == passwords.MAX_WAIT


async def test_async_verification_does_not_stall_the_loop(tmp_path):
    store = ProfileStore(tmp_path / "p.json")
    store.add(Profile("a"))
    await store.aset_password("a", "pw")
    gaps = []

    async def ticker():
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0.02)
    started = time.perf_counter()
    for _ in range(3):
        assert (await store.averify_password("a", "pw")).name == "a"
    hashing = time.perf_counter() - started
    task.cancel()
    assert hashing > 0.05                      # scrypt did real work...
    assert max(gaps) < 0.05                    # ...but not on the loop


def test_damaged_file_is_a_clear_error(tmp_path):
    path = tmp_path / "p.json"
    path.write_text("{not json")
    with pytest.raises(ProfileError, match="not a readable profile store"):
        ProfileStore(path)


async def test_async_writes(tmp_path):
    store = ProfileStore(tmp_path / "p.json")
    await store.aadd(Profile("a"))
    with pytest.raises(RealNeedsConfirmation):
        await store.aupdate(Profile("a", environments=(("kis", "real"),)))
    await store.aupdate(Profile("a", environments=(("kis", "real"),)), confirm_real=True)
    assert store.get("a").is_real
    await store.aremove("a")
    assert store.names() == []
