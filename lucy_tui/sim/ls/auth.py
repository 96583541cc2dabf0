"""LS credentials and access tokens (ls.md §2).

* One app key per account, as at LS: the account is bound to the key, so no request carries an
  account number. Real-like and mock-like keys share the host; the key decides the domain.
  App keys and secrets are 36 characters; accounts are 11 digits (real ``20…``, mock ``555…``, as
  in the official examples).
* ``/oauth2/token`` takes a form-encoded body (``grant_type=client_credentials``, ``appkey``,
  ``appsecretkey``, ``scope=oob``) and mints an HS512 JWT (issuer ``unogw``). **One live token per
  app key**: a new issue kills the previous token at once although its ``exp`` still looks valid;
  a dead token answers HTTP 500 ``IGW00121``.
* Bad keys on the token endpoint: HTTP 403 with ``error_code``/``error_description``
  (``IGW00103`` app key, ``IGW00105`` secret).
* ``/oauth2/revoke`` (form: ``appkey``, ``appsecretkey``, ``token_type_hint``, ``token``) answers
  ``{"code": 200, "message": ...}``.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ...brokers.ls import codes
from ...brokers.ls.codes import Domain, GatewayError, TokenLifetime
from ...clock import KST, Clock
from ..tokens import Signer, TokenError  # noqa: F401 (TokenError: the front catches it here)

_KEY_CHARS = string.ascii_letters + string.digits


@dataclass(frozen=True, slots=True)
class LsKey:
    """One app key and the account bound to it."""

    app_key: str
    app_secret: str
    domain: Domain
    account: str          # 11 digits
    holder: str           # AcntNm
    label: str
    user_id: str          # the HTS user id SC0–SC4 carry

    def owner(self) -> str:
        """The owner string the exchange and the back office know this account by."""
        return f"ls:{self.domain.value}:{self.account}"

    def as_dict(self) -> dict:
        return {"app_key": self.app_key, "app_secret": self.app_secret, "account": self.account,
                "account_name": self.holder, "label": self.label}


#: credentials["ls"] keys: the first real and mock keys, then a second pair for a second account.
CREDENTIAL_NAMES = ("real", "mock", "real_b", "mock_b")


def make_keys(seed: int) -> tuple[LsKey, ...]:
    """Real A, mock A, real B, mock B; the same seed gives the same credentials."""
    rng = random.Random(f"ls-credentials:{seed}")

    def text(n: int) -> str:
        return "".join(rng.choice(_KEY_CHARS) for _ in range(n))

    user = "lucy" + "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(4))
    base = rng.randrange(10_000_000, 90_000_000)
    holder = "김루시"
    return (
        LsKey(text(36), text(36), Domain.REAL, f"200{base:08d}", holder, "fund A", user),
        LsKey(text(36), text(36), Domain.MOCK, f"555{base:08d}", holder, "paper A", user),
        LsKey(text(36), text(36), Domain.REAL, f"200{base + 1:08d}", holder, "fund B", user),
        LsKey(text(36), text(36), Domain.MOCK, f"555{base + 1:08d}", holder, "paper B", user),
    )


@dataclass
class Token:
    value: str
    app_key: str
    issued: datetime
    expires: datetime
    dead: bool = False             # superseded by a newer token, revoked, or invalidated
    forced_expired: bool = False

    def expired(self, now: datetime) -> bool:
        return self.forced_expired or now >= self.expires


def seconds_until_0700(now: datetime) -> int:
    """Seconds from ``now`` to the next 07:00 KST (the unverified hermetix lifetime)."""
    local = now.astimezone(KST)
    target = local.replace(hour=codes.TOKEN_EXPIRY_HOUR, minute=0, second=0, microsecond=0)
    if target <= local:
        target += timedelta(days=1)
    return int((target - local).total_seconds())


@dataclass
class TokenBook:
    keys: list[LsKey]
    clock: Clock
    seed: int = 0
    lifetime: TokenLifetime = TokenLifetime.FIXED
    _by_key: dict[str, LsKey] = field(init=False, default_factory=dict)
    _tokens: dict[str, Token] = field(init=False, default_factory=dict)
    _current: dict[str, Token] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._by_key = {k.app_key: k for k in self.keys}
        self._rng = random.Random(f"ls-tokens:{self.seed}")
        self._signer = Signer(self._rng)

    def key(self, app_key: str) -> LsKey | None:
        return self._by_key.get(app_key)

    # ------------------------------------------------------------ /oauth2/token, /oauth2/revoke

    def _check_key(self, form: dict) -> LsKey:
        found = self._by_key.get(str(form.get("appkey") or ""))
        if found is None:
            raise TokenError(codes.TOKEN_APPKEY_INVALID)
        if found.app_secret != str(form.get("appsecretkey") or ""):
            raise TokenError(codes.TOKEN_APPSECRET_INVALID)
        return found

    def issue(self, form: dict) -> dict:
        key = self._check_key(form)
        if form.get("grant_type") != codes.GRANT_TYPE or form.get("scope") != codes.SCOPE:
            raise TokenError(codes.TOKEN_BAD_REQUEST)
        now = self.clock.now()
        previous = self._current.get(key.app_key)
        if previous is not None:
            previous.dead = True        # one live token per app key (§2.1)
        token = self._mint(key, now)
        return {"access_token": token.value, "scope": codes.SCOPE, "token_type": codes.TOKEN_TYPE,
                "expires_in": max(0, int((token.expires - now).total_seconds()))}

    def _mint(self, key: LsKey, now: datetime) -> Token:
        iat = int(now.timestamp())
        issued = datetime.fromtimestamp(iat, KST)
        if self.lifetime is TokenLifetime.UNTIL_0700:
            expires = issued + timedelta(seconds=seconds_until_0700(issued))
        else:
            expires = issued + timedelta(seconds=codes.TOKEN_LIFETIME)
        value = self._signer.jwt(issuer=codes.TOKEN_ISSUER, app_key=key.app_key, issued=issued,
                                 expires=expires)
        token = Token(value, key.app_key, issued, expires)
        self._tokens[value] = token
        self._current[key.app_key] = token
        return token

    def revoke(self, form: dict) -> dict:
        key = self._check_key(form)
        token = self._tokens.get(str(form.get("token") or ""))
        if token is None or token.app_key != key.app_key or token.dead:
            raise TokenError((codes.TOKEN_INVALID.rsp_cd, codes.TOKEN_INVALID.rsp_msg))
        token.dead = True
        if self._current.get(key.app_key) is token:
            del self._current[key.app_key]
        code, message = codes.REVOKE_OK
        return {"code": code, "message": message}

    # ------------------------------------------------------------ request authentication

    def resolve(self, value: str | None) -> LsKey | GatewayError:
        """The key a raw token belongs to, or the gateway error to answer with."""
        value = (value or "").strip()
        if not value:
            return codes.TOKEN_NOT_FOUND
        token = self._tokens.get(value)
        if token is None or token.dead:
            return codes.TOKEN_INVALID
        if token.expired(self.clock.now()):
            return codes.TOKEN_EXPIRED
        return self._by_key[token.app_key]

    def authenticate(self, authorization: str | None) -> LsKey | GatewayError:
        """``authorization: Bearer <token>`` of a TR call."""
        scheme, _, value = (authorization or "").strip().partition(" ")
        if scheme.lower() != "bearer":
            return codes.TOKEN_NOT_FOUND if not scheme else codes.TOKEN_INVALID
        return self.resolve(value)

    # ------------------------------------------------------------ faults

    def expire_all(self) -> int:
        now = self.clock.now()
        live = [t for t in self._tokens.values() if not t.dead and not t.expired(now)]
        for token in live:
            token.forced_expired = True
        return len(live)

    def invalidate_all(self, sticky: bool = False) -> int:
        """Kill every live token (as a second issuer or maintenance would). LS has no token
        reuse window, so ``sticky`` changes nothing: a re-issue always mints a new token."""
        live = [t for t in self._tokens.values() if not t.dead]
        for token in live:
            token.dead = True
        self._current.clear()
        return len(live)
