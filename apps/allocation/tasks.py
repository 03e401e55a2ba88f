"""The optimiser as a background task, with progress the lead can watch."""

from __future__ import annotations

import logging

from django_tasks import task

from .models import AllocationRun
from .solver import solve
from .spec import InstanceError, load_instance

logger = logging.getLogger("peerreview")


@task()
def run_allocation(run_id: int) -> str:
    run = AllocationRun.objects.get(pk=run_id)
    AllocationRun.objects.filter(pk=run_id).update(state="running",
                                                   progress="Reading the cycle")
    try:
        instance = load_instance(run.instance)
    except InstanceError as e:
        AllocationRun.objects.filter(pk=run_id).update(state="failed", progress=str(e))
        return "failed"

    def progress(done, total):
        AllocationRun.objects.filter(pk=run_id).update(
            progress=f"Solved {done} of {total} independent group{'s' if total != 1 else ''}")

    try:
        result = solve(instance, time_limit=run.time_limit, workers=4, progress=progress)
    except Exception:
        logger.exception("allocation_failed", extra={"run": run_id})
        AllocationRun.objects.filter(pk=run_id).update(state="failed",
                                                       progress="The optimiser failed")
        raise
    AllocationRun.objects.filter(pk=run_id).update(
        state="done", solution=result.as_json(instance.name),
        progress=f"{result.status} in {result.seconds:.1f} s")
    return result.status
