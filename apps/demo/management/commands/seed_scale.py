"""``manage.py seed_scale``: add a national-scale fictional dataset (bench/scale/)."""

from django.core.management.base import BaseCommand, CommandError

from bench.scale.generate import PRESETS, ScaleSpec, generate


class Command(BaseCommand):
    help = ("Add a national-scale fictional dataset for benchmarks: schools, partnerships, "
            "people, reviews with teams and plans, training sessions (see bench/README.md).")

    def add_arguments(self, parser):
        parser.add_argument("--preset", choices=sorted(PRESETS), default="national")
        for name, kind in (("schools", int), ("partnerships", int), ("per-partnership", int),
                           ("past-sessions", int), ("future-sessions", int),
                           ("actions-per-review", int), ("seed", int),
                           ("start-year", int)):
            parser.add_argument(f"--{name}", type=kind, help=f"Override the preset's {name}")

    def handle(self, *args, **opts):
        base = PRESETS[opts["preset"]]
        changes = {f: opts[f] for f in ("schools", "partnerships", "per_partnership",
                                         "past_sessions", "future_sessions",
                                         "actions_per_review", "seed", "start_year")
                   if opts.get(f) is not None}
        try:
            spec = ScaleSpec(**{**base.__dict__, **changes})
        except ValueError as e:
            raise CommandError(str(e)) from e
        result = generate(spec, progress=lambda m: self.stderr.write(m))
        total = sum(result["seconds"].values())
        for name, n in result["counts"].items():
            self.stdout.write(f"{name:>14}: {n:,}")
        self.stdout.write(f"Done in {total:.1f} s")
