"""Background work: the action plan as an accessible PDF; reminders about stale actions."""

from __future__ import annotations

import logging

from django.conf import settings
from django_tasks import task

from apps.core import jobs
from apps.core.jobs import JobState
from apps.core.pdf import render_pdf
from apps.core.storage import replacing_stored_file

from .models import PlanExport

logger = logging.getLogger("peerreview")


def render_plan(review, language: str | None = None) -> bytes:
    return render_pdf("improvement/plan_pdf.html", language=language, context={
        "review": review, "platform_name": settings.PLATFORM_NAME,
        "actions": review.actions.select_related("owner").prefetch_related(
            "findings__line", "updates")})


@task()
def render_plan_pdf(export_id: int, language: str = "") -> str:
    """``language``: the requester's ("cy" or "en-gb"), so the PDF is in the reader's language."""
    export = PlanExport.objects.select_related("review__host", "review__cycle").get(
        pk=export_id)
    jobs.start(PlanExport, export_id)
    try:
        content = render_plan(export.review, language or None)
    except Exception:
        logger.exception("plan_pdf_failed", extra={"export": export_id})
        jobs.fail(PlanExport, export_id)
        raise
    with replacing_stored_file(PlanExport, export_id, "pdf", "action-plan.pdf", content) as name:
        jobs.finish(PlanExport, export_id, pdf=name)
    return JobState.DONE


@task()
def send_stale_action_reminders_task() -> int:
    from .reminders import send_stale_action_reminders

    return send_stale_action_reminders()
