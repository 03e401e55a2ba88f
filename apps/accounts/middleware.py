from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from .models import MFA_REQUIRED_ROLES


class RequireMFAMiddleware:
    """Core team and associates must set up two-factor authentication before anything else.

    Everyone else may turn it on from their account page."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and needs_mfa_setup(user)
        ):
            messages.info(request, "Your role needs two-factor authentication. Set up an "
                                   "authenticator app to continue.")
            return redirect(reverse("mfa_activate_totp") + "?next=" + request.path)
        return self.get_response(request)


def needs_mfa_setup(user) -> bool:
    from allauth.mfa.models import Authenticator

    if not user.roles.current().filter(role__in=MFA_REQUIRED_ROLES).exists():
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
