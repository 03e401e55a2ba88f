from django.core.management.base import BaseCommand

from apps.training.public import delete_expired


class Command(BaseCommand):
    help = ("Delete the details of people registered from outside the programme 12 months "
            "after their last event (unconfirmed registrations after 30 days), as the consent "
            "wording promises. Run daily.")

    def handle(self, *args, **options):
        result = delete_expired()
        self.stdout.write(f"Deleted: {result}")
