"""python manage.py allocate INSTANCE.json --out SOLUTION.json [--time-limit SECONDS]

Reads an `spp-allocation/1` instance and writes its solution (docs/allocation-format.md).
Needs no database content."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from apps.allocation.solver import solve
from apps.allocation.spec import InstanceError, load_instance


class Command(BaseCommand):
    help = "Propose every review team of an allocation instance (OR-Tools CP-SAT)."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("instance", help="instance JSON file ('-' for standard input)")
        parser.add_argument("--out", help="where to write the solution (default: standard "
                                          "output)")
        parser.add_argument("--time-limit", type=float, default=60.0,
                            help="seconds the solver may use (default 60)")
        parser.add_argument("--workers", type=int, default=None,
                            help="pools solved at once, one CP-SAT thread each (default: the "
                                 "cores this process may use, at most 8)")

    def handle(self, *args, **options):
        path = options["instance"]
        try:
            raw = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
        except OSError as e:
            raise CommandError(f"Cannot read {path}: {e.strerror}") from None
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as e:
            raise CommandError(f"{path} is not valid JSON: {e.msg} at line {e.lineno}, "
                               f"column {e.colno}") from None
        try:
            instance = load_instance(data)
        except InstanceError as e:
            raise CommandError(f"The instance is not valid: {e}") from None
        if options["time_limit"] <= 0:
            raise CommandError("--time-limit must be more than 0 seconds")
        result = solve(instance, time_limit=options["time_limit"], workers=options["workers"])
        text = json.dumps(result.as_json(instance.name), indent=1)
        if options["out"]:
            with open(options["out"], "w", encoding="utf-8") as f:
                f.write(text + "\n")
        else:
            self.stdout.write(text)
        summary = f"{result.status}"
        if result.objective is not None:
            summary += f", objective {result.objective:g} (bound {result.bound:g})"
        summary += f", {len(result.assignments)} assignments, {result.seconds:.1f} s"
        self.stderr.write(summary)
        for reason in result.reasons:
            self.stderr.write(f"  - {reason}")
