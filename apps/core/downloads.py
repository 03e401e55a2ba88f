"""One way to send a private file: as an attachment, never cached by browsers or proxies."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def private_download(content, content_type: str, filename: str) -> HttpResponse:
    """``content`` may be empty and written to afterwards (a CSV writer, for example)."""
    response = HttpResponse(bytes(content) if isinstance(content, memoryview) else content,
                            content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response
