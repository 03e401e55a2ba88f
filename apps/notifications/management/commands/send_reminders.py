from datetime import date

from django.core.management.base import BaseCommand, CommandError

from apps.notifications.services import send_reminders


class Command(BaseCommand):
    help = ("Remind attendees of events 10 and 2 working days ahead (each reminder once). "
            "Run once a day from the scheduler (cron).")

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD), "
                                            "to catch up a missed run.")

    def handle(self, *args, today=None, **options):
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError as exc:
            raise CommandError(f"--today must be a date like 2026-09-14: {exc}") from exc
        self.stdout.write(f"{send_reminders(day)} reminder(s) sent.")
