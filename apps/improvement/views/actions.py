"""One action: adding and changing it, its page with progress updates, their files."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from apps.core.downloads import stream_download
from apps.reviews.services import EditConflict, record_disclosure

from .. import services
from ..access import (
    get_action_file_for_user,
    get_action_for_request,
    get_action_for_user,
    get_review_for_user,
)
from ..forms import ActionForm, ProgressForm
from ._common import _context, _errors, support_given


def _require_open(review) -> None:
    """A closed (or cancelled) review's plan is the record of what was done: 403 for any
    change to it, as the pages no longer offer one."""
    if review.status not in services.PLAN_OPEN:
        raise PermissionDenied


def action_new(request, pk):
    review = get_review_for_user(request.user, pk, "improvement.edit_plan")
    _require_open(review)
    form = ActionForm(request.POST or None, review=review, people=services.host_people(review),
                      initial={"support_wanted": ""})
    if request.method == "POST" and form.is_valid():
        d = form.values()
        findings = d.pop("findings")
        try:
            action = services.add_action(review, by=request.user, findings=findings, **d)
        except ValidationError as e:
            _errors(form, e)
        else:
            messages.success(request, f"Action “{action.title}” added to the plan.")
            if request.GET.get("from") == "workshop":
                return redirect(reverse("improvement:workshop", args=[review.pk])
                                + "?stage=actions")
            return redirect("improvement:plan", pk=review.pk)
    return render(request, "improvement/action_form.html", _context(
        request, review, "plan", form=form, heading="Add an action",
        button="Add the action"))


def action_edit(request, action_id):
    action = get_action_for_user(request.user, action_id, "improvement.edit_plan")
    review = action.review
    _require_open(review)
    form = ActionForm(request.POST or None, review=review, people=services.host_people(review),
                      initial={"title": action.title, "why": action.why, "area": action.area,
                               "owner": action.owner, "starts_on": action.starts_on,
                               "due_on": action.due_on,
                               "success_criteria": action.success_criteria,
                               "resources": action.resources,
                               "support_wanted": action.support_wanted,
                               "findings": list(action.findings.all()),
                               "lock_version": action.lock_version})
    if request.method == "POST" and form.is_valid():
        d = form.values()
        findings = d.pop("findings")
        try:
            services.update_action(action, by=request.user, findings=findings,
                                   expected_version=form.cleaned_data["lock_version"],
                                   base=form.cleaned_data["base"], **d)
        except EditConflict as e:
            form.add_error(None, "Someone else changed this action while you were editing, so "
                                 "your changes were not saved. Your version is in the boxes "
                                 "and theirs is shown beside it: combine them and save again")
            form.show_conflict(e.current)
        except ValidationError as e:
            _errors(form, e)
        else:
            messages.success(request, gettext("Action saved."))
            return redirect("improvement:action", action_id=action.pk)
    return render(request, "improvement/action_form.html", _context(
        request, review, "plan", form=form, action=action, heading="Change the action",
        button="Save"))


def action_detail(request, action_id):
    action = get_action_for_request(request, action_id, write="improvement.update_action")
    review = action.review
    is_open = review.status in services.PLAN_OPEN
    can_update = is_open and request.user.has_perm("improvement.update_action", action)
    form = ProgressForm(request.POST or None, request.FILES or None,
                        initial={"status": action.status})
    if request.method == "POST":
        _require_open(review)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.add_progress(action, by=request.user, text=d["text"],
                                      status=d["status"], dropped_reason=d["dropped_reason"],
                                      upload=d["file"])
            except ValidationError as e:
                _errors(form, e)
            else:
                messages.success(request, gettext("Progress update saved."))
                return redirect("improvement:action", action_id=action.pk)
    record_disclosure(review, "action_viewed", by=request.user, action_id=action.pk)
    return render(request, "improvement/action.html", _context(
        request, review, "plan", action=action, form=form, can_update=can_update,
        can_edit=is_open and request.user.has_perm("improvement.edit_plan", review),
        is_open=is_open,
        updates=action.updates.select_related("author").prefetch_related("attachments"),
        findings=action.findings.select_related("line"),
        impact=getattr(action, "impact", None),
        support_given=support_given(request.user, [action]).get(action.pk, []),
        can_request_support=request.user.has_perm("improvement.check_back", review)
        and action.is_open and is_open))


@require_GET
def action_file(request, file_id):
    f = get_action_file_for_user(request.user, file_id)
    record_disclosure(f.update.action.review, "file_downloaded", by=request.user,
                      file=f.filename)
    return stream_download(f.file, f.content_type, f.filename)
