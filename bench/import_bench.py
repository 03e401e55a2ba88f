"""Benchmark of the schools-register importer (``apps.schools.services.import_register``).

Builds a national bulk-extract file (``bench/gias_bulk.py``, fixed seed), times a bare
``csv`` read of it as the baseline, then in one subprocess per database (fresh SQLite file,
and PostgreSQL when reachable) times a first import, a re-import of the same file and a
re-import with 5% of rows changed. Prints a table, writes ``bench/results/import-*.json`` and
exits 1 when a target is missed (0 when all are met), so it can serve as a gate.
See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Plain base settings with DEBUG off: DEBUG records every query and slows database work.
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
os.environ["DEBUG"] = "false"

from bench.gias_bulk import write_bulk  # noqa: E402

SEED = 20220420
RESULTS = ROOT / "bench" / "results"
PG_URL = "postgres://postgres@127.0.0.1:5432/peerreview_bench"
CHANGE_EVERY = 20  # the third step changes NumberOfPupils in 1 row in 20 (5%)
BASELINE_RUNS = 3
MIN_FIRST_RATE = 5000  # rows/s, first import on SQLite
MAX_REIMPORT_SECONDS = 15.0  # re-import with nothing changed, every database
MIN_REIMPORT_SPEEDUP = 3.0  # first import / re-import with nothing changed, every database
STEPS = {
    "first": "first import (all new)",
    "same": "re-import, nothing changed",
    "changed": "re-import, 5% changed",
}
COUNTS = ("rows", "created", "updated", "unchanged", "rejected")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def with_changes(data: bytes, every: int = CHANGE_EVERY) -> tuple[bytes, int]:
    """The same file with NumberOfPupils raised by one in every ``every``-th row."""
    rows = list(csv.reader(io.StringIO(data.decode("cp1252"), newline="")))
    at = rows[0].index("NumberOfPupils")
    changed = 0
    for row in rows[every::every]:
        row[at] = str(int(float(row[at] or 0)) + 1)
        changed += 1
    buf = io.StringIO(newline="")
    csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("cp1252"), changed


def bare_csv_read(data: bytes) -> int:
    """The baseline: decode Windows-1252 and read every row with ``csv.reader``."""
    return sum(1 for _ in csv.reader(io.StringIO(data.decode("cp1252"), newline=""))) - 1


# --- worker: runs in a subprocess with DATABASE_URL set ------------------------------------


def worker(files: dict[str, Path], repeat: int) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from apps.schools.models import School
    from apps.schools.services import import_register

    if settings.DEBUG:
        raise SystemExit("DEBUG is on: the timings would include query recording.")
    call_command("migrate", verbosity=0, interactive=False)
    vendor = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version" if vendor == "postgresql"
                       else "SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    table = connection.ops.quote_name(School._meta.db_table)
    empty = f"TRUNCATE {table} CASCADE" if vendor == "postgresql" else f"DELETE FROM {table}"
    runs: dict[str, list[dict]] = {step: [] for step in STEPS}
    for _ in range(repeat):
        with connection.cursor() as cursor:
            cursor.execute(empty)
        for step in STEPS:
            marks: dict[str, float] = {}

            def progress(stage, done, total, marks=marks):
                marks.setdefault(stage, time.perf_counter())

            gc.collect()
            start = time.perf_counter()
            # Read from the file in blocks, as the import task reads a stored upload.
            with files[step].open("rb") as upload:
                summary = import_register(upload, filename=f"bench-{step}.csv",
                                          progress=progress)
            seconds = time.perf_counter() - start
            parsed = next((at for stage, at in marks.items()
                           if stage.startswith("Comparing with the register")), None)
            runs[step].append({
                "seconds": seconds,
                "parse_seconds": parsed - start if parsed else None,
                "schools_in_db": School.objects.count(),
                **{k: summary[k] for k in COUNTS},
            })
            log(f"  {vendor:<10} {STEPS[step]:<28} {seconds:7.2f} s")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"vendor": vendor, "server_version": version, "peak_rss_mb": peak_mb, "runs": runs}


# --- parent --------------------------------------------------------------------------------


def prepare_postgres(url: str) -> str | None:
    """Drop and recreate the benchmark database. Returns why not, or None when ready."""
    try:
        import psycopg
        from psycopg import sql
    except ImportError:
        return "psycopg is not installed"
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        return f"refusing to drop database {name!r}: its name must contain 'bench'"
    admin = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                         .format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as exc:
        return f"PostgreSQL not reachable ({str(exc).strip().splitlines()[0]})"
    return None


def run_worker(url: str, files: dict[str, Path], repeat: int) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", "--repeat", str(repeat)]
    cmd += [f"--file-{step}={path}" for step, path in files.items()]
    proc = subprocess.run(cmd, env={**os.environ, "DATABASE_URL": url}, cwd=ROOT,
                          stdout=subprocess.PIPE, text=True)
    if proc.returncode:
        return {"error": f"worker exited with status {proc.returncode} (see stderr above)"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def summarise(result: dict, baseline: float, rows: int) -> dict:
    steps = {}
    for step, runs in result["runs"].items():
        seconds = statistics.median(r["seconds"] for r in runs)
        parse = [r["parse_seconds"] for r in runs if r["parse_seconds"] is not None]
        steps[step] = {
            "seconds": seconds,
            "rows_per_second": rows / seconds,
            "x_baseline": seconds / baseline,
            "parse_seconds": statistics.median(parse) if parse else None,
            "runs": runs,
        }
    return {"server_version": result["server_version"], "peak_rss_mb": result["peak_rss_mb"],
            "steps": steps}


def expected_counts(step: str, rows: int, changed: int) -> dict:
    return {
        "first": {"created": rows, "updated": 0, "unchanged": 0},
        "same": {"created": 0, "updated": 0, "unchanged": rows},
        "changed": {"created": 0, "updated": changed, "unchanged": rows - changed},
    }[step] | {"rows": rows, "rejected": 0, "schools_in_db": rows}


def checks(databases: dict, rows: int, changed: int) -> list[dict]:
    out = []
    for db, result in databases.items():
        if "skipped" in result:
            continue
        if "error" in result:
            out.append({"name": f"{db}: benchmark ran", "ok": False, "value": result["error"]})
            continue
        steps = result["steps"]
        if db == "sqlite":
            rate = steps["first"]["rows_per_second"]
            out.append({"name": f"sqlite: first import >= {MIN_FIRST_RATE:,} rows/s",
                        "ok": rate >= MIN_FIRST_RATE, "value": f"{rate:,.0f} rows/s"})
        seconds = steps["same"]["seconds"]
        out.append({"name": f"{db}: re-import, nothing changed < {MAX_REIMPORT_SECONDS:g} s",
                    "ok": seconds < MAX_REIMPORT_SECONDS, "value": f"{seconds:.2f} s"})
        speedup = steps["first"]["seconds"] / seconds
        out.append({"name": f"{db}: re-import, nothing changed >= {MIN_REIMPORT_SPEEDUP:g}x "
                            "faster than the first import",
                    "ok": speedup >= MIN_REIMPORT_SPEEDUP, "value": f"{speedup:.1f}x"})
        wrong = [f"{step} {k}={run[k]} (expected {v})"
                 for step, s in steps.items() for run in s["runs"]
                 for k, v in expected_counts(step, rows, changed).items() if run[k] != v]
        out.append({"name": f"{db}: counts as expected", "ok": not wrong,
                    "value": "; ".join(wrong[:3]) or "yes"})
    return out


def print_report(report: dict) -> None:
    f, b = report["file"], report["baseline"]
    print(f"\nRegister import benchmark, {report['started'][:16]} UTC, "
          f"{report['machine']['cpus']} CPUs (load {report['machine']['load_before']:.1f} "
          f"at start), median of {report['repeat']} run(s)")
    print(f"File: {f['rows']:,} rows, {f['bytes'] / 1e6:.1f} MB, bulk-extract layout, "
          f"Windows-1252 (seed {f['seed']}); 5% step changes {f['changed_rows']:,} rows")
    print(f"Baseline (cp1252 decode + csv.reader, median of {BASELINE_RUNS}): "
          f"{b['seconds']:.3f} s, {b['rows_per_second']:,.0f} rows/s\n")
    print(f"{'database':<11}{'step':<28}{'seconds':>8}{'rows/s':>9}"
          f"{'x baseline':>12}{'parse s':>9}")
    notes = []
    for db, result in report["databases"].items():
        if "steps" not in result:
            kind = "skipped" if "skipped" in result else "error"
            print(f"{db:<11}{kind}: {result[kind]}")
            continue
        for step, s in result["steps"].items():
            parse = f"{s['parse_seconds']:.2f}" if s["parse_seconds"] is not None else "-"
            print(f"{db:<11}{STEPS[step]:<28}{s['seconds']:>8.2f}"
                  f"{s['rows_per_second']:>9,.0f}{s['x_baseline']:>11.1f}x{parse:>9}")
        notes.append(f"{db} {result['server_version']}: "
                     f"worker peak memory {result['peak_rss_mb']:.0f} MB")
    print("", *notes, sep="\n")
    print()
    for c in report["checks"]:
        print(f"{'PASS' if c['ok'] else 'FAIL'}  {c['name']}  ({c['value']})")
    if not report["checks"]:
        print("FAIL  no database was benchmarked, so no target was checked")


def git_state() -> dict:
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout

    return {"commit": git("rev-parse", "HEAD").strip() or None,
            "dirty_files": git("status", "--porcelain").splitlines()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50000, help="rows in the file (50000)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each import (1)")
    parser.add_argument("--db", action="append", choices=["sqlite", "postgres"],
                        help="only this database (may be given twice; default both)")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", PG_URL),
                        help=f"PostgreSQL database, dropped and recreated ({PG_URL})")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    for step in STEPS:
        parser.add_argument(f"--file-{step}", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rows < 1 or args.repeat < 1:
        parser.error("--rows and --repeat must be at least 1")
    files = {step: getattr(args, f"file_{step}") for step in STEPS}
    if args.worker:
        print(json.dumps(worker(files, args.repeat)))
        return 0

    started, load = datetime.now(UTC), os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="import-bench-") as tmp_name:
        tmp = Path(tmp_name)
        log(f"Building a {args.rows:,}-row bulk-extract file in {tmp}")
        data = write_bulk(args.rows, seed=SEED)
        changed_data, changed = with_changes(data)
        files = {"first": tmp / "bulk.csv", "same": tmp / "bulk.csv",
                 "changed": tmp / "bulk-changed.csv"}
        files["first"].write_bytes(data)
        files["changed"].write_bytes(changed_data)

        timings = []
        for _ in range(BASELINE_RUNS):
            start = time.perf_counter()
            counted = bare_csv_read(data)
            timings.append(time.perf_counter() - start)
        assert counted == args.rows, counted
        baseline = statistics.median(timings)

        databases: dict[str, dict] = {}
        for db in args.db or ["sqlite", "postgres"]:
            url = f"sqlite:///{tmp / 'bench.sqlite3'}"
            if db == "postgres":
                url = args.pg_url
                why = prepare_postgres(url)
                if why:
                    log(f"postgres: skipped: {why}")
                    databases[db] = {"skipped": why}
                    continue
            log(f"{db}: migrating and importing ({args.repeat} run(s))")
            result = run_worker(url, files, args.repeat)
            databases[db] = result if "error" in result else \
                summarise(result, baseline, args.rows)

    report = {
        "started": started.isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version(), "load_before": load},
        "git": git_state(),
        "repeat": args.repeat,
        "file": {"rows": args.rows, "bytes": len(data), "seed": SEED,
                 "changed_rows": changed},
        "baseline": {"seconds": baseline, "rows_per_second": args.rows / baseline,
                     "runs": timings},
        "databases": databases,
        "checks": checks(databases, args.rows, changed),
    }
    report["passed"] = bool(report["checks"]) and all(c["ok"] for c in report["checks"])
    print_report(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"import-{started:%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nResults written to {out.relative_to(ROOT)}")
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
