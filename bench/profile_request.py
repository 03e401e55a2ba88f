"""Profile single requests in-process with the production settings (cProfile).

    .venv/bin/python bench/profile_request.py [--db PATH] [--repeat N] [PATH ...]

Uses (or creates) a SQLite file with the scale generator's small preset, signs in the first
generated headteacher through a session made like bench/load_bench.py's, warms each page up
once, then profiles ``--repeat`` requests of each and prints the top functions by cumulative
time, plus the mean time per request and the number of queries. Not a benchmark: the shares
of a hello in bench/load_bench.py are the figures to compare (bench/README.md).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_PATHS = ["/training/", "/", "/schools/?q=oak", "/api/reviews/"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS)
    parser.add_argument("--db", default="/tmp/profile-request.sqlite3")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--signed-out", action="store_true")
    parser.add_argument("--sort", default="cumulative", help="pstats order, e.g. tottime")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    os.environ.setdefault("SECRET_KEY", "profile-only-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{args.db}")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from apps.accounts.models import User

    call_command("migrate", verbosity=0)
    if not Path(ROOT / "staticfiles" / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    if not User.objects.filter(email__endswith="@scale.example").exists():
        from bench.scale.generate import PRESETS, generate
        generate(PRESETS["small"])
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    if not args.signed_out:
        user = User.objects.filter(email__startswith="head.").order_by("pk").first()
        assert user is not None, "no generated headteacher"
        client.force_login(user)
        session = client.session
        session["account_authentication_methods"] = [
            {"method": "password", "at": time.time(), "email": user.email}]
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()
    for path in args.paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        queries: list[str] = []

        def record(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            client.get(path)
        began = time.perf_counter()
        for _ in range(args.repeat):
            client.get(path)
        plain = (time.perf_counter() - began) / args.repeat
        profiler = cProfile.Profile()
        began = time.perf_counter()
        profiler.enable()
        for _ in range(args.repeat):
            client.get(path)
        profiler.disable()
        took = (time.perf_counter() - began) / args.repeat
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(f"\n=== {path}: {plain * 1000:.1f} ms a request ({took * 1000:.1f} profiled), "
              f"{len(queries)} queries")
        for sql in queries:
            print("   ", sql[:160])
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
