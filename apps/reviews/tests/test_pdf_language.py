"""The agreed report's PDF speaks the reader's language: its own words, not only the dates."""

from unittest import mock

from django.utils import translation

from apps.core.tests.test_pdf import RecordingHTML
from apps.reviews.pdf import render_report


def _html(report, language: str) -> str:
    RecordingHTML.calls = []
    with mock.patch("weasyprint.HTML", RecordingHTML), translation.override(language):
        render_report(report)
    return RecordingHTML.calls[0]["init"]["string"]


def _with_sections(report):
    report.sections = [
        {"heading": "Key enquiry question", "question": "How well do pupils talk?",
         "working_well": "Paired talk.", "explore_further": "", "workshop_questions": ""},
        {"heading": "Line of enquiry 1", "question": "How is talk planned?",
         "working_well": "", "explore_further": "", "workshop_questions": ""}]
    return report


def test_the_report_pdf_in_welsh(world):
    welsh = _html(_with_sections(world.report), "cy")
    assert "Llinell ymholi 1" in welsh
    assert '<html lang="cy">' in welsh
    assert "Adroddiad adolygiad cymheiriaid:" in welsh
    assert "Cwestiwn ymholi allweddol" in welsh and "Beth sy'n gweithio'n dda" in welsh
    assert '"Tudalen " counter(page) " o "' in welsh
    for english in ("Peer review report", "Key enquiry question", "What is working well",
                    "<h2>Summary", "confidential to", '"Page "'):
        assert english not in welsh, english


def test_the_report_pdf_in_english(world):
    english = _html(_with_sections(world.report), "en-gb")
    assert "Line of enquiry 1" in english
    assert "{#" not in english and "live enquiry" not in english
    assert "Peer review report:" in english and "What is working well" in english
    assert '"Page " counter(page) " of "' in english
