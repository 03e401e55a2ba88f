import json
import logging
import re
from datetime import UTC, datetime

# Some addresses carry a secret: invitation links, training confirm and unsubscribe links,
# calendar feeds, password-reset and email-confirmation keys, certificate codes. Every URL
# pattern with a kwarg of one of these names is found in the URLconf, and the part of a logged
# path in that place is written as "[redacted]".
SECRET_URL_KWARGS = {"token", "key", "code", "uidb36"}
# Used until the URLconf can be read (and kept, in case it cannot).
_FALLBACK = [r"/invitations/", r"/calendar/", r"/training/confirm/", r"/training/unsubscribe/",
             r"/password/reset/key/"]
_KWARG = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)")
_secret_paths: re.Pattern | None = None


def _route_prefixes(resolver, prefix=""):
    """The part of each URL pattern before its first secret kwarg, as a regex."""
    from django.urls import URLResolver

    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern).lstrip("^").replace("$", "")
        if isinstance(pattern, URLResolver):
            yield from _route_prefixes(pattern, route)
            continue
        parts, pos = [], 0
        for match in _KWARG.finditer(route):
            parts.append(re.escape(route[pos:match.start()].replace("\\", "")))
            if (match.group(1) or match.group(2)) in SECRET_URL_KWARGS:
                yield "/" + "".join(parts)
                break
            parts.append(r"[^/]+")
            pos = match.end()


def _compile(prefixes) -> re.Pattern:
    alternatives = "|".join(sorted(set(prefixes), key=len, reverse=True))
    return re.compile(rf"({alternatives})[^/\s\"'?#&]+")


def secret_paths() -> re.Pattern:
    global _secret_paths
    if _secret_paths is None:
        try:
            from django.urls import get_resolver

            _secret_paths = _compile([*_FALLBACK, *_route_prefixes(get_resolver())])
        except Exception:  # noqa: BLE001 - settings or URLconf not ready: the fixed list
            return _compile(_FALLBACK)
    return _secret_paths


def redact(text: str) -> str:
    return secret_paths().sub(r"\1[redacted]", text)


_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def _loggable(value):
    """A request (Django's own warnings attach one) as its method and path only: its repr
    would carry the query string."""
    from django.http import HttpRequest

    if isinstance(value, HttpRequest):
        return f"{value.method} {value.path}"
    return value


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message and any ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                payload[key] = _loggable(value)
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return redact(json.dumps(payload, default=str))
