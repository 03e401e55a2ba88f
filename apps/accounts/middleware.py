from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from .models import MFA_REQUIRED_ROLES
from .roles import current_roles


class RequireMFAMiddleware:
    """Two-factor authentication, enforced on every request:

    - a person who has an authenticator must have used it in this session (a session that
      skipped it, however it was made, is ended);
    - the roles in ``MFA_REQUIRED_ROLES`` (core team, associates, designated safeguarding
      leads and the programme safeguarding officer) must set up an authenticator before
      anything else.

    Everyone else may turn it on from their account page."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(
                ("/static/", "/healthz")):
            # The session's record first: it needs no query.
            if not used_mfa_this_session(request, user) and has_authenticator(user):
                logout(request)
                messages.info(request, "Sign in again with your authenticator app.")
                return redirect(reverse("account_login"))
            if not request.path.startswith(self.ALLOWED_PREFIXES) and needs_mfa_setup(user):
                messages.info(request, "Your role needs two-factor authentication. Set up an "
                                       "authenticator app to continue.")
                return redirect(reverse("mfa_activate_totp") + "?next=" + request.path)
        return self.get_response(request)


# Whether a person has an authenticator app, asked on every signed-in request, is kept in the
# shared cache (Redis in production) and forgotten whenever one of their authenticators is
# saved or deleted (apps/accounts/signals.py), so a new one ends the person's other sessions
# at their next request as before. Without a cache answer (Redis down) it is read again.
AUTHENTICATOR_CACHE_SECONDS = 600


def authenticator_cache_key(user_id: int) -> str:
    return f"accounts:has-totp:{user_id}"


def has_authenticator(user) -> bool:
    from allauth.mfa.models import Authenticator
    from django.core.cache import cache

    key = authenticator_cache_key(user.pk)
    known = cache.get(key)
    if known is not None:
        return bool(known)
    found = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    cache.set(key, int(found), AUTHENTICATOR_CACHE_SECONDS)
    return found


def used_mfa_this_session(request, user) -> bool:
    from allauth.account.authentication import get_authentication_records

    return any(r.get("method") == "mfa" for r in get_authentication_records(request, user))


def needs_mfa_setup(user) -> bool:
    # The per-request role cache (apps.accounts.roles), read again by the pages' rules.
    if not any(role in MFA_REQUIRED_ROLES for role, _, _ in current_roles(user)):
        return False
    return not has_authenticator(user)
