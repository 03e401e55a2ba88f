"""Soak: a mix of personas using the site together for minutes on end, under gunicorn with
the production settings (config/gunicorn.conf.py, Redis, a task worker), on the national
dataset. It passes with no error, no lost write and no growth in the workers' memory.

Personas (each virtual user is one person, signed in as the sign-in page would leave them,
and waits a random think time between requests, exponential with mean ``--think``):

- **headteachers** read their school's review: home, overview, report, improvement plan;
- **reviewers** open the evidence page and type a note, autosaved every few seconds as the
  page's script does (each save sends the whole text with the version the last one returned);
- **partnership leads**: the partnership page, a review's team page, the reviews API;
- **the core team** (with the authenticator step): school directory searches, the audit log,
  the reviews API, the training catalogue;
- **public registrants** (signed out, each from their own address): the training catalogue,
  then registering for an open event.

Every answer must be the expected one (200; an autosave's JSON says ``ok``; a registration
page says "Check your email"); anything else, a timeout included, is an error. The writes
each client was told succeeded (the last text of every note, every registration) are checked
in the database at the end. Each worker's resident memory is sampled every few seconds. See
bench/README.md ("Soak").

    .venv/bin/python bench/soak.py --db-url postgres://postgres@127.0.0.1:5432/peerreview_scale
    .venv/bin/python bench/soak.py --db-url ... --minutes 3 --users 50
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_bench import wait_for  # noqa: E402
from bench.proxy import free_port  # noqa: E402

MIX = {"head": 0.30, "reviewer": 0.25, "lead": 0.12, "core": 0.08, "registrant": 0.25}
SENTENCES = [
    "Pupils in Year 4 read aloud to a partner and corrected each other's errors.",
    "The teacher modelled the sound, then the class repeated it together twice.",
    "Two pupils explained how they choose a book from the class library.",
    "Reading records show most pupils read at home four times a week.",
    "In the learning walk, working walls in every class showed the week's sounds.",
    "The reading lead said new staff are coached in the first half term.",
]
CSRF = "soak" + "x" * 28  # a client-chosen CSRF secret: 32 letters, as Django accepts


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {}
        self.errors: list[dict] = []
        self.notes: dict[str, str] = {}  # client id -> last text the server acknowledged
        self.emails: list[str] = []

    def timed(self, label: str, seconds: float) -> None:
        with self.lock:
            self.latencies.setdefault(label, []).append(seconds)

    def error(self, label: str, what: str) -> None:
        with self.lock:
            self.errors.append({"at": time.time(), "label": label, "what": what[:300]})


class User:
    """One person: a keep-alive connection, their cookies and their think time."""

    def __init__(self, port: int, session: str | None, think: float, stats: Stats,
                 rng: random.Random, ip: str) -> None:
        self.port, self.think, self.stats, self.rng, self.ip = port, think, stats, rng, ip
        self.cookies = f"csrftoken={CSRF}" + (f"; sessionid={session}" if session else "")
        self.conn = self._connect()

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def pause(self, stop: float) -> None:
        time.sleep(max(0.0, min(self.rng.expovariate(1 / self.think), 4 * self.think,
                                stop - time.monotonic())))

    def request(self, label: str, method: str, path: str, body: dict | None = None,
                extra: dict | None = None) -> tuple[int, bytes] | None:
        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "Cookie": self.cookies,
                   "X-Forwarded-For": self.ip}
        data = None
        if method == "POST":
            data = urlencode(body or {})
            headers.update({"Content-Type": "application/x-www-form-urlencoded",
                            "X-CSRFToken": CSRF, "Origin": "https://127.0.0.1"})
        headers.update(extra or {})
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as e:
            self.conn.close()
            self.conn = self._connect()
            self.stats.error(label, f"{e.__class__.__name__} {path}")
            return None
        self.stats.timed(label, time.perf_counter() - started)
        if response.status != 200:
            self.stats.error(label, f"HTTP {response.status} {path}")
            return None
        return response.status, content

    def get_all(self, label: str, paths: list[str], stop: float) -> None:
        for path in self.rng.sample(paths, len(paths)):
            if time.monotonic() >= stop:
                return
            self.request(label, "GET", path)
            self.pause(stop)


def head(user: User, plan: dict, stop: float) -> None:
    user.get_all("head pages", plan["gets"], stop)


def lead(user: User, plan: dict, stop: float) -> None:
    user.get_all("lead pages", plan["gets"], stop)


def core(user: User, plan: dict, stop: float) -> None:
    user.get_all("core team pages", plan["gets"], stop)


def reviewer(user: User, plan: dict, stop: float) -> None:
    user.get_all("evidence page", plan["gets"], stop)
    client_id, version, text = str(uuid.uuid4()), "", ""
    for sentence in user.rng.sample(SENTENCES, user.rng.randint(3, len(SENTENCES))):
        if time.monotonic() >= stop:
            return
        text = f"{text} {sentence}".strip()
        answer = user.request("evidence autosave", "POST", plan["autosave"], {
            "client_id": client_id, "lock_version": version, "line": "", "activity": "",
            "text": text, "tags": "reading"}, {"X-Autosave": "1"})
        if answer is None:
            return
        reply = json.loads(answer[1])
        if not reply.get("ok"):
            user.stats.error("evidence autosave", f"not saved: {reply}")
            return
        version = str(reply["version"])
        with user.stats.lock:
            user.stats.notes[client_id] = text
        user.pause(stop)


def registrant(user: User, plan: dict, stop: float) -> None:
    user.get_all("public pages", plan["gets"], stop)
    email = f"soak-{uuid.uuid4().hex[:12]}@outside.example"
    # Each registration comes from its own address, as different people would.
    user.ip = f"10.{user.rng.randint(0, 255)}.{user.rng.randint(0, 255)}.{user.rng.randint(1, 254)}"
    answer = user.request("public registration", "POST", plan["register"], {
        "full_name": "Soak Visitor", "email": email, "school_name": "Elsewhere Primary",
        "consent": "on", "website": ""})
    if answer is not None:
        if b"Check your email" in answer[1]:
            with user.stats.lock:
                user.stats.emails.append(email)
        else:
            user.stats.error("public registration", "no confirmation page")
    user.pause(stop)


PERSONAS = {"head": head, "reviewer": reviewer, "lead": lead, "core": core,
            "registrant": registrant}


def run_user(kind: str, user: User, plan: dict, stop: float) -> None:
    user.pause(stop)  # users arrive over the first think time, not all at once
    while time.monotonic() < stop:
        PERSONAS[kind](user, plan, stop)
    user.conn.close()


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def sample_memory(master: int, worker_pids: list[int], every: float, stop: float,
                  samples: list[dict]) -> None:
    while time.monotonic() < stop:
        row = {"t": time.monotonic(), "web": {p: rss_mb(p) for p in children(master)},
               "tasks": {p: rss_mb(p) for p in worker_pids}}
        samples.append(row)
        time.sleep(every)


def setup(env: dict, *args: str, stdin: str | None = None) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.soak_setup", *args], cwd=ROOT, env=env,
                         input=stdin, capture_output=True, text=True, timeout=900)
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def memory_summary(samples: list[dict], warm_until: float) -> dict:
    """Per worker: resident memory after the warm-up (median of the first minute after it)
    and at the end (median of the last minute), and the largest seen."""
    out = {}
    for group in ("web", "tasks"):
        pids = {p for s in samples for p in s[group]}
        for pid in sorted(pids):
            series = [(s["t"], s[group][pid]) for s in samples if s[group].get(pid)]
            after = [(t, m) for t, m in series if t >= warm_until]
            if len(after) < 2:
                continue
            t0, t1 = after[0][0], after[-1][0]
            first = [m for t, m in after if t <= t0 + 60]
            last = [m for t, m in after if t >= t1 - 60]
            out[f"{group} {pid}"] = {"start_mb": statistics.median(first),
                                     "end_mb": statistics.median(last),
                                     "max_mb": max(m for _, m in series),
                                     "growth_mb": statistics.median(last)
                                     - statistics.median(first)}
    return out


def _quantile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", required=True, help="PostgreSQL with the national dataset")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--think", type=float, default=5.0, help="mean think time, seconds")
    parser.add_argument("--warm-up", type=float, default=60, help="seconds before memory "
                                                                  "growth is measured")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--max-growth-mb", type=float, default=25)
    parser.add_argument("--seed", type=int, default=18)
    return parser.parse_args(argv)


def _user_threads(kinds: list[str], plan: dict, args: argparse.Namespace, stats: Stats,
                  rng: random.Random, port: int, stop: float) -> list[threading.Thread]:
    """One thread per virtual user, each signed in as its own persona."""
    seen = {k: 0 for k in MIX}
    threads = []
    for n, kind in enumerate(kinds):
        persona = plan[kind] if kind == "registrant" else \
            plan[kind][seen[kind] % len(plan[kind])]
        seen[kind] += 1
        user = User(port, persona.get("session") if kind != "registrant" else None,
                    args.think, stats, random.Random(rng.random()), f"10.200.0.{n + 1}")
        threads.append(threading.Thread(target=run_user, args=(kind, user, persona, stop),
                                        daemon=True))
    return threads


def _wait_reporting(threads: list[threading.Thread], stats: Stats) -> None:
    """Wait for every user, printing progress each minute."""
    last_report = time.monotonic()
    while any(t.is_alive() for t in threads):
        time.sleep(1)
        if time.monotonic() - last_report >= 60:
            last_report = time.monotonic()
            done = sum(len(v) for v in stats.latencies.values())
            print(f"  {done:,} requests, {len(stats.errors)} errors", file=sys.stderr)
    for t in threads:
        t.join()


def _stop(*procs: subprocess.Popen) -> None:
    """Stop the server processes, killing any that do not stop within 30 seconds."""
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    rng = random.Random(args.seed)
    kinds = [k for k, share in MIX.items() for _ in range(round(share * args.users))]
    kinds = (kinds + ["head"] * args.users)[:args.users]
    tmp = Path(tempfile.mkdtemp(prefix="soak-"))
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "SECRET_KEY": "soak-bench-only-" + "x" * 40, "ALLOWED_HOSTS": "127.0.0.1",
           "DATABASE_URL": args.db_url, "REDIS_URL": args.redis_url,
           "WEB_CONCURRENCY": str(args.workers), "BIND": f"127.0.0.1:{port}",
           "TRUSTED_PROXY_COUNT": "1", "EMAIL_URL": "dummymail://",
           "SITE_URL": "https://127.0.0.1", "PYTHONPATH": str(ROOT)}
    print("Migrating, collecting static files, preparing personas ...", file=sys.stderr)
    for command in (["migrate", "--no-input", "-v0"],
                    ["collectstatic", "--no-input", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    plan = setup(env, "prepare", str(kinds.count("head")), str(kinds.count("reviewer")),
                 str(kinds.count("lead")), str(kinds.count("core")))
    log = (tmp / "server.log").open("ab")
    web = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py",
                            "config.wsgi:application"], cwd=ROOT, env=env, stdout=log,
                           stderr=subprocess.STDOUT)
    tasks = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--queue-name",
                              "default"], cwd=ROOT, env=env, stdout=log,
                             stderr=subprocess.STDOUT)
    stats = Stats()
    samples: list[dict] = []
    began = time.time()
    try:
        wait_for(port, web)
        time.sleep(2)  # every worker booted
        stop = time.monotonic() + args.minutes * 60
        threads = _user_threads(kinds, plan, args, stats, rng, port, stop)
        sampler = threading.Thread(target=sample_memory,
                                   args=(web.pid, [tasks.pid], 5.0, stop, samples), daemon=True)
        sampler.start()
        warm_until = time.monotonic() + args.warm_up
        for t in threads:
            t.start()
        _wait_reporting(threads, stats)
        sampler.join()
        elapsed = time.time() - began
    finally:
        _stop(web, tasks)
        log.close()
    check = setup(env, "verify", stdin=json.dumps({"notes": stats.notes, "emails": stats.emails,
                                                   "session_id": plan["registrant"]["session_id"]}))
    memory = memory_summary(samples, warm_until)
    server_log = (tmp / "server.log").read_text(errors="replace")
    shutil.rmtree(tmp, ignore_errors=True)

    total = sum(len(v) for v in stats.latencies.values())
    print(f"\nSoak: {args.users} users ({', '.join(f'{kinds.count(k)} {k}' for k in MIX)}), "
          f"think time mean {args.think:g} s, {args.minutes:g} min; gunicorn "
          f"{args.workers} workers (config/gunicorn.conf.py), production settings, Redis, "
          f"1 task worker; {os.cpu_count()} CPUs (load {os.getloadavg()[0]:.1f} at the end)\n")
    print(f"requests {total:,} in {elapsed:.0f} s ({total / elapsed:.1f}/s), "
          f"errors {len(stats.errors)}\n")
    print(f"{'requests':<22}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for label, values in sorted(stats.latencies.items()):
        values.sort()
        p50, p95, p99 = (_quantile(values, q) for q in (0.5, 0.95, 0.99))
        print(f"{label:<22}{len(values):>8,}{p50:>9.0f}{p95:>9.0f}{p99:>9.0f}"
              f"{values[-1] * 1000:>9.0f}")
    kinds_of_error: dict[str, int] = {}
    for e in stats.errors:
        key = f"{e['label']}: {e['what'].split(' /')[0]}"
        kinds_of_error[key] = kinds_of_error.get(key, 0) + 1
    for what, n in sorted(kinds_of_error.items()):
        print(f"  error {n} x {what}")
    print("\nwrites acknowledged -> in the database:")
    print(f"  evidence notes      {check['notes_acknowledged']:>6,} -> "
          f"{check['notes_stored']:,} stored, {check['notes_with_last_text']:,} with the last "
          f"text acknowledged")
    print(f"  registrations       {check['registrations_acknowledged']:>6,} -> "
          f"{check['registrations_stored']:,} stored")
    print(f"  table growth: notes {plan['counts']['notes']:,} -> {check['counts']['notes']:,}, "
          f"registrants {plan['counts']['registrants']:,} -> "
          f"{check['counts']['registrants']:,}")
    print(f"\nresident memory per process (after {args.warm_up:g} s warm-up: first minute -> "
          "last minute, median of samples every 5 s):")
    for name, m in memory.items():
        print(f"  {name:<14} {m['start_mb']:>6.0f} -> {m['end_mb']:>6.0f} MB "
              f"(growth {m['growth_mb']:+.1f} MB, max {m['max_mb']:.0f} MB)")
    lost = (check["notes_acknowledged"] - check["notes_with_last_text"]
            + check["registrations_acknowledged"] - check["registrations_stored"])
    grew = [n for n, m in memory.items() if m["growth_mb"] > args.max_growth_mb]
    web_pids = {p for s in samples for p in s["web"]}
    if plan["skipped"]:
        print(f"\n(addresses left out of the plan: not 200 for that persona: "
              f"{len(plan['skipped'])})")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    (out / f"soak-{stamp}.json").write_text(json.dumps({
        "args": vars(args), "kinds": kinds, "requests": total, "seconds": elapsed,
        "errors": stats.errors[:200], "latencies_ms": {
            k: [round(v * 1000, 1) for v in vals] for k, vals in stats.latencies.items()},
        "writes": check, "memory": memory, "samples": samples}, indent=1))
    verdicts = [("0 errors", not stats.errors, f"{len(stats.errors)}"),
                ("no lost write", lost == 0, f"{lost} lost"),
                (f"no worker grew more than {args.max_growth_mb:g} MB", not grew,
                 ", ".join(grew) or "none"),
                ("no worker restarted", len(web_pids) == args.workers,
                 f"{len(web_pids)} worker pids seen")]
    print()
    for name, ok, detail in verdicts:
        print(f"{'PASS' if ok else 'FAIL'}  {name}  ({detail})")
    if stats.errors:
        print("Server log (end):\n" + server_log[-3000:], file=sys.stderr)
    return 0 if all(ok for _, ok, _ in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
