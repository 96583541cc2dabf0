"""Profiles on disk: one TinyDB file (``profiles.json`` under the user data dir), one document
per profile, plus the failed-password counts so a restart does not reset the back-off.

Costs measured on this machine (2 cores) with 20 profiles of 10 accounts each (21 kB): ``get``
0.3 ms and ``list`` 2 ms, so reads may run on the event loop; ``add``/``update`` rewrite the
file, 7-9 ms, and scrypt costs 90-230 ms. So code on the event loop writes and hashes through
the ``a``-methods (:meth:`ProfileStore.aadd`, :meth:`~ProfileStore.aupdate`,
:meth:`~ProfileStore.aremove`, :meth:`~ProfileStore.averify_password`,
:meth:`~ProfileStore.aset_password`), which run in a worker thread. A lock serialises the store
so those threads and the loop never interleave a read-modify-write.
"""

from __future__ import annotations

import asyncio
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from tinydb import Query, TinyDB

from . import passwords
from .model import Profile, ProfileError, check_name, from_doc, to_doc


class ProfileNotFound(ProfileError):
    pass


class ProfileExists(ProfileError):
    pass


class RealNeedsConfirmation(ProfileError):
    """The change puts real money at stake: save it again with ``confirm_real=True`` once the
    user has said yes."""

    def __init__(self, name: str, brokers: tuple[str, ...]):
        self.name, self.brokers = name, brokers
        super().__init__(f"profile {name!r} would trade REAL money with {', '.join(brokers)}: "
                         "this needs an explicit confirmation")


class WrongPassword(ProfileError):
    def __init__(self, name: str, attempts_left: int, wait: float):
        self.name, self.attempts_left, self.wait = name, attempts_left, wait
        if wait > 0:
            tail = f"locked for {wait:.0f} s"
        else:
            tail = f"{attempts_left} more before a wait"
        super().__init__(f"wrong password for profile {name!r} ({tail})")


class LockedOut(ProfileError):
    """Too many wrong passwords: ``wait`` seconds before the next attempt is even checked."""

    def __init__(self, name: str, wait: float):
        self.name, self.wait = name, wait
        super().__init__(f"profile {name!r} is locked after repeated wrong passwords: try again "
                         f"in {max(1, round(wait))} s")


def default_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("lucy", appauthor=False) / "profiles.json"


def _slot(name: str) -> str:
    """Names that would share keyring entries or LUCY_<PROFILE>_ variables are one name."""
    return re.sub(r"[^a-z0-9]", "_", name.lower())


class ProfileStore:
    def __init__(self, path: Path | None = None, *, now: Callable[[], float] = time.time):
        self.path = Path(path) if path is not None else default_path()
        self._now = now
        self._lock = threading.RLock()
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not self.path.exists():
            # Password hashes are nobody else's business either.
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
        try:
            self._db = TinyDB(self.path, encoding="utf-8", ensure_ascii=False, indent=1)
            self._profiles = self._db.table("profiles")
            self._failures = self._db.table("failures")
            self._profiles.all()
        except ValueError as exc:     # JSONDecodeError: a damaged file
            raise ProfileError(f"{self.path}: not a readable profile store ({exc}); move it "
                               "away to start afresh") from None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # ------------------------------------------------------------------ reading

    def list(self) -> list[Profile]:
        with self._lock:
            docs = self._profiles.all()
        return sorted((from_doc(d) for d in docs), key=lambda p: p.name.lower())

    def names(self) -> list[str]:
        return [p.name for p in self.list()]

    def get(self, name: str) -> Profile:
        with self._lock:
            doc = self._find(name)
        return from_doc(doc)

    def _find(self, name: str) -> dict:
        slot = _slot(name)
        for doc in self._profiles.all():
            if _slot(doc.get("name", "")) == slot:
                return doc
        known = ", ".join(sorted(d.get("name", "?") for d in self._profiles.all())) or "none yet"
        raise ProfileNotFound(f"no profile named {name!r} (profiles: {known})")

    # ------------------------------------------------------------------ writing

    def add(self, profile: Profile, *, confirm_real: bool = False) -> Profile:
        with self._lock:
            try:
                existing = self._find(profile.name)
            except ProfileNotFound:
                pass
            else:
                raise ProfileExists(f"profile {existing['name']!r} already exists")
            if profile.is_real and not confirm_real:
                raise RealNeedsConfirmation(profile.name, profile.real_brokers)
            self._profiles.insert(to_doc(profile))
        return profile

    def update(self, profile: Profile, *, confirm_real: bool = False) -> Profile:
        """Replace the stored profile of the same name. The password hash is kept from the
        store (change it with :meth:`set_password`), so a form cannot clear it by accident."""
        with self._lock:
            doc = self._find(profile.name)
            old = from_doc(doc)
            profile = replace(profile, name=old.name, password_hash=old.password_hash)
            newly_real = old.switches_to_real(profile)
            if newly_real and not confirm_real:
                raise RealNeedsConfirmation(old.name, newly_real)
            self._profiles.update(to_doc(profile), doc_ids=[doc.doc_id])
        return profile

    def remove(self, name: str) -> Profile:
        with self._lock:
            doc = self._find(name)
            self._profiles.remove(doc_ids=[doc.doc_id])
            self._failures.remove(Query().name == doc["name"])
        return from_doc(doc)

    # ------------------------------------------------------------------ passwords

    def set_password(self, name: str, password: str | None) -> Profile:
        """Set, change (or with None, remove) the password. Hashing blocks ~90 ms: use
        :meth:`aset_password` on the event loop."""
        hashed = passwords.hash_password(password) if password is not None else None
        with self._lock:
            doc = self._find(name)
            self._profiles.update({"password": hashed}, doc_ids=[doc.doc_id])
            self._failures.remove(Query().name == doc["name"])
        return self.get(name)

    def locked_for(self, name: str) -> float:
        """Seconds before ``name`` accepts another password attempt (0 when it does now)."""
        with self._lock:
            rec = self._failures.get(Query().name == check_name(name))
        if not rec:
            return 0.0
        return max(0.0, rec["until"] - self._now())

    def verify_password(self, name: str, password: str) -> Profile:
        """The profile if ``password`` opens it (a profile without one always opens).

        Raises :class:`LockedOut` (with ``wait``) while locked — the password is not even
        checked then — and :class:`WrongPassword` on a miss. Nothing here sleeps: the caller
        shows the wait, so the event loop never stalls. Hashing blocks ~90 ms: use
        :meth:`averify_password` on the event loop."""
        profile = self.get(name)
        if profile.password_hash is None:
            return profile
        wait = self.locked_for(profile.name)
        if wait > 0:
            raise LockedOut(profile.name, wait)
        ok = passwords.check_password(password, profile.password_hash)
        with self._lock:
            q = Query().name == profile.name
            if ok:
                self._failures.remove(q)
                return profile
            rec = self._failures.get(q) or {"name": profile.name, "count": 0, "until": 0.0}
            count = rec["count"] + 1
            wait = passwords.wait_after(count)
            self._failures.upsert({"name": profile.name, "count": count,
                                   "until": self._now() + wait}, q)
        raise WrongPassword(profile.name, max(0, passwords.FREE_ATTEMPTS - count), wait)

    async def aadd(self, profile: Profile, *, confirm_real: bool = False) -> Profile:
        return await asyncio.to_thread(self.add, profile, confirm_real=confirm_real)

    async def aupdate(self, profile: Profile, *, confirm_real: bool = False) -> Profile:
        return await asyncio.to_thread(self.update, profile, confirm_real=confirm_real)

    async def aremove(self, name: str) -> Profile:
        return await asyncio.to_thread(self.remove, name)

    async def averify_password(self, name: str, password: str) -> Profile:
        return await asyncio.to_thread(self.verify_password, name, password)

    async def aset_password(self, name: str, password: str | None) -> Profile:
        return await asyncio.to_thread(self.set_password, name, password)
