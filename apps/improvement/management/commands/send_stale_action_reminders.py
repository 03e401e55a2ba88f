from django.core.management.base import BaseCommand

from apps.improvement.reminders import send_stale_action_reminders


class Command(BaseCommand):
    help = ("Remind owners of open actions with no progress update for ACTION_STALE_WEEKS "
            "weeks: one message per person per day.")

    def handle(self, *args, **options):
        self.stdout.write(f"{send_stale_action_reminders()} person(s) reminded.")
