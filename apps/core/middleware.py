import logging
import time
import uuid
from contextvars import ContextVar

from .logging import redact

logger = logging.getLogger("peerreview.request")

# The request being handled, so that the audit log knows "from where" for every action taken
# during it, including those of services that are not handed the request.
current_request: ContextVar = ContextVar("current_request", default=None)


class RequestLogMiddleware:
    """Structured request log: one JSON line per request, with a request id that is also
    returned to the client in ``X-Request-ID``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        request.request_id = request_id[:64]
        started = time.perf_counter()
        token = current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        user = getattr(request, "user", None)
        logger.info(
            "request",
            extra={
                "request_id": request.request_id,
                "method": request.method,
                "path": redact(request.path),
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        response["X-Request-ID"] = request.request_id
        return response


def cacheable(view):
    """Mark a view whose page holds nothing private (the same for every signed-out visitor),
    so that ``PrivateByDefaultMiddleware`` leaves its own caching alone. Responses to a
    signed-in person are never cacheable: every page shows at least their name."""
    from functools import wraps

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.cacheable = True
        return response

    return wrapped


class PrivateByDefaultMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in person (pages,
    API, downloads) and on every HTML page, so review content and personal data are never
    kept by a shared school computer's browser cache or a proxy. A signed-out page may opt
    out with ``@cacheable``. Static files are served by WhiteNoise before this runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # the API's token check sets it in the view
        personal = ((user is not None and user.is_authenticated)
                    or "Authorization" in request.headers)
        html = response.get("Content-Type", "").startswith("text/html")
        if personal or (html and not getattr(response, "cacheable", False)):
            response["Cache-Control"] = "private, no-store"
            response.headers.pop("Expires", None)
        return response
