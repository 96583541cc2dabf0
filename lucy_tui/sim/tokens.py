"""What the simulated brokers' token endpoints share: their error envelope and the JWTs they
hand out (HS512, signed with a key drawn from the book's seeded generator, so the same seed
gives the same tokens)."""

from __future__ import annotations

import random
import uuid
from datetime import datetime

import jwt


class TokenError(Exception):
    """An answer of the token endpoints in their own envelope (error_code / error_description;
    HTTP 403 unless said otherwise)."""

    def __init__(self, code: tuple[str, str], status: int = 403):
        super().__init__(code[1])
        self.error_code, self.error_description = code
        self.status = status

    def body(self) -> dict:
        return {"error_code": self.error_code, "error_description": self.error_description}


class Signer:
    """Mints the access tokens of one token book."""

    def __init__(self, rng: random.Random):
        self._rng = rng
        self._key = rng.randbytes(64)

    def jwt(self, *, issuer: str, app_key: str, issued: datetime, expires: datetime) -> str:
        claims = {
            "sub": "token",
            "aud": str(uuid.UUID(int=self._rng.getrandbits(128), version=4)),
            "iss": issuer,
            "iat": int(issued.timestamp()),
            "exp": int(expires.timestamp()),
            "jti": app_key,
        }
        return jwt.encode(claims, self._key, algorithm="HS512",
                          headers={"typ": "JWT", "alg": "HS512"}, sort_headers=False)
