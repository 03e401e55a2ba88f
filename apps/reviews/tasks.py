"""Background work of the review cycle."""

from __future__ import annotations

import logging

from django_tasks import task

from apps.core import jobs
from apps.core.jobs import JobState
from apps.core.storage import replacing_stored_file

from .models import Report

logger = logging.getLogger("peerreview")


@task()
def render_report_pdf(report_id: int) -> str:
    """Make the PDF of an agreed report once; the report page shows progress meanwhile."""
    from .pdf import render_report

    report = Report.objects.select_related("review__host", "review__cycle").get(pk=report_id)
    if report.pdf_status == JobState.DONE:
        return JobState.DONE
    jobs.start(Report, report_id, field="pdf_status")
    try:
        content = render_report(report)
    except Exception:
        logger.exception("report_pdf_failed", extra={"report": report_id})
        jobs.fail(Report, report_id, field="pdf_status")
        raise
    with replacing_stored_file(Report, report_id, "pdf", f"report-v{report.number}.pdf",
                               content) as name:
        jobs.finish(Report, report_id, field="pdf_status", pdf=name)
    return JobState.DONE
