"""Accessible PDFs: tagged PDF/UA-1 made by WeasyPrint from an HTML template with headings, a
document title and language, so screen readers can follow them. Every PDF of the platform
(report, action plan, personal data, training record, commissioner report) is made here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """``html`` typeset as a tagged PDF/UA-1. Relative links (stylesheets, images) are read
    from ``base_url``, the project directory unless given."""
    # Imported here: WeasyPrint loads Pango when imported, which most requests never need
    # (and tests stand in for ``weasyprint.HTML`` to read what would be typeset).
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, base_url=base_url or str(settings.BASE_DIR)).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True)
    return pdf


def render_pdf(template_name: str, context: Mapping[str, Any], *,
               base_url: str | None = None) -> bytes:
    """The template rendered with ``context`` and typeset as a tagged PDF/UA-1."""
    return html_to_pdf(render_to_string(template_name, dict(context)), base_url=base_url)
