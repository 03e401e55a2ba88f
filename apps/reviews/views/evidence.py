"""Evidence notes: the list, adding and editing (with autosave), attachments, deleting."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from apps.core.converters import parse_id

from .. import language, services
from ..access import get_child_for_user, get_review_for_request, get_review_for_user
from ..forms import EvidenceForm
from ..models import Activity, EvidenceNote, LineOfEnquiry, ReviewFile
from ._common import _errors_to_form, _remove_and_say, _review_context, _warn_language


def evidence(request, pk):
    review = get_review_for_request(request, pk, "reviews.view_content",
                                    write="reviews.record_evidence")
    can_record = request.user.has_perm("reviews.record_evidence", review) and \
        review.status in services.EVIDENCE_STATUSES
    form = EvidenceForm(request.POST or None, request.FILES or None, review=review,
                        initial={"client_id": uuid.uuid4()})
    if request.method == "POST":
        result = _save_evidence_form(request, review, form)
        if result is not None:
            return result
    notes = (review.evidence.select_related("author", "line", "activity")
             .prefetch_related("attachments"))
    line_filter = request.GET.get("line", "")
    if line_filter == "key":
        notes = notes.filter(line__isnull=True)
    elif parse_id(line_filter):
        notes = notes.filter(line_id=parse_id(line_filter))
    services.record_disclosure(review, "evidence_viewed", by=request.user)
    return render(request, "reviews/evidence.html", _review_context(
        request, review, "evidence", form=form, can_record=can_record, notes=notes,
        line_filter=line_filter, lines=review.lines.all()))


def _save_evidence_form(request, review, form, note=None, as_json=False):
    """Shared by the add and edit pages and the autosave endpoint. Returns a response on
    success, None to show the form again (the autosave endpoint always answers JSON)."""
    is_async = as_json or request.headers.get("X-Autosave") == "1"
    if not form.is_valid():
        if is_async:
            return JsonResponse({"ok": False, "errors": form.errors.get_json_data()}, status=400)
        if set(form.errors) != {"file"}:
            return None
        # Only the file is refused: the note is saved as autosave would have saved it (with
        # the line and activity chosen), and the page says so beside the file's problem.
    try:
        note = _save_note(request, review, form.cleaned_data)
    except services.EditConflict as e:
        return _refused_for_conflict(form, e.current, is_async)
    except ValidationError as e:
        return _refused(form, e, is_async)
    return _saved(request, review, form, note, is_async)


def _save_note(request, review, d):
    """The note saved from the form's cleaned data, with its file if one was given."""
    line = get_child_for_user(request.user, LineOfEnquiry, d["line"], review) \
        if d["line"] else None
    activity = get_child_for_user(request.user, Activity, d["activity"], review) \
        if d["activity"] else None
    with transaction.atomic():
        note, created = services.save_evidence(
            review, by=request.user, text=d["text"], line=line, activity=activity,
            tags=d["tags"].split(","), client_id=d["client_id"],
            expected_version=d["lock_version"])
        if d.get("file"):
            services.add_evidence_attachment(note, d["file"], by=request.user)
    return note


def _refused_for_conflict(form, current, is_async):
    """Someone else saved the note first: both texts are shown (JSON 409 for autosave)."""
    message = ("This note was changed on another device while you were editing. Your text "
               "is kept below; the saved text is shown above it")
    if is_async:
        return JsonResponse({"ok": False, "conflict": True, "message": message,
                             "current": current.text,
                             "version": current.lock_version}, status=409)
    form.add_error(None, message)
    form.conflict = current
    return None


def _refused(form, error: ValidationError, is_async):
    """The service refused the note: its reasons on the form (JSON 400 for autosave)."""
    if is_async:
        return JsonResponse({"ok": False, "errors": {"__all__": [
            {"message": m} for m in error.messages]}}, status=400)
    _errors_to_form(form, error)
    return None


def _saved(request, review, form, note, is_async):
    """The answer once the note is saved: the form again if only its file was refused."""
    warnings = language.judgement_warnings(form.cleaned_data["text"])
    if form.errors:  # the file was refused; the note is saved
        form.note_saved = note
        form.data = form.data.copy()
        form.data["lock_version"] = note.lock_version
        return None
    if is_async:
        return JsonResponse({"ok": True, "id": note.pk, "version": note.lock_version,
                             "saved_at": note.updated_at.isoformat(),
                             "edit_url": reverse("reviews:evidence_edit",
                                                 args=[review.pk, note.pk]),
                             "warnings": [{"word": w, "suggestion": s} for w, s in warnings]})
    _warn_language(request, warnings)
    messages.success(request, gettext("Evidence saved."))
    return redirect(reverse("reviews:evidence", args=[review.pk]) + f"#note-{note.pk}")

@require_POST
def evidence_autosave(request, pk):
    review = get_review_for_user(request.user, pk, "reviews.record_evidence")
    form = EvidenceForm(request.POST, review=review)
    form.fields["file"].required = False
    return _save_evidence_form(request, review, form, as_json=True)


def evidence_edit(request, pk, note_id):
    review = get_review_for_user(request.user, pk, "reviews.record_evidence")
    note = get_child_for_user(request.user, EvidenceNote, note_id, review,
                              "reviews.edit_evidence_note")
    form = EvidenceForm(request.POST or None, request.FILES or None, review=review, initial={
        "client_id": note.client_id, "lock_version": note.lock_version, "line": note.line_id,
        "activity": note.activity_id, "text": note.text, "tags": ", ".join(note.tags)})
    if request.method == "POST":
        # An attachment's "Remove" is a button of the note's form: the note as typed is
        # saved first, then the file removed, so nothing typed is lost.
        remove = parse_id(request.POST.get("remove_attachment"))
        attachment = get_child_for_user(request.user, ReviewFile, remove, review,
                                        "reviews.remove_file") if remove else None
        result = _save_evidence_form(request, review, form, note)
        if result is not None and attachment is not None and result.status_code == 302:
            _remove_and_say(request, attachment)
            return redirect("reviews:evidence_edit", pk=review.pk, note_id=note.pk)
        if result is not None:
            return result
    return render(request, "reviews/evidence_edit.html", _review_context(
        request, review, "evidence", form=form, note=note,
        can_record=review.status in services.EVIDENCE_STATUSES))


@require_POST
def evidence_delete(request, pk, note_id):
    review = get_review_for_user(request.user, pk, "reviews.record_evidence")
    note = get_child_for_user(request.user, EvidenceNote, note_id, review,
                              "reviews.edit_evidence_note")
    try:
        services.delete_evidence(note, by=request.user)
        messages.success(request, gettext("Note deleted."))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("reviews:evidence", pk=review.pk)
