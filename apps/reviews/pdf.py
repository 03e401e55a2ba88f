"""The agreed report as an accessible PDF: tagged PDF/UA-1 made by WeasyPrint from an HTML
template with headings, a document title and language, so screen readers can follow it."""

from __future__ import annotations

from django.conf import settings

from apps.core.pdf import render_pdf

from .models import Report


def render_report(report: Report) -> bytes:
    review = report.review
    return render_pdf("reviews/report_pdf.html", {
        "report": report, "review": review, "platform_name": settings.PLATFORM_NAME})
