"""Gunicorn's access log without secrets (docs/deploy.md):

    gunicorn config.wsgi:application --logger-class apps.core.access_log.RedactingLogger …

Every address in an access-log line (the request line, the path, the referrer and the raw
environ values) loses its query string and has its secret parts written as "[redacted]"
(the same rule as the app's own request log, apps/core/logging.py); the query string, cookies
and the Authorization header are never written."""

from urllib.parse import urlsplit

from gunicorn.glogging import Logger

from .logging import redact

_DROPPED = ("q", "{query_string}e", "{cookie}i", "{authorization}i", "{http_cookie}e",
            "{http_authorization}e", "{x-csrftoken}i")


def safe_address(address: str) -> str:
    if not address or address == "-":
        return "-"
    parts = urlsplit(address)
    origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    return redact(origin + parts.path)


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = safe_address(environ.get("PATH_INFO") or "")
        atoms["U"] = path
        atoms["r"] = f"{environ['REQUEST_METHOD']} {path} {environ['SERVER_PROTOCOL']}"
        atoms["f"] = atoms["{referer}i"] = safe_address(environ.get("HTTP_REFERER", "-"))
        for key in ("{raw_uri}e", "{path_info}e", "{request_uri}e", "{http_referer}e"):
            if key in atoms:
                atoms[key] = safe_address(atoms[key])
        for key in _DROPPED:
            if key in atoms:
                atoms[key] = "-"
        return atoms
