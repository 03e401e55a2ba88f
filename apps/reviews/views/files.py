"""A review's files: self-review documents and evidence attachments."""

from __future__ import annotations

from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from apps.core.downloads import stream_download

from .. import services
from ..access import get_child_for_user, get_review_for_user
from ..models import ReviewFile
from ._common import _remove_and_say


@require_GET
def download_file(request, pk, file_id):
    review = get_review_for_user(request.user, pk, "reviews.view_content")
    f = get_child_for_user(request.user, ReviewFile, file_id, review)
    services.record_disclosure(review, "file_downloaded", by=request.user, file=f.filename)
    return stream_download(f.file, f.content_type, f.filename)


@require_POST
def remove_file(request, pk, file_id):
    review = get_review_for_user(request.user, pk, "reviews.view_content")
    f = get_child_for_user(request.user, ReviewFile, file_id, review, "reviews.remove_file")
    _remove_and_say(request, f)
    return redirect("reviews:self_review" if f.purpose == ReviewFile.Purpose.SELF_REVIEW
                    else "reviews:evidence", pk=review.pk)
