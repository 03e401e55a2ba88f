"""Gunicorn settings for production: ``gunicorn -c config/gunicorn.conf.py config.wsgi``.

Workers come from ``WEB_CONCURRENCY`` (gunicorn's own variable; default 1). Rate limits and
cached sessions live in Django's cache, so several workers need one they share: with more
than one worker and no ``REDIS_URL`` the server refuses to start (the settings refuse too).
"""

import os

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
accesslog = "-"
# Query strings, secrets in paths, cookies and Authorization never reach the access log.
logger_class = "apps.core.access_log.RedactingLogger"


def on_starting(server):
    if server.cfg.workers > 1 and not os.environ.get("REDIS_URL"):
        raise SystemExit(
            f"{server.cfg.workers} workers need a shared cache for rate limits and sessions: "
            "set REDIS_URL, or run one worker")
