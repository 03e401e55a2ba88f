"""Writes for the Improvement Workshop, the action plan and the impact check-back. Views check
permissions; these functions enforce the rules that hold whoever calls them, act atomically and
write the audit log."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext

from apps.accounts.models import User, current_role_lookup
from apps.core import audit
from apps.reviews import workflow
from apps.reviews.models import Finding, Review, SelfReviewEntry, Status, TeamMember
from apps.reviews.services import check_version, save_versioned

from .models import (
    STAGE_ORDER,
    Action,
    ActionFile,
    ActionImpact,
    CheckBack,
    PlanExport,
    PlanShare,
    ProgressUpdate,
    Workshop,
)

PLAN_OPEN = (Status.REPORT_AGREED, Status.ACTING)


def _plan_open(review: Review) -> None:
    """Actions change while the plan is under way; a closed or cancelled review's plan is
    kept as the record of what was done."""
    if review.status not in PLAN_OPEN:
        raise ValidationError(f"The review is {review.get_status_display().lower()}: its "
                              "action plan is kept as it was and can no longer change")
STAGE_FIELDS = {"revisit": "revisit_notes", "focus": "focus", "causes": "causes",
                "impact": "impact_plan"}


def champion_of(review: Review) -> User | None:
    member = review.team.filter(role=TeamMember.Role.CHAMPION,
                                status=TeamMember.State.ACCEPTED).select_related("user").first()
    return member.user if member else None


def host_people(review: Review) -> QuerySet[User]:
    """Everyone with a current role at the host school (leaders and staff)."""
    return User.objects.filter(is_active=True, roles__school_id=review.host_id,
                               **current_role_lookup("roles__")).distinct().order_by("full_name")


# Workshop ----------------------------------------------------------------------------------

@transaction.atomic
def schedule_workshop(review: Review, *, by: User, held_on: date, starts_at: time | None = None,
                      mode: str = "in_person", place: str = "",
                      attendees: Iterable[User] = ()) -> Workshop:
    if review.status not in PLAN_OPEN:
        raise ValidationError("The Improvement Workshop follows the agreed report")
    if Workshop.objects.filter(review=review, completed_at__isnull=False).exists():
        raise ValidationError("The workshop has been held; its day and place are kept as "
                              "they were")
    if champion_of(review) is None:
        raise ValidationError("The review needs an Improvement Champion who has accepted "
                              "before the workshop can be scheduled")
    if mode == Workshop.Mode.ONLINE and not place.startswith(("https://", "http://")):
        raise ValidationError({"place": "Enter the link to join online, starting https://"})
    if not place.strip():
        raise ValidationError({"place": "Enter the room at the school, or the link to join "
                                        "online"})
    problem = review.cycle.date_problem(held_on, gettext("The workshop's day"))
    if problem:
        raise ValidationError({"held_on": problem})
    if review.review_starts_on and held_on < review.review_starts_on:
        raise ValidationError({"held_on": "The workshop follows the review: choose a day on "
                                          f"or after {review.review_starts_on:%-d %B %Y}"})
    allowed = set(host_people(review).values_list("pk", flat=True))
    if any(a.pk not in allowed for a in attendees):
        raise ValidationError("Attendees come from the host school")
    workshop, created = Workshop.objects.update_or_create(review=review, defaults={
        "held_on": held_on, "starts_at": starts_at, "mode": mode, "place": place,
        "updated_by": by})
    workshop.attendees.set(attendees)
    if review.workshop_on != held_on:
        Review.objects.filter(pk=review.pk).update(
            workshop_on=held_on, schedule_sequence=F("schedule_sequence") + 1)
    audit.record("workshop.scheduled" if created else "workshop.changed", actor=by, obj=review,
                 held_on=str(held_on), mode=mode)
    return workshop


@transaction.atomic
def save_stage(workshop: Workshop, stage: str, *, by: User, notes: str,
               expected_version: int | None, base: str | None = None) -> Workshop:
    """Save the notes of one stage and move the workshop's pointer to it. The version is the
    workshop's; with ``base`` (the digest of the stage's notes as read) a save after another
    stage's notes changed goes ahead, and only a change to these notes is a conflict."""
    if stage not in STAGE_FIELDS:
        raise ValidationError("Unknown stage of the workshop")
    if workshop.completed_at:
        raise ValidationError("The workshop is complete; its notes are kept as they were")
    current = Workshop.objects.select_for_update().get(pk=workshop.pk)
    check_version(current, expected_version, base, [current.stage_notes(stage)], [notes])
    Workshop.objects.filter(pk=workshop.pk).update(
        **{STAGE_FIELDS[stage]: notes}, stage=stage, updated_by=by, updated_at=timezone.now(),
        lock_version=F("lock_version") + 1, started_at=workshop.started_at or timezone.now())
    workshop.refresh_from_db()
    # Autosaved while typing: counted, one entry per person, stage and day.
    audit.record_counted("workshop.notes_saved", actor=by, obj=workshop.review, stage=stage)
    return workshop


@transaction.atomic
def move_to_stage(workshop: Workshop, stage: str, *, by: User) -> Workshop:
    if stage not in STAGE_ORDER:
        raise ValidationError("Unknown stage of the workshop")
    Workshop.objects.filter(pk=workshop.pk).update(
        stage=stage, started_at=workshop.started_at or timezone.now())
    workshop.refresh_from_db()
    return workshop


@transaction.atomic
def complete_workshop(workshop: Workshop, *, by: User) -> Workshop:
    """Finish the workshop and move the review on to acting on its plan."""
    review = workshop.review
    workflow.transition(review, "complete_workshop", by=by)
    Workshop.objects.filter(pk=workshop.pk).update(completed_at=timezone.now(),
                                                   completed_by=by)
    workshop.refresh_from_db()
    audit.record("workshop.completed", actor=by, obj=review)
    return workshop


# Actions ----------------------------------------------------------------------------------

def _check_action(review: Review, *, findings: Collection[Finding], owner: User | None,
                  starts_on: date | None, due_on: date | None, status: str | None = None,
                  dropped_reason: str = "") -> None:
    errors = []
    findings = list(findings)
    if not findings:
        errors.append("Link the action to at least one finding it answers")
    elif any(f.review_id != review.pk for f in findings):
        errors.append("Findings must come from this review")
    if owner is not None and not host_people(review).filter(pk=owner.pk).exists():
        errors.append("The owner must be someone at the host school")
    if starts_on and due_on and due_on < starts_on:
        errors.append("The due date must be on or after the start date")
    if status == Action.State.DROPPED and not (dropped_reason or "").strip():
        errors.append("Say why the action is dropped")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_action(review: Review, *, by: User, findings: Collection[Finding],
               **fields: Any) -> Action:
    if review.status not in PLAN_OPEN:
        raise ValidationError("Actions are agreed at the Improvement Workshop, after the report "
                              "is agreed")
    if not (fields.get("title") or "").strip():
        raise ValidationError("Say what the action is")
    _check_action(review, findings=findings, owner=fields.get("owner"),
                  starts_on=fields.get("starts_on"), due_on=fields.get("due_on"))
    action = Action.objects.create(review=review, created_by=by, **fields)
    action.findings.set(findings)
    audit.record("action.added", actor=by, obj=review, action_id=action.pk)
    return action


ACTION_TEXTS = ("title", "why", "success_criteria", "resources", "support_wanted")


def action_texts(action: Action) -> list[str]:
    return [getattr(action, f) for f in ACTION_TEXTS]


@transaction.atomic
def update_action(action: Action, *, by: User, findings: Collection[Finding] | None = None,
                  expected_version: int | None = None, base: str | None = None,
                  **fields: Any) -> Action:
    """Change an action. ``base`` is the digest of its texts as read (``action_texts``): a
    progress update posted meanwhile (which moves the version) does not block the save, a
    change to the texts by someone else does (``EditConflict``)."""
    review = action.review
    _plan_open(review)
    merged = {k: fields.get(k, getattr(action, k)) for k in
              ("owner", "starts_on", "due_on", "status", "dropped_reason")}
    _check_action(review, findings=findings if findings is not None else action.findings.all(),
                  **merged)
    current = Action.objects.select_for_update(of=("self",)).get(pk=action.pk)
    check_version(current, expected_version, base, action_texts(current),
                  [fields.get(f, getattr(current, f)) for f in ACTION_TEXTS])
    owner = fields.pop("owner", None)
    if owner is not None:
        fields["owner_id"] = owner.pk
    Action.objects.filter(pk=action.pk).update(lock_version=F("lock_version") + 1, **fields)
    if findings is not None:
        action.findings.set(findings)
    action.refresh_from_db()
    audit.record("action.changed", actor=by, obj=review, action_id=action.pk,
                 fields=sorted(fields))
    return action


@transaction.atomic
def add_progress(action: Action, *, by: User, text: str, status: str, dropped_reason: str = "",
                 upload: tuple[str, str, bytes] | None = None) -> ProgressUpdate:
    _plan_open(Review.objects.get(pk=action.review_id))
    if not text.strip():
        raise ValidationError("Say what has happened")
    if status not in Action.State.values:
        raise ValidationError("Choose a status")
    if status == Action.State.DROPPED and not dropped_reason.strip():
        raise ValidationError("Say why the action is dropped")
    update = ProgressUpdate.objects.create(action=action, author=by, text=text.strip(),
                                           status=status)
    if upload:
        filename, content_type, content = upload
        ActionFile.objects.create(update=update, filename=filename, content_type=content_type,
                                  size_bytes=len(content),
                                  file=ContentFile(bytes(content), name=filename))
    Action.objects.filter(pk=action.pk).update(
        status=status, last_update_at=update.created_at, stale_reminded_at=None,
        dropped_reason=dropped_reason.strip() if status == Action.State.DROPPED else "",
        lock_version=F("lock_version") + 1)
    action.refresh_from_db()
    audit.record("action.progress", actor=by, obj=action.review, action_id=action.pk,
                 status=status)
    return update


# Sharing, check-back, export -----------------------------------------------------------------

@transaction.atomic
def share_plan(review: Review, *, by: User) -> PlanShare:
    share = review.plan_shares.filter(withdrawn_at__isnull=True).first()
    if share:
        return share
    share = PlanShare.objects.create(review=review, shared_by=by)
    audit.record("plan.shared", actor=by, obj=review)
    return share


@transaction.atomic
def withdraw_plan_share(review: Review, *, by: User) -> None:
    if review.plan_shares.filter(withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now(), withdrawn_by=by):
        audit.record("plan.share_withdrawn", actor=by, obj=review)


@transaction.atomic
def record_impact(action: Action, *, by: User, impact_seen: str, evidence: str = "",
                  next_steps: str = "", expected_version: int | None = None,
                  base: str | None = None) -> ActionImpact:
    """Record (or change) the impact of an action; ``expected_version`` and ``base`` as for
    ``apps.reviews.services.save_versioned``."""
    review = Review.objects.get(pk=action.review_id)
    if review.status != Status.ACTING:
        raise ValidationError("The check-back follows the workshop, while the plan is under way")
    if not impact_seen.strip():
        raise ValidationError("Describe the impact seen (or that none is seen yet)")
    checkback, _ = CheckBack.objects.get_or_create(review=review)
    if checkback.completed_at:
        raise ValidationError("The check-back is complete")
    impact, _ = save_versioned(
        ActionImpact, {"action": action}, expected=expected_version, base=base,
        texts={"impact_seen": impact_seen.strip(), "evidence": evidence.strip(),
               "next_steps": next_steps.strip()},
        checkback=checkback, recorded_by=by, recorded_at=timezone.now())
    audit.record("checkback.impact_recorded", actor=by, obj=review, action_id=action.pk)
    return impact


@transaction.atomic
def complete_checkback(review: Review, *, by: User, summary: str = "") -> CheckBack:
    checkback, _ = CheckBack.objects.get_or_create(review=review)
    missing = review.actions.filter(impact__isnull=True)
    if missing.exists():
        raise ValidationError([f"Record the impact of “{a.title}”" for a in missing])
    checkback.summary = summary.strip()
    checkback.completed_at = timezone.now()
    checkback.completed_by = by
    checkback.save()
    audit.record("checkback.completed", actor=by, obj=review)
    return checkback


@transaction.atomic
def request_plan_pdf(review: Review, *, by: User) -> PlanExport:
    from .tasks import render_plan_pdf

    export = PlanExport.objects.create(review=review, requested_by=by)
    audit.record("plan.exported", actor=by, obj=review, format="pdf")
    language = translation.get_language() or ""
    transaction.on_commit(lambda: render_plan_pdf.enqueue(export.pk, language))
    return export


# Carrying the loop into the next cycle -----------------------------------------------------

def previous_review(review: Review) -> Review | None:
    return (Review.objects.filter(host_id=review.host_id,
                                  cycle__start_year__lt=review.cycle.start_year,
                                  status__in=[Status.ACTING, Status.CLOSED])
            .order_by("-cycle__start_year").first())


def carry_over_text(previous: Review) -> str:
    """Last cycle in a few lines: the question, what the review found, each action and the
    impact recorded at the check-back."""
    lines = [f"Last review ({previous.cycle.label}) asked: {previous.key_question}"]
    for f in Finding.objects.filter(review=previous).select_related("line"):
        label = f"line of enquiry {f.line.position}" if f.line else "the key question"
        if f.working_well:
            lines.append(f"Working well ({label}): {f.working_well}")
        if f.explore_further:
            lines.append(f"To explore further ({label}): {f.explore_further}")
    for a in previous.actions.select_related("impact"):
        impact = getattr(a, "impact", None)
        lines.append(f"Action: {a.title} — {a.get_status_display().lower()}"
                     + (f". Impact: {impact.impact_seen}" if impact else "")
                     + (f" Next: {impact.next_steps}" if impact and impact.next_steps else ""))
    return "\n".join(lines)


def carry_over(review: Review, *, by: User) -> bool:
    """Start this review's self-review from the last one: the whole-school section is
    pre-filled (the school edits it freely). Returns whether anything was carried over."""
    previous = previous_review(review)
    if previous is None or SelfReviewEntry.objects.filter(review=review, theme=None).exists():
        return False
    SelfReviewEntry.objects.create(review=review, theme=None, updated_by=by, lock_version=1,
                                   areas_to_develop=carry_over_text(previous))
    audit.record("self_review.carried_over", actor=by, obj=review, previous=previous.pk)
    return True
