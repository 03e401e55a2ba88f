"""Remind people 60 and 14 days before their peer-reviewer or Improvement Champion training
runs out. Run once a day (cron); running it twice sends nothing twice."""

from datetime import date

from django.core.management.base import BaseCommand

from apps.training.records import send_expiry_reminders


class Command(BaseCommand):
    help = ("Remind people 60 and 14 days before their peer-reviewer or Improvement Champion "
            "training runs out.")

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, default=None,
                            help="Run as if today were this date (YYYY-MM-DD)")

    def handle(self, *args, today=None, **options):
        self.stdout.write(f"{send_expiry_reminders(today)} reminder(s) sent.")
