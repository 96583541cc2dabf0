"""KIS credentials, access tokens and websocket approval keys (kis.md §2).

* App keys are issued per domain, as at KIS: a real key set and a mock key set, each with its own
  36-character app key (starting ``PS``), 180-character secret, HTS id and accounts.
* ``/oauth2/tokenP`` mints HS512 JWTs with the claims of a real token (``sub`` "token", ``aud`` a
  fresh UUID, ``iss`` "unogw", ``iat``/``exp`` 24 h apart, ``jti`` the app key). A request within
  6 h of the last issuance returns the same token; at most one new token a minute per app key,
  else HTTP 403 ``EGW00133``. (``limit_requests=True`` counts every tokenP call instead of every
  new token, for clients that should be tested against the stricter reading.)
* Approval keys are UUID-like strings, one per ``/oauth2/Approval`` call, valid 24 h.
"""

from __future__ import annotations

import random
import string
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ...clock import KST, Clock
from ...brokers.kis import codes
from ...brokers.kis.codes import Domain
from ..tokens import Signer, TokenError  # noqa: F401 (TokenError: the front catches it here)

TOKEN_LIFETIME = timedelta(hours=24)
TOKEN_REUSE = timedelta(hours=6)
TOKEN_INTERVAL = timedelta(minutes=1)
APPROVAL_LIFETIME = timedelta(hours=24)
EXPIRY_FORMAT = "%Y-%m-%d %H:%M:%S"

_KEY_CHARS = string.ascii_letters + string.digits
_SECRET_CHARS = string.ascii_letters + string.digits + "+/"


@dataclass(frozen=True, slots=True)
class KisAccount:
    cano: str                 # 8 digits
    product: str = "01"       # ACNT_PRDT_CD
    label: str = ""

    @property
    def number(self) -> str:
        return f"{self.cano}-{self.product}"

    @property
    def acnt_no(self) -> str:
        """The 10-digit form the execution notice carries (CANO + ACNT_PRDT_CD)."""
        return self.cano + self.product

    def owner(self, domain: Domain) -> str:
        """The owner string the exchange and back office know this account by."""
        return f"kis:{domain.value}:{self.number}"


@dataclass(frozen=True, slots=True)
class AppKey:
    app_key: str
    app_secret: str
    domain: Domain
    hts_id: str
    holder: str                          # ACNT_NAME in notices
    accounts: tuple[KisAccount, ...]

    def as_dict(self) -> dict:
        return {
            "app_key": self.app_key,
            "app_secret": self.app_secret,
            "hts_id": self.hts_id,
            "accounts": [a.number for a in self.accounts],
            "account_name": self.holder,
        }


def make_app_keys(seed: int) -> tuple[AppKey, AppKey]:
    """The demo real-like and mock-like key sets; the same seed gives the same credentials."""
    rng = random.Random(f"kis-credentials:{seed}")

    def key() -> str:
        return "PS" + "".join(rng.choice(_KEY_CHARS) for _ in range(34))

    def secret() -> str:
        return "".join(rng.choice(_SECRET_CHARS) for _ in range(180))

    hts_id = "lucy" + "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(4))
    holder = "김루시"
    base = rng.randrange(100_000, 900_000)
    real = AppKey(key(), secret(), Domain.REAL, hts_id, holder, (
        KisAccount(f"63{base:06d}", "01", "fund A"),
        KisAccount(f"63{base + 1:06d}", "01", "fund B"),
    ))
    mock = AppKey(key(), secret(), Domain.MOCK, hts_id, holder, (
        KisAccount(f"50{base:06d}", "01", "paper A"),
        KisAccount(f"50{base + 1:06d}", "01", "paper B"),
    ))
    return real, mock


@dataclass
class Token:
    value: str
    app_key: str
    issued: datetime
    expires: datetime
    revoked: bool = False
    invalid: bool = False
    sticky: bool = False       # invalid but still handed out by tokenP (maintenance anecdote)
    forced_expired: bool = False

    def expired(self, now: datetime) -> bool:
        return self.forced_expired or now >= self.expires


@dataclass
class _Approval:
    app_key: str
    expires: datetime


@dataclass
class TokenBook:
    keys: list[AppKey]
    clock: Clock
    seed: int = 0
    lifetime: timedelta = TOKEN_LIFETIME
    reuse: timedelta = TOKEN_REUSE
    interval: timedelta = TOKEN_INTERVAL
    limit_requests: bool = False
    _by_key: dict[str, AppKey] = field(init=False, default_factory=dict)
    _tokens: dict[str, Token] = field(init=False, default_factory=dict)
    _current: dict[str, Token] = field(init=False, default_factory=dict)
    _last_mint: dict[str, datetime] = field(init=False, default_factory=dict)
    _last_call: dict[str, datetime] = field(init=False, default_factory=dict)
    _approvals: dict[str, _Approval] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._by_key = {k.app_key: k for k in self.keys}
        self._rng = random.Random(f"kis-tokens:{self.seed}")
        self._signer = Signer(self._rng)

    def app_key(self, key: str) -> AppKey | None:
        return self._by_key.get(key)

    # ------------------------------------------------------------ tokenP / revokeP

    def _check_key(self, appkey: str | None, secret: str | None) -> AppKey:
        if not appkey:
            raise TokenError(codes.TOKEN_APPKEY_REQUIRED)
        if not secret:
            raise TokenError(codes.TOKEN_APPSECRET_REQUIRED)
        found = self._by_key.get(appkey)
        if found is None:
            raise TokenError(codes.TOKEN_APPKEY_INVALID)
        if found.app_secret != secret:
            raise TokenError(codes.TOKEN_APPSECRET_INVALID)
        return found

    def issue(self, body: dict) -> dict:
        if body.get("grant_type") != "client_credentials":
            raise TokenError(codes.TOKEN_GRANT_INVALID)
        key = self._check_key(body.get("appkey"), body.get("appsecret"))
        now = self.clock.now()
        if self.limit_requests:
            last = self._last_call.get(key.app_key)
            if last is not None and now - last < self.interval:
                raise TokenError(codes.TOKEN_RATE)
            self._last_call[key.app_key] = now
        current = self._current.get(key.app_key)
        if (current is not None and not current.revoked and (not current.invalid or current.sticky)
                and not current.expired(now) and now - current.issued < self.reuse):
            return self._answer(current, now)
        last = self._last_mint.get(key.app_key)
        if last is not None and now - last < self.interval:
            raise TokenError(codes.TOKEN_RATE)
        token = self._mint(key, now)
        return self._answer(token, now)

    def _mint(self, key: AppKey, now: datetime) -> Token:
        iat = int(now.timestamp())
        issued = datetime.fromtimestamp(iat, KST)
        expires = issued + self.lifetime
        value = self._signer.jwt(issuer="unogw", app_key=key.app_key, issued=issued,
                                 expires=expires)
        token = Token(value, key.app_key, issued, expires)
        self._tokens[value] = token
        self._current[key.app_key] = token
        self._last_mint[key.app_key] = now
        return token

    @staticmethod
    def _answer(token: Token, now: datetime) -> dict:
        # Whole seconds on both sides: the token's iat is ``now`` truncated, so subtracting the
        # fractional ``now`` would answer 86399 for a token minted this instant.
        left = int(token.expires.timestamp()) - int(now.timestamp())
        return {
            "access_token": token.value,
            "access_token_token_expired": token.expires.astimezone(KST).strftime(EXPIRY_FORMAT),
            "token_type": "Bearer",
            "expires_in": max(0, left),
        }

    def revoke(self, body: dict) -> dict:
        key = self._check_key(body.get("appkey"), body.get("appsecret"))
        token = self._tokens.get(body.get("token") or "")
        if token is None or token.app_key != key.app_key or token.revoked:
            raise TokenError(codes.TOKEN_TOKEN_INVALID)
        token.revoked = True
        if self._current.get(key.app_key) is token:
            del self._current[key.app_key]
        code, message = codes.REVOKE_OK
        return {"code": code, "message": message}

    # ------------------------------------------------------------ request authentication

    def authenticate(self, authorization: str | None, appkey: str | None,
                     appsecret: str | None) -> tuple[AppKey, AppKey] | codes.GatewayError:
        """(the token's key set, the header's key set) or the gateway error to answer with."""
        if not appkey:
            return codes.APPKEY_REQUIRED
        if not appsecret:
            return codes.APPSECRET_REQUIRED
        header_key = self._by_key.get(appkey)
        if header_key is None:
            return codes.APPKEY_INVALID
        if header_key.app_secret != appsecret:
            return codes.APPSECRET_INVALID
        scheme, _, value = (authorization or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            return codes.BAD_SCHEME
        token = self._tokens.get(value.strip())
        if token is None or token.revoked or token.invalid:
            return codes.TOKEN_INVALID
        if token.expired(self.clock.now()):
            return codes.TOKEN_EXPIRED
        return self._by_key[token.app_key], header_key

    # ------------------------------------------------------------ faults

    def expire_all(self) -> int:
        now = self.clock.now()
        live = [t for t in self._tokens.values() if not t.revoked and not t.expired(now)]
        for token in live:
            token.forced_expired = True
        return len(live)

    def invalidate_all(self, sticky: bool = False) -> int:
        """Invalidate every token; ``sticky`` (re)decides for all of them whether tokenP keeps
        handing them out. Returns how many were valid until now."""
        fresh = 0
        for token in self._tokens.values():
            if token.revoked:
                continue
            fresh += not token.invalid
            token.invalid = True
            token.sticky = sticky
        return fresh

    # ------------------------------------------------------------ approval keys

    def approval(self, body: dict) -> dict:
        if body.get("grant_type") != "client_credentials":
            raise TokenError(codes.TOKEN_GRANT_INVALID)
        key = self._check_key(body.get("appkey"), body.get("secretkey"))
        value = str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
        self._approvals[value] = _Approval(key.app_key, self.clock.now() + APPROVAL_LIFETIME)
        return {"approval_key": value}

    def approval_owner(self, approval_key: str) -> AppKey | None:
        found = self._approvals.get(approval_key)
        if found is None or self.clock.now() >= found.expires:
            return None
        return self._by_key[found.app_key]
