"""No secret from an address reaches a log: the app's request log, Django's own warnings
(404s, 403s) and gunicorn's access log (apps/core/access_log.py)."""

import io
import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest

from apps.core.logging import JsonFormatter

pytestmark = pytest.mark.django_db


def _secret_urls(world):
    """(kind, secret, address) for every kind of secret that travels in an address."""
    return [
        ("invitation token", world.invitation.token, f"/invitations/{world.invitation.token}/"),
        ("training confirm token", "c0nfirmSECRET1", "/training/confirm/c0nfirmSECRET1/"),
        ("training unsubscribe token", "unsubSECRET2", "/training/unsubscribe/unsubSECRET2/"),
        ("calendar feed token", "feedSECRET3", "/calendar/feedSECRET3.ics"),
        ("password reset key", "resetSECRET4", "/accounts/password/reset/key/1a-resetSECRET4/"),
        ("email confirmation key", "mailSECRET5", "/accounts/confirm-email/mailSECRET5:x/"),
        ("certificate code", "CERTSECRET6", "/training/verify/CERTSECRET6/"),
        ("query string", "querySECRET7", "/?token=querySECRET7"),
        ("query string of a missing page", "querySECRET8", "/no-such-page/?key=querySECRET8"),
    ]


@pytest.fixture
def log_output():
    """Everything our logging configuration would write, formatted as in production."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger(n) for n in ("peerreview.request", "peerreview", "django")]
    saved = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.INFO)  # DJANGO_LOG_LEVEL=INFO at most in production
    yield stream
    for lg, level in zip(loggers, saved, strict=True):
        lg.removeHandler(handler)
        lg.setLevel(level)


@pytest.mark.parametrize("signed_in", [False, True])
def test_request_log_never_holds_a_secret(client, world, log_output, signed_in):
    if signed_in:
        client.force_login(world.people["head"])
    for _kind, _secret, url in _secret_urls(world):
        client.get(url)
    text = log_output.getvalue()
    assert text.count('"logger": "peerreview.request"') == len(_secret_urls(world))
    assert "[redacted]" in text and "/training/confirm/[redacted]/" in text
    leaked = [kind for kind, secret, _url in _secret_urls(world) if secret in text]
    assert not leaked, f"secrets in the log: {leaked}\n{text}"


def test_gunicorn_access_log_never_holds_a_secret(world):
    from gunicorn.config import Config

    from apps.core.access_log import RedactingLogger

    cfg = Config()
    cfg.set("accesslog", "-")
    # The default combined format, plus every atom that could carry an address or a secret.
    cfg.set("access_log_format", '%(h)s "%(r)s" %(s)s "%(f)s" "%(a)s" %(U)s ?%(q)s '
            '%({raw_uri}e)s %({referer}i)s %({cookie}i)s %({authorization}i)s')
    logger = RedactingLogger(cfg)
    stream = io.StringIO()
    logger.access_log.handlers = [logging.StreamHandler(stream)]
    for _kind, secret, url in _secret_urls(world):
        path, _, query = url.partition("?")
        environ = {"REQUEST_METHOD": "GET", "RAW_URI": url, "PATH_INFO": path,
                   "QUERY_STRING": query, "SERVER_PROTOCOL": "HTTP/1.1",
                   "REMOTE_ADDR": "203.0.113.5", "HTTP_REFERER": f"https://x.example{url}"}
        request = SimpleNamespace(headers=[("REFERER", f"https://x.example{url}"),
                                           ("COOKIE", f"sessionid={secret}"),
                                           ("AUTHORIZATION", f"Bearer prt_{secret}")])
        response = SimpleNamespace(status="200 OK", headers=[], sent=10)
        logger.access(response, request, environ, timedelta(milliseconds=5))
    text = stream.getvalue()
    assert text.count("\n") == len(_secret_urls(world))
    assert "GET /training/confirm/[redacted]/" in text
    leaked = [kind for kind, secret, _url in _secret_urls(world) if secret in text]
    assert not leaked, f"secrets in the access log: {leaked}\n{text}"
