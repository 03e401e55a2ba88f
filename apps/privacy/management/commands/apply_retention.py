from django.core.management.base import BaseCommand

from apps.privacy.retention import apply_schedule


class Command(BaseCommand):
    help = ("Apply the retention schedule (docs/data-protection.md): evidence notes "
            "EVIDENCE_NOTE_RETENTION_YEARS after their review closed, people registered from "
            "outside the programme 12 months after their last event, audit entries after "
            "AUDIT_RETENTION_YEARS (looks at review content: AUDIT_VIEW_RETENTION_YEARS). "
            "Run daily; safe twice.")

    def handle(self, *args, **options):
        result = apply_schedule()
        self.stdout.write("Deleted: " + ", ".join(f"{v} {k}" for k, v in result.items()))
