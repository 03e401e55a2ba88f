"""A new password ends the calendar feed address: it signs in as the person without one."""

from allauth.account import signals as account_signals
from django.dispatch import receiver

from .services import revoke_calendar_tokens


@receiver(account_signals.password_changed)
def _password_changed(sender, request, user, **kwargs):
    revoke_calendar_tokens(user)


@receiver(account_signals.password_reset)
def _password_reset(sender, request, user, **kwargs):
    revoke_calendar_tokens(user)
