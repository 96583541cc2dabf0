"""Keep app keys, app secrets and tokens out of everything Lucy writes (DESIGN.md rule 8).

Two nets, because neither alone is enough:

- values: whatever :mod:`lucy_tui.secrets` hands out and every token the token cache holds is
  registered here, and is replaced wherever it appears, however it got into the text;
- shapes: a value that was never registered (a websocket approval key, a token in a wire dump
  logged by a library) is still caught by its field name (``"appsecret": "…"``,
  ``Authorization: Bearer …``) or by looking like a JWT.

:class:`RedactingFilter` applies both to log records — message, arguments, traceback and stack —
before any handler formats them; :func:`install` puts it on handlers, where it also sees
records propagated from library loggers (a filter on a logger would not).
"""

from __future__ import annotations

import logging
import re
import threading
import traceback
from collections.abc import Iterable

MASK = "«redacted»"
#: Shorter values are not registered: masking every "01" or "kis" would shred the log and
#: protects nothing (no app key, secret or token is this short).
MIN_LENGTH = 8

_lock = threading.Lock()
_values: frozenset[str] = frozenset()
_pattern: re.Pattern[str] | None = None

#: Field names whose value is a credential, in the spellings the brokers and HTTP use.
_FIELDS = (r"app_?key|app_?secret(?:key)?|secret_?key|appsecretkey|access_?token|approval_?key"
           r"|refresh_?token|token|password|passwd")
_SHAPES = (
    # "appsecret": "…"  /  'token': '…'  /  appkey=…  /  appsecret: …
    re.compile(rf"""(?i)(["']?\b(?:{_FIELDS})\b["']?\s*[:=]\s*["']?)([^"'\s,&}}]+)"""),
    # Authorization: Bearer …  (headers dumped by a library)
    re.compile(r"(\b[Bb]earer\s+)([A-Za-z0-9._~+/=-]{8,})"),
    # a JWT anywhere
    re.compile(r"()(eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,})"),
)


def register(*values: str | None) -> None:
    """Mask these values from now on wherever Lucy redacts (logs, error messages, exports)."""
    global _values, _pattern
    new = {v for v in values if isinstance(v, str) and len(v) >= MIN_LENGTH}
    if not new - _values:
        return
    with _lock:
        _values = _values | new
        # Longest first, so a value that contains another is masked whole.
        ordered = sorted(_values, key=len, reverse=True)
        _pattern = re.compile("|".join(re.escape(v) for v in ordered))


def forget_all() -> None:
    """Drop every registered value (tests; a profile switch keeps them, which is harmless)."""
    global _values, _pattern
    with _lock:
        _values, _pattern = frozenset(), None


def registered() -> frozenset[str]:
    return _values


def redact(text: str) -> str:
    """``text`` with every registered value and every credential-shaped value masked."""
    if not text:
        return text
    pattern = _pattern
    if pattern is not None:
        text = pattern.sub(MASK, text)
    for shape in _SHAPES:
        text = shape.sub(lambda m: m.group(1) + MASK if m.group(2) != MASK else m.group(0), text)
    return text


def contains_secret(text: str) -> bool:
    return redact(text) != text


class RedactingFilter(logging.Filter):
    """Rewrites a record so that no handler can format a secret out of it. Never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep what there is, redacted
            message = f"{record.msg!r} % {record.args!r}"
        record.msg, record.args = redact(message), None
        if record.exc_info and record.exc_info[0] is not None:
            text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            record.exc_text = redact(text)
            # exc_text is what formatters print; exc_info would let a handler re-render the
            # traceback (and the secret in it) from the live exception.
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def install(handlers: Iterable[logging.Handler] | None = None) -> RedactingFilter:
    """Put one :class:`RedactingFilter` on ``handlers`` (default: every root handler)."""
    flt = RedactingFilter()
    for handler in (logging.getLogger().handlers if handlers is None else handlers):
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(flt)
    return flt


def log_to_file(path, level: int = logging.INFO) -> logging.Handler:
    """A root file handler that redacts, created mode 0600 (a log is nobody else's business)."""
    import os
    from pathlib import Path

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    return handler
