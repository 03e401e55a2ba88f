"""One way to send a private file: as an attachment, never cached by browsers or proxies."""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header


def private_download(content, content_type: str, filename: str) -> HttpResponse:
    """``content`` may be empty and written to afterwards (a CSV writer, for example)."""
    response = HttpResponse(bytes(content) if isinstance(content, memoryview) else content,
                            content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def stream_download(stored: FieldFile, content_type: str, filename: str) -> FileResponse:
    """A file from Django's storage, streamed in blocks (never read whole into memory), with
    the same headers as ``private_download``."""
    response = FileResponse(stored.open("rb"), content_type=content_type, as_attachment=True,
                            filename=filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
