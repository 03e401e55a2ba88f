"""Accessible PDFs: tagged PDF/UA-1 made by WeasyPrint from an HTML template with headings, a
document title and language, so screen readers can follow them. Every PDF of the platform
(report, action plan, personal data, training record, commissioner report) is made here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """``html`` typeset as a tagged PDF/UA-1. Relative links (stylesheets, images) are read
    from ``base_url``, the project directory unless given."""
    # Imported here: WeasyPrint loads Pango when imported, which most requests never need
    # (and tests stand in for ``weasyprint.HTML`` to read what would be typeset).
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, base_url=base_url or str(settings.BASE_DIR)).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True)
    return pdf


def document_lang() -> str:
    """The ``lang`` of a document made now: Welsh when Welsh is active, else British English."""
    return "cy" if translation.get_language() == "cy" else "en-GB"


def render_pdf(template_name: str, context: Mapping[str, Any], *,
               base_url: str | None = None, language: str | None = None) -> bytes:
    """The template rendered with ``context`` and typeset as a tagged PDF/UA-1, in
    ``language`` (the reader's: "cy" or "en-gb"), or in the language active now. The template
    gets ``pdf_lang`` for its ``<html lang>``."""
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        html = render_to_string(template_name, {**dict(context), "pdf_lang": document_lang()})
    return html_to_pdf(html, base_url=base_url)
