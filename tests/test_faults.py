"""Faults (issue 18): a process killed with ``kill -9`` half-way through the register import
or through a burst of bookings leaves the data as the rules want it, and the site answers
503 on /healthz while PostgreSQL is away and recovers by itself when it is back.

Each fault is real: the import and the bookings run in child processes (the test profile,
on this test run's PostgreSQL database) that are killed with SIGKILL mid-transaction; the
health check runs under gunicorn with the production settings, reaching PostgreSQL through
a TCP proxy (bench/proxy.py) that is cut and restored. PostgreSQL itself is never stopped.
bench/faults.py repeats the last one under load, with Redis too. SQLite has no server to
lose and one writer at a time, so these run on PostgreSQL only (CI runs them there).
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from bench.gias_bulk import write_bulk
from bench.proxy import TcpProxy, free_port

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="faults of a database server: PostgreSQL only (CI runs them)"),
    pytest.mark.django_db(transaction=True),
]


def _database_url(port: int | None = None) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return (f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{port or s['PORT'] or 5432}/"
            f"{s['NAME']}")


def _child(code: str, *args: str) -> subprocess.Popen:
    """A Python child on this run's test database, printing a line per event."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "DATABASE_URL": _database_url(), "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _read_until(proc: subprocess.Popen, predicate, timeout: float = 120) -> list[str]:
    """Lines of the child's output up to the first one ``predicate`` accepts."""
    assert proc.stdout is not None and proc.stderr is not None
    lines: list[str] = []
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"the child ended early: {proc.stderr.read()[-3000:]}")
        lines.append(line.strip())
        if predicate(line.strip()):
            return lines
    raise AssertionError("the child did not get there in time")


def _kill(proc: subprocess.Popen) -> list[str]:
    """SIGKILL the child; the lines it printed before dying."""
    assert proc.stdout is not None
    os.kill(proc.pid, signal.SIGKILL)
    rest = proc.stdout.read()
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    return [line.strip() for line in rest.splitlines() if line.strip()]


def _wait_backend_gone(pid: int) -> None:
    """Until PostgreSQL has noticed the dead client and rolled its transaction back."""
    with connection.cursor() as cursor:
        for _ in range(100):
            cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone() is None:
                return
            time.sleep(0.1)
    raise AssertionError(f"backend {pid} still there 10 s after its client was killed")


# The register import ------------------------------------------------------------------------

IMPORT_CHILD = """
import sys, time, django
django.setup()
from django.conf import settings
from django.db import connection
# The upload is in the parent's file storage: a folder both processes see.
settings.STORAGES = {**settings.STORAGES, "default": {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": sys.argv[3]}}}
from apps.schools import services
services.BATCH = 500
write = {"calls": 0}
real = {"insert": services._insert_rows, "update": services._update_rows}
def counted(kind):
    def run(rows, fields, now):
        real[kind](rows, fields, now)
        write["calls"] += 1
        if write["calls"] == int(sys.argv[2]):
            with connection.cursor() as c:
                c.execute("SELECT pg_backend_pid()")
                print("HALF", c.fetchone()[0], flush=True)
            time.sleep(120)  # killed here, inside the import's transaction
    return run
services._insert_rows, services._update_rows = counted("insert"), counted("update")
job = services.run_import_job(int(sys.argv[1]))
print("FINISHED", job.status, flush=True)
"""


def _pupils_plus_one(data: bytes) -> bytes:
    """The same file with every school's NumberOfPupils one higher."""
    rows = list(csv.reader(io.StringIO(data.decode("cp1252"), newline="")))
    col = rows[0].index("NumberOfPupils")
    for row in rows[1:]:
        row[col] = str(int(row[col] or 0) + 1)
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("cp1252")


def _register() -> list[tuple]:
    from apps.schools.models import School

    fields = [f.attname for f in School._meta.concrete_fields]
    return list(School.objects.order_by("urn").values_list(*fields))


def test_register_import_killed_half_way_leaves_the_register_as_it_was(settings, tmp_path):
    from django.core.files.base import ContentFile

    from apps.schools import services
    from apps.schools.models import ImportJob

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)}}}

    services.import_register(write_bulk(3000))
    before = _register()
    assert len(before) == 3000
    # The next file: every school changed (3,000 updates) and 1,000 new ones, written in
    # 8 batches of 500: the child is killed after the 4th (all new schools and 1,000
    # updates written, uncommitted).
    data = _pupils_plus_one(write_bulk(4000))
    job = ImportJob.objects.create(filename="next.csv", size_bytes=len(data),
                                   file=ContentFile(data, name="next.csv"))
    child = _child(IMPORT_CHILD, str(job.pk), "4", str(tmp_path))
    half = _read_until(child, lambda line: line.startswith("HALF"))[-1]
    _kill(child)
    _wait_backend_gone(int(half.split()[1]))

    assert _register() == before  # all or nothing: nothing
    job.refresh_from_db()
    # The job's page says it is importing, and after an hour that the worker may have
    # stopped and the file can be uploaded again (schools/_import_progress.html).
    assert job.status == ImportJob.Status.RUNNING and job.rows_done < 4000
    # The advisory lock died with the child's session: the next import runs, and finds
    # every change still to make.
    summary = services.import_register(data)
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (1000, 3000, 0)


# A burst of bookings ------------------------------------------------------------------------

BOOKING_CHILD = """
import sys, threading, time, django
django.setup()
from django.core.exceptions import ValidationError
from django.db import connections
from apps.accounts.models import User
from apps.core import audit
from apps.training import services
from apps.training.models import Session
real = audit.record
def slow(*args, **kwargs):  # a wider window inside each booking's transaction and lock
    time.sleep(0.03)
    return real(*args, **kwargs)
audit.record = slow
session_id, ids = int(sys.argv[1]), [int(x) for x in sys.argv[2].split(",")]
out = threading.Lock()
def book(mine):
    for uid in mine:
        user = User.objects.get(pk=uid)
        try:
            b = services.book(Session.objects.get(pk=session_id), user=user, by=user)
        except ValidationError as e:
            line = f"REFUSED {uid}"
        else:
            line = f"OK {b.pk} {uid} {b.status}"
        with out:
            print(line, flush=True)
    connections.close_all()
threads = [threading.Thread(target=book, args=(ids[i::4],)) for i in range(4)]
for t in threads: t.start()
for t in threads: t.join()
print("FINISHED", flush=True)
"""


def _successes(lines: list[str]) -> dict[int, tuple[int, str]]:
    """booking id -> (user id, status) for every booking a child was told succeeded."""
    ok = [line.split() for line in lines if line.startswith("OK ")]
    return {int(pk): (int(uid), status) for _, pk, uid, status in ok}


def test_booking_burst_killed_half_way_loses_nothing_and_never_overbooks():
    from apps.training.models import Booking
    from apps.training.tests.test_booking import new_session
    from tests.factories import UserFactory

    session = new_session(capacity=10)
    people = [UserFactory().pk for _ in range(40)]
    ids = lambda chunk: ",".join(map(str, chunk))  # noqa: E731
    killed = _child(BOOKING_CHILD, str(session.pk), ids(people[:20]))
    other = _child(BOOKING_CHILD, str(session.pk), ids(people[20:]))
    lines: list[str] = []
    while len(_successes(lines)) < 6:  # a few bookings in, then killed
        lines += _read_until(killed, lambda line: line.startswith("OK"))
    lines += _kill(killed)
    other_lines, errors = other.communicate(timeout=120)
    assert other.returncode == 0, errors[-3000:]
    assert other_lines.strip().endswith("FINISHED")

    told = {**_successes(lines), **_successes(other_lines.splitlines())}
    stored = {b.pk: (b.user_id, b.status) for b in Booking.objects.filter(session=session)}
    # No lost booking: every booking a caller was told about is there, as it was told.
    assert {pk: stored.get(pk) for pk in told} == told
    # Others may have committed just before the kill without their caller hearing: at most
    # one per thread of the killed process, and only of its people.
    unheard = set(stored) - set(told)
    assert len(unheard) <= 4 and all(stored[pk][0] in people[:20] for pk in unheard)
    # No overbooking, nobody twice, and with people waiting every place is taken.
    statuses = [status for _, status in stored.values()]
    assert statuses.count("booked") == session.capacity
    assert len({uid for uid, _ in stored.values()}) == len(stored)
    positions = list(Booking.objects.filter(session=session, status="waiting")
                     .values_list("position", flat=True))
    assert len(positions) == statuses.count("waiting") == len(stored) - session.capacity
    assert len(set(positions)) == len(positions)


# PostgreSQL away and back ---------------------------------------------------------------------

def _get(port: int, path: str) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    try:
        return response.status, json.loads(body)
    except ValueError:
        return response.status, {}


def test_healthz_is_503_while_postgresql_is_away_and_recovers_by_itself(tmp_path):
    s = connection.settings_dict
    proxy = TcpProxy(int(s["PORT"] or 5432), s["HOST"] or "127.0.0.1").up()
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "SECRET_KEY": "faults-test-only-" + "x" * 40, "ALLOWED_HOSTS": "127.0.0.1",
           "DATABASE_URL": _database_url(proxy.port), "PYTHONPATH": str(ROOT)}
    env.pop("REDIS_URL", None)
    log = (tmp_path / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            try:
                status, body = _get(port, "/healthz")
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()[-3000:]
                time.sleep(0.2)
        assert status == 200 and body["status"] == "ok"
        # Away: the open connection (CONN_MAX_AGE) is cut and new ones are refused.
        proxy.down()
        for _ in range(3):
            started = time.monotonic()
            status, body = _get(port, "/healthz")
            assert status == 503, body
            assert body["checks"]["database"].startswith("error")
            assert time.monotonic() - started < 5  # an answer, not a hang
        # Back: the next check reconnects by itself, no restart.
        proxy.up()
        status, body = _get(port, "/healthz")
        assert status == 200 and body["status"] == "ok"
        # A restart that ends every connection between two requests (as PostgreSQL's own
        # restart does): CONN_HEALTH_CHECKS notices, and the request is served.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        assert _get(port, "/healthz")[0] == 200
        assert server.poll() is None  # the same server throughout
    finally:
        server.terminate()
        server.wait(timeout=20)
        proxy.down()
        log.close()
