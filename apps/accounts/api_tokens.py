"""Personal API tokens for integrations.

A token is made from a signed-in session (so, for roles that need it, after two-factor
authentication) and acts as its owner: the API asks the same policy as for a session. Only a
SHA-256 hash of the secret is stored; the secret itself is shown once, when it is made.

A token is also narrower than its owner: it is read only or may read and change, it works
only in the areas chosen for it (the first part of the API's path, e.g. ``/api/reviews/…``),
and it expires — 90 days by default, never more than a year after it was made. Outside its
scope the API answers 403.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer

from apps.core import audit

from .models import ApiToken, User

PREFIX = "prt_"
MAX_ACTIVE_TOKENS = 20
MAX_SECRET_LENGTH = 200
LAST_USED_EVERY = timedelta(minutes=1)
DEFAULT_LIFETIME = timedelta(days=90)
MAX_LIFETIME = timedelta(days=365)
# The API's areas: the prefix each router is added under in config/api.py (a test keeps the
# two in step). "/api/me" (who the token belongs to) needs no area.
AREAS = [("reviews", "Reviews"), ("improvement", "Improvement plans"),
         ("support", "Support requests"), ("training", "Training"),
         ("schools", "Schools register"), ("partnerships", "Partnerships"),
         ("frameworks", "Enquiry frameworks"), ("resources", "Library"),
         ("impact", "Impact and evaluation")]
AREA_KEYS = [key for key, _label in AREAS]
ALWAYS_ALLOWED = {"me"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def _active(qs):
    now = timezone.now()
    return qs.filter(revoked_at__isnull=True).exclude(expires_at__lte=now)


@transaction.atomic
def create_token(user: User, name: str, *, by: User, expires_at: datetime | None = None,
                 access: str = ApiToken.Access.WRITE,
                 areas: list[str] | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it with its secret, which is not kept anywhere.
    Without ``expires_at`` it lasts 90 days; without ``areas``, every area."""
    if by.pk != user.pk:
        raise PermissionDenied("People make their own API tokens")
    name = (name or "").replace("\x00", "").strip()[:100]
    if not name:
        raise ValidationError("Say what the token is for")
    now = timezone.now()
    expires_at = expires_at or now + DEFAULT_LIFETIME
    if expires_at > now + MAX_LIFETIME:
        raise ValidationError("A token can last a year at most: choose an earlier expiry")
    if expires_at <= now:
        raise ValidationError("Choose an expiry date in the future")
    if access not in ApiToken.Access.values:
        raise ValidationError("Choose whether the token can change things or only read them")
    areas = AREA_KEYS if areas is None else [a for a in AREA_KEYS if a in areas]
    if not areas:
        raise ValidationError("Choose at least one area the token can use")
    User.objects.select_for_update().filter(pk=user.pk).first()
    if _active(user.api_tokens.all()).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(f"You have {MAX_ACTIVE_TOKENS} active tokens: revoke one you no "
                              "longer use first")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, key_prefix=secret[:8],
                                    key_hash=hash_secret(secret), expires_at=expires_at,
                                    access=access, areas=areas)
    audit.record("api_token.created", actor=by, obj=user, token=token.pk,
                 key_prefix=token.key_prefix, name=name, expires_at=expires_at.isoformat(),
                 access=access, areas=areas)
    return token, secret


@transaction.atomic
def revoke_token(token: ApiToken, *, by: User) -> ApiToken:
    """Revoke a token (its owner, or the programme's core team). Revoking twice is harmless."""
    from apps.accounts.roles import is_core_team

    if by.pk != token.user_id and not is_core_team(by):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record("api_token.revoked", actor=by, obj=token.user, token=token.pk,
                     key_prefix=token.key_prefix, name=token.name)
    return token


def user_for_token(secret: str) -> User | None:
    """The active owner of a live token with this secret, or None."""
    token = live_token(secret)
    return token.user if token else None


def live_token(secret: str) -> ApiToken | None:
    """The live token with this secret (its owner active and allowed to use it), or None."""
    if not secret or len(secret) > MAX_SECRET_LENGTH or not secret.startswith(PREFIX):
        return None
    token = (_active(ApiToken.objects.filter(key_hash=hash_secret(secret)))
             .select_related("user").first())
    if token is None or not token.user.is_active:
        return None
    from .middleware import needs_mfa_setup

    # A role that needs two-factor authentication, given after the token was made, stops the
    # token until an authenticator is set up (as it would stop the person's session).
    if needs_mfa_setup(token.user):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def scope_refusal(token: ApiToken, method: str, api_path: str) -> str | None:
    """Why this token may not make this request (``api_path``: the path after the API's
    root, e.g. ``reviews/7/``), or None if it may."""
    area = api_path.lstrip("/").split("/", 1)[0]
    if area not in ALWAYS_ALLOWED and area not in token.areas:
        return f"This token cannot be used for {area or 'this part of the API'}"
    if method.upper() not in SAFE_METHODS and token.access != ApiToken.Access.WRITE:
        return "This token is read only: it cannot change anything"
    return None


class TokenAuth(HttpBearer):
    """``Authorization: Bearer prt_…``. A token that is present but not valid is refused
    (401) rather than ignored."""

    def authenticate(self, request, token: str):
        from django.urls import reverse

        found = live_token(token.strip())
        if found is None:
            raise AuthenticationError
        refusal = scope_refusal(found, request.method,
                                request.path.removeprefix(reverse("api:api-root")))
        if refusal:
            raise HttpError(403, refusal)
        request.user = found.user
        request.api_token = found
        return found.user
