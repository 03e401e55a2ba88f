"""Sessions on shared school computers end after a period without activity.

The server decides: a signed-in person's requests record the time in the session (at most once
a minute, as each record is a session write, a database write with the database-backed
sessions; "Stay signed in" always records it), and a request that comes after the idle limit
signs them out and sends them to the sign-in page (which brings them back to where they were).
``static/js/session-timeout.js`` warns two minutes before, offers "Stay signed in", and keeps
anything typed on the device; without JavaScript the server limit still applies. The limits
are settings (README "Configuration").
"""

import time
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from .models import SHORT_SESSION_ROLES
from .roles import current_roles

LAST_ACTIVITY = "last_activity"
# Writing the session on every request would be a database write per request: a recorded time
# this close (a minute, or a twentieth of a short limit) is kept. The sign-out can come that
# much earlier than the limit after the last request, never later.
RESOLUTION_SECONDS = 60


def idle_limit_seconds(user) -> int:
    # The per-request role cache (apps.accounts.roles), read again by the pages' rules.
    short = user.is_superuser or any(
        role in SHORT_SESSION_ROLES for role, _, _ in current_roles(user))
    minutes = settings.SESSION_IDLE_MINUTES_PRIVILEGED if short else settings.SESSION_IDLE_MINUTES
    return max(1, round(minutes * 60))


def signed_out_message(limit: int) -> str:
    minutes = limit / 60
    amount = f"{minutes:g} minute{'' if minutes == 1 else 's'}"
    return (f"You were signed out after {amount} without activity. Anything you were typing "
            "is kept on this device.")


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not hasattr(request, "session"):
            return self.get_response(request)
        limit = idle_limit_seconds(user)
        now = time.time()
        last = request.session.get(LAST_ACTIVITY)
        if last is not None and now - last > limit:
            return self._sign_out(request, limit)
        request.idle_limit_seconds = limit  # for the page's script (templates/base.html)
        request.idle_warning_seconds = settings.SESSION_IDLE_WARNING_SECONDS
        request.idle_remaining_seconds = limit if last is None else round(limit - (now - last))
        if not _is_status_check(request) and (
                last is None or _is_stay_signed_in(request)
                or now - last >= min(RESOLUTION_SECONDS, limit / 20)):
            request.session[LAST_ACTIVITY] = now
            request.idle_remaining_seconds = limit
        return self.get_response(request)

    def _sign_out(self, request, limit):
        logout(request)
        messages.info(request, signed_out_message(limit))
        login = reverse("account_login")
        if _is_status_check(request) or request.path.startswith("/api/"):
            return JsonResponse({"signed_in": False}, status=401)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login
            return response
        # Back to the page after signing in (after a form was sent, to the form's own page).
        target = request.get_full_path() if request.method == "GET" else request.path
        return redirect(f"{login}?next={quote(target)}")


def _is_status_check(request) -> bool:
    return request.method == "GET" and request.path == reverse("accounts:session")


def _is_stay_signed_in(request) -> bool:
    return request.method == "POST" and request.path == reverse("accounts:session")


@login_not_required  # answers 401 itself, for the page's script
@require_http_methods(["GET", "POST"])
def session_status(request):
    """GET: seconds left before the idle sign-out (does not count as activity).
    POST: "Stay signed in" (counts as activity, like any other request)."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    return JsonResponse({"signed_in": True,
                         "remaining": max(0, request.idle_remaining_seconds)})
