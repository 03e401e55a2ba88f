"""The agreed report as an accessible PDF: tagged PDF/UA-1 made by WeasyPrint from an HTML
template with headings, a document title and language, so screen readers can follow it."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from .models import Report


def render_report(report: Report) -> bytes:
    from weasyprint import HTML

    review = report.review
    html = render_to_string("reviews/report_pdf.html", {
        "report": report, "review": review, "platform_name": settings.PLATFORM_NAME})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True)
