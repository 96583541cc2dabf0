import logging

from lucy_tui import redact


def make_logger(tmp_path):
    path = tmp_path / "lucy.log"
    handler = redact.log_to_file(path, logging.DEBUG)
    return path, handler


def test_registered_values_and_credential_shapes_are_masked():
    redact.register("SeCrEt-0123456789", "short", None)
    assert "short" not in redact.registered()
    text = redact.redact("x SeCrEt-0123456789 y")
    assert text == "x «redacted» y"
    assert redact.redact('{"appsecret": "abcdef123456", "appkey":"PS1234567"}') == \
        '{"appsecret": "«redacted»", "appkey":"«redacted»"}'
    assert redact.redact("Authorization: Bearer abc.def.ghijkl") == "Authorization: Bearer «redacted»"
    assert redact.redact("approval_key=0f3a-22aa-99&x=1") == "approval_key=«redacted»&x=1"
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
    assert redact.redact(f"got {jwt} back") == "got «redacted» back"
    assert redact.redact("token_type: Bearer") == "token_type: Bearer"   # no value to hide
    assert not redact.contains_secret("plain text 005930 100 @71000")


def test_longer_values_win_over_their_parts():
    redact.register("abcdefgh", "abcdefgh-ijkl")
    assert redact.redact("abcdefgh-ijkl") == "«redacted»"


def test_filter_redacts_args_tracebacks_and_library_loggers(tmp_path):
    path, handler = make_logger(tmp_path)
    try:
        redact.register("TopSecretValue42")
        logging.getLogger("lucy_tui.brokers.kis").warning("login with %s", "TopSecretValue42")
        logging.getLogger("websockets.client").debug('> TEXT {"approval_key": "e7b1-4c2d-aa90"}')
        try:
            raise RuntimeError("failed for TopSecretValue42")
        except RuntimeError:
            logging.getLogger("lucy_tui.engine").exception("boom")
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    text = path.read_text()
    assert "TopSecretValue42" not in text and "e7b1-4c2d-aa90" not in text
    assert text.count("«redacted»") >= 4 and "RuntimeError" in text and "Traceback" in text
    assert (path.stat().st_mode & 0o777) == 0o600


def test_install_puts_the_filter_on_handlers_once():
    handler = logging.Handler()
    redact.install([handler])
    redact.install([handler])
    assert sum(isinstance(f, redact.RedactingFilter) for f in handler.filters) == 1


def test_a_bad_format_string_is_kept_redacted_not_dropped():
    redact.register("TopSecretValue42")
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "bad %d", ("TopSecretValue42",), None)
    assert redact.RedactingFilter().filter(record)
    assert "TopSecretValue42" not in record.getMessage() and "bad %d" in record.getMessage()


def test_every_cached_token_is_registered():
    from datetime import datetime, timedelta

    from lucy_tui.brokers.tokens import CachedToken

    now = datetime(2026, 12, 4, 9, 0)
    CachedToken("opaque-token-0123456789", "Bearer", now + timedelta(hours=1), now)
    assert redact.redact("sent opaque-token-0123456789") == "sent «redacted»"
