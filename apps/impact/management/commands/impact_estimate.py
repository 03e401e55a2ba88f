import csv
import io
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.impact.estimate import DEFAULT_MATCHING, AnalysisError, Spec, estimate, long_from_parsed
from apps.impact.outcomes import NotAnOutcomesFile, parse_outcomes


def _treated(path: Path) -> tuple[set[int], dict]:
    """URNs (and clusters, from an optional ``partnership`` column) of the treated schools."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"Cannot read {path}: {exc}") from exc
    reader = csv.DictReader(io.StringIO(text))
    fields = {(f or "").strip().lower(): f for f in reader.fieldnames or []}
    if "urn" not in fields:
        raise CommandError(f"{path.name} has no URN column.")
    urns, clusters = set(), {}
    for number, row in enumerate(reader, start=2):
        value = (row[fields["urn"]] or "").strip()
        if not value.isdigit():
            raise CommandError(f"{path.name} row {number}: the URN “{value}” is not a number.")
        urns.add(int(value))
        if "partnership" in fields and (row[fields["partnership"]] or "").strip():
            clusters[int(value)] = row[fields["partnership"]].strip()
    if not urns:
        raise CommandError(f"{path.name} lists no URNs.")
    return urns, clusters


class Command(BaseCommand):
    help = ("Matched comparison and difference-in-differences on KS2 performance files. "
            "Prints one JSON object with --json. Bad input exits non-zero with a one-line "
            "reason.")

    def add_arguments(self, parser):
        parser.add_argument("--outcomes", nargs="+", type=Path, required=True)
        parser.add_argument("--treated", type=Path, required=True,
                            help="CSV with a URN column (and optionally a partnership column, "
                                 "the cluster for standard errors)")
        parser.add_argument("--outcome", required=True)
        parser.add_argument("--pre-year", type=int, required=True)
        parser.add_argument("--post-year", type=int, required=True)
        parser.add_argument("--match", nargs="+", default=DEFAULT_MATCHING,
                            help="matching variables: measure columns, outcome_pre, "
                                 "outcome_trend")
        parser.add_argument("--k", type=int, default=1)
        parser.add_argument("--without-replacement", action="store_true")
        parser.add_argument("--caliper", type=float, default=0.5,
                            help="in standard deviations; 0 for none")
        parser.add_argument("--same-la", action="store_true")
        parser.add_argument("--seed", type=int, default=20260901)
        parser.add_argument("--sd", type=float, help="standard deviation for the effect size")
        parser.add_argument("--sd-source", default="", help="where --sd comes from")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **o):
        if o["k"] < 1:
            raise CommandError("--k must be 1 or more.")
        parsed = []
        for path in o["outcomes"]:
            try:
                parsed.append(parse_outcomes(path.read_bytes(), path.name))
            except OSError as exc:
                raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
            except NotAnOutcomesFile as exc:
                raise CommandError(f"{path.name}: {exc}") from exc
        urns, clusters = _treated(o["treated"])
        spec = Spec(outcome=o["outcome"], pre_year=o["pre_year"], post_year=o["post_year"],
                    matching=o["match"], k=o["k"], replacement=not o["without_replacement"],
                    caliper=o["caliper"] or None, same_la=o["same_la"], seed=o["seed"],
                    sd=o["sd"], sd_source=o["sd_source"])
        try:
            result = estimate(long_from_parsed(parsed), urns, spec, clusters=clusters)
        except AnalysisError as exc:
            raise CommandError(str(exc)) from exc
        if o["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        r = result
        self.stdout.write(
            f"{spec.outcome} {spec.pre_year}→{spec.post_year}: estimate {r['estimate']} "
            f"(95% CI {r['ci_low']} to {r['ci_high']}), effect size "
            f"{r['effect_size']['value']}, {r['months']['value']} months; "
            f"{r['n_treated']} treated, {r['n_comparison']} comparison, "
            f"{r['n_dropped']} dropped.")
        for row in r["balance"]:
            self.stdout.write(f"  {row['variable']}: SMD {row['smd_before']} → "
                              f"{row['smd_after']}{' (above 0.1)' if row['flagged'] else ''}")
        sys.stdout.flush()
