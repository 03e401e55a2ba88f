"""Load the programme's enquiry frameworks (apps/frameworks/content/*.json) as published
first versions. Frameworks that already exist are left alone, so this is safe to re-run."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.frameworks.models import Framework
from apps.frameworks.services import create_framework_from_content

CONTENT = Path(__file__).resolve().parents[2] / "content"


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        files = sorted(CONTENT.glob("*.json"))
        created = 0
        for path in files:
            data = json.loads(path.read_text(encoding="utf-8"))
            if Framework.objects.filter(slug=data["slug"]).exists():
                continue
            try:
                create_framework_from_content(data)
            except ValidationError as exc:
                raise CommandError(f"{path.name}: " + " ".join(exc.messages)) from exc
            created += 1
        self.stdout.write(f"{created} framework(s) loaded, {len(files) - created} already there.")
