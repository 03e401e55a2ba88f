"""Writes of the impact app. Every change goes through these functions."""

from __future__ import annotations

import base64
import csv
import io
import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core import audit, jobs
from apps.core.storage import random_name
from apps.schools.models import School

from .models import Analysis, Job, Outcome, OutcomeImport, SchoolLink
from .outcomes import NotAnOutcomesFile, parse_outcomes

BATCH = 2000
Progress = Callable[[str, int, int], None]
_J = TypeVar("_J", bound=Job)
LINK = re.compile(r"(\d{6})\s+([A-Za-z][A-Za-z -]*?)\s*(?=,|;|$|\d{6})")


def _is_register(data: bytes) -> bool:
    head = data[:20000].decode("utf-8-sig", errors="replace").splitlines()[:1]
    return bool(head) and "Linked establishments" in head[0]


def parse_links(data: bytes) -> list[tuple[int, int, str]]:
    """(predecessor, successor, kind) from a register file's "Linked establishments"."""
    text = data.decode("utf-8-sig", errors="replace")
    out = set()
    for row in csv.DictReader(io.StringIO(text, newline="")):
        urn = (row.get("URN") or "").strip()
        if not urn.isdigit():
            continue
        for other, kind in LINK.findall(row.get("Linked establishments") or ""):
            if kind.lower().startswith("successor"):
                out.add((int(urn), int(other), kind))
            elif kind.lower().startswith("predecessor"):
                out.add((int(other), int(urn), kind))
    return sorted(out)


def resolve_schools(urns: Iterable[int]) -> dict[int, int]:
    """URN → School id: the school with that URN, else the school it became (register
    predecessor links, followed up to five steps)."""
    urns = set(urns)
    found = dict(School.objects.filter(urn__in=urns).values_list("urn", "pk"))
    links: dict[int, int] = {}
    for pred, succ in SchoolLink.objects.values_list("predecessor_urn", "successor_urn"):
        links.setdefault(pred, succ)
    by_urn = dict(School.objects.filter(urn__in=set(links.values())).values_list("urn", "pk"))
    for urn in urns - set(found):
        current = urn
        for _ in range(5):
            successor = links.get(current)
            if successor is None:
                break
            current = successor
            if current in by_urn:
                found[urn] = by_urn[current]
                break
    return found


def import_outcomes(
    files: list[tuple[str, bytes]],
    *,
    actor: Any = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Import KS2 performance files (and register files, for predecessor links), all or
    nothing: if any file cannot be read, ``NotAnOutcomesFile`` names it and nothing
    changes. Upserts one row per school, year and measure; importing again changes nothing."""
    parsed, links = _read_files(files, progress)
    records: dict[Any, Any] = {}
    la_codes: dict[Any, Any] = {}
    for name, p in parsed:
        for key, cell in p.records.items():
            records[key] = (*cell, name)
        la_codes.update(p.la_codes)
    total = len(records)
    with transaction.atomic():
        link_count = _save_links(links)
        schools = resolve_schools({urn for urn, _, _ in records})
        existing = _existing_outcomes(records)
        changed, counts = _changed_outcomes(records, existing, schools, la_codes)
        for start in range(0, len(changed), BATCH):
            Outcome.objects.bulk_create(
                changed[start:start + BATCH], update_conflicts=True,
                unique_fields=["urn", "year", "measure"],
                update_fields=["value", "marker", "school", "la_code", "source", "imported_at"])
            if progress:
                progress("Saving results", start + BATCH, len(changed))
        summary = {
            "files": [{"name": name, "year": p.year, "rows": p.rows, "schools": p.schools,
                       "skipped": p.skipped, "rejected": len(p.errors)} for name, p in parsed],
            "values": total, **counts,
            "no_value": sum(1 for v in records.values() if v[0] is None),
            "matched_schools": len({s for s in schools.values()}),
            "links": link_count,
            "errors": [{"file": name, **e} for name, p in parsed for e in p.errors],
        }
        audit.record("impact.outcomes.imported", actor=actor,
                     files=[name for name, _ in files],
                     **{k: v for k, v in summary.items() if k not in ("errors", "files")})
    return summary


def _read_files(files: Any, progress: Any) -> tuple[list[Any], list[Any]]:
    """(name, parsed outcomes file) for each outcomes file, and the predecessor links of the
    register files; a file that is neither is refused by name."""
    parsed, links = [], []
    for i, (name, data) in enumerate(files):
        if progress:
            progress(f"Reading {name}", i, len(files))
        if _is_register(data):
            links.extend(parse_links(data))
            continue
        try:
            parsed.append((name, parse_outcomes(data, name)))
        except NotAnOutcomesFile as exc:
            raise NotAnOutcomesFile(f"{name}: {exc}") from None
    return parsed, links


def _save_links(links: list[Any]) -> int:
    """Save the predecessor links not saved already; how many were new."""
    if not links:
        return 0
    before = SchoolLink.objects.count()
    SchoolLink.objects.bulk_create(
        [SchoolLink(predecessor_urn=a, successor_urn=b, kind=k[:60]) for a, b, k in links],
        ignore_conflicts=True)
    return SchoolLink.objects.count() - before


def _existing_outcomes(records: dict[Any, Any]) -> dict[Any, Any]:
    """(urn, year, measure) -> (value, marker, school, la_code) stored now."""
    existing = {}
    urns = sorted({urn for urn, _, _ in records})
    for start in range(0, len(urns), 500):
        for row in Outcome.objects.filter(urn__in=urns[start:start + 500]).values_list(
                "urn", "year", "measure", "value", "marker", "school_id", "la_code"):
            existing[row[:3]] = row[3:]
    return existing


def _changed_outcomes(records: dict[Any, Any], existing: dict[Any, Any], schools: dict[Any, Any],
                      la_codes: dict[Any, Any]) -> tuple[list[Any], dict[Any, Any]]:
    """The outcome rows to write (new or changed), and how many are created, updated and
    unchanged."""
    changed = []
    created = updated = unchanged = 0
    for key, (value, marker, source) in records.items():
        urn = key[0]
        new = (value, marker, schools.get(urn), la_codes.get(urn, ""))
        old = existing.get(key)
        if old == new:
            unchanged += 1
            continue
        if old is None:
            created += 1
        else:
            updated += 1
        changed.append(Outcome(urn=urn, year=key[1], measure=key[2], value=value,
                               marker=marker, school_id=new[2], la_code=new[3],
                               source=source[:255]))
    return changed, {"created": created, "updated": updated, "unchanged": unchanged}


def create_outcome_import(*, uploads: list[tuple[str, bytes]],
                          actor: User | None) -> OutcomeImport:
    from .tasks import run_outcome_import

    stored = [default_storage.save(random_name("impact/uploads", name), ContentFile(data))
              for name, data in uploads]
    try:
        job = OutcomeImport.objects.create(
            created_by=actor, filenames=[n[:255] for n, _ in uploads], stored=stored)
    except Exception:
        for name in stored:
            default_storage.delete(name)
        raise
    audit.record("impact.outcomes.uploaded", actor=actor, obj=job, files=job.filenames)
    transaction.on_commit(lambda: run_outcome_import.enqueue(job.pk))
    return job


def _run_job(model: type[_J], job_id: int, work: Callable[[_J, Progress], dict[str, Any]],
             refusals: tuple[type[Exception], ...] = (NotAnOutcomesFile,)) -> _J:
    """Run ``work(job, progress)`` for a queued job, keeping its progress fields current."""
    job = model._default_manager.get(pk=job_id)
    if job.status != model.Status.QUEUED:
        return job
    jobs.start(model, job.pk, started_at=timezone.now(), stage="Starting")

    def progress(stage: str, done: int, total: int) -> None:
        jobs.progress(model, job.pk, stage=stage[:120], steps_done=min(done, total),
                      steps_total=total)

    try:
        fields = work(job, progress)
    except refusals as exc:
        jobs.fail(model, job.pk, error=str(exc), finished_at=timezone.now(), stage="",
                  **_cleared(model))
    except Exception:
        jobs.fail(
            model, job.pk, finished_at=timezone.now(), stage="", **_cleared(model),
            error="The task stopped because of an unexpected error. Nothing was changed; the "
                  "platform team has been told.")
        raise
    else:
        jobs.finish(model, job.pk, stage="", finished_at=timezone.now(), **fields)
    job.refresh_from_db()
    return job


def _cleared(model: type[Job]) -> dict[str, Any]:
    return {"content": [], "stored": []} if model is OutcomeImport else {}


def _uploaded(job: OutcomeImport) -> list[tuple[str, bytes]]:
    if job.stored:
        files = []
        for name, stored in zip(job.filenames, job.stored, strict=True):
            with default_storage.open(stored, "rb") as upload:
                files.append((name, upload.read()))
        return files
    return [(name, base64.b64decode(data))
            for name, data in zip(job.filenames, job.content, strict=True)]


def run_outcome_import(job_id: int) -> OutcomeImport:
    """Import the job's files; the uploads are deleted from storage once it has ended,
    whether it finished or failed."""
    stored = list(OutcomeImport.objects.filter(pk=job_id).values_list("stored", flat=True)
                  .first() or [])

    def work(job: OutcomeImport, progress: Progress) -> dict[str, Any]:
        summary = import_outcomes(_uploaded(job), actor=job.created_by, progress=progress)
        return {"summary": summary, **_cleared(OutcomeImport)}

    try:
        return _run_job(OutcomeImport, job_id, work)
    finally:
        job = OutcomeImport.objects.filter(pk=job_id).first()
        if job is None or job.status in (OutcomeImport.Status.DONE,
                                         OutcomeImport.Status.FAILED):
            for name in stored:
                default_storage.delete(name)


def run_analysis(analysis_id: int) -> Analysis:
    from .analysis import AnalysisError, run_saved_analysis

    def work(job: Analysis, progress: Progress) -> dict[str, Any]:
        result = run_saved_analysis(job, progress=progress)
        audit.record("impact.analysis.finished", actor=job.created_by, obj=job,
                     estimate=result["estimate"], input_hash=result["reproducibility"]
                     ["input_hash"])
        return {"result": result}

    return _run_job(Analysis, analysis_id, work, refusals=(AnalysisError,))
