"""Times every daily job of docs/deploy.md on a database (the national dataset of
``manage.py seed_scale``), each in its own process with the production settings, twice: the
first run does the day's work, the second shows what a repeat costs (each job is safe to run
twice). Emails are queued as tasks, as in production, and not sent. See bench/README.md.

    .venv/bin/python bench/daily_jobs.py --db-url postgres://postgres@127.0.0.1:5432/peerreview_scale
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# In the order docs/deploy.md runs them.
JOBS = ["apply_phase_changes", "send_reminders", "send_stale_action_reminders",
        "delete_expired_registrants", "apply_retention", "send_training_expiry_reminders",
        "send_training_feedback_requests", "expire_training_offers", "send_digests"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", required=True)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args(argv)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "SECRET_KEY": "daily-jobs-bench-only-" + "x" * 40, "ALLOWED_HOSTS": "127.0.0.1",
           "DATABASE_URL": args.db_url, "EMAIL_URL": "dummymail://", "PYTHONPATH": str(ROOT)}
    env.pop("REDIS_URL", None)
    # The interpreter and Django's start, measured alone, are taken off each job's time.
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", "check", "--database", "default"], cwd=ROOT,
                   env=env, check=True, capture_output=True)
    startup = time.perf_counter() - started
    print(f"Daily jobs, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"{os.cpu_count()} CPUs (load {os.getloadavg()[0]:.1f}); process start and "
          f"`manage.py check` alone: {startup:.1f} s (included below)\n")
    print(f"{'job':<34}" + "".join(f"{f'run {n + 1} s':>10}" for n in range(args.runs))
          + "  output of the first run")
    failed = False
    for job in JOBS:
        times, first = [], ""
        for n in range(args.runs):
            started = time.perf_counter()
            out = subprocess.run([sys.executable, "manage.py", job], cwd=ROOT, env=env,
                                 capture_output=True, text=True)
            times.append(time.perf_counter() - started)
            if out.returncode:
                failed = True
                print(out.stderr[-2000:], file=sys.stderr)
            if n == 0:
                first = " ".join(out.stdout.split())[:70]
        print(f"{job:<34}" + "".join(f"{t:>10.1f}" for t in times) + f"  {first}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
