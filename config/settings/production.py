"""Production profile. SECRET_KEY and ALLOWED_HOSTS must come from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import REDIS_URL, env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# Rate limits (sign-in slowdown, public registration) and cached sessions count in Django's
# cache. Per-process memory would let each worker count on its own, so several workers
# (gunicorn reads WEB_CONCURRENCY) need Redis.
WEB_CONCURRENCY = env.int("WEB_CONCURRENCY", default=1)
if WEB_CONCURRENCY > 1 and not REDIS_URL:
    raise ImproperlyConfigured(
        f"WEB_CONCURRENCY is {WEB_CONCURRENCY} but REDIS_URL is not set: several workers need "
        "a shared cache for rate limits and sessions. Set REDIS_URL, or run one worker.")
