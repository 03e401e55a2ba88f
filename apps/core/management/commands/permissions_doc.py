from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from apps.core.permissions_doc import render, undocumented


class Command(BaseCommand):
    help = "Write docs/permissions.md from the rules (every permission in plain English)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="Fail if docs/permissions.md is out of date.")

    def handle(self, *args, check=False, **options):
        missing = undocumented()
        if missing:
            raise SystemExit("Predicates without a docstring: " + ", ".join(missing))
        path = Path(settings.BASE_DIR) / "docs" / "permissions.md"
        text = render()
        if check:
            if not path.exists() or path.read_text() != text:
                raise SystemExit("docs/permissions.md is out of date: run "
                                 "python manage.py permissions_doc")
            self.stdout.write("docs/permissions.md is up to date.")
            return
        path.write_text(text)
        self.stdout.write(f"Wrote {path}")
