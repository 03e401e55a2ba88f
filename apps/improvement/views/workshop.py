"""The Improvement Workshop: scheduling it, its guided stages with autosaved notes,
and finishing it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from apps.reviews import workflow
from apps.reviews.models import Status
from apps.reviews.services import EditConflict, record_disclosure

from .. import services
from ..access import get_review_for_request, get_review_for_user
from ..forms import StageForm, WorkshopForm
from ..models import STAGE_ORDER, Workshop, WorkshopStage
from ..prompts import PROMPTS
from ._common import _context, _errors

CONFLICT = ("Someone else saved these notes while you were typing, so yours were not saved. "
            "Your text is still in the box and theirs is shown beside it: combine them and "
            "save again")


def workshop(request, pk):
    review = get_review_for_request(request, pk, "improvement.view_workshop",
                                    write="improvement.run_workshop")
    user = request.user
    can_run = user.has_perm("improvement.run_workshop", review)
    ws = Workshop.objects.filter(review=review).first()
    schedule_form = _schedule_form(request, review, ws)
    stage = _stage(request, ws)
    stage_form = StageForm(request.POST if request.POST.get("do") == "notes" else None,
                           stage=stage,
                           initial={"notes": ws.stage_notes(stage) if ws else "",
                                    "lock_version": ws.lock_version if ws else None})
    if request.method == "POST":
        response = _act(request, review, ws, stage, schedule_form, stage_form)
        if response is not None:
            return response
    record_disclosure(review, "workshop_viewed", by=user)
    stages = [(s.value, s.label) for s in WorkshopStage]
    position = STAGE_ORDER.index(stage)
    return render(request, "improvement/workshop.html", _context(
        request, review, "workshop", workshop=ws, can_run=can_run, stage=stage,
        stage_label=WorkshopStage(stage).label, stages=stages, prompts=PROMPTS[stage],
        schedule_form=schedule_form, stage_form=stage_form,
        next_stage=STAGE_ORDER[position + 1] if position + 1 < len(STAGE_ORDER) else None,
        previous_stage=STAGE_ORDER[position - 1] if position else None,
        champion=services.champion_of(review), findings=review.findings.select_related("line"),
        lines=review.lines.all(), actions=review.actions.select_related("owner"),
        missing=workflow.TRANSITIONS["complete_workshop"].guard(review)
        if review.status == Status.REPORT_AGREED else []))


def _default_mode(review) -> str | None:
    """A Rapid Response review's workshop is online unless the champion chooses otherwise;
    other reviews leave the choice open."""
    return Workshop.Mode.ONLINE if review.is_rapid else None


def _default_place(review) -> str:
    """A Rapid Response review's workshop starts from the review's own meeting link."""
    return review.meeting_link if review.is_rapid else ""


def _schedule_form(request, review, ws, *, bound: bool | None = None) -> WorkshopForm:
    """When and where the workshop is held, and who comes (bound when that was posted)."""
    if bound is None:
        bound = request.POST.get("do") == "schedule"
    return WorkshopForm(
        request.POST if bound else None,
        people=services.host_people(review),
        initial={"held_on": ws.held_on if ws else review.workshop_on,
                 "starts_at": ws.starts_at if ws else None,
                 "mode": ws.mode if ws else _default_mode(review),
                 "place": ws.place if ws else _default_place(review),
                 "attendees": list(ws.attendees.all()) if ws else []})


def _stage(request, ws) -> str:
    """The stage shown: the one whose notes were posted, else the one asked for, else the
    workshop's current stage (the first before it starts)."""
    stage = request.GET.get("stage") or (ws.stage if ws else "revisit")
    if stage not in STAGE_ORDER:
        stage = "revisit"
    if request.POST.get("do") == "notes" and request.POST.get("stage") in STAGE_ORDER:
        stage = request.POST["stage"]
    return stage


def _act(request, review, ws, stage, schedule_form, stage_form):
    """Carry out the button pressed: a redirect when done, None to show the page again
    with the form's problems."""
    do = request.POST.get("do")
    if do == "schedule" and schedule_form.is_valid():
        return _schedule(request, review, schedule_form)
    if do == "notes" and ws is not None and stage_form.is_valid():
        return _save_notes(request, review, ws, stage, stage_form)
    if do == "complete" and ws is not None:
        return _complete(request, review, ws)
    return None


def _schedule(request, review, form):
    try:
        services.schedule_workshop(review, by=request.user, **form.cleaned_data)
    except ValidationError as e:
        _errors(form, e)
        return None
    messages.success(request, gettext("Workshop scheduled."))
    return redirect("improvement:workshop", pk=review.pk)


def _save_notes(request, review, ws, stage, form):
    try:
        services.save_stage(ws, stage, by=request.user, notes=form.cleaned_data["notes"],
                            expected_version=form.cleaned_data["lock_version"],
                            base=form.cleaned_data["base"])
    except EditConflict as e:
        form.add_error(None, CONFLICT)
        form.show_conflict(e.current)
        return None
    except ValidationError as e:
        _errors(form, e)
        return None
    messages.success(request, gettext("Notes saved."))
    nxt = request.POST.get("next")
    return redirect(reverse("improvement:workshop", args=[review.pk])
                    + f"?stage={nxt if nxt in STAGE_ORDER else stage}")


def _complete(request, review, ws):
    try:
        services.complete_workshop(ws, by=request.user)
    except workflow.TransitionRefused as e:
        for r in e.reasons:
            messages.error(request, r)
    else:
        messages.success(request, gettext("Workshop complete: the plan is under way."))
    return redirect("improvement:workshop", pk=review.pk)


def workshop_when(request, pk):
    """Change the workshop's day, time, place or who comes, until it is complete."""
    review = get_review_for_user(request.user, pk, "improvement.run_workshop")
    ws = Workshop.objects.filter(review=review).first()
    if ws is None or ws.completed_at:
        # Nothing to change: the workshop page schedules it, and a held one stays as it was.
        return redirect("improvement:workshop", pk=review.pk)
    form = _schedule_form(request, review, ws, bound=request.method == "POST")
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_workshop(review, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            _errors(form, e)
        else:
            messages.success(request, gettext("Workshop changed. Calendar invitations have been "
                                      "updated."))
            return redirect("improvement:workshop", pk=review.pk)
    return render(request, "reviews/form_page.html", _context(
        request, review, "workshop", form=form,
        heading=gettext("Change the workshop's day or place"), button=gettext("Save changes"),
        back=reverse("improvement:workshop", args=[review.pk]),
        back_label=gettext("Improvement Workshop")))


@require_POST
def workshop_autosave(request, pk):
    review = get_review_for_user(request.user, pk, "improvement.run_workshop")
    ws = Workshop.objects.filter(review=review).first()
    if ws is None:
        raise Http404
    stage = request.POST.get("stage", "")
    form = StageForm(request.POST, stage=stage)
    if not form.is_valid():
        return JsonResponse({"ok": False, "message": "The notes could not be read"}, status=400)
    try:
        ws = services.save_stage(ws, stage, by=request.user, notes=form.cleaned_data["notes"],
                                 expected_version=form.cleaned_data["lock_version"],
                                 base=form.cleaned_data["base"])
    except EditConflict as e:
        # Both texts: the browser keeps what was typed and shows the saved notes beside it.
        form.show_conflict(e.current)
        return JsonResponse({"ok": False, "conflict": True, "message": CONFLICT,
                             "current": e.current.stage_notes(stage),
                             "version": e.current.lock_version,
                             "base": form.data["base"]}, status=409)
    except ValidationError as e:
        return JsonResponse({"ok": False, "message": " ".join(e.messages)}, status=400)
    return JsonResponse({"ok": True, "version": ws.lock_version,
                         "base": form.digest_of(form.cleaned_data),
                         "saved_at": ws.updated_at.isoformat()})
