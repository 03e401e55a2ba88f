"""A Redis cache that the site can live without.

Django's own ``RedisCache`` raises when Redis cannot be reached, so a Redis restart would
turn every page (and every cached session) into a 500. ``ResilientRedisCache`` treats an
unreachable or slow Redis as an empty cache instead: reads miss, writes are dropped,
``add`` succeeds (as it does on an empty cache: allauth's rate limits take a lock with
``add``, and a lock never granted would refuse every sign-in), ``incr`` raises
``ValueError`` as for a missing key, and a warning is logged. After a
failure it does not try Redis again for ``RETRY_AFTER`` seconds, so a Redis that is down
costs each request nothing, not a connection timeout per cache call. Sessions
(``cached_db``) then come from the database alone.

What is lost while Redis is down: what the cache held (rate-limit counts start again, so
the limits are looser for a while) and nothing else.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("apps.core.cache")

RETRY_AFTER = 5.0  # seconds


def _redis_errors():
    from redis.exceptions import ConnectionError, TimeoutError

    return (ConnectionError, TimeoutError)


class ResilientRedisCache(RedisCache):
    _down_until = 0.0  # per process: monotonic time before which Redis is not tried

    def _call(self, name, fallback, *args, **kwargs):
        if time.monotonic() < type(self)._down_until:
            return fallback()
        try:
            return getattr(super(), name)(*args, **kwargs)
        except _redis_errors() as e:
            type(self)._down_until = time.monotonic() + RETRY_AFTER
            logger.warning("Redis cache unavailable (%s); carrying on without it for %.0f s",
                           e.__class__.__name__, RETRY_AFTER)
            return fallback()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", lambda: True, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", lambda: default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", lambda: None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", lambda: False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", lambda: False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", dict, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", lambda: False, key, version)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)")

        return self._call("incr", missing, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", lambda: list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", lambda: None, keys, version)

    def clear(self):
        return self._call("clear", lambda: False)
