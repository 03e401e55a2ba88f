"""Personal API tokens for integrations.

A token is made from a signed-in session (so, for roles that need it, after two-factor
authentication) and acts as its owner: the API asks the same policy as for a session. Only a
SHA-256 hash of the secret is stored; the secret itself is shown once, when it is made.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from apps.core import audit

from .models import ApiToken, User

PREFIX = "prt_"
MAX_ACTIVE_TOKENS = 20
MAX_SECRET_LENGTH = 200
LAST_USED_EVERY = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def _active(qs):
    now = timezone.now()
    return qs.filter(revoked_at__isnull=True).exclude(expires_at__lte=now)


@transaction.atomic
def create_token(user: User, name: str, *, by: User,
                 expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it with its secret, which is not kept anywhere."""
    if by.pk != user.pk:
        raise PermissionDenied("People make their own API tokens")
    name = (name or "").replace("\x00", "").strip()[:100]
    if not name:
        raise ValidationError("Say what the token is for")
    User.objects.select_for_update().filter(pk=user.pk).first()
    if _active(user.api_tokens.all()).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(f"You have {MAX_ACTIVE_TOKENS} active tokens: revoke one you no "
                              "longer use first")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, key_prefix=secret[:8],
                                    key_hash=hash_secret(secret), expires_at=expires_at)
    audit.record("api_token.created", actor=by, obj=user, token=token.pk,
                 key_prefix=token.key_prefix, name=name,
                 expires_at=expires_at.isoformat() if expires_at else None)
    return token, secret


@transaction.atomic
def revoke_token(token: ApiToken, *, by: User) -> ApiToken:
    """Revoke a token (its owner, or the programme's core team). Revoking twice is harmless."""
    from apps.core.policy import is_core_team

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
    return token.user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer prt_…``. A token that is present but not valid is refused
    (401) rather than ignored."""

    def authenticate(self, request, token: str):
        user = user_for_token(token.strip())
        if user is None:
            raise AuthenticationError
        request.user = user
        return user
