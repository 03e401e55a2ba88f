"""After the report over the API: the Improvement Workshop, the action plan, progress, the
impact check-back and a partnership's progress in counts.

Exactly the permissions of the pages (``rules.py`` through ``access.py``): 404 for
a review or action outside the caller's reach, 403 for an insider without the right. Reads of
the workshop, the plan and an action are written to the host's disclosure log, as the pages
do. Files attached to progress updates are named, never sent; uploads stay on the pages.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status as Answer

from apps.accounts.models import User
from apps.core.api import ErrorOut, clean_text
from apps.core.converters import MAX_ID
from apps.partnerships.access import get_partnership_for_user
from apps.reviews.models import Finding, Status
from apps.reviews.services import record_disclosure

from . import selectors, services
from .access import get_action_for_user, get_review_for_user
from .models import Action, Area, CheckBack, Workshop, WorkshopStage

router = Router(tags=["improvement"])

MAX_TEXT = 10000
OPEN = (Action.State.NOT_STARTED, Action.State.IN_PROGRESS)


# Schemas --------------------------------------------------------------------------------------

class StageOut(Schema):
    stage: str
    label: str
    notes: str


class WorkshopFindingOut(Schema):
    id: int
    line_id: int | None
    heading: str
    working_well: str
    explore_further: str
    workshop_questions: str


class WorkshopOut(Schema):
    review_id: int
    champion: str | None
    scheduled: bool = Field(description="False until the workshop is scheduled; the fields "
                                        "below are then empty")
    held_on: date | None
    starts_at: str | None
    mode: str | None
    place: str
    attendees: list[str]
    stage: str | None = Field(description="The stage the workshop is at")
    stages: list[StageOut] = Field(description="Each stage in order, with its notes")
    started_at: datetime | None
    completed: bool
    completed_at: datetime | None
    lock_version: int | None
    findings: list[WorkshopFindingOut] = Field(
        description="The review's findings: an action names the ones it answers by id")


class FindingRefOut(Schema):
    id: int
    line_id: int | None
    label: str


class ActionOut(Schema):
    id: int
    review_id: int
    title: str
    why: str
    findings: list[FindingRefOut] = Field(description="The findings this action answers")
    area: str
    area_label: str
    owner_id: int
    owner: str
    starts_on: date
    due_on: date
    success_criteria: str
    resources: str
    support_wanted: str
    status: str
    status_label: str
    dropped_reason: str
    overdue: bool
    created_at: datetime
    last_update_at: datetime
    lock_version: int


class ProgressOut(Schema):
    id: int
    author: str | None
    created_at: datetime
    text: str
    status: str
    files: list[str] = Field(description="Names of attached files (download them on the page)")


class ImpactOut(Schema):
    impact_seen: str
    evidence: str
    next_steps: str
    recorded_by: str | None
    recorded_at: datetime


class ActionDetailOut(ActionOut):
    updates: list[ProgressOut] = Field(description="Newest first")
    impact: ImpactOut | None
    can_update: bool


class ActionIn(Schema):
    title: str = Field(..., max_length=300)
    finding_ids: list[int] = Field(..., max_length=100,
                                   description="The review's findings this action answers "
                                               "(at least one)")
    why: str = Field("", max_length=5000)
    area: Area = Area.OTHER
    owner_id: int = Field(..., ge=1, le=MAX_ID, description="Someone at the host school")
    starts_on: date | None = Field(None, description="Empty: today")
    due_on: date
    success_criteria: str = Field(..., max_length=5000)
    resources: str = Field("", max_length=5000)
    support_wanted: str = Field("", max_length=5000)


class ProgressIn(Schema):
    text: str = Field(..., max_length=MAX_TEXT)
    status: Action.State
    dropped_reason: str = Field("", max_length=2000, description="Needed when dropped")


class ProgressSavedOut(Schema):
    update: ProgressOut
    action: ActionOut


class CheckBackActionOut(Schema):
    id: int
    title: str
    owner: str
    status: str
    due_on: date
    impact: ImpactOut | None


class CheckBackOut(Schema):
    review_id: int
    checkback_on: date | None
    open_for_impact: bool = Field(description="Impact is recorded while the plan is under way")
    held_on: date | None
    summary: str
    completed: bool
    completed_at: datetime | None
    actions: list[CheckBackActionOut]


class ImpactIn(Schema):
    impact_seen: str = Field(..., max_length=MAX_TEXT)
    evidence: str = Field("", max_length=MAX_TEXT)
    next_steps: str = Field("", max_length=MAX_TEXT)


class ImpactSavedOut(ImpactOut):
    action_id: int


class ActionCountsOut(Schema):
    open: int
    done: int
    all: int


class SharedActionOut(Schema):
    id: int
    title: str
    area: str
    status: str
    due_on: date


class ReviewProgressOut(Schema):
    review_id: int
    school_urn: int
    school: str
    cycle: str
    status: str
    workshop_on: date | None
    workshop_held: bool
    actions: ActionCountsOut
    checkback_on: date | None
    checkback_completed: bool
    checkback_completed_at: datetime | None
    plan_shared: bool
    shared_actions: list[SharedActionOut] | None = Field(
        None, description="Only where the school has shared its plan with the caller")


class AreaCountOut(Schema):
    area: str
    label: str
    open_actions: int
    schools: int


class PartnershipProgressOut(Schema):
    partnership: str
    name: str
    reviews: list[ReviewProgressOut]
    open_actions_by_area: list[AreaCountOut]


# Helpers --------------------------------------------------------------------------------------

def _text(value: str) -> str:
    """Text as the database can take it (no NUL characters)."""
    return (value or "").replace("\x00", "")


def _invalid(error: ValidationError) -> Answer:
    return Answer(400, {"detail": " ".join(error.messages), "errors": error.messages})


def _person(user) -> str | None:
    return user.display_name if user else None


def _finding_ref(f) -> dict:
    return {"id": f.pk, "line_id": f.line_id,
            "label": f"Line of enquiry {f.line.position}" if f.line else "Key enquiry question"}


def _action(a, today=None) -> dict:
    return {"id": a.pk, "review_id": a.review_id, "title": a.title, "why": a.why,
            "findings": [_finding_ref(f) for f in a.findings.all()],
            "area": a.area, "area_label": str(a.get_area_display()), "owner_id": a.owner_id,
            "owner": a.owner.display_name, "starts_on": a.starts_on, "due_on": a.due_on,
            "success_criteria": a.success_criteria, "resources": a.resources,
            "support_wanted": a.support_wanted, "status": a.status,
            "status_label": a.get_status_display(), "dropped_reason": a.dropped_reason,
            "overdue": a.is_overdue(today), "created_at": a.created_at,
            "last_update_at": a.last_update_at, "lock_version": a.lock_version}


def _update(u) -> dict:
    return {"id": u.pk, "author": _person(u.author), "created_at": u.created_at, "text": u.text,
            "status": u.status, "files": [f.filename for f in u.attachments.all()]}


def _impact(i) -> dict | None:
    if i is None:
        return None
    return {"impact_seen": i.impact_seen, "evidence": i.evidence, "next_steps": i.next_steps,
            "recorded_by": _person(i.recorded_by), "recorded_at": i.recorded_at}


def _with_findings(action) -> Action:
    return Action.objects.select_related("owner").prefetch_related("findings__line") \
        .get(pk=action.pk)


# Workshop -------------------------------------------------------------------------------------

@router.get("/reviews/{review_id}/workshop", response=WorkshopOut,
            summary="The review's Improvement Workshop: schedule, stage and notes")
def get_workshop(request, review_id: int):
    review = get_review_for_user(request.user, review_id, "improvement.view_workshop")
    ws = Workshop.objects.filter(review=review).first()
    findings = review.findings.select_related("line").order_by("line__position", "pk")
    record_disclosure(review, "workshop_viewed", by=request.user, via="api")
    return {"review_id": review.pk, "champion": _person(services.champion_of(review)),
            "scheduled": ws is not None,
            "held_on": ws.held_on if ws else None,
            "starts_at": ws.starts_at.strftime("%H:%M") if ws and ws.starts_at else None,
            "mode": ws.mode if ws else None, "place": ws.place if ws else "",
            "attendees": [u.display_name for u in ws.attendees.order_by("full_name")]
            if ws else [],
            "stage": ws.stage if ws else None,
            "stages": [{"stage": s.value, "label": str(s.label),
                        "notes": ws.stage_notes(s.value) if ws else ""} for s in WorkshopStage],
            "started_at": ws.started_at if ws else None,
            "completed": bool(ws and ws.completed_at),
            "completed_at": ws.completed_at if ws else None,
            "lock_version": ws.lock_version if ws else None,
            "findings": [{"id": f.pk, "line_id": f.line_id,
                          "heading": f"Line of enquiry {f.line.position}" if f.line
                          else "Key enquiry question",
                          "working_well": f.working_well, "explore_further": f.explore_further,
                          "workshop_questions": f.workshop_questions} for f in findings]}


# Plan -----------------------------------------------------------------------------------------

@router.get("/reviews/{review_id}/actions", response=list[ActionOut],
            summary="The review's action plan, by due date")
def list_actions(request, review_id: int):
    review = get_review_for_user(request.user, review_id, "improvement.view_plan")
    actions = review.actions.select_related("owner").prefetch_related("findings__line")
    today = timezone.localdate()
    out = [_action(a, today) for a in actions]
    record_disclosure(review, "plan_viewed", by=request.user, via="api")
    return out


@router.get("/actions/{action_id}", response=ActionDetailOut,
            summary="One action with its progress updates and impact")
def get_action(request, action_id: int):
    user = request.user
    action = _with_findings(get_action_for_user(user, action_id))
    updates = action.updates.select_related("author").prefetch_related("attachments")
    record_disclosure(action.review, "action_viewed", by=user, action_id=action.pk, via="api")
    return {**_action(action), "updates": [_update(u) for u in updates],
            "impact": _impact(getattr(action, "impact", None)),
            "can_update": user.has_perm("improvement.update_action", action)}


@router.post("/reviews/{review_id}/actions", response={201: ActionOut, 400: ErrorOut},
             summary="Add an action to the plan (it answers at least one of the review's "
                     "findings; its owner is someone at the host school)")
def create_action(request, review_id: int, payload: ActionIn):
    review = get_review_for_user(request.user, review_id, "improvement.edit_plan")
    ids = set(payload.finding_ids)
    findings = list(Finding.objects.filter(pk__in=ids)) if all(
        0 < i <= MAX_ID for i in ids) else []
    owner = User.objects.filter(pk=payload.owner_id).first()
    # What the page's form refuses before the service is asked, in the service's words.
    errors = []
    if ids and len(findings) != len(ids):
        errors.append("Findings must come from this review")
    if owner is None:
        errors.append("The owner must be someone at the host school")
    if not _text(payload.success_criteria).strip():
        errors.append("Say what will be different, and how it will be seen")
    try:
        if errors:
            if not ids:
                errors.insert(0, "Link the action to at least one finding it answers")
            raise ValidationError(errors)
        action = services.add_action(
            review, by=request.user, findings=findings, title=_text(payload.title).strip(),
            why=_text(payload.why).strip(), area=payload.area.value, owner=owner,
            starts_on=payload.starts_on or timezone.localdate(), due_on=payload.due_on,
            success_criteria=_text(payload.success_criteria).strip(),
            resources=_text(payload.resources).strip(),
            support_wanted=_text(payload.support_wanted).strip())
    except ValidationError as e:
        return _invalid(e)
    return Answer(201, _action(_with_findings(action)))


@router.post("/actions/{action_id}/progress",
             response={201: ProgressSavedOut, 400: ErrorOut},
             summary="Add a progress update, setting the action's status")
def add_progress(request, action_id: int, payload: ProgressIn):
    action = get_action_for_user(request.user, action_id, "improvement.update_action")
    try:
        update = services.add_progress(action, by=request.user, text=_text(payload.text),
                                       status=payload.status.value,
                                       dropped_reason=_text(payload.dropped_reason))
    except ValidationError as e:
        return _invalid(e)
    return Answer(201, {"update": _update(update), "action": _action(_with_findings(action))})


# Check-back -----------------------------------------------------------------------------------

@router.get("/reviews/{review_id}/checkback", response=CheckBackOut,
            summary="The impact check-back: each action with the impact recorded")
def get_checkback(request, review_id: int):
    review = get_review_for_user(request.user, review_id, "improvement.check_back")
    checkback = CheckBack.objects.filter(review=review).first()
    actions = review.actions.select_related("owner", "impact__recorded_by")
    return {"review_id": review.pk, "checkback_on": review.checkback_on,
            "open_for_impact": review.status == Status.ACTING,
            "held_on": checkback.held_on if checkback else None,
            "summary": checkback.summary if checkback else "",
            "completed": bool(checkback and checkback.completed_at),
            "completed_at": checkback.completed_at if checkback else None,
            "actions": [{"id": a.pk, "title": a.title, "owner": a.owner.display_name,
                         "status": a.status, "due_on": a.due_on,
                         "impact": _impact(getattr(a, "impact", None))} for a in actions]}


@router.put("/actions/{action_id}/impact", response={200: ImpactSavedOut, 400: ErrorOut},
            summary="Record (or change) the impact of an action at the check-back")
def record_impact(request, action_id: int, payload: ImpactIn):
    action = get_action_for_user(request.user, action_id, "improvement.check_back")
    try:
        impact = services.record_impact(action, by=request.user,
                                        impact_seen=_text(payload.impact_seen),
                                        evidence=_text(payload.evidence),
                                        next_steps=_text(payload.next_steps))
    except ValidationError as e:
        return _invalid(e)
    return {**(_impact(impact) or {}), "action_id": action.pk}


# Partnership ----------------------------------------------------------------------------------

@router.get("/partnerships/{slug}", response=PartnershipProgressOut,
            summary="Improvement across a partnership: counts per review and open actions by "
                    "area (an action's text only where its school shared the plan)")
def partnership_progress(request, slug: str):
    user = request.user
    p = get_partnership_for_user(user, clean_text(slug))
    if not user.has_perm("improvement.view_partnership_progress", p):
        raise PermissionDenied
    progress = selectors.partnership_progress(p, viewer=user, via="api")
    reviews, shared_ids = progress.reviews, progress.shared_ids
    out = []
    for r in reviews:
        ws = getattr(r, "workshop", None)
        cb = getattr(r, "checkback", None)
        shared_actions = None
        # The plan's text only where the school shared it and the sharing reaches the caller
        # (the plan page's own rule); the read is disclosed to the school as the page's is.
        if r.pk in shared_ids and user.has_perm("improvement.view_plan", r):
            shared_actions = [{"id": a.pk, "title": a.title, "area": a.area,
                               "status": a.status, "due_on": a.due_on}
                              for a in r.actions.all()]
            record_disclosure(r, "plan_viewed", by=user, via="api")
        out.append({"review_id": r.pk, "school_urn": r.host.urn, "school": r.host.name,
                    "cycle": r.cycle.label, "status": r.status,
                    "workshop_on": ws.held_on if ws else r.workshop_on,
                    "workshop_held": bool(ws and ws.completed_at),
                    "actions": {"open": r.open_actions, "done": r.done_actions,
                                "all": r.all_actions},
                    "checkback_on": r.checkback_on,
                    "checkback_completed": bool(cb and cb.completed_at),
                    "checkback_completed_at": cb.completed_at if cb else None,
                    "plan_shared": r.pk in shared_ids, "shared_actions": shared_actions})
    return {"partnership": p.slug, "name": p.name, "reviews": out,
            "open_actions_by_area": [{"area": a["area"], "label": a["label"],
                                      "open_actions": a["n"], "schools": a["schools"]}
                                     for a in progress.areas]}
