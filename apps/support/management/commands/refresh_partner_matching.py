"""Rebuild every school's texts for partner matching (docs/partner-matching.md): after a
bulk load, or when the embedding model changes. Signals keep them current otherwise."""

from django.core.management.base import BaseCommand

from apps.support import matching


class Command(BaseCommand):
    help = "Rebuild the stored texts and embeddings that suggest partner schools"

    def handle(self, *args, **options):
        embedded = matching.refresh_all()
        using = matching.ranker()
        self.stdout.write(f"Embedded {embedded} new or changed texts; suggestions use the "
                          f"{using} ranker.")
