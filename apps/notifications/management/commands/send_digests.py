from django.core.management.base import BaseCommand

from apps.notifications.services import send_digests


class Command(BaseCommand):
    help = ("Email each person who chose a daily digest one summary of their waiting "
            "notifications. Run once a day from the scheduler (cron).")

    def handle(self, *args, **options):
        self.stdout.write(f"{send_digests()} digest email(s) sent.")
