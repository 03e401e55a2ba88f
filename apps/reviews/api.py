"""The review cycle over the API: cycles, reviews, teams, evidence, findings and reports.

Exactly the permissions of the pages (``rules.py`` through ``access.py``): 404 for
a review outside the caller's reach, 403 for an insider without the right. Every read of
review content is written to the host's disclosure log, as the pages do. The self-review,
safeguarding records and files are not exposed here.
"""


from datetime import date, datetime
from typing import Literal
from uuid import UUID

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status as Answer

from apps.core.api import ErrorOut, Mapped, SafePagination
from apps.core.converters import MAX_ID

from . import services, workflow
from .access import get_cycle_for_user, get_review_for_user
from .models import LIVE_PLACES, STEPS, Report, Status
from .selectors import visible_cycles, visible_reviews

router = Router(tags=["reviews"])

MAX_TEXT = 20000


# Schemas --------------------------------------------------------------------------------------

class CycleOut(Schema):
    id: int
    partnership: str
    partnership_name: str
    start_year: int
    label: str
    cross_partnership: bool


class HostOut(Schema):
    urn: int
    name: str


class ScheduleOut(Schema):
    data_sharing_on: date | None
    pre_review_on: date | None
    review_starts_on: date | None
    review_days: int
    feedback_on: date | None
    workshop_on: date | None
    checkback_on: date | None


class ReviewSummaryOut(Schema):
    id: int
    cycle_id: int
    host: HostOut
    status: str
    status_label: str
    mode: str
    schedule: ScheduleOut


class CycleDetailOut(CycleOut):
    reviews: list[ReviewSummaryOut]


class TeamPlaceOut(Schema):
    name: str
    role: str
    school: str
    status: str


class TeamMemberOut(TeamPlaceOut):
    id: int
    decline_reason: str | None = Field(
        None, description="Only for those who manage the team")


class LineOut(Schema):
    id: int
    position: int
    text: str


class ActivityOut(Schema):
    id: int
    kind: str
    on: date
    starts_at: str
    ends_at: str | None
    meeting_link: str = Field("", description="The link to join the activity online (every "
                                             "activity of a Rapid Response review has one)")


class EnquiryOut(Schema):
    key_question: str
    lines: list[LineOut]
    activities: list[ActivityOut]


class StepOut(Schema):
    name: str
    label: str
    missing: list[str]


class ReviewOut(ReviewSummaryOut):
    cycle: str
    partnership: str
    framework: str | None
    framework_version: int | None
    status_reason: str
    postponed_from: str
    team: list[TeamPlaceOut]
    enquiry: EnquiryOut | None = Field(
        None, description="The key question, lines of enquiry and plan: only for those who "
                          "may see the review's content")
    actions: list[StepOut] = Field(
        description="Status changes the caller may make now or later, with what is missing")


class EvidenceOut(Schema):
    id: int
    author: str
    line_id: int | None
    activity_id: int | None
    text: str
    tags: list[str]
    client_id: UUID
    created_at: datetime
    updated_at: datetime
    lock_version: int


class EvidenceIn(Schema):
    text: str = Field(..., min_length=1, max_length=MAX_TEXT)
    line_id: int | None = Field(None, ge=1, le=MAX_ID,
                                description="Empty: the key enquiry question")
    activity_id: int | None = Field(None, ge=1, le=MAX_ID)
    tags: list[str] = Field([], max_length=50)
    client_id: UUID | None = Field(
        None, description="Your id for this note: sending it again updates the same note")
    lock_version: int | None = Field(None, ge=0, le=MAX_ID,
                                     description="The version you read, when updating")


class EvidenceConflictOut(Schema):
    detail: str
    current: EvidenceOut


class FindingOut(Schema):
    line_id: int | None
    heading: str
    question: str
    working_well: str
    explore_further: str
    workshop_questions: str
    lock_version: int | None = Field(
        description="0 until first saved: send it back, and a finding someone saved "
                    "meanwhile is answered as a conflict (409) rather than overwritten")
    updated_by: str | None
    updated_at: datetime | None


class FindingIn(Schema):
    line_id: int | None = Field(None, ge=1, le=MAX_ID,
                                description="Empty: the key enquiry question")
    working_well: str = Field("", max_length=MAX_TEXT)
    explore_further: str = Field("", max_length=MAX_TEXT)
    workshop_questions: str = Field("", max_length=MAX_TEXT)
    lock_version: int | None = Field(None, ge=0, le=MAX_ID,
                                     description="The version you read (0: none saved yet); "
                                                 "empty overwrites without a check")


class FindingConflictOut(Schema):
    detail: str
    current: FindingOut


class SectionOut(Schema):
    heading: str = ""
    question: str = ""
    working_well: str = ""
    explore_further: str = ""
    workshop_questions: str = ""


class ReportOut(Schema):
    number: int
    status: str
    summary: str
    sections: list[SectionOut]
    created_at: datetime
    submitted_at: datetime | None
    agreed_at: datetime | None


class TransitionIn(Schema):
    name: str = Field(..., max_length=40, description="For example start_review or close")
    reason: str = Field("", max_length=2000)


class TransitionOut(Schema):
    id: int
    status: str
    status_label: str


class TransitionRefusedOut(Schema):
    detail: str
    missing: list[str]


# Helpers --------------------------------------------------------------------------------------

def _text(value: str) -> str:
    """Text as the database can take it (no NUL characters)."""
    return (value or "").replace("\x00", "")


def _invalid(error: ValidationError) -> Answer:
    return Answer(400, {"detail": " ".join(error.messages), "errors": error.messages})


def _cycle(c) -> dict:
    return {"id": c.pk, "partnership": c.partnership.slug, "partnership_name": c.partnership.name,
            "start_year": c.start_year, "label": c.label,
            "cross_partnership": c.cross_partnership}


def _summary(r) -> dict:
    return {"id": r.pk, "cycle_id": r.cycle_id,
            "host": {"urn": r.host.urn, "name": r.host.name},
            "status": r.status, "status_label": r.get_status_display(), "mode": r.mode,
            "schedule": {**{f: getattr(r, f) for f, _ in STEPS}, "review_days": r.review_days}}


def _person(user) -> str | None:
    return user.display_name if user else None


def _note(n) -> dict:
    return {"id": n.pk, "author": n.author.display_name, "line_id": n.line_id,
            "activity_id": n.activity_id, "text": n.text, "tags": n.tags or [],
            "client_id": n.client_id, "created_at": n.created_at, "updated_at": n.updated_at,
            "lock_version": n.lock_version}


def _finding(review, line, f) -> dict:
    return {"line_id": line.pk if line else None,
            "heading": f"Line of enquiry {line.position}" if line else "Key enquiry question",
            "question": line.text if line else review.key_question,
            "working_well": f.working_well if f else "",
            "explore_further": f.explore_further if f else "",
            "workshop_questions": f.workshop_questions if f else "",
            "lock_version": f.lock_version if f else 0,
            "updated_by": _person(f.updated_by) if f else None,
            "updated_at": f.updated_at if f else None}


def _line(review, line_id):
    if line_id is None:
        return None
    line = review.lines.filter(pk=line_id).first()
    if line is None:
        raise ValidationError("There is no such line of enquiry on this review")
    return line


# Cycles ---------------------------------------------------------------------------------------

@router.get("/cycles", response=list[CycleOut], summary="Review cycles the caller may see")
@paginate(SafePagination, page_size=50)
def list_cycles(request):
    # visible_cycles is exactly reviews.view_cycle (core team, or the cycle's partnership).
    cycles = visible_cycles(request.user).select_related("partnership")
    return Mapped(cycles.order_by("-start_year", "partnership__name", "pk"), _cycle)


@router.get("/cycles/{cycle_id}", response=CycleDetailOut,
            summary="One cycle with its reviews' schedule and status")
def get_cycle(request, cycle_id: int):
    cycle = get_cycle_for_user(request.user, cycle_id)
    reviews = cycle.reviews.select_related("host").order_by("host__name", "pk")
    return {**_cycle(cycle), "reviews": [_summary(r) for r in reviews]}


# Reviews --------------------------------------------------------------------------------------

@router.get("/", response=list[ReviewSummaryOut],
            summary="Reviews whose schedule and status the caller may see")
@paginate(SafePagination, page_size=50)
def list_reviews(request, cycle: int | None = None,
                 status: Literal[tuple(Status.values)] | None = None):  # type: ignore[valid-type]
    reviews = visible_reviews(request.user).select_related("host")
    if cycle is not None:
        reviews = reviews.filter(cycle_id=cycle) if 0 < cycle <= MAX_ID else reviews.none()
    if status:
        reviews = reviews.filter(status=status)
    return Mapped(reviews.order_by("review_starts_on", "host__name", "pk"), _summary)


@router.get("/{review_id}", response=ReviewOut,
            summary="One review: schedule, status and team (and its enquiry, for those who "
                    "may see the content)")
def get_review(request, review_id: int):
    user = request.user
    review = get_review_for_user(user, review_id)
    team = review.team.filter(status__in=LIVE_PLACES).select_related("user",
                                                                                  "school")
    fv = review.framework_version
    enquiry = None
    if user.has_perm("reviews.view_content", review):
        enquiry = {"key_question": review.key_question,
                   "lines": [{"id": line.pk, "position": line.position, "text": line.text}
                             for line in review.lines.all()],
                   "activities": [{"id": a.pk, "kind": a.kind, "on": a.on,
                                   "starts_at": a.starts_at.strftime("%H:%M"),
                                   "ends_at": a.ends_at.strftime("%H:%M") if a.ends_at else None,
                                   "meeting_link": a.meeting_link}
                                  for a in review.activities.all()]}
        services.record_disclosure(review, "enquiry_viewed", by=user, via="api")
    return {**_summary(review), "cycle": review.cycle.label,
            "partnership": review.cycle.partnership.slug,
            "framework": fv.framework.slug if fv else None,
            "framework_version": fv.number if fv else None,
            "status_reason": review.status_reason, "postponed_from": review.postponed_from,
            "team": [{"name": m.user.display_name, "role": m.role, "school": m.school.name,
                      "status": m.status} for m in team],
            "enquiry": enquiry,
            "actions": [{"name": t.name, "label": str(t.label), "missing": missing}
                        for t, missing in workflow.available(review, user)]}


@router.get("/{review_id}/team", response=list[TeamMemberOut], summary="The review's team")
def list_team(request, review_id: int):
    review = get_review_for_user(request.user, review_id)
    can_manage = request.user.has_perm("reviews.manage_team", review)
    members = review.team.select_related("user", "school").order_by("status", "role", "pk")
    return [{"id": m.pk, "name": m.user.display_name, "role": m.role, "school": m.school.name,
             "status": m.status,
             "decline_reason": (m.decline_reason or None) if can_manage else None}
            for m in members]


@router.post("/{review_id}/transitions",
             response={200: TransitionOut, 409: TransitionRefusedOut},
             summary="Change the review's status (403 if the caller may not; 409 with what "
                     "is missing)")
def transition_review(request, review_id: int, payload: TransitionIn):
    review = get_review_for_user(request.user, review_id)
    try:
        review = workflow.transition(review, payload.name.strip(), by=request.user,
                                     reason=_text(payload.reason))
    except workflow.TransitionRefused as e:
        return Answer(409, {"detail": "The review's status cannot change yet",
                            "missing": e.reasons})
    return {"id": review.pk, "status": review.status, "status_label": review.get_status_display()}


# Evidence -------------------------------------------------------------------------------------

@router.get("/{review_id}/evidence", response=list[EvidenceOut],
            summary="The team's evidence notes (line: a line of enquiry's id, or 'key')")
@paginate(SafePagination, page_size=100)
def list_evidence(request, review_id: int, line: str = ""):
    review = get_review_for_user(request.user, review_id, "reviews.view_content")
    notes = review.evidence.select_related("author")
    if line == "key":
        notes = notes.filter(line__isnull=True)
    elif line.isascii() and line.isdigit() and int(line) <= MAX_ID:
        notes = notes.filter(line_id=int(line))
    elif line:
        raise HttpError(422, "line is a line of enquiry's id or 'key'")
    services.record_disclosure(review, "evidence_viewed", by=request.user, via="api")
    return Mapped(notes.order_by("-updated_at", "pk"), _note)


@router.post("/{review_id}/evidence",
             response={200: EvidenceOut, 201: EvidenceOut, 400: ErrorOut,
                       409: EvidenceConflictOut},
             summary="Record an evidence note (201), or update yours with the same client_id "
                     "(200)")
def create_evidence(request, review_id: int, payload: EvidenceIn):
    review = get_review_for_user(request.user, review_id, "reviews.record_evidence")
    try:
        line = _line(review, payload.line_id)
        activity = None
        if payload.activity_id is not None:
            activity = review.activities.filter(pk=payload.activity_id).first()
            if activity is None:
                raise ValidationError("There is no such activity on this review")
        note, created = services.save_evidence(
            review, by=request.user, text=_text(payload.text), line=line, activity=activity,
            tags=[_text(t) for t in payload.tags], client_id=payload.client_id,
            expected_version=payload.lock_version)
    except services.EditConflict as e:
        return Answer(409, {"detail": "This note was changed elsewhere after you read it, so "
                                      "your change was not saved. The saved note is in "
                                      "'current': combine the two and send again with its "
                                      "lock_version",
                            "current": _note(e.current)})
    except ValidationError as e:
        return _invalid(e)
    return Answer(201 if created else 200, _note(note))


# Findings -------------------------------------------------------------------------------------

@router.get("/{review_id}/findings", response=list[FindingOut],
            summary="The team's findings: the key question, then each line of enquiry")
def list_findings(request, review_id: int):
    review = get_review_for_user(request.user, review_id, "reviews.view_content")
    stored = {f.line_id: f for f in review.findings.select_related("updated_by")}
    out = [_finding(review, line, stored.get(line.pk if line else None))
           for line in [None, *review.lines.all()]]
    services.record_disclosure(review, "findings_viewed", by=request.user, via="api")
    return out


@router.put("/{review_id}/findings",
            response={200: FindingOut, 400: ErrorOut, 409: FindingConflictOut},
            summary="Save the findings for the key question (line_id empty) or a line")
def update_finding(request, review_id: int, payload: FindingIn):
    review = get_review_for_user(request.user, review_id, "reviews.edit_findings")
    try:
        line = _line(review, payload.line_id)
        finding = services.save_finding(
            review, line, by=request.user, working_well=_text(payload.working_well),
            explore_further=_text(payload.explore_further),
            workshop_questions=_text(payload.workshop_questions),
            expected_version=payload.lock_version)
    except services.EditConflict as e:
        current = e.current
        who = _person(current.updated_by) or "Someone"
        return Answer(409, {"detail": f"{who} saved these findings after you read them, so "
                                      "yours were not saved. Their text is in 'current': "
                                      "combine the two and send again with its lock_version",
                            "current": _finding(review, line, current)})
    except ValidationError as e:
        return _invalid(e)
    return _finding(review, line, finding)


# Reports --------------------------------------------------------------------------------------

@router.get("/{review_id}/reports", response=list[ReportOut],
            summary="Report versions, newest first (people it was shared with: the agreed "
                    "version only)")
def list_reports(request, review_id: int):
    user = request.user
    review = get_review_for_user(user, review_id, "reviews.view_report")
    content_ok = user.has_perm("reviews.view_content", review)
    reports = list(review.reports.all()) if content_ok else \
        list(review.reports.filter(status=Report.State.AGREED)[:1])
    for report in reports:
        services.record_disclosure(review, "report_viewed", by=user, version=report.number,
                                   shared=not content_ok, via="api")
    return [{"number": r.number, "status": r.status, "summary": r.summary,
             "sections": [s for s in (r.sections or []) if isinstance(s, dict)],
             "created_at": r.created_at, "submitted_at": r.submitted_at,
             "agreed_at": r.agreed_at} for r in reports]
