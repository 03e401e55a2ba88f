"""Load benchmark: the site under gunicorn with the production settings, against a bare WSGI
hello served the same way in the same run.

Loopback only and bounded in time: each target is loaded for ``--seconds`` by
``--concurrency`` client threads keeping connections open (a small Python load generator;
the client shares the machine's CPUs, which is why every result is also given as a share of
the hello's throughput). The database is a fresh SQLite file with the scale generator's
small preset (or ``--db-url`` for an existing database, which is migrated, not emptied).
See bench/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start in time")


def gunicorn(app: str, port: int, workers: int, env: dict, log: Path) -> subprocess.Popen:
    # Output goes to a file: an unread pipe would fill up and stall the server.
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--log-level", "warning", "--keep-alive", "5"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def load(port: int, path: str, headers: dict, seconds: float, concurrency: int) -> dict:
    """Request ``path`` from ``concurrency`` threads for ``seconds``; count and time it."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine, bad = [], []
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad.append(f"HTTP {response.status}")
            except (OSError, http.client.HTTPException) as e:
                bad.append(e.__class__.__name__)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            mine.append(time.perf_counter() - start)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    pick = (lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000) \
        if latencies else (lambda q: float("nan"))
    return {"path": path, "requests": len(latencies), "errors": len(errors),
            "error_kinds": sorted(set(errors))[:5], "seconds": elapsed,
            "rps": len(latencies) / elapsed, "p50_ms": pick(0.5), "p95_ms": pick(0.95),
            "mean_ms": statistics.fmean(latencies) * 1000 if latencies else float("nan")}


def prepare(env: dict) -> str:
    """Migrate, collect the static files (production serves them from the manifest), add
    the small scale preset, and return a signed-in session key for a
    headteacher of the generated data."""
    code = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "call_command('collectstatic', interactive=False, verbosity=0)\n"
        "from apps.accounts.models import User\n"
        "if not User.objects.filter(email__endswith='@scale.example').exists():\n"
        "    from bench.scale.generate import PRESETS, generate; generate(PRESETS['small'])\n"
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY\n"
        "from importlib import import_module; from django.conf import settings\n"
        "user = User.objects.filter(email__startswith='head.').order_by('pk').first()\n"
        "s = import_module(settings.SESSION_ENGINE).SessionStore()\n"
        "s[SESSION_KEY] = str(user.pk); s[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
        "s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
        "import time; s['account_authentication_methods'] = [{'method': 'password', "
        "'at': time.time(), 'email': user.email}]\n"
        "s['account_authentication_methods_user'] = str(user.pk)\n"
        "s.create(); print(s.session_key)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, text=True,
                         capture_output=True, timeout=600)
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return out.stdout.strip().splitlines()[-1]


PAGES = [("hello (bare WSGI)", "hello", "/"),
         ("health check", "site", "/healthz"),
         ("training catalogue, signed out", "site", "/training/"),
         ("home, headteacher", "site-signed-in", "/"),
         ("school directory search, headteacher", "site-signed-in", "/schools/?q=oak"),
         ("API reviews, headteacher", "site-signed-in", "/api/reviews/")]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="per target (max 60)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--db-url", default="", help="default: a fresh SQLite file")
    args = parser.parse_args(argv)
    seconds = min(max(args.seconds, 1), 60)
    tmp = Path(tempfile.mkdtemp(prefix="load-bench-"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "SECRET_KEY": "load-bench-only-" + "x" * 40, "ALLOWED_HOSTS": "127.0.0.1",
           "DATABASE_URL": args.db_url or f"sqlite:///{tmp / 'load.sqlite3'}",
           "PYTHONPATH": str(ROOT)}
    procs = []
    try:
        session = prepare(env)
        ports = {"hello": free_port(), "site": free_port()}
        log = tmp / "gunicorn.log"
        procs.append(gunicorn("bench.load.hello:application", ports["hello"], args.workers,
                              env, log))
        procs.append(gunicorn("config.wsgi:application", ports["site"], args.workers, env,
                              log))
        for port, proc in zip(ports.values(), procs, strict=True):
            wait_for(port, proc)
        # As behind the TLS-terminating proxy of docs/deploy.md.
        base = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
        results = []
        for label, target, path in PAGES:
            headers = dict(base)
            if target == "site-signed-in":
                headers["Cookie"] = f"sessionid={session}"
            port = ports["hello" if target == "hello" else "site"]
            load(port, path, headers, min(2.0, seconds), args.concurrency)  # warm up
            r = load(port, path, headers, seconds, args.concurrency)
            results.append({"label": label, **r})
            print(f"  {label}: {r['rps']:.0f} req/s {' '.join(r['error_kinds'])}",
                  file=sys.stderr)
        server_log = log.read_text(errors="replace")[-3000:]
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    hello = results[0]["rps"]
    print(f"\nLoad benchmark: gunicorn {args.workers} workers, production settings, "
          f"{args.concurrency} client threads, {seconds:g} s per target, "
          f"{os.cpu_count()} CPUs (load {os.getloadavg()[0]:.1f})\n")
    print(f"{'target':<40}{'req/s':>8}{'of hello':>10}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
    for r in results:
        print(f"{r['label']:<40}{r['rps']:>8.0f}{r['rps'] / hello:>9.1%}"
              f"{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}{r['errors']:>8}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    (out / f"load-{stamp}.json").write_text(json.dumps(results, indent=1))
    failed = [r["label"] for r in results if r["errors"] or not r["requests"]]
    if failed:
        print("\nFAIL  errors or no answers for: " + ", ".join(failed))
        print("Server log (end):\n" + server_log, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
