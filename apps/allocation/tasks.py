"""The optimiser as a background task, with progress the lead can watch."""

from __future__ import annotations

import logging

from django_tasks import task

from apps.core import jobs
from apps.core.jobs import JobState

from .models import AllocationRun, Outcome
from .solver import Progress, solve
from .spec import InstanceError, load_instance

logger = logging.getLogger("peerreview")


def progress_text(p: Progress) -> str:
    """What the lead sees while the optimiser runs (at most 200 characters)."""
    groups = f"group{'s' if p.total != 1 else ''}"
    text = f"Proved the best for {p.done} of {p.total} independent {groups}"
    if p.objective is not None:
        text += f". Best allocation so far scores {p.objective:,.1f}"
        if p.bound is not None:
            text += f"; no allocation can score more than {p.bound:,.1f}"
    return text[:200]


@task()
def run_allocation(run_id: int) -> str:
    run = AllocationRun.objects.get(pk=run_id)
    jobs.start(AllocationRun, run_id, field="state", progress="Reading the cycle")
    try:
        instance = load_instance(run.instance)
    except InstanceError as e:
        jobs.fail(AllocationRun, run_id, field="state", progress=str(e))
        return JobState.FAILED

    def progress(p: Progress) -> None:
        jobs.progress(AllocationRun, run_id, progress=progress_text(p))

    try:
        result = solve(instance, time_limit=run.time_limit, progress=progress)
    except Exception:
        logger.exception("allocation_failed", extra={"run": run_id})
        jobs.fail(AllocationRun, run_id, field="state", progress="The optimiser failed")
        raise
    jobs.finish(
        AllocationRun, run_id, field="state", solution=result.as_json(instance.name),
        progress=f"{_outcome_words(result.status)} in {result.seconds:.1f} s")
    return result.status


def _outcome_words(status: str) -> str:
    """The solver's outcome as the run page says it ("Best possible", not "optimal")."""
    return str(Outcome(status).label) if status in Outcome.values else "Finished"
