from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand

from .load_demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current authenticator code for the demo core-team and associate sign-ins."

    def handle(self, *args, **options):
        import time

        from allauth.mfa import app_settings

        counter = int(time.time()) // app_settings.TOTP_PERIOD
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter)))
