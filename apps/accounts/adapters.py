from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.utils.translation import gettext_lazy as _

# Slowing down password guessing without letting a stranger lock anyone out (README
# "Security", docs/deploy.md). allauth counts failed sign-ins under ACCOUNT_RATE_LIMITS
# "login_failed"; its per-key rate is keyed by the address alone, so five wrong passwords
# typed by anyone, anywhere, would shut the owner out too. We key that rate by connection
# *and* address, and add a much higher address-wide rate ("login_failed_address") for guessing
# spread over many connections. A successful password reset clears both.
ADDRESS_ACTION = "login_failed_address"


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people join by invitation."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _(
            "The email address or the password is not right. Check both and try again."),
        "too_many_login_attempts": _(
            "There have been too many wrong passwords for this email address from your "
            "connection, so signing in from here is paused for a while. Try again later, or "
            "reset your password."),
        "too_many_login_attempts_address": _(
            "There have been a great many wrong passwords for this email address, so signing "
            "in with it is paused for up to an hour. Reset your password to sign in now."),
    }

    def is_open_for_signup(self, request):
        return False

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """The key of allauth's per-key "login_failed" rates: this connection and address."""
        return f"{ratelimit.get_ip(request)}|{_address(credentials)}"

    def pre_authenticate(self, request, **credentials):
        super().pre_authenticate(request, **credentials)  # per connection, per address
        address = ratelimit.consume(request, app="allauth.account", action=ADDRESS_ACTION,
                                    key=_address(credentials))
        if address is None:
            self._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts_address")
        # A successful sign-in takes back its own count from both (allauth rolls this back).
        self._login_failed_rl_usage.usage.extend(address.usage)

    def _delete_login_attempts_cached_email(self, request, **credentials):
        """After a successful password reset: this connection's count and the address-wide
        count for the address start again (an attacker's own connection stays slowed)."""
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(request, app="allauth.account", action=ADDRESS_ACTION,
                        key=_address(credentials))


def _address(credentials) -> str:
    return str(credentials.get("email") or credentials.get("username") or "").strip().lower()


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Microsoft or Google sign-in only for people who already have an account (matched
    by verified email); it never creates accounts."""

    def is_open_for_signup(self, request, sociallogin):
        return False
