"""Profile passwords: salted scrypt hashes, and the back-off after failed attempts.

Only the hash is kept: ``scrypt$<log2 n>$<r>$<p>$<salt hex>$<hash hex>``, so the cost can be
raised later without breaking stored hashes. n = 2**15 costs 90-230 ms on this machine (2 cores, idle to busy) —
slow enough to hurt guessing, and the reason the store verifies in a worker thread.
"""

from __future__ import annotations

import hashlib
import hmac
import os

LOG_N, R, P = 15, 8, 1
_MAXMEM = 128 * 1024 * 1024

#: Wrong passwords accepted without waiting; each one after that doubles the wait.
FREE_ATTEMPTS = 3
FIRST_WAIT = 5.0
MAX_WAIT = 15 * 60.0


def hash_password(password: str, *, log_n: int = LOG_N) -> str:
    if not password:
        raise ValueError("an empty password protects nothing: leave it unset instead")
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2 ** log_n, r=R, p=P,
                            maxmem=_MAXMEM, dklen=32)
    return f"scrypt${log_n}${R}${P}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, log_n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=2 ** int(log_n),
                             r=int(r), p=int(p), maxmem=_MAXMEM, dklen=len(digest) // 2)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got.hex(), digest)


def wait_after(failures: int) -> float:
    """Seconds the profile stays locked after ``failures`` consecutive wrong passwords."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return min(FIRST_WAIT * 2 ** (failures - FREE_ATTEMPTS), MAX_WAIT)
