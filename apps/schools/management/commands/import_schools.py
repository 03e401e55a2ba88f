import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.schools.importer import NotARegisterFile
from apps.schools.services import import_register


class Command(BaseCommand):
    help = (
        "Import a schools register file from Get Information about Schools (search-results "
        "export or national bulk extract). Upserts by URN; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--json", action="store_true",
                            help="Print one JSON object with the counts and rejected rows.")

    def handle(self, *args, file: Path, **options):
        as_json: bool = options["json"]
        try:
            data = file.open("rb")  # read in blocks, never whole
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        show_progress = not as_json and sys.stderr.isatty()
        last: dict[str, str | None] = {"stage": None}

        def progress(stage: str, done: int, total: int) -> None:
            if not show_progress:
                return
            pct = int(done * 100 / total) if total else 100
            if stage != last["stage"] and last["stage"] is not None:
                sys.stderr.write("\n")
            last["stage"] = stage
            sys.stderr.write(f"\r{stage}: {done:,}/{total:,} ({pct}%)   ")
            sys.stderr.flush()

        try:
            with data:
                summary = import_register(data, filename=file.name, progress=progress)
        except NotARegisterFile as exc:
            if show_progress:
                sys.stderr.write("\n")
            raise CommandError(str(exc)) from exc
        if show_progress:
            sys.stderr.write("\n")
        if as_json:
            out = {k: summary[k] for k in ("rows", "created", "updated", "unchanged",
                                           "rejected", "errors")}
            self.stdout.write(json.dumps(out, ensure_ascii=False))
            return
        self.stdout.write(
            f"{summary['rows']:,} rows ({summary['layout']}, {summary['encoding']}): "
            f"{summary['created']:,} created, {summary['updated']:,} updated, "
            f"{summary['unchanged']:,} unchanged, {summary['rejected']:,} rejected."
        )
        for err in summary["errors"][:50]:
            self.stdout.write(f"  row {err['row']}: {err['reason']}")
        if len(summary["errors"]) > 50:
            self.stdout.write(f"  … and {len(summary['errors']) - 50:,} more (use --json).")

