import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.impact.outcomes import NotAnOutcomesFile
from apps.impact.services import import_outcomes


class Command(BaseCommand):
    help = ("Import DfE key stage 2 performance tables files (three years each: the file's "
            "year and the _18/_17 columns). A register file from Get Information about Schools "
            "may be given too, for predecessor links. All or nothing; safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--json", action="store_true",
                            help="Print one JSON object with the counts and rejected rows.")

    def handle(self, *args, files: list[Path], **options):
        uploads = []
        for file in files:
            try:
                uploads.append((file.name, file.read_bytes()))
            except OSError as exc:
                raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        try:
            summary = import_outcomes(uploads)
        except NotAnOutcomesFile as exc:
            raise CommandError(f"Nothing was imported. {exc}") from exc
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        for f in summary["files"]:
            self.stdout.write(f"{f['name']}: {f['schools']:,} schools, years {f['year'] - 2}–"
                              f"{f['year']}, {f['rejected']:,} rows rejected.")
        self.stdout.write(f"{summary['values']:,} values ({summary['no_value']:,} with no "
                          f"value, kept with the reason): {summary['created']:,} new, "
                          f"{summary['updated']:,} changed, {summary['unchanged']:,} "
                          f"unchanged; {summary['links']:,} new predecessor links.")
        for err in summary["errors"][:50]:
            self.stdout.write(f"  {err['file']} row {err['row']}: {err['reason']}")
