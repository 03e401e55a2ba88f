from django.core.management.base import BaseCommand

from apps.training.services import expire_offers


class Command(BaseCommand):
    help = ("Pass on waiting-list offers that were not taken up in time to the next person. "
            "Run every few minutes (e.g. every 15).")

    def handle(self, *args, **options):
        self.stdout.write(f"{expire_offers()} offer(s) expired and passed on.")
