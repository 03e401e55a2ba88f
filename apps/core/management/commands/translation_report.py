"""How much of the interface is in Welsh, by area (apps/core/translation.py)."""

from django.core.management.base import BaseCommand, CommandError

from apps.core.translation import report


class Command(BaseCommand):
    help = ("Report, by area, strings with no Welsh translation yet and template text not "
            "marked for translation.")

    def add_arguments(self, parser):
        parser.add_argument("--details", action="store_true",
                            help="List every untranslated string and unmarked piece of text")
        parser.add_argument("--require", action="append", default=[], metavar="AREA",
                            help="Fail unless this area is completely in Welsh (repeatable)")

    def handle(self, *args, details=False, require=(), **options):
        areas = report()
        for area in areas:
            unmarked = sum(len(p) for p in area.unmarked.values())
            self.stdout.write(
                f"{area.name}: {area.translated} translated, {len(area.untranslated)} not "
                f"translated yet, {unmarked} pieces of text not marked for translation "
                f"in {len(area.unmarked)} templates")
            if details:
                for msgid in area.untranslated:
                    self.stdout.write(f"    not translated: {msgid}")
                for path, pieces in area.unmarked.items():
                    for piece in pieces:
                        self.stdout.write(f"    not marked: {path}: {piece}")
        known = {a.name: a for a in areas}
        for name in require:
            if name not in known:
                raise CommandError(f"No area called {name!r}. Areas: {', '.join(known)}")
            if not known[name].complete:
                raise CommandError(f"{name} is not completely in Welsh yet")
