"""Sign-in events come from Django's auth signals: the one place they can be observed.
Everything else is audited from service functions."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import audit


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit.record("auth.signed_in", actor=user, obj=user, request=request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record("auth.signed_out", actor=user, obj=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    email = str(credentials.get("email") or credentials.get("username") or "")[:254]
    audit.record("auth.sign_in_failed", request=request, attempted_email=email)
