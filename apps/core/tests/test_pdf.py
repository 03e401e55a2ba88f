from unittest import mock

from django.conf import settings

from apps.core import pdf


class RecordingHTML:
    """A stand-in for WeasyPrint's HTML that remembers how it was called."""

    calls: list[dict] = []

    def __init__(self, **kwargs):
        self.kwargs = kwargs

    def write_pdf(self, **kwargs):
        RecordingHTML.calls.append({"init": self.kwargs, "write": kwargs})
        return b"%PDF-stand-in"


def test_every_pdf_is_tagged_pdf_ua_from_the_project_directory():
    RecordingHTML.calls = []
    with mock.patch("weasyprint.HTML", RecordingHTML):
        assert pdf.html_to_pdf("<p>Hello</p>") == b"%PDF-stand-in"
        pdf.html_to_pdf("<p>Hi</p>", base_url="/elsewhere")
    first, second = RecordingHTML.calls
    assert first == {"init": {"string": "<p>Hello</p>", "base_url": str(settings.BASE_DIR)},
                     "write": {"pdf_variant": "pdf/ua-1", "pdf_tags": True}}
    assert second["init"]["base_url"] == "/elsewhere"


def test_render_pdf_renders_the_template_with_its_context():
    with mock.patch("weasyprint.HTML", RecordingHTML), \
            mock.patch.object(pdf, "render_to_string", return_value="<h1>Plan</h1>") as render:
        RecordingHTML.calls = []
        pdf.render_pdf("improvement/plan_pdf.html", {"review": None})
    # with the document's language for its <html lang> (apps/core/pdf.py)
    render.assert_called_once_with("improvement/plan_pdf.html",
                                   {"review": None, "pdf_lang": "en-GB"})
    assert RecordingHTML.calls[0]["init"]["string"] == "<h1>Plan</h1>"


def test_a_real_pdf_is_made():
    content = pdf.html_to_pdf('<html lang="en"><head><title>T</title></head>'
                              "<body><h1>Report</h1></body></html>")
    assert content.startswith(b"%PDF-")
