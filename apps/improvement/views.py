"""Pages for the Improvement Workshop, the action plan, progress and the impact check-back."""

from __future__ import annotations

import csv
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from apps.core import audit
from apps.core.downloads import private_download
from apps.core.spreadsheets import safe_cell
from apps.partnerships.access import get_partnership_for_user
from apps.reviews import language, workflow
from apps.reviews.forms import bind_if_posted, save_sections
from apps.reviews.models import Review, Status
from apps.reviews.services import EditConflict, record_disclosure

from . import services
from .access import (
    get_action_file_for_user,
    get_action_for_request,
    get_action_for_user,
    get_export_for_user,
    get_review_for_request,
    get_review_for_user,
    owned_actions,
)
from .forms import (
    ActionForm,
    CompleteCheckBackForm,
    ImpactForm,
    ProgressForm,
    StageForm,
    WorkshopForm,
)
from .models import (
    STAGE_ORDER,
    Action,
    ActionImpact,
    Area,
    CheckBack,
    PlanShare,
    Workshop,
    WorkshopStage,
)
from .prompts import PROMPTS

DUE_SOON_DAYS = 14
CONFLICT = ("Someone else saved these notes while you were typing, so yours were not saved. "
            "Your text is still in the box and theirs is shown beside it: combine them and "
            "save again")


def _errors(form, error: ValidationError):
    for m in error.messages:
        form.add_error(None, m)


def _context(request, review, section, **extra):
    user = request.user
    return {"review": review, "section": section,
            "can_view_content": user.has_perm("reviews.view_content", review),
            "can_view_report": user.has_perm("reviews.view_report", review),
            "can_view_plan": user.has_perm("improvement.view_plan", review),
            "can_view_workshop": user.has_perm("improvement.view_workshop", review),
            "judgement_map": language.as_json(), **extra}


# Workshop ----------------------------------------------------------------------------------

def workshop(request, pk):
    review = get_review_for_request(request, pk, "improvement.view_workshop",
                                    write="improvement.run_workshop")
    user = request.user
    can_run = user.has_perm("improvement.run_workshop", review)
    ws = Workshop.objects.filter(review=review).first()
    people = services.host_people(review)
    schedule_form = WorkshopForm(
        request.POST if request.POST.get("do") == "schedule" else None, people=people,
        initial={"held_on": ws.held_on if ws else review.workshop_on,
                 "starts_at": ws.starts_at if ws else None,
                 "mode": ws.mode if ws else "in_person", "place": ws.place if ws else "",
                 "attendees": list(ws.attendees.all()) if ws else []})
    stage = request.GET.get("stage") or (ws.stage if ws else "revisit")
    if stage not in STAGE_ORDER:
        stage = "revisit"
    posting_notes = request.POST.get("do") == "notes"
    if posting_notes and request.POST.get("stage") in STAGE_ORDER:
        stage = request.POST["stage"]
    stage_form = StageForm(request.POST if posting_notes else None, stage=stage,
                           initial={"notes": ws.stage_notes(stage) if ws else "",
                                    "lock_version": ws.lock_version if ws else None})
    if request.method == "POST":
        do = request.POST.get("do")
        if do == "schedule" and schedule_form.is_valid():
            try:
                services.schedule_workshop(review, by=user, **schedule_form.cleaned_data)
            except ValidationError as e:
                _errors(schedule_form, e)
            else:
                messages.success(request, "Workshop scheduled.")
                return redirect("improvement:workshop", pk=review.pk)
        elif do == "notes" and ws is not None:
            if stage_form.is_valid():
                try:
                    services.save_stage(ws, stage, by=user,
                                        notes=stage_form.cleaned_data["notes"],
                                        expected_version=stage_form.cleaned_data["lock_version"],
                                        base=stage_form.cleaned_data["base"])
                except EditConflict as e:
                    stage_form.add_error(None, CONFLICT)
                    stage_form.show_conflict(e.current)
                except ValidationError as e:
                    _errors(stage_form, e)
                else:
                    messages.success(request, "Notes saved.")
                    nxt = request.POST.get("next")
                    return redirect(reverse("improvement:workshop", args=[review.pk])
                                    + f"?stage={nxt if nxt in STAGE_ORDER else stage}")
        elif do == "complete" and ws is not None:
            try:
                services.complete_workshop(ws, by=user)
            except workflow.TransitionRefused as e:
                for r in e.reasons:
                    messages.error(request, r)
            else:
                messages.success(request, "Workshop complete: the plan is under way.")
            return redirect("improvement:workshop", pk=review.pk)
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


# Plan ------------------------------------------------------------------------------------------

def support_given(user, actions) -> dict[int, list]:
    """Support delivered for these actions, by action, that this person may see (a match is
    seen by the two schools and the partnership lead who brokered it, not by everyone who
    reads the plan). Read through the actions' relations, so this app imports no support
    code."""
    given: dict[int, list] = {}
    for action in actions:
        for r in action.support_requests.all():
            for m in r.matches.all():
                if m.status == "delivered" and user.has_perm("support.view_match", m):
                    given.setdefault(action.pk, []).append(m)
    return given


def _column(actions, state):
    return [a for a in actions if a.status == state]


@require_GET
def plan(request, pk):
    review = get_review_for_user(request.user, pk, "improvement.view_plan")
    actions = list(review.actions.select_related("owner").prefetch_related("findings__line"))
    today = timezone.localdate()
    record_disclosure(review, "plan_viewed", by=request.user)
    return render(request, "improvement/plan.html", _context(
        request, review, "plan", actions=actions, today=today,
        columns=[(label, _column(actions, value)) for value, label in Action.State.choices],
        overdue=[a for a in actions if a.is_overdue(today)],
        due_soon=[a for a in actions if a.is_open and today <= a.due_on
                  <= today + timedelta(days=DUE_SOON_DAYS)],
        can_edit=request.user.has_perm("improvement.edit_plan", review)
        and review.status in services.PLAN_OPEN,
        can_share=request.user.has_perm("improvement.share_plan", review),
        shared=review.plan_shares.filter(withdrawn_at__isnull=True).first(),
        can_check_back=request.user.has_perm("improvement.check_back", review),
        exports=review.plan_exports.defer("pdf")[:3]))


def action_new(request, pk):
    review = get_review_for_user(request.user, pk, "improvement.edit_plan")
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
            messages.success(request, "Action saved.")
            return redirect("improvement:action", action_id=action.pk)
    return render(request, "improvement/action_form.html", _context(
        request, review, "plan", form=form, action=action, heading="Change the action",
        button="Save"))


def action_detail(request, action_id):
    action = get_action_for_request(request, action_id, write="improvement.update_action")
    review = action.review
    can_update = request.user.has_perm("improvement.update_action", action)
    form = ProgressForm(request.POST or None, request.FILES or None,
                        initial={"status": action.status})
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.add_progress(action, by=request.user, text=d["text"],
                                      status=d["status"], dropped_reason=d["dropped_reason"],
                                      upload=d["file"])
            except ValidationError as e:
                _errors(form, e)
            else:
                messages.success(request, "Progress update saved.")
                return redirect("improvement:action", action_id=action.pk)
    record_disclosure(review, "action_viewed", by=request.user, action_id=action.pk)
    return render(request, "improvement/action.html", _context(
        request, review, "plan", action=action, form=form, can_update=can_update,
        can_edit=request.user.has_perm("improvement.edit_plan", review),
        updates=action.updates.select_related("author").prefetch_related("attachments"),
        findings=action.findings.select_related("line"),
        impact=getattr(action, "impact", None),
        support_given=support_given(request.user, [action]).get(action.pk, []),
        can_request_support=request.user.has_perm("improvement.check_back", review)
        and action.is_open))


@require_GET
def action_file(request, file_id):
    f = get_action_file_for_user(request.user, file_id)
    record_disclosure(f.update.action.review, "file_downloaded", by=request.user,
                      file=f.filename)
    return private_download(f.content, f.content_type, f.filename)


@require_GET
def plan_csv(request, pk):
    review = get_review_for_user(request.user, pk, "improvement.view_plan")
    record_disclosure(review, "plan_exported", by=request.user, format="csv")
    response = private_download(
        "", "text/csv; charset=utf-8",
        f"action-plan-{review.host.urn}-{review.cycle.label.replace('/', '-')}.csv")
    writer = csv.writer(response)
    writer.writerow(["Action", "Why", "Findings it answers", "Area", "Owner", "Start", "Due",
                     "Success criteria", "Resources", "Support wanted", "Status",
                     "Dropped because", "Last update"])
    for a in review.actions.select_related("owner").prefetch_related("findings__line"):
        answers = "; ".join(f"line {f.line.position}" if f.line else "key question"
                            for f in a.findings.all())
        writer.writerow([safe_cell(v) for v in (
            a.title, a.why, answers, a.get_area_display(), a.owner.display_name, a.starts_on,
            a.due_on, a.success_criteria, a.resources, a.support_wanted,
            a.get_status_display(), a.dropped_reason, a.last_update_at.date())])
    return response



@require_POST
def plan_pdf(request, pk):
    review = get_review_for_user(request.user, pk, "improvement.view_plan")
    export = services.request_plan_pdf(review, by=request.user)
    return redirect("improvement:plan_export", pk=review.pk, export_id=export.pk)


@require_GET
def plan_export(request, pk, export_id):
    export = get_export_for_user(request.user, pk, export_id)
    review = export.review
    if export.status != "done":
        return render(request, "improvement/export_waiting.html", _context(
            request, review, "plan", export=export), status=202)
    record_disclosure(review, "plan_downloaded", by=request.user, format="pdf")
    return private_download(export.pdf, "application/pdf",
                            f"action-plan-{review.host.urn}.pdf")


@require_POST
def share(request, pk):
    review = get_review_for_user(request.user, pk, "improvement.share_plan")
    if request.POST.get("withdraw"):
        services.withdraw_plan_share(review, by=request.user)
        messages.success(request, "The plan is no longer shared with the partnership.")
    else:
        services.share_plan(review, by=request.user)
        messages.success(request, "The plan is shared with the partnership's school leaders, "
                                  "partnership lead and associate.")
    return redirect("improvement:plan", pk=review.pk)


# Check-back ------------------------------------------------------------------------------

def checkback(request, pk):
    review = get_review_for_user(request.user, pk, "improvement.check_back")
    actions = {a.pk: a for a in review.actions.select_related("owner")}
    # One form for every action and the summary: a save keeps what was typed elsewhere.
    forms = {a_pk: _impact_form(request, a) for a_pk, a in actions.items()}
    complete_form = CompleteCheckBackForm(request.POST or None)
    if request.method == "POST":
        saved, problems = save_sections(
            forms, lambda a_pk, d: services.record_impact(
                actions[a_pk], by=request.user, impact_seen=d["impact_seen"],
                evidence=d["evidence"], next_steps=d["next_steps"],
                expected_version=d["lock_version"], base=d["base"]),
            lambda current: f"{current.recorded_by or 'Someone else'} recorded this impact "
                            "while you were editing, so your changes were not saved. Your "
                            "text is still in the boxes and theirs is shown beside it: "
                            "combine them and save again")
        if saved:
            messages.success(request, "Impact recorded for " + ", ".join(
                f"“{actions[a_pk].title}”" for a_pk in saved) + ".")
        if not problems and request.POST.get("do") == "complete" and complete_form.is_valid():
            try:
                services.complete_checkback(review, by=request.user,
                                            summary=complete_form.cleaned_data["summary"])
            except ValidationError as e:
                _errors(complete_form, e)
            else:
                messages.success(request, "Check-back complete. The review can now be "
                                          "closed; next year's self-review starts from it.")
                return redirect("improvement:checkback", pk=review.pk)
        elif not problems and not complete_form["summary"].value():
            active = request.POST.get("action", "")
            return redirect(reverse("improvement:checkback", args=[review.pk])
                            + (f"#action-{active}" if active.isdigit() else ""))
        for a_pk in set(forms) - set(problems):  # saved or untouched: show what is stored
            forms[a_pk] = _impact_form(request, actions[a_pk], bound=False)
    given = support_given(request.user, actions.values())
    rows = [(a, forms[a.pk], getattr(a, "impact", None), given.get(a.pk, []))
            for a in actions.values()]
    return render(request, "improvement/checkback.html", _context(
        request, review, "checkback", rows=rows,
        checkback=CheckBack.objects.filter(review=review).first(),
        complete_form=complete_form, open_for_impact=review.status == Status.ACTING))


def _impact_form(request, action, bound=True):
    impact = ActionImpact.objects.filter(action=action).first()
    initial = {"impact_seen": impact.impact_seen if impact else "",
               "evidence": impact.evidence if impact else "",
               "next_steps": impact.next_steps if impact else "",
               "lock_version": impact.lock_version if impact else 0}
    return bind_if_posted(request, ImpactForm, f"a{action.pk}", initial=initial) if bound \
        else ImpactForm(prefix=f"a{action.pk}", initial=initial)


# Personal and partnership views ----------------------------------------------------------------

@require_GET
def my_actions(request):
    today = timezone.localdate()
    actions = list(owned_actions(request.user).select_related("review__host")
                   .order_by("due_on"))
    return render(request, "improvement/my_actions.html", {
        "today": today,
        "overdue": [a for a in actions if a.is_overdue(today)],
        "due_soon": [a for a in actions if a.is_open and today <= a.due_on
                     <= today + timedelta(days=DUE_SOON_DAYS)],
        "later": [a for a in actions if a.is_open and a.due_on
                  > today + timedelta(days=DUE_SOON_DAYS)],
        "closed": [a for a in actions if not a.is_open]})


@require_GET
def my_workshops(request):
    reviews = (Review.objects.filter(team__user=request.user, team__role="champion",
                                     team__status="accepted")
               .select_related("host", "cycle", "workshop").order_by("workshop_on"))
    return render(request, "improvement/my_workshops.html", {"reviews": reviews})


@require_GET
def partnership(request, slug):
    p = get_partnership_for_user(request.user, slug)
    if not request.user.has_perm("improvement.view_partnership_progress", p):
        raise PermissionDenied
    reviews = list(Review.objects.filter(cycle__partnership=p).exclude(status="cancelled")
                   .select_related("host", "cycle", "checkback", "workshop")
                   .annotate(open_actions=Count("actions", filter=Q(
                       actions__status__in=["not_started", "in_progress"])),
                       done_actions=Count("actions", filter=Q(actions__status="done")),
                       all_actions=Count("actions"))
                   .order_by("-cycle__start_year", "host__name"))
    shared_ids = set(PlanShare.objects.filter(review__in=[r.pk for r in reviews],
                                              withdrawn_at__isnull=True)
                     .values_list("review_id", flat=True))
    areas = (Action.objects.filter(review__cycle__partnership=p,
                                   status__in=["not_started", "in_progress"])
             .exclude(review__status="cancelled")
             .values("area").annotate(n=Count("id"), schools=Count("review__host",
                                                                  distinct=True))
             .order_by("-n"))
    labels = dict(Area.choices)
    audit.record("improvement.partnership_progress_viewed", actor=request.user, obj=p)
    return render(request, "improvement/partnership.html", {
        "partnership": p, "today": timezone.localdate(), "reviews": reviews,
        "shared_ids": shared_ids,
        "areas": [{"label": labels.get(a["area"], a["area"]), "n": a["n"],
                   "schools": a["schools"]} for a in areas]})

