from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people join by invitation."""

    def is_open_for_signup(self, request):
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Microsoft or Google sign-in only for people who already have an account (matched
    by verified email); it never creates accounts."""

    def is_open_for_signup(self, request, sociallogin):
        return False
