"""Broker app keys and secrets: one OS-keyring entry per (profile, broker), or — only when the
user sets ``secrets = "env"`` in ``[general]`` — environment variables. Never a file.

A headless Linux box usually has no keyring backend. Then every call raises
:class:`SecretsUnavailable`, whose message names the ways out; Lucy does not fall back to
storing anything in plain text by itself.

Keyring backends talk to D-Bus, the macOS keychain or the Windows vault and may block (a
locked collection can wait for an unlock prompt). The ``a``-prefixed methods run the calls in a
worker thread, so code on the event loop uses those.

Everything handed out is registered with :mod:`lucy_tui.redact`, so it never reaches a log.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from . import redact

SERVICE = "lucy"
MODES = ("keyring", "env")

REMEDIES = (
    "Lucy keeps broker app keys and secrets in the OS keyring, and this machine has no usable "
    "keyring backend{detail}. Either:\n"
    "  - install a backend: on a desktop, run a Secret Service provider (GNOME Keyring or "
    "KWallet) and `pip install secretstorage`; on a headless box, `pip install keyrings.alt` "
    "and choose its encrypted file store with "
    "PYTHON_KEYRING_BACKEND=keyrings.alt.file.EncryptedKeyring; or\n"
    "  - set `secrets = \"env\"` under [general] in config.toml and export "
    "LUCY_<PROFILE>_<BROKER>_APPKEY and LUCY_<PROFILE>_<BROKER>_APPSECRET "
    "(e.g. LUCY_MAIN_KIS_APPKEY).\n"
    "Lucy never stores them in a plain file on its own.")


class SecretsError(Exception):
    """Something about broker secrets the user must act on; the message says what."""


class SecretsUnavailable(SecretsError):
    """No keyring backend (or it failed): the message names the remedies."""

    def __init__(self, detail: str = ""):
        super().__init__(REMEDIES.format(detail=f" ({detail})" if detail else ""))
        self.detail = detail


class SecretNotSet(SecretsError):
    """The backend works but holds nothing for this (profile, broker)."""


@dataclass(frozen=True, slots=True)
class Credentials:
    app_key: str
    app_secret: str

    def __repr__(self) -> str:  # rule 8: a stray print or a traceback's locals show nothing
        return "Credentials(app_key=«redacted», app_secret=«redacted»)"

    __str__ = __repr__


def env_names(profile: str, broker: str) -> tuple[str, str]:
    """The variables env mode reads: LUCY_<PROFILE>_<BROKER>_APPKEY / _APPSECRET."""
    stem = "_".join(re.sub(r"[^A-Za-z0-9]", "_", part).upper() for part in (profile, broker))
    return f"LUCY_{stem}_APPKEY", f"LUCY_{stem}_APPSECRET"


def entry_name(profile: str, broker: str) -> str:
    """The keyring user name of one (profile, broker) entry (the service is ``lucy``)."""
    return f"{profile}/{broker}"


class Secrets:
    """``get``/``set``/``delete`` of one (profile, broker)'s credentials."""

    def __init__(self, mode: str = "keyring", *, environ: Mapping[str, str] | None = None):
        if mode not in MODES:
            raise SecretsError(f"secrets must be one of {', '.join(map(repr, MODES))}, got {mode!r}")
        self.mode = mode
        self._environ = os.environ if environ is None else environ

    # ------------------------------------------------------------------ the backend

    def _backend(self):
        import keyring
        from keyring.backends import chainer, fail, null

        try:
            backend = keyring.get_keyring()
        except Exception as exc:  # a broken keyringrc or backend module
            raise SecretsUnavailable(f"{type(exc).__name__}: {exc}") from None
        # fail.Keyring raises on use, null.Keyring silently stores nothing, an empty chainer
        # is null: none of them can keep a secret.
        if isinstance(backend, (fail.Keyring, null.Keyring)) or (
                isinstance(backend, chainer.ChainerBackend) and not backend.backends):
            raise SecretsUnavailable(f"found only {type(backend).__module__}."
                                     f"{type(backend).__name__}")
        return backend

    def _call(self, what: str, *args):
        backend = self._backend()
        try:
            return getattr(backend, what)(*args)
        except Exception as exc:
            from keyring.errors import PasswordDeleteError

            if what == "delete_password" and isinstance(exc, PasswordDeleteError):
                return None
            # D-Bus down, collection locked, vault refused: the remedies are the same.
            raise SecretsUnavailable(f"{type(backend).__name__}: {redact.redact(str(exc))}") from None

    def backend_name(self) -> str:
        """What holds the secrets, for the Users screen ("env" or the keyring backend)."""
        if self.mode == "env":
            return "environment variables"
        backend = self._backend()
        return f"{type(backend).__module__}.{type(backend).__name__}"

    # ------------------------------------------------------------------ the API

    def get(self, profile: str, broker: str) -> Credentials:
        if self.mode == "env":
            key_var, secret_var = env_names(profile, broker)
            key, secret = self._environ.get(key_var), self._environ.get(secret_var)
            missing = [n for n, v in ((key_var, key), (secret_var, secret)) if not v]
            if missing:
                raise SecretNotSet(f"secrets = \"env\": {' and '.join(missing)} "
                                   f"{'is' if len(missing) == 1 else 'are'} not set "
                                   f"(profile {profile!r}, broker {broker!r})")
            creds = Credentials(key, secret)
        else:
            raw = self._call("get_password", SERVICE, entry_name(profile, broker))
            if raw is None:
                raise SecretNotSet(f"no app key and secret for profile {profile!r} and broker "
                                   f"{broker!r}: run `lucy profile set-secret {profile} {broker}`")
            try:
                data = json.loads(raw)
                creds = Credentials(str(data["app_key"]), str(data["app_secret"]))
            except (ValueError, KeyError, TypeError):
                raise SecretNotSet(f"the keyring entry {SERVICE}/{entry_name(profile, broker)} is "
                                   "not Lucy's format: set it again with "
                                   f"`lucy profile set-secret {profile} {broker}`") from None
        redact.register(creds.app_key, creds.app_secret)
        return creds

    def has(self, profile: str, broker: str) -> bool:
        try:
            self.get(profile, broker)
        except SecretNotSet:
            return False
        return True

    def set(self, profile: str, broker: str, app_key: str, app_secret: str) -> None:
        app_key, app_secret = app_key.strip(), app_secret.strip()
        if not app_key or not app_secret:
            raise SecretsError("both the app key and the app secret are needed")
        self.check_storable(profile, broker)
        redact.register(app_key, app_secret)
        self._call("set_password", SERVICE, entry_name(profile, broker),
                   json.dumps({"app_key": app_key, "app_secret": app_secret}))

    def check_storable(self, profile: str, broker: str) -> None:
        """Raise, with what to do instead, unless :meth:`set` can store for this pair — so a
        user is told before typing a secret that cannot be kept."""
        if self.mode == "env":
            key_var, secret_var = env_names(profile, broker)
            raise SecretsError(f"secrets = \"env\": Lucy reads {key_var} and {secret_var} from the "
                               "environment and stores nothing; set them there, or switch to "
                               "secrets = \"keyring\"")
        self._backend()

    def delete(self, profile: str, broker: str) -> None:
        """Forget the entry (nothing to do in env mode, nor when there is none)."""
        if self.mode == "env":
            return
        self._call("delete_password", SERVICE, entry_name(profile, broker))

    # ------------------------------------------------------------------ off the event loop

    async def aget(self, profile: str, broker: str) -> Credentials:
        return await asyncio.to_thread(self.get, profile, broker)

    async def ahas(self, profile: str, broker: str) -> bool:
        return await asyncio.to_thread(self.has, profile, broker)

    async def aset(self, profile: str, broker: str, app_key: str, app_secret: str) -> None:
        await asyncio.to_thread(self.set, profile, broker, app_key, app_secret)

    async def acheck_storable(self, profile: str, broker: str) -> None:
        await asyncio.to_thread(self.check_storable, profile, broker)

    async def adelete(self, profile: str, broker: str) -> None:
        await asyncio.to_thread(self.delete, profile, broker)
