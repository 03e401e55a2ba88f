"""Faults under load: Redis and PostgreSQL taken away from the running site and given back,
while client threads keep asking for pages and /healthz. The site runs under gunicorn with
the production settings (config/gunicorn.conf.py) and reaches both servers through TCP
proxies (bench/proxy.py) that are cut and restored, so neither server is stopped (other work
on the machine uses them). See bench/README.md ("Faults").

Steps, each ``--step`` seconds of load:

1. steady: everything up;
2. Redis down: its connections cut and new ones refused;
3. Redis back;
4. PostgreSQL down: its connections cut and new ones refused;
5. PostgreSQL back;
6. PostgreSQL restarts: every connection of the site's ended (``pg_terminate_backend``) at
   the start of the step, the server itself staying up, as after a quick restart.

Expected: no error at all in steps 1-3; while PostgreSQL is down every /healthz answer is
503, at once (no hang); after it is back, /healthz and the pages answer 200 within a few
seconds, by themselves, and then without errors.

    .venv/bin/python bench/faults.py --db-url postgres://postgres@127.0.0.1:5432/peerreview_scale
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_bench import wait_for  # noqa: E402
from bench.proxy import TcpProxy, free_port  # noqa: E402
from bench.soak import setup  # noqa: E402

APP = "faults-bench"  # the site's connections carry this application_name


def client(port: int, targets: list[tuple[str, str, str | None]], stop: threading.Event,
           log: list[tuple[float, str, int, float]]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    n = 0
    while not stop.is_set():
        label, path, session = targets[n % len(targets)]
        n += 1
        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
        if session:
            headers["Cookie"] = f"sessionid={session}"
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            status = 0
        log.append((time.monotonic(), label, status, time.perf_counter() - started))


def terminate_site_connections(db_url: str) -> int:
    import psycopg

    with psycopg.connect(db_url, autocommit=True) as conn:
        rows = conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE application_name = %s", [APP]).fetchall()
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", required=True, help="PostgreSQL with the national dataset")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--step", type=float, default=15, help="seconds per step")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    db, redis = urlsplit(args.db_url), urlsplit(args.redis_url)
    pg_proxy = TcpProxy(db.port or 5432, db.hostname or "127.0.0.1").up()
    redis_proxy = TcpProxy(redis.port or 6379, redis.hostname or "127.0.0.1").up()
    site_db = (f"{db.scheme}://{db.netloc.rsplit('@', 1)[0]}@127.0.0.1:{pg_proxy.port}"
               f"{db.path}?application_name={APP}")
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "SECRET_KEY": "faults-bench-only-" + "x" * 40, "ALLOWED_HOSTS": "127.0.0.1",
           "DATABASE_URL": site_db,
           "REDIS_URL": f"redis://127.0.0.1:{redis_proxy.port}{redis.path or '/0'}",
           "WEB_CONCURRENCY": str(args.workers), "BIND": f"127.0.0.1:{port}",
           "EMAIL_URL": "dummymail://", "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
                   cwd=ROOT, env=env, check=True)
    plan = setup(env, "prepare", "2", "0", "1", "0")
    targets = [("healthz", "/healthz", None), ("catalogue, signed out", "/training/", None)]
    for persona in plan["head"] + plan["lead"]:
        targets += [("signed-in pages", path, persona["session"]) for path in persona["gets"]]
    tmp = Path(tempfile.mkdtemp(prefix="faults-"))
    log_file = (tmp / "server.log").open("ab")
    web = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py",
                            "config.wsgi:application"], cwd=ROOT, env=env, stdout=log_file,
                           stderr=subprocess.STDOUT)
    log: list[tuple[float, str, int, float]] = []
    steps: list[tuple[str, float, float]] = []
    stop = threading.Event()
    threads = [threading.Thread(target=client, args=(port, targets[n % len(targets):]
                                                      + targets[:n % len(targets)], stop, log),
                                daemon=True) for n in range(args.clients)]
    terminated = 0
    try:
        wait_for(port, web)
        time.sleep(2)
        for t in threads:
            t.start()
        time.sleep(3)  # warm
        def restart() -> None:
            nonlocal terminated
            terminated = terminate_site_connections(args.db_url)

        actions = [("steady", lambda: None), ("Redis down", redis_proxy.down),
                   ("Redis back", redis_proxy.up), ("PostgreSQL down", pg_proxy.down),
                   ("PostgreSQL back", pg_proxy.up), ("PostgreSQL restarts", restart)]
        for name, action in actions:
            began = time.monotonic()
            action()
            time.sleep(args.step)
            steps.append((name, began, time.monotonic()))
            print(f"  {name}: done", file=sys.stderr)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=40)
        web.terminate()
        try:
            web.wait(timeout=30)
        except subprocess.TimeoutExpired:
            web.kill()
        pg_proxy.down()
        redis_proxy.down()
        log_file.close()

    print(f"\nFaults under load: gunicorn {args.workers} workers, production settings, "
          f"{args.clients} client threads, {args.step:g} s per step, {os.cpu_count()} CPUs "
          f"(load {os.getloadavg()[0]:.1f})\n")
    print(f"{'step':<22}{'requests':>9}{'not 200':>9}{'healthz 200/503/other':>23}"
          f"{'healthz max ms':>16}{'first 200 after s':>19}")
    report, verdicts = [], []
    for name, began, ended in steps:
        rows = [r for r in log if began <= r[0] < ended]
        health = [r for r in rows if r[1] == "healthz"]
        bad = [r for r in rows if r[2] != 200]
        first_ok = {label: next((t - began for t, lab, s, _ in rows if lab == label
                                 and s == 200), None)
                    for label in ("healthz", "signed-in pages")}
        h = [sum(1 for r in health if r[2] == code) for code in (200, 503)]
        other = len(health) - sum(h)
        since = max((v for v in first_ok.values() if v is not None), default=None)
        hmax = max((r[3] for r in health), default=0) * 1000
        print(f"{name:<22}{len(rows):>9}{len(bad):>9}{f'{h[0]}/{h[1]}/{other}':>23}"
              f"{hmax:>16.0f}{'-' if since is None else f'{since:.1f}':>19}")
        report.append({"step": name, "requests": len(rows), "not_200": len(bad),
                       "statuses": sorted({r[2] for r in bad}), "healthz": h + [other],
                       "healthz_max_ms": hmax, "first_200_s": first_ok})
        if name in ("steady", "Redis down", "Redis back"):
            verdicts.append((f"{name}: no errors", not bad, f"{len(bad)} not 200"))
        elif name == "PostgreSQL down":
            late = [r for r in health if r[0] >= began + 1]  # answers begun before the cut
            verdicts.append(("PostgreSQL down: /healthz 503 throughout",
                             bool(late) and all(r[2] == 503 for r in late),
                             f"{sum(r[2] == 503 for r in late)} of {len(late)}"))
            verdicts.append(("PostgreSQL down: /healthz answers within 5 s", hmax < 5000,
                             f"max {hmax:.0f} ms"))
        else:
            ok = since is not None and since < 5
            after = [r for r in rows if since is not None and r[0] >= began + since + 1]
            verdicts.append((f"{name}: answering again within 5 s, by itself", ok,
                             "never" if since is None else f"{since:.1f} s"))
            verdicts.append((f"{name}: no errors once recovered",
                             bool(after) and all(r[2] == 200 for r in after),
                             f"{sum(r[2] != 200 for r in after)} not 200"))
    print(f"\n(PostgreSQL restarts: {terminated} connections of the site ended)")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    (out / f"faults-{stamp}.json").write_text(json.dumps(report, indent=1))
    print()
    for name, ok, detail in verdicts:
        print(f"{'PASS' if ok else 'FAIL'}  {name}  ({detail})")
    return 0 if all(ok for _, ok, _ in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
