"""An in-memory keyring backend for tests, so no test ever reads or writes the user's."""

from __future__ import annotations

import contextlib

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self):
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.entries.get((service, username))

    def set_password(self, service, username, password):
        self.entries[(service, username)] = password

    def delete_password(self, service, username):
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError(f"no {service}/{username}")


class BrokenKeyring(MemoryKeyring):
    """A backend that exists but fails on use (D-Bus gone, collection locked)."""

    def get_password(self, service, username):
        raise keyring.errors.KeyringLocked("the collection is locked")

    set_password = delete_password = get_password


@contextlib.contextmanager
def installed_keyring(backend: KeyringBackend):
    before = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(before)
