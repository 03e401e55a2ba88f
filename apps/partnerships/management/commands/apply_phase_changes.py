from django.core.management.base import BaseCommand

from apps.partnerships.services import apply_phase_changes


class Command(BaseCommand):
    help = "Daily: phases scheduled for today or earlier become the partnerships' current phase."

    def handle(self, *args, **options):
        moved = apply_phase_changes()
        self.stdout.write(f"{moved} partnership{'' if moved == 1 else 's'} moved to a new phase.")
