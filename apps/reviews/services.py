"""Writes to the review cycle. Views check permissions and validate input; these functions
act atomically, enforce the rules that must hold whoever calls them, and write the audit log.

Status changes go through ``workflow.transition``. Content that two people may edit at once
(self-review entries, the enquiry, plan activities, findings, evidence notes, reports) uses
optimistic locking: the caller passes the ``lock_version`` it read (0: nothing was saved yet)
and, where it has it, a digest of the text as read (``text_digest``); when someone else saved
other text since, ``EditConflict`` carries what is stored so the page can show both texts.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext

from apps.accounts.models import Role, User, current_role_lookup
from apps.core import audit
from apps.core.dates import date_text
from apps.frameworks.models import FrameworkVersion

from . import notify, teams, workflow
from .models import (
    STEPS,
    Activity,
    Cycle,
    EvidenceNote,
    Finding,
    LineOfEnquiry,
    Mode,
    PartnerAgreement,
    Report,
    ReportComment,
    ReportShare,
    Review,
    ReviewFile,
    SafeguardingConcern,
    SelfReviewEntry,
    Status,
    TeamMember,
    TermDate,
)

MAX_LINES = 3
# Schools with this many pupils or more get two review days by default.
TWO_DAY_PUPILS = 600
EVIDENCE_STATUSES = (Status.SCHEDULED, Status.IN_REVIEW)
FINDINGS_STATUSES = (Status.IN_REVIEW, Status.FEEDBACK_GIVEN)
PLAN_STATUSES = (Status.PLANNED, Status.SELF_REVIEW)
# The evidence-gathering plan changes until the review starts; after that it is the record
# of what was planned (read-only).
ACTIVITY_STATUSES = PLAN_STATUSES + (Status.ENQUIRY_AGREED, Status.SCHEDULED)

if TYPE_CHECKING:
    from apps.frameworks.models import Theme
    from apps.partnerships.models import Partnership
    from apps.schools.models import School

_M = TypeVar("_M", bound=Model)
# (filename, content type, bytes) of an uploaded file
Upload = tuple[str, str, bytes]


class EditConflict(Exception):
    """Someone else saved this first. ``current`` is what is stored now."""

    def __init__(self, current: Any) -> None:
        super().__init__("Someone else saved a change first")
        self.current = current


def text_digest(*texts: str | None) -> str:
    """A short fingerprint of texts as someone read them (line endings and outer spaces do
    not count, as browsers change them)."""
    joined = "\x1f".join((t or "").replace("\r\n", "\n").strip() for t in texts)
    return hashlib.sha256(joined.encode()).hexdigest()[:20]


def save_versioned(model: type[_M], lookup: dict[str, Any], *, expected: int | None,
                   base: str | None = None, texts: dict[str, str],
                   **extra: Any) -> tuple[_M, bool]:
    """Create or update the one row matching ``lookup`` with ``texts`` (and ``extra``) unless
    someone else saved other text since the caller read it. Returns (row, created).

    ``expected`` is the ``lock_version`` read: 0 when there was no row yet (rows made here
    start at 1, so "I saw nothing" conflicts with a row saved meanwhile), None for no check.
    ``base`` is ``text_digest`` of the texts as read: when the version moved but these texts
    did not (another field or section of the row changed), the save goes ahead. Saving the
    text that is already stored is never a conflict. Call inside a transaction."""
    rows = model._default_manager
    row = rows.select_for_update(of=("self",)).filter(**lookup).first()
    if row is None:
        try:
            with transaction.atomic():
                return rows.create(**lookup, **texts, **extra, lock_version=1), True
        except IntegrityError:  # created by someone else since we looked
            row = rows.select_for_update(of=("self",)).get(**lookup)
    check_version(row, expected, base, [getattr(row, k) for k in texts], texts.values())
    _bump(model, row, None, **texts, **extra)
    return row, False


def check_version(row: Model, expected: int | None, base: str | None, stored: Iterable[Any],
                  mine: Iterable[Any], *, version_field: str = "lock_version") -> None:
    """Raise ``EditConflict`` when ``row`` moved on since version ``expected`` was read and
    its ``stored`` texts are neither what was read (``base``) nor the same as ``mine``."""
    if expected is None or getattr(row, version_field) == expected:
        return
    now = text_digest(*[str(v or "") for v in stored])
    if now != text_digest(*[str(v or "") for v in mine]) and (base is None or now != base):
        raise EditConflict(row)


def _bump(model: type[Model], obj: Model, expected: int | None, **fields: Any) -> None:
    """Save ``fields`` only if nobody saved since ``expected`` was read."""
    qs = model._default_manager.filter(pk=obj.pk)
    if expected is not None:
        qs = qs.filter(lock_version=expected)
    if not qs.update(lock_version=F("lock_version") + 1, **fields):
        raise EditConflict(model._default_manager.get(pk=obj.pk))
    obj.refresh_from_db()


# Cycle and schedule -------------------------------------------------------------------------

NO_PARTNER = ("Choose at least one partner partnership, or untick cross-partnership reviews")


@transaction.atomic
def create_cycle(partnership: Partnership, start_year: int, *, by: User,
                 cross_partnership: bool = False,
                 partner_partnerships: Iterable[Partnership] = (),
                 trust_conflicts: bool = True) -> Cycle:
    if Cycle.objects.filter(partnership=partnership, start_year=start_year).exists():
        raise ValidationError(f"{partnership} already has a cycle for "
                              f"{start_year}/{(start_year + 1) % 100:02d}")
    partners = [p for p in partner_partnerships if p.pk != partnership.pk]
    if cross_partnership and not partners:
        raise ValidationError({"partner_partnerships": NO_PARTNER})
    cycle = Cycle.objects.create(partnership=partnership, start_year=start_year,
                                 cross_partnership=cross_partnership,
                                 trust_conflicts=trust_conflicts, created_by=by)
    cycle.partner_partnerships.set(partners)
    audit.record("cycle.created", actor=by, obj=cycle, year=cycle.label)
    _ask_partners(cycle, by)
    return cycle


@transaction.atomic
def update_cycle_settings(cycle: Cycle, *, by: User, cross_partnership: bool,
                          partner_partnerships: Iterable[Partnership],
                          trust_conflicts: bool) -> Cycle:
    """Save the cycle's rules. Choosing a partner partnership asks its lead to agree (their
    people join the pool only once they do); a cross-partnership cycle needs a partner."""
    partners = [p for p in partner_partnerships if p.pk != cycle.partnership_id]
    if cross_partnership and not partners:
        raise ValidationError({"partner_partnerships": NO_PARTNER})
    cycle.cross_partnership = cross_partnership
    cycle.trust_conflicts = trust_conflicts
    cycle.save(update_fields=["cross_partnership", "trust_conflicts"])
    cycle.partner_partnerships.set(partners)
    audit.record("cycle.settings_changed", actor=by, obj=cycle,
                 cross_partnership=cross_partnership, trust_conflicts=trust_conflicts,
                 partners=[p.pk for p in partners])
    _ask_partners(cycle, by)
    return cycle


def _ask_partners(cycle: Cycle, by: User) -> list[PartnerAgreement]:
    """Ask each chosen partner partnership not yet asked; its leads are told."""
    if not cycle.cross_partnership:
        return []
    asked = set(cycle.agreements.values_list("partner_id", flat=True))
    new = [PartnerAgreement.objects.create(cycle=cycle, partner=p, asked_by=by)
           for p in cycle.partner_partnerships.exclude(pk__in=asked)]
    for agreement in new:
        audit.record("cycle.partner_asked", actor=by, obj=cycle, partner=agreement.partner_id)
        transaction.on_commit(partial(notify.partner_asked, agreement, by))
    return new


@transaction.atomic
def answer_partner_request(agreement: PartnerAgreement, *, by: User, agree: bool,
                           reason: str = "") -> PartnerAgreement:
    """The partner partnership's lead agrees to lend reviewers to the cycle, or declines
    (with a reason); either answer can be changed later."""
    locked = PartnerAgreement.objects.select_for_update().get(pk=agreement.pk)
    if not agree and not reason.strip():
        raise ValidationError({"reason": "Say why your partnership cannot take part, so the "
                                         "other lead can plan"})
    locked.state = PartnerAgreement.State.AGREED if agree else PartnerAgreement.State.DECLINED
    locked.answered_by, locked.answered_at = by, timezone.now()
    locked.reason = "" if agree else reason.strip()
    locked.save(update_fields=["state", "answered_by", "answered_at", "reason"])
    audit.record("cycle.partner_agreed" if agree else "cycle.partner_declined", actor=by,
                 obj=locked.cycle, partner=locked.partner_id)
    transaction.on_commit(lambda: notify.partner_answered(locked, by))
    return locked


@transaction.atomic
def add_term(partnership: Partnership, *, name: str, starts_on: date, ends_on: date,
             by: User) -> TermDate:
    if ends_on < starts_on:
        raise ValidationError("The term must end on or after the day it starts")
    term = TermDate.objects.create(partnership=partnership, name=name, starts_on=starts_on,
                                   ends_on=ends_on)
    audit.record("term.added", actor=by, obj=partnership, term=str(term))
    return term


@transaction.atomic
def remove_term(term: TermDate, *, by: User) -> None:
    audit.record("term.removed", actor=by, obj=term.partnership, term=str(term))
    term.delete()


RAPID_FRAMEWORK = "rapid-response"


def rapid_framework() -> FrameworkVersion | None:
    """The published Rapid Response lines of enquiry (apps/frameworks/content), offered to a
    Rapid Response review that has no framework chosen yet."""
    return (FrameworkVersion.objects.filter(framework__slug=RAPID_FRAMEWORK,
                                            status=FrameworkVersion.Status.PUBLISHED)
            .order_by("-number").first())


@transaction.atomic
def add_review(cycle: Cycle, host: School, *, by: User,
               framework_version: FrameworkVersion | None = None,
               mode: str = "in_person") -> Review:
    from .schedule import cycle_schools

    if not cycle_schools(cycle).filter(pk=host.pk).exists():
        raise ValidationError(f"{host.name} was not a school of {cycle.partnership} in "
                              f"{cycle.label}" if cycle.last_day < timezone.localdate() else
                              f"{host.name} is not a school of {cycle.partnership}")
    already = (f"{host.name} already has a review in {cycle}. Change that review's dates, or "
               "cancel it before adding another")
    if cycle.reviews.filter(host=host).exclude(status=Status.CANCELLED).exists():
        raise ValidationError(already)
    days = 2 if (host.pupils or 0) >= TWO_DAY_PUPILS else 1
    if mode == Mode.RAPID:
        days = 1  # one day of focused online activities, whatever the school's size
        framework_version = framework_version or rapid_framework()
    try:
        with transaction.atomic():  # two people adding the same school at once: one wins
            review = Review.objects.create(cycle=cycle, host=host,
                                           framework_version=framework_version,
                                           mode=mode, review_days=days)
    except IntegrityError:
        raise ValidationError(already) from None
    audit.record("review.created", actor=by, obj=review, cycle=cycle.label)
    return review


def _check_step_dates(review: Review, values: dict[str, Any]) -> None:
    """Each step's date in the cycle's year (the check-back up to the following December),
    and no step before the one it follows."""
    labels = dict(STEPS)
    dates = {f: values.get(f, getattr(review, f)) for f, _ in STEPS}
    errors: dict[str, str] = {}
    for field, day in dates.items():
        if day is None or field not in values:
            continue
        problem = review.cycle.date_problem(
            day, gettext("The %(step)s") % {"step": str(labels[field]).lower()},
            late=field == "checkback_on")
        if problem:
            errors[field] = problem
    dated = [(f, d) for f, d in dates.items() if d is not None]
    for (before, a), (after, b) in zip(dated, dated[1:], strict=False):
        if b < a and after not in errors and (after in values or before in values):
            errors[after] = gettext(
                "The %(later)s (%(later_day)s) cannot be before the %(earlier)s "
                "(%(earlier_day)s)") % {
                "later": str(labels[after]).lower(), "later_day": date_text(b),
                "earlier": str(labels[before]).lower(), "earlier_day": date_text(a)}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def update_schedule(review: Review, *, by: User, expected_version: int | None = None,
                    **values: Any) -> list[str]:
    """Set the step dates (and ``review_days``); returns the fields that changed."""
    allowed = {f for f, _ in STEPS} | {"review_days"}
    unknown = set(values) - allowed
    if unknown:
        raise ValidationError(f"Unknown schedule fields: {', '.join(sorted(unknown))}")
    changed = [k for k, v in values.items() if getattr(review, k) != v]
    if not changed:
        return []
    _check_step_dates(review, values)
    _bump(Review, review, expected_version, schedule_sequence=F("schedule_sequence") + 1,
          **{k: values[k] for k in changed})
    audit.record("review.schedule_changed", actor=by, obj=review,
                 changes={k: str(values[k]) for k in changed})
    transaction.on_commit(lambda: notify.schedule_changed(review, by))
    return changed


@transaction.atomic
def update_review_settings(review: Review, *, by: User, mode: str, meeting_link: str,
                           framework_version: FrameworkVersion | None,
                           focus_areas: Iterable[str] | None = None) -> Review:
    if framework_version != review.framework_version and review.status not in PLAN_STATUSES:
        raise ValidationError("The framework cannot change once the enquiry is agreed")
    if framework_version is not None and \
            framework_version.status != FrameworkVersion.Status.PUBLISHED:
        raise ValidationError("Choose a published framework")
    if mode == Mode.RAPID and framework_version is None and review.status in PLAN_STATUSES:
        framework_version = rapid_framework()
    review.mode, review.meeting_link, review.framework_version = mode, meeting_link, \
        framework_version
    if focus_areas is not None:
        review.focus_areas = list(focus_areas)
    review.save(update_fields=["mode", "meeting_link", "framework_version", "focus_areas"])
    audit.record("review.settings_changed", actor=by, obj=review, mode=mode,
                 framework_version=framework_version.pk if framework_version else None)
    return review


# Self-review -------------------------------------------------------------------------------

@transaction.atomic
def save_self_review(review: Review, theme: Theme | None, *, by: User, strengths: str,
                     areas_to_develop: str, expected_version: int | None = None,
                     base: str | None = None) -> SelfReviewEntry:
    if review.status not in PLAN_STATUSES:
        raise ValidationError("The self-review is closed: the enquiry has been agreed")
    if theme is not None and theme.version_id != review.framework_version_id:
        raise ValidationError("That theme is not part of this review's framework")
    entry, _ = save_versioned(SelfReviewEntry, {"review": review, "theme": theme},
                              expected=expected_version, base=base,
                              texts={"strengths": strengths,
                                     "areas_to_develop": areas_to_develop},
                              updated_by=by, updated_at=timezone.now())
    audit.record("self_review.saved", actor=by, obj=review,
                 theme=theme.title if theme else "Whole school")
    return entry


def _store_file(review: Review, purpose: str, upload: Upload, by: User,
                note: EvidenceNote | None = None) -> ReviewFile:
    filename, content_type, content = upload
    return ReviewFile.objects.create(review=review, purpose=purpose, note=note,
                                     filename=filename, content_type=content_type,
                                     size_bytes=len(content), uploaded_by=by,
                                     file=ContentFile(bytes(content), name=filename))


@transaction.atomic
def add_self_review_document(review: Review, upload: Upload, *, by: User) -> ReviewFile:
    if review.status not in PLAN_STATUSES:
        raise ValidationError("The self-review is closed: the enquiry has been agreed")
    f = _store_file(review, ReviewFile.Purpose.SELF_REVIEW, upload, by)
    audit.record("self_review.document_added", actor=by, obj=review, file=f.filename)
    return f


@transaction.atomic
def remove_file(file: ReviewFile, *, by: User) -> None:
    open_in = PLAN_STATUSES if file.purpose == ReviewFile.Purpose.SELF_REVIEW \
        else EVIDENCE_STATUSES
    if file.review.status not in open_in:
        raise ValidationError("This document is part of the record now and cannot be removed")
    audit.record("review.file_removed", actor=by, obj=file.review, file=file.filename)
    file.delete()


# Pre-review meeting ------------------------------------------------------------------------


def enquiry_texts(review: Review) -> list[str]:
    """The key question and lines 1 to 3 as stored, for conflict checks."""
    by_position = {line.position: line.text for line in review.lines.all()}
    return [review.key_question] + [by_position.get(i, "") for i in range(1, MAX_LINES + 1)]


@transaction.atomic
def set_enquiry(review: Review, *, by: User, key_question: str,
                key_question_ref: str | uuid.UUID | None = None,
                lines: Sequence[tuple[str, str | uuid.UUID | None]] = (),
                expected_version: int | None = None, base: str | None = None) -> Review:
    """The key enquiry question and up to three supporting lines of enquiry, each
    ``(text, question_ref or None)``. Closed once the headteacher has agreed them.
    ``expected_version`` is the ``enquiry_version`` read (see ``check_version``)."""
    if review.status not in PLAN_STATUSES:
        raise ValidationError("The enquiry is agreed and can no longer change")
    current = Review.objects.select_for_update(of=("self",)).get(pk=review.pk)
    mine = [key_question] + [t for t, _ in lines] + [""] * (MAX_LINES - len(lines))
    check_version(current, expected_version, base, enquiry_texts(current), mine,
                  version_field="enquiry_version")
    lines = [(t.strip(), ref) for t, ref in lines if t and t.strip()]
    if len(lines) > MAX_LINES:
        raise ValidationError(f"Agree at most {MAX_LINES} supporting lines of enquiry")
    if not key_question.strip():
        raise ValidationError("Enter the key enquiry question")
    review.key_question = key_question.strip()
    review.key_question_ref = key_question_ref
    review.enquiry_version = current.enquiry_version + 1
    review.save(update_fields=["key_question", "key_question_ref", "enquiry_version"])
    existing = {line.position: line for line in review.lines.all()}
    for position in range(1, MAX_LINES + 1):
        line = existing.get(position)
        if position <= len(lines):
            text, ref = lines[position - 1]
            if line is None:
                LineOfEnquiry.objects.create(review=review, position=position, text=text,
                                             question_ref=ref)
            elif (line.text, line.question_ref) != (text, ref):
                line.text, line.question_ref = text, ref
                line.save(update_fields=["text", "question_ref"])
        elif line is not None:
            line.delete()
    audit.record("review.enquiry_set", actor=by, obj=review, lines=len(lines),
                 from_library=bool(key_question_ref))
    return review


ACTIVITY_FIELDS = ["kind", "on", "starts_at", "ends_at", "place", "meeting_link", "people"]


def activity_values(activity: Activity) -> list[Any]:
    """An activity's fields as shown in its form, for conflict checks."""
    return [getattr(activity, f) for f in ACTIVITY_FIELDS]


def _check_meeting_link(review: Review, fields: dict[str, Any],
                        activity: Activity | None) -> None:
    """An activity's meeting link is a secure web address; every activity of a Rapid
    Response review (all online) has one."""
    link = fields.get("meeting_link", activity.meeting_link if activity else "") or ""
    if link and not link.lower().startswith("https://"):
        raise ValidationError({"meeting_link": "Enter the meeting link as a secure web "
                                               "address starting https://"})
    if review.is_rapid and not link:
        raise ValidationError({"meeting_link": "Enter the meeting link for this activity: "
                                               "every activity of a Rapid Response review is "
                                               "online"})


@transaction.atomic
def save_activity(review: Review, *, by: User, activity: Activity | None = None,
                  expected_version: int | None = None, base: str | None = None,
                  **fields: Any) -> Activity:
    """Add an activity, or change one (``expected_version`` and ``base`` as for
    ``check_version``: a change made by someone else since is not overwritten)."""
    if review.status not in ACTIVITY_STATUSES:
        raise ValidationError("The evidence-gathering plan is closed once the review starts")
    if fields.get("ends_at") and fields["ends_at"] <= fields["starts_at"]:
        raise ValidationError("The end time must be after the start time")
    _check_meeting_link(review, fields, activity)
    if fields.get("on"):
        problem = review.cycle.date_problem(fields["on"], gettext("The activity's day"))
        if problem:
            raise ValidationError({"on": problem})
    if activity is None:
        activity = Activity.objects.create(review=review, **fields)
        audit.record("plan.activity_added", actor=by, obj=review, activity=str(activity))
    else:
        current = Activity.objects.select_for_update().get(pk=activity.pk)
        check_version(current, expected_version, base, activity_values(current),
                      [fields.get(f, getattr(current, f)) for f in ACTIVITY_FIELDS])
        _bump(Activity, current, None, **fields)
        activity = current
        audit.record("plan.activity_changed", actor=by, obj=review, activity=str(activity))
    return activity


@transaction.atomic
def remove_activity(activity: Activity, *, by: User) -> None:
    review = activity.review
    if review.status not in ACTIVITY_STATUSES:
        raise ValidationError("The evidence-gathering plan is closed once the review starts")
    audit.record("plan.activity_removed", actor=by, obj=review, activity=str(activity))
    activity.delete()


# Review team -------------------------------------------------------------------------------

@transaction.atomic
def invite_to_team(review: Review, user: User, role: str, *, by: User) -> TeamMember:
    if not review.is_open:
        raise ValidationError("The review is closed or cancelled")
    # Lock the review so two invitations cannot together break a team rule.
    Review.objects.select_for_update().filter(pk=review.pk).first()
    problems = teams.candidate_problems(review, user, role)
    if problems:
        raise ValidationError(problems)
    school = teams.home_school(review, user)
    assert school is not None, "candidate_problems refuses a person with no school to come from"
    member = TeamMember.objects.create(review=review, user=user, role=role, invited_by=by,
                                       school=school)
    audit.record("team.invited", actor=by, obj=review, person=user.email, role=role)
    transaction.on_commit(lambda: notify.team_invitation(member, by))
    return member


@transaction.atomic
def respond_to_invitation(member: TeamMember, *, by: User, accept: bool, reason: str = "") -> None:
    if by.pk != member.user_id:
        raise PermissionDenied
    # Re-read under a lock: the invitation may have been withdrawn since the page loaded.
    member = TeamMember.objects.select_for_update(of=("self",)).select_related("review").get(
        pk=member.pk)
    if member.status != TeamMember.State.INVITED:
        raise ValidationError("This invitation has already been answered or withdrawn")
    if not accept and not reason.strip():
        raise ValidationError("Say why you cannot take part")
    if accept:
        review = member.review
        if not review.is_open:
            raise ValidationError("The review is closed or cancelled")
        problems = [p for p in teams.candidate_problems(review, by, member.role)
                    if "already on this review" not in p and "already has" not in p
                    and "already represented" not in p and "already on the team" not in p]
        if problems:
            raise ValidationError(problems)
    member.status = TeamMember.State.ACCEPTED if accept else TeamMember.State.DECLINED
    member.decline_reason = "" if accept else reason.strip()
    member.responded_at = timezone.now()
    member.save(update_fields=["status", "decline_reason", "responded_at"])
    audit.record("team.accepted" if accept else "team.declined", actor=by, obj=member.review,
                 role=member.role, reason=member.decline_reason)
    notify.invitation_settled(member)
    transaction.on_commit(lambda: notify.team_response(member, by))
    if accept:
        transaction.on_commit(lambda: notify.schedule_changed(member.review, by,
                                                              only=[member.user]))


@transaction.atomic
def remove_from_team(member: TeamMember, *, by: User, reason: str = "") -> None:
    Review.objects.select_for_update().filter(pk=member.review_id).first()
    member = TeamMember.objects.select_for_update(of=("self",)).select_related(
        "review", "user").get(pk=member.pk)
    if not member.is_live:
        raise ValidationError("This person is no longer on the team")
    review = member.review
    if review.status in (Status.IN_REVIEW, Status.FEEDBACK_GIVEN) and member.is_reviewer:
        remaining = review.team.filter(status=TeamMember.State.ACCEPTED,
                                       role__in=[TeamMember.Role.REVIEWER, TeamMember.Role.LEAD]
                                       ).exclude(pk=member.pk)
        if remaining.count() < 3 or not remaining.filter(role=TeamMember.Role.LEAD).exists():
            raise ValidationError("The review is under way: the team must keep 3 reviewers "
                                  "and its lead reviewer")
    member.status = TeamMember.State.REMOVED
    member.decline_reason = reason
    member.save(update_fields=["status", "decline_reason"])
    notify.invitation_settled(member)
    audit.record("team.removed", actor=by, obj=review, person=member.user.email,
                 role=member.role, reason=reason)
    transaction.on_commit(lambda: notify.calendar_withdrawn(review, member.user, by))


# Evidence ------------------------------------------------------------------------------------

def _check_line_and_activity(review: Review, line: LineOfEnquiry | None,
                             activity: Activity | None) -> None:
    if line is not None and line.review_id != review.pk:
        raise ValidationError("That line of enquiry belongs to another review")
    if activity is not None and activity.review_id != review.pk:
        raise ValidationError("That activity belongs to another review")


@transaction.atomic
def save_evidence(review: Review, *, by: User, text: str, line: LineOfEnquiry | None = None,
                  activity: Activity | None = None, tags: Iterable[str] = (),
                  client_id: uuid.UUID | None = None,
                  expected_version: int | None = None) -> tuple[EvidenceNote, bool]:
    """Create or update the author's note with this ``client_id`` (the browser's id for the
    draft, so a note sent twice after a lost connection is saved once). Returns
    (note, created)."""
    if review.status not in EVIDENCE_STATUSES:
        raise ValidationError("Evidence is recorded once the review is scheduled and until "
                              "feedback is given")
    if not text.strip():
        raise ValidationError("Enter the evidence")
    _check_line_and_activity(review, line, activity)
    tags = sorted({t.strip().lower()[:40] for t in tags if t.strip()})[:20]
    client_id = client_id or uuid.uuid4()
    note = EvidenceNote.objects.filter(author=by, client_id=client_id).first()
    if note is not None and note.review_id != review.pk:
        raise ValidationError("That note belongs to another review")
    if note is None:
        note = EvidenceNote.objects.create(review=review, author=by, client_id=client_id,
                                           text=text, line=line, activity=activity, tags=tags)
        audit.record("evidence.added", actor=by, obj=review, note=note.pk)
        return note, True
    _bump(EvidenceNote, note, expected_version, text=text, line=line, activity=activity,
          tags=tags, updated_at=timezone.now())
    # Autosaved every few seconds while typing: counted, one entry per note and day.
    audit.record_counted("evidence.changed", actor=by, obj=review, note=note.pk)
    return note, False


@transaction.atomic
def add_evidence_attachment(note: EvidenceNote, upload: Upload, *, by: User) -> ReviewFile:
    if note.author_id != by.pk:
        raise PermissionDenied
    if note.review.status not in EVIDENCE_STATUSES:
        raise ValidationError("Evidence is closed for this review")
    f = _store_file(note.review, ReviewFile.Purpose.EVIDENCE, upload, by, note=note)
    audit.record("evidence.attachment_added", actor=by, obj=note.review, note=note.pk,
                 file=f.filename)
    return f


@transaction.atomic
def delete_evidence(note: EvidenceNote, *, by: User) -> None:
    if note.author_id != by.pk:
        raise PermissionDenied
    if note.review.status not in EVIDENCE_STATUSES:
        raise ValidationError("Evidence is closed for this review")
    audit.record("evidence.deleted", actor=by, obj=note.review, note=note.pk)
    note.delete()


# Findings and report ---------------------------------------------------------------------------

@transaction.atomic
def save_finding(review: Review, line: LineOfEnquiry | None, *, by: User, working_well: str,
                 explore_further: str, workshop_questions: str, expected_version: int | None,
                 base: str | None = None) -> Finding:
    if review.status not in FINDINGS_STATUSES:
        raise ValidationError("Findings are written during the review and until the report "
                              "is agreed")
    _check_line_and_activity(review, line, None)
    finding, _ = save_versioned(Finding, {"review": review, "line": line},
                                expected=expected_version, base=base,
                                texts={"working_well": working_well,
                                       "explore_further": explore_further,
                                       "workshop_questions": workshop_questions},
                                updated_by=by, updated_at=timezone.now())
    audit.record("finding.saved", actor=by, obj=review,
                 line=line.position if line else "key question")
    return finding


def _sections(review: Review) -> list[dict[str, str]]:
    findings = {f.line_id: f for f in review.findings.all()}
    rows: list[tuple[int | None, str, str]] = [(None, "Key enquiry question", review.key_question)]
    rows += [(line.pk, f"Line of enquiry {line.position}", line.text)
             for line in review.lines.all()]
    sections = []
    for line_id, heading, question in rows:
        f = findings.get(line_id)
        sections.append({"heading": heading, "question": question,
                         "working_well": f.working_well if f else "",
                         "explore_further": f.explore_further if f else "",
                         "workshop_questions": f.workshop_questions if f else ""})
    return sections


@transaction.atomic
def compile_report(review: Review, *, by: User, summary: str, expected_version: int | None = None,
                   base: str | None = None) -> Report:
    """Write the open version (draft or under check) from the summary and the current
    findings; start a new version when the latest one is agreed."""
    if review.status not in (Status.FEEDBACK_GIVEN, Status.REPORT_AGREED, Status.ACTING,
                             Status.CLOSED):
        raise ValidationError("The report is compiled once feedback has been given")
    report = review.reports.select_for_update().exclude(
        status__in=[Report.State.AGREED, Report.State.SUPERSEDED]).first()
    if report is None:
        number = (review.reports.order_by("-number").values_list("number", flat=True)
                  .first() or 0) + 1
        report = Report.objects.create(review=review, number=number, created_by=by,
                                       summary=summary, sections=_sections(review),
                                       rapid_response=review.is_rapid, lock_version=1)
        audit.record("report.version_started", actor=by, obj=review, version=number)
        return report
    check_version(report, expected_version, base, [report.summary], [summary])
    _bump(Report, report, None, summary=summary, sections=_sections(review),
          rapid_response=review.is_rapid)
    audit.record("report.edited", actor=by, obj=review, version=report.number)
    return report


@transaction.atomic
def submit_report(report: Report, *, by: User) -> Report:
    if report.status != Report.State.DRAFT:
        raise ValidationError("Only a draft can be sent for a factual-accuracy check")
    if not report.summary.strip():
        raise ValidationError("Write the summary before sending the report")
    report.status = Report.State.CHECKING
    report.submitted_at = timezone.now()
    report.save(update_fields=["status", "submitted_at"])
    audit.record("report.sent_for_check", actor=by, obj=report.review, version=report.number)
    transaction.on_commit(lambda: notify.report_for_check(report.review, by))
    return report


@transaction.atomic
def comment_on_report(report: Report, *, by: User, text: str) -> ReportComment:
    if report.status != Report.State.CHECKING:
        raise ValidationError("Comments are made while the report is with you for checking")
    if not text.strip():
        raise ValidationError("Enter your comment")
    comment = ReportComment.objects.create(report=report, author=by, text=text.strip())
    audit.record("report.commented", actor=by, obj=report.review, version=report.number)
    transaction.on_commit(lambda: notify.report_comment(report.review, by))
    return comment


@transaction.atomic
def resolve_comment(comment: ReportComment, *, by: User, response: str) -> ReportComment:
    if comment.resolved_at:
        raise ValidationError("This comment has already been answered")
    if not response.strip():
        raise ValidationError("Say what you changed, or why the text stands")
    comment.response = response.strip()
    comment.resolved_at = timezone.now()
    comment.resolved_by = by
    comment.save(update_fields=["response", "resolved_at", "resolved_by"])
    audit.record("report.comment_answered", actor=by, obj=comment.report.review)
    return comment


@transaction.atomic
def accept_report(report: Report, *, by: User, expected_version: int | None = None) -> Report:
    """The host headteacher accepts the version under check: it is agreed and locked. With
    ``expected_version``, only the version they read (an edit since then is refused)."""
    review = report.review
    current = Report.objects.select_for_update().get(pk=report.pk)
    if expected_version is not None and current.lock_version != expected_version:
        raise EditConflict(current)
    if report.status != Report.State.CHECKING:
        raise ValidationError("Only a report sent for checking can be accepted")
    if review.status == Status.FEEDBACK_GIVEN:
        workflow.transition(review, "agree_report", by=by)
    else:
        if not workflow.is_host_head(by, review):
            raise PermissionDenied
        missing = workflow.TRANSITIONS["agree_report"].guard(review)
        if missing:
            raise workflow.TransitionRefused(missing)
        workflow._lock_report(review, by)
    report.refresh_from_db()
    return report


# Sharing and disclosure ------------------------------------------------------------------------

@transaction.atomic
def share_report(review: Review, audience: str, *, by: User) -> ReportShare:
    if not review.reports.filter(status=Report.State.AGREED).exists():
        raise ValidationError("Only an agreed report can be shared")
    existing = review.shares.filter(audience=audience, withdrawn_at__isnull=True).first()
    if existing:
        return existing
    share = ReportShare.objects.create(review=review, audience=audience, shared_by=by)
    audit.record("report.shared", actor=by, obj=review, audience=audience)
    return share


@transaction.atomic
def withdraw_share(share: ReportShare, *, by: User) -> None:
    if share.withdrawn_at:
        return
    share.withdrawn_at = timezone.now()
    share.withdrawn_by = by
    share.save(update_fields=["withdrawn_at", "withdrawn_by"])
    audit.record("report.share_withdrawn", actor=by, obj=share.review, audience=share.audience)


def record_disclosure(review: Review, what: str, *, by: User, **details: Any) -> None:
    """Every look at review content is audited; the host sees these in its disclosure log.
    Looks are counted per person, review, what (with its details) and day
    (``audit.record_counted``)."""
    audit.record_counted(f"disclosure.{what}", actor=by, obj=review, **details)


# Safeguarding ------------------------------------------------------------------------------

def safeguarding_officers() -> list[User]:
    return list(User.objects.filter(roles__role=Role.SAFEGUARDING_OFFICER,
                                    **current_role_lookup("roles__"), is_active=True).distinct())


@transaction.atomic
def raise_concern(review: Review, *, by: User, text: str,
                  about_headteacher: bool) -> SafeguardingConcern:
    if not text.strip():
        raise ValidationError("Describe the concern")
    concern = SafeguardingConcern.objects.create(review=review, raised_by=by, text=text.strip(),
                                                 about_headteacher=about_headteacher)
    # The audit entry names the review and who raised it, never the content.
    audit.record("safeguarding.raised", actor=by, obj=review, concern=concern.pk,
                 about_headteacher=about_headteacher)
    if about_headteacher:
        recipients = [u for u in safeguarding_officers() if review.host_id not in set(
            u.roles.current().filter(role=Role.HEADTEACHER).values_list("school_id",
                                                                           flat=True))]
        if not recipients:
            # Nobody can read it yet: tell the programme team (without the content) so they
            # appoint an officer; the person raising it is told to go to the LADO meanwhile.
            core = list(User.objects.filter(roles__role=Role.CORE_TEAM,
                                            **current_role_lookup("roles__"), is_active=True))
            transaction.on_commit(lambda: notify.safeguarding_unassigned(concern, core, by))
    else:
        recipients = list(User.objects.filter(
            roles__school_id=review.host_id, **current_role_lookup("roles__"), is_active=True,
            roles__role__in=[Role.HEADTEACHER, Role.DSL]).distinct())
    transaction.on_commit(lambda: notify.safeguarding_concern(concern, recipients, by))
    return concern


@transaction.atomic
def acknowledge_concern(concern: SafeguardingConcern, *, by: User) -> bool:
    """Mark the concern as seen (once; seeing it again changes nothing) and tell the person
    who raised it that it has been read, without its text. Returns whether that person is
    being told (not when they marked it themselves, or their account is closed)."""
    current = SafeguardingConcern.objects.select_for_update().get(pk=concern.pk)
    if current.acknowledged_at is not None:
        concern.acknowledged_at, concern.acknowledged_by = (current.acknowledged_at,
                                                            current.acknowledged_by)
        return False
    concern.acknowledged_at = timezone.now()
    concern.acknowledged_by = by
    concern.save(update_fields=["acknowledged_at", "acknowledged_by"])
    audit.record("safeguarding.acknowledged", actor=by, obj=concern.review,
                 concern=concern.pk)
    raiser = concern.raised_by
    if raiser is None or not raiser.is_active or raiser.pk == by.pk:
        return False
    transaction.on_commit(lambda: notify.safeguarding_seen(concern, by))
    return True


@transaction.atomic
def record_concern_outcome(concern: SafeguardingConcern, *, by: User, outcome: str,
                           expected_version: int | None = None,
                           base: str | None = None) -> SafeguardingConcern:
    """Record (or correct) what was done about the concern; the concern is then closed. It
    counts as seen too. ``expected_version``/``base`` as for the other shared texts: the
    host headteacher and the DSL may both write it."""
    if not outcome.strip():
        raise ValidationError({"outcome": "Enter what was done about the concern"})
    current = SafeguardingConcern.objects.select_for_update().get(pk=concern.pk)
    check_version(current, expected_version, base, [current.outcome], [outcome.strip()])
    if current.acknowledged_at is None:
        acknowledge_concern(current, by=by)
    now = timezone.now()
    _bump(SafeguardingConcern, current, None, outcome=outcome.strip(), outcome_by=by,
          outcome_at=now, closed_at=now)
    audit.record("safeguarding.outcome_recorded", actor=by, obj=current)
    return current


@transaction.atomic
def reopen_concern(concern: SafeguardingConcern, *, by: User) -> SafeguardingConcern:
    """Open a closed concern again (the outcome so far stays, to be changed)."""
    current = SafeguardingConcern.objects.select_for_update().get(pk=concern.pk)
    if current.closed_at is None:
        return current
    _bump(SafeguardingConcern, current, None, closed_at=None)
    audit.record("safeguarding.reopened", actor=by, obj=current)
    return current
