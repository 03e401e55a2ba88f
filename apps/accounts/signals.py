"""Authentication events come from Django's and allauth's signals: the one place they can be
observed. Everything else is audited from service functions."""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from apps.core import audit

from . import services
from .middleware import authenticator_cache_key
from .models import ApiToken


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit.record("auth.signed_in", actor=user, obj=user, request=request)
    if request is not None:
        services.adopt_device_display(request, user)
        services.adopt_device_language(request, user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record("auth.signed_out", actor=user, obj=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    email = str(credentials.get("email") or credentials.get("username") or "")[:254]
    audit.record("auth.sign_in_failed", request=request, attempted_email=email)


@receiver(account_signals.password_changed)
def _password_changed(sender, request, user, **kwargs):
    audit.record("auth.password_changed", actor=user, obj=user, request=request)
    _revoke_secrets(user)


@receiver(account_signals.password_reset)
def _password_reset(sender, request, user, **kwargs):
    audit.record("auth.password_reset", actor=user, obj=user, request=request)
    _revoke_secrets(user)


def _revoke_secrets(user) -> None:
    """A new password ends the API tokens that sign in as the person without it. (The
    calendar feed address is ended by ``apps.notifications.signals`` on the same signals.)"""
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now())
    if revoked:
        audit.record("api_token.revoked_all", actor=user, obj=user, count=revoked)


@receiver(mfa_signals.authenticator_added)
def _authenticator_added(sender, request, user, authenticator, **kwargs):
    from allauth.account.internal.flows.login import record_authentication

    audit.record("auth.mfa_added", actor=user, obj=user, request=request,
                 type=authenticator.type)
    # Activating needs a valid code from the new authenticator: that is a second factor
    # used in this session.
    if request is not None and authenticator.type == "totp":
        record_authentication(request, user, "mfa", id=authenticator.pk, type="totp")


@receiver(mfa_signals.authenticator_removed)
def _authenticator_removed(sender, request, user, authenticator, **kwargs):
    audit.record("auth.mfa_removed", actor=user, obj=user, request=request,
                 type=authenticator.type)


@receiver(mfa_signals.authenticator_reset)
def _authenticator_reset(sender, request, user, authenticator, **kwargs):
    audit.record("auth.mfa_reset", actor=user, obj=user, request=request,
                 type=authenticator.type)


@receiver(post_save, sender=Authenticator)
@receiver(post_delete, sender=Authenticator)
def _authenticators_changed(sender, instance, **kwargs):
    """Forget the cached answer to 'has an authenticator app' (apps/accounts/middleware.py),
    whoever changed it: the person, the recovery flow or the admin."""
    key = authenticator_cache_key(instance.user_id)
    cache.delete(key)
    # Again once committed: a request that read the table before the commit may have put
    # the old answer back in the meantime.
    transaction.on_commit(lambda: cache.delete(key))
