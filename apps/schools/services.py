"""Writes to the schools register. Every change goes through these functions."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from functools import partial
from typing import IO, TYPE_CHECKING, Any, cast

from django.core.files import File
from django.db import connection, models, transaction
from django.utils import timezone

from apps.core import audit, jobs

from .importer import FIELDS, NotARegisterFile, parse_register
from .models import ImportJob, School
from .selectors import register_changed

if TYPE_CHECKING:
    from apps.accounts.models import User

BATCH = 1000
# A function turning a Python value into what the database driver takes (None: as it is).
Adapter = Callable[[Any], Any] | None


def import_register(
    data: bytes | IO[bytes],
    *,
    filename: str = "",
    actor: Any = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, Any]:
    """Upsert a register file by URN, all or nothing. ``data`` is the file's bytes or the
    file itself, open for reading in binary (read in blocks, from its start, twice or more).

    Returns ``{"rows", "created", "updated", "unchanged", "rejected", "errors", "layout",
    "encoding"}``. Raises ``NotARegisterFile`` (and changes nothing) when the file as a whole
    cannot be read. Rows that cannot be used are reported in ``errors`` with their reason.
    """
    parse_progress = (lambda done, total: progress("Reading the file", done, total)) \
        if progress else None
    # Rows whose register row hash is unchanged are not converted or compared at all.
    known = _row_hashes()
    parsed = parse_register(data, progress=parse_progress, known_hashes=known)
    if progress:
        # The comparison and the writes happen in one transaction, so this is the last
        # progress others can see until the import commits.
        progress("Comparing with the register and saving changes", 0, len(parsed.records))
    with transaction.atomic():
        _lock_register()
        now_stored = _row_hashes() if parsed.skipped else {}
        if any(now_stored.get(urn) != known[urn] for urn in parsed.skipped):
            # Another import changed some of these schools after the hashes were read: read
            # the file again in full (rare; the lock now keeps the register still).
            parsed = parse_register(data)
        existing = _existing(parsed)
        now = timezone.now()
        to_create, to_update, to_rehash, unchanged = _compare(parsed, existing)
        summary = {
            "rows": parsed.rows,
            "created": len(to_create),
            "updated": len(to_update),
            "unchanged": unchanged,
            "rejected": len(parsed.errors),
            "errors": parsed.errors,
            "layout": parsed.layout,
            "encoding": parsed.encoding,
        }
        _write(to_create, to_update, (*parsed.fields, "register_row_hash"), now, progress)
        if to_rehash:
            qn = connection.ops.quote_name
            with connection.cursor() as cursor:
                cursor.executemany(f"UPDATE {qn(School._meta.db_table)} SET "
                                   f"{qn('register_row_hash')} = %s WHERE {qn('id')} = %s",
                                   to_rehash)
        details: dict[str, Any] = {k: v for k, v in summary.items() if k != "errors"}
        audit.record("schools.import.completed", actor=actor, filename=filename,
                     **details)
        register_changed()  # the rows were written without model signals
    return summary


def _existing(parsed: Any) -> dict[int, tuple[int, tuple[Any, ...], str]]:
    """URN -> (pk, the stored values of the file's fields, stored row hash), for the schools
    of the file's converted rows."""
    existing: dict[int, tuple[int, tuple[Any, ...], str]] = {}
    urns = list(parsed.records)
    for start in range(0, len(urns), 20000):
        chunk = urns[start:start + 20000]
        for row in School.objects.filter(urn__in=chunk) \
                .values_list("pk", "urn", "register_row_hash", *parsed.fields) \
                .iterator(chunk_size=5000):
            existing[row[1]] = (row[0], tuple(row[3:]), row[2])
    return existing


def _compare(parsed: Any, existing: dict[int, Any]
             ) -> tuple[list[Any], list[Any], list[tuple[str, int]], int]:
    """(rows to create, rows to update, (hash, pk) of unchanged rows whose hash is new, how
    many are unchanged, the skipped rows included)."""
    to_create: list[tuple[Any, ...]] = []
    to_update: list[tuple[Any, ...]] = []
    to_rehash: list[tuple[str, int]] = []
    unchanged = len(parsed.skipped)
    for urn, values in parsed.records.items():
        current = existing.get(urn)
        digest = parsed.hashes[urn]
        if current is None:
            to_create.append((urn, (*values, digest)))
        elif current[1] != values:
            to_update.append((current[0], (*values, digest)))
        else:
            unchanged += 1
            if current[2] != digest:  # same values, new cells (or first import since)
                to_rehash.append((digest, current[0]))
    return to_create, to_update, to_rehash, unchanged


def _write(to_create: list[Any], to_update: list[Any], written: tuple[str, ...], now: Any,
           progress: Any) -> None:
    """Insert the new schools and update the changed ones, in batches."""
    total = len(to_create) + len(to_update)
    done = 0
    for batch, write in ((to_create, _insert_rows), (to_update, _update_rows)):
        for start in range(0, len(batch), BATCH):
            chunk = batch[start:start + BATCH]
            write(chunk, written, now)
            done += len(chunk)
            if progress:
                progress("Saving schools", done, total)


def _row_hashes() -> dict[int, str]:
    """URN -> stored register row hash, for every school that has one."""
    return dict(School.objects.exclude(register_row_hash="")
                .values_list("urn", "register_row_hash").iterator(chunk_size=20000))


def _lock_register() -> None:
    """One import at a time. SQLite's write transactions are already one at a time; on
    PostgreSQL a transaction-scoped advisory lock serialises imports."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REGISTER_LOCK])


REGISTER_LOCK = 742_001  # an arbitrary, fixed advisory-lock key for register imports


def _adapters(fields: Iterable[str]) -> list[Adapter]:
    """Per-column functions turning Python values into what the database driver takes.

    The import writes raw rows (``COPY`` or ``executemany``) instead of ``bulk_create``, which
    builds a model instance per row and compiles SQL per value."""
    ops = connection.ops
    out: list[Adapter] = []
    for name in fields:
        field = School._meta.get_field(name)
        if isinstance(field, models.DateField):
            out.append(ops.adapt_datefield_value)
        elif isinstance(field, models.DecimalField):
            out.append(partial(ops.adapt_decimalfield_value, max_digits=field.max_digits,
                               decimal_places=field.decimal_places))
        else:
            out.append(None)
    return out


def _column(name: str) -> str:
    field = School._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column, name  # register fields only
    return field.column


def _columns(fields: Iterable[str]) -> list[str]:
    return [_column(name) for name in fields]


def _adapt(values: tuple[Any, ...], adapters: Sequence[Adapter]) -> list[Any]:
    return [v if a is None or v is None else a(v) for v, a in zip(values, adapters, strict=True)]


def _insert_rows(rows: list[tuple[int, tuple[Any, ...]]], fields: Sequence[str],
                 now: datetime) -> None:
    """New schools: the file's fields, and each other register field at its empty value."""
    absent = [f for f in FIELDS if f not in fields]
    empty = [("" if isinstance(School._meta.get_field(f), models.CharField) else None)
             for f in absent]
    every = [*fields, *absent]
    adapters = _adapters(every)
    qn = connection.ops.quote_name
    cols = ["urn", "imported_at", *_columns(every)]
    if connection.vendor == "postgresql":
        # COPY is several times faster than row-by-row INSERTs on PostgreSQL.
        copy_sql = (f"COPY {qn(School._meta.db_table)} ({', '.join(qn(c) for c in cols)}) "
                    "FROM STDIN")
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            for urn, values in rows:
                copy.write_row([urn, now, *values, *empty])
        return
    sql = (f"INSERT INTO {qn(School._meta.db_table)} ({', '.join(qn(c) for c in cols)}) "
           f"VALUES ({', '.join(['%s'] * len(cols))})")
    stamp = connection.ops.adapt_datetimefield_value(now)
    params = [[urn, stamp, *_adapt((*values, *empty), adapters)] for urn, values in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _update_rows(rows: list[tuple[int, tuple[Any, ...]]], fields: Sequence[str],
                 now: datetime) -> None:
    adapters = _adapters(fields)
    qn = connection.ops.quote_name
    cols = ["imported_at", *_columns(fields)]
    sql = (f"UPDATE {qn(School._meta.db_table)} SET "
           f"{', '.join(f'{qn(c)} = %s' for c in cols)} WHERE {qn('id')} = %s")
    stamp = connection.ops.adapt_datetimefield_value(now)
    params = [[stamp, *_adapt(values, adapters), pk] for pk, values in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def create_import_job(*, upload: File[Any], actor: User | None) -> ImportJob:
    """Store an uploaded file (copied to the file storage in blocks, ADR 0005) and queue its
    import (after the transaction commits)."""
    from .tasks import run_import_job

    name = os.path.basename(upload.name or "") or "register.csv"
    job = ImportJob.objects.create(
        created_by=actor, filename=name[:255], file=upload, size_bytes=upload.size
    )
    audit.record("schools.import.uploaded", actor=actor, obj=job, filename=job.filename,
                 size_bytes=job.size_bytes)
    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


def run_import_job(job_id: int) -> ImportJob:
    """Run one queued import job, keeping its progress fields current for the status page."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        return job
    jobs.start(ImportJob, job.pk, started_at=timezone.now(), stage="Starting")

    def progress(stage: str, done: int, total: int) -> None:
        # Progress is written outside the import's own transaction only while reading;
        # inside it the update is visible when the transaction commits.
        jobs.progress(ImportJob, job.pk, stage=stage, rows_done=done, rows_total=total)

    try:
        with job.file.open("rb") as upload:
            summary = import_register(cast(IO[bytes], upload), filename=job.filename,
                                      actor=job.created_by, progress=progress)
    except NotARegisterFile as exc:
        jobs.fail(ImportJob, job.pk, error=str(exc), file="", finished_at=timezone.now(),
                  stage="")
        audit.record("schools.import.refused", actor=job.created_by, obj=job, reason=str(exc))
    except Exception:
        jobs.fail(
            ImportJob, job.pk, file="", finished_at=timezone.now(), stage="",
            error="The import stopped because of an unexpected error. Nothing was changed; "
                  "the platform team has been told.")
        raise
    else:
        jobs.finish(
            ImportJob, job.pk, summary=summary, file="",
            finished_at=timezone.now(), stage="", rows_done=summary["rows"],
            rows_total=summary["rows"])
    finally:
        _delete_upload(job)
    job.refresh_from_db()
    return job


def _delete_upload(job: ImportJob) -> None:
    """The uploaded file goes once its import has ended (the row no longer names it)."""
    if job.file.name and not ImportJob.objects.filter(pk=job.pk, file=job.file.name).exists():
        job.file.storage.delete(job.file.name)
