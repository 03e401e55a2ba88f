"""The host school's self-review (one form for every section and the documents)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from apps.core.converters import parse_id

from .. import language, services
from ..access import get_child_for_user, get_review_for_request
from ..forms import SelfReviewForm, UploadForm, bind_if_posted, save_sections
from ..models import ReviewFile
from ._common import _conflict_message, _remove_and_say, _review_context, _warn_language


def self_review(request, pk):
    review = get_review_for_request(request, pk, "reviews.view_content",
                                    write="reviews.edit_self_review")
    editable = review.status in services.PLAN_STATUSES
    can_edit = editable and request.user.has_perm("reviews.edit_self_review", review)
    themes = {str(t.pk): t for t in review.framework_version.themes.all()} \
        if review.framework_version else {}
    keys = ["school", *themes]
    # The whole page is one form: a save keeps what was typed in every other section and in
    # the upload (see docs/review-cycle.md, "Editing together").
    forms = {key: _self_review_form(request, review, themes.get(key), key) for key in keys}
    upload = UploadForm(None)
    active = request.POST.get("theme") if request.method == "POST" else None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        saved, problems = save_sections(
            forms, lambda key, d: services.save_self_review(
                review, themes.get(key), by=request.user, strengths=d["strengths"],
                areas_to_develop=d["areas_to_develop"], expected_version=d["lock_version"],
                base=d["base"]),
            _conflict_message("this section"))
        for key in saved:
            d = forms[key].cleaned_data
            _warn_language(request, language.judgement_warnings(d["strengths"],
                                                                d["areas_to_develop"]))
        _remove_self_review_document(request, review)
        if "file" in request.FILES or request.POST.get("upload"):
            upload = UploadForm(request.POST, request.FILES)
            if upload.is_valid():
                services.add_self_review_document(review, upload.cleaned_data["file"],
                                                  by=request.user)
                messages.success(request, gettext("Document added."))
            else:
                problems.append("upload")
        if not problems:
            if saved or not (request.POST.get("upload") or request.POST.get("remove_document")):
                messages.success(request,
                    gettext("Saved.") if saved else gettext("Nothing had changed."))
            return redirect(reverse("reviews:self_review", args=[review.pk])
                            + (f"#section-{active}" if active in forms else ""))
        if saved:
            messages.success(request, gettext("Your other changes are saved."))
        active = problems[0]
        for key in set(keys) - set(problems):  # saved or untouched: show what is stored
            forms[key] = _self_review_form(request, review, themes.get(key), key, bound=False)
    services.record_disclosure(review, "self_review_viewed", by=request.user)
    entries = {e.theme_id: e for e in review.self_review.select_related("updated_by")}
    sections = [(themes.get(key), key, entries.get(themes[key].pk if key in themes else None))
                for key in keys]
    return render(request, "reviews/self_review.html", _review_context(
        request, review, "self_review", sections=sections, forms=forms, can_edit=can_edit,
        upload=upload, active=active,
        documents=review.files.filter(purpose=ReviewFile.Purpose.SELF_REVIEW).defer("content")))


def _remove_self_review_document(request, review) -> None:
    """A document's "Remove" button is a button of the self-review form, so what was typed
    in the sections is saved with it rather than lost."""
    document_id = parse_id(request.POST.get("remove_document"))
    if document_id is None:
        return
    document = get_child_for_user(request.user, ReviewFile, document_id, review)
    if document.purpose != ReviewFile.Purpose.SELF_REVIEW:
        raise Http404
    _remove_and_say(request, document)


def _self_review_form(request, review, theme, key, bound=True):
    entry = review.self_review.filter(theme=theme).first()
    initial = {"strengths": entry.strengths if entry else "",
               "areas_to_develop": entry.areas_to_develop if entry else "",
               "lock_version": entry.lock_version if entry else 0}
    return bind_if_posted(request, SelfReviewForm, key, initial=initial) if bound else \
        SelfReviewForm(prefix=key, initial=initial)
