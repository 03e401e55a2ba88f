"""Attendance, completion and a person's verifiable training record.

The trainer (or the core team) takes the register once a session has started: each person
with a place is present, partly present or absent. Present people complete the course;
partly present people complete it only if the trainer says so. Completion is final: it
stamps ``completed_at``, gives a certificate number and, for a course that makes people
peer reviewers or Improvement Champions, moves their trained-until date forward (never
back) through ``accounts.services.set_training_dates``, which audits the change.

PDFs (certificates and records) are made by WeasyPrint in a background task. With no model
of our own to keep them in, the task returns the PDF and the task backend keeps it
(``django_tasks_db`` stores the return value in the database, which every app server and
worker shares; app servers have no shared disk and Redis is optional). An audit entry,
``training.pdf_requested``, remembers which task made which document, together with a hash
of the document's HTML: a changed name or record makes a new PDF, and a result pruned by
``prune_db_task_results`` is simply made again on the next request.

A person's record is verified by a public link carrying a code signed with the site's key
(``django.core.signing``, salt ``training-record``), so no model change is needed: the code
cannot be guessed or forged, and it stays the same for the person.
"""

from __future__ import annotations

import base64
import hashlib
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from apps.accounts.models import User
from apps.accounts.services import set_training_dates
from apps.core import audit
from apps.core.jobs import JobState
from apps.core.models import AuditEvent
from apps.core.pdf import document_lang, html_to_pdf
from apps.improvement.models import Workshop
from apps.notifications import services as notifications
from apps.reviews.models import Status, TeamMember

from .models import Booking, Course, CourseKind, Grants, Session

REFRESHERS = {CourseKind.REVIEWER_REFRESHER, CourseKind.CHAMPION_REFRESHER}
GRANT_FIELDS: dict[str, str] = {Grants.REVIEWER: "reviewer_trained_until",
                                Grants.CHAMPION: "champion_trained_until"}
GRANT_LABELS: dict[str, str] = {Grants.REVIEWER: "peer reviewer",
                                Grants.CHAMPION: "Improvement Champion"}
GRANT_ROLES: dict[str, str] = {Grants.REVIEWER: "to a review team",
                               Grants.CHAMPION: "to be a review's Improvement Champion"}


# Dates -------------------------------------------------------------------------------------

def add_months(day: date, months: int) -> date:
    """``day`` moved ``months`` calendar months on (31 January + 1 month = 28/29 February)."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def completion_valid_until(course: Course, on: date, current: date | None) -> date | None:
    """Until when one completion of ``course`` on ``on`` keeps the person trained, given the
    date they were trained until before it. A refresher extends from the later of the
    completion date and that date; other courses count from the completion date."""
    if not course.grants:
        return None
    start = on
    if course.kind in REFRESHERS and current and current > on:
        start = current
    return add_months(start, course.validity_months)


def certificate_number(booking: Booking, on: date) -> str:
    """Unique because it carries the booking's id."""
    return f"PR-{on.year}-{booking.pk:06d}"


# The register ------------------------------------------------------------------------------

def register_bookings(session: Session):
    """The people with a place, in the register's order."""
    return (session.bookings.filter(status=Booking.State.BOOKED)
            .select_related("user", "registrant").order_by("created_at", "id"))


def register_open(session: Session, now=None) -> str:
    """Why the register cannot be saved yet ("" when it can)."""
    now = now or timezone.now()
    if session.cancelled_at:
        return "This session is cancelled."
    start = session.first_start()
    if start is None or start > now:
        return "The register can be taken once the session has started."
    return ""


@transaction.atomic
def take_register(session: Session, marks: dict[int, tuple[str, bool]], *, by) -> list[Booking]:
    """``marks``: booking id → (attendance, completed although partly present). Returns the
    bookings completed now. People already completed keep their completion."""
    locked = Session.objects.select_for_update(of=("self",)).select_related("course").get(
        pk=session.pk)
    reason = register_open(locked)
    if reason:
        raise ValidationError(reason)
    valid = {Booking.Attendance.PRESENT, Booking.Attendance.PARTIAL, Booking.Attendance.ABSENT}
    now = timezone.now()
    last_end = max(p.ends_at for p in locked.parts.all())
    # Completed when the course ended (or now, if the register is taken before it ends).
    completed_at = min(now, last_end)
    bookings = {b.pk: b for b in locked.bookings.select_for_update(of=("self",)).filter(
        status=Booking.State.BOOKED, pk__in=list(marks)).select_related("user", "registrant")}
    completed = []
    for pk, (attendance, partial_completed) in marks.items():
        booking = bookings.get(pk)
        if booking is None or booking.completed_at:
            continue
        if attendance not in valid:
            raise ValidationError("Choose present, partly present or absent")
        completes = attendance == Booking.Attendance.PRESENT or (
            attendance == Booking.Attendance.PARTIAL and partial_completed)
        if booking.attendance == attendance and not completes:
            continue
        booking.attendance = attendance
        fields = ["attendance", "updated_at"]
        if completes:
            booking.completed_at = completed_at
            booking.certificate_number = certificate_number(
                booking, timezone.localdate(completed_at))
            fields += ["completed_at", "certificate_number"]
        booking.save(update_fields=fields)
        audit.record("booking.attendance_taken", actor=by, obj=locked, booking=booking.pk,
                     attendance=attendance, completed=completes)
        if completes:
            _completed(booking, locked, by=by)
            completed.append(booking)
    return completed


def _completed(booking: Booking, session: Session, *, by) -> None:
    audit.record("booking.completed", actor=by, obj=session, booking=booking.pk,
                 certificate=booking.certificate_number)
    if booking.user is None:
        return
    on = timezone.localdate(booking.completed_at)
    if session.course.grants:
        extend_training(booking.user, session.course, on=on, by=by)
    notifications.notify(
        [booking.user], kind="training.completed", actor=by,
        subject=f"Completed: {session.course.title}",
        message=f"You completed {session.label}. Your certificate, number "
                f"{booking.certificate_number}, is ready to download.",
        url=reverse("training:certificate", args=[booking.pk]))


def extend_training(person: User, course: Course, *, on: date, by) -> date | None:
    """Move the person's trained-until date for what ``course`` grants forward (never back);
    returns the new date, or None when nothing changed."""
    field = GRANT_FIELDS.get(course.grants)
    if field is None:
        return None
    person = User.objects.select_for_update().get(pk=person.pk)
    current = getattr(person, field)
    new = completion_valid_until(course, on, current)
    if current and current >= new:
        return None
    dates: dict[str, Any] = {"reviewer_trained_until": person.reviewer_trained_until,
                             "champion_trained_until": person.champion_trained_until,
                             field: new}
    set_training_dates(person, by=by, **dates)
    return new


# A person's record -------------------------------------------------------------------------

@dataclass
class CertifiedTraining:
    booking: Booking
    course: Course
    completed_on: date
    certificate_number: str
    valid_until: date | None

    @property
    def current(self) -> bool:
        return self.valid_until is None or self.valid_until >= timezone.localdate()


def certified_trainings(user) -> list[CertifiedTraining]:
    """Every course the person completed, newest first, each with the date that completion
    keeps them trained until (a refresher counting on from the training before it)."""
    bookings = (Booking.objects.filter(user=user, completed_at__isnull=False)
                .exclude(certificate_number="").select_related("session__course")
                .order_by("completed_at", "id"))
    chain: dict[str, date] = {}
    out = []
    for b in bookings:
        course = b.session.course
        on = timezone.localdate(b.completed_at)
        until = completion_valid_until(course, on, chain.get(course.grants))
        if until:
            chain[course.grants] = max(until, chain.get(course.grants, until))
        out.append(CertifiedTraining(b, course, on, b.certificate_number, until))
    return out[::-1]


def reviews_done(user):
    return (TeamMember.objects.filter(
        user=user, status=TeamMember.State.ACCEPTED,
        review__status__in=[Status.REPORT_AGREED, Status.ACTING, Status.CLOSED])
        .select_related("review__host", "review__cycle", "school")
        .order_by("-review__review_starts_on", "-pk"))


def workshops_led(user):
    return (Workshop.objects.filter(
        completed_at__isnull=False, review__team__user=user,
        review__team__role=TeamMember.Role.CHAMPION,
        review__team__status=TeamMember.State.ACCEPTED)
        .select_related("review__host", "review__cycle").distinct().order_by("-held_on"))


@dataclass
class ServiceYear:
    year: str  # the cycle's label, e.g. 2026/27
    led: int = 0
    reviewed: int = 0
    champion: int = 0


def review_service(user) -> list[ServiceYear]:
    """For the public verification page: how many reviews the person led or served on, and
    Improvement Champion roles, by cycle, newest first. Counts only: no school is named,
    because a school's review belongs to that school."""
    years: dict[int, ServiceYear] = {}
    roles = {TeamMember.Role.LEAD: "led", TeamMember.Role.REVIEWER: "reviewed",
             TeamMember.Role.CHAMPION: "champion"}
    for role, start_year in reviews_done(user).values_list("role", "review__cycle__start_year"):
        row = years.setdefault(start_year, ServiceYear(
            f"{start_year}/{(start_year + 1) % 100:02d}"))
        setattr(row, roles[role], getattr(row, roles[role]) + 1)
    return [years[y] for y in sorted(years, reverse=True)]


def record_for(user) -> dict:
    today = timezone.localdate()
    return {"person": user, "today": today, "trainings": certified_trainings(user),
            "reviews": list(reviews_done(user)), "workshops": list(workshops_led(user)),
            "verify_url": verification_url(user),
            "reviewer_until": user.reviewer_trained_until,
            "champion_until": user.champion_trained_until}


# Verification codes ------------------------------------------------------------------------

_SALT = "training-record"


def _signer() -> signing.Signer:
    return signing.Signer(salt=_SALT, sep=".")


def verification_code(user) -> str:
    return _signer().sign(str(user.pk))


def verification_url(user) -> str:
    return settings.SITE_URL + reverse("training:verify", args=[verification_code(user)])


def person_for_code(code: str) -> User | None:
    if not code or len(code) > 200:
        return None
    try:
        value = _signer().unsign(code)
    except signing.BadSignature:
        return None
    if not (value.isascii() and value.isdigit()) or not 0 < int(value) < 2**63:
        return None
    return User.objects.filter(pk=int(value), is_active=True).first()


# PDFs --------------------------------------------------------------------------------------

PDF_REQUESTED = "training.pdf_requested"


@task()
def render_pdf(html: str) -> str:
    """A tagged PDF/UA-1 of ``html``, base64-encoded (task results are JSON)."""
    return base64.b64encode(html_to_pdf(html)).decode("ascii")


@dataclass
class PdfState:
    status: str  # a JobState: done, queued (being made) or failed
    content: bytes = b""


def _state(result) -> PdfState:
    if result.status == TaskResultStatus.SUCCESSFUL:
        return PdfState(JobState.DONE, base64.b64decode(result.return_value))
    if result.status == TaskResultStatus.FAILED:
        return PdfState(JobState.FAILED)
    return PdfState(JobState.QUEUED)


def pdf_for(obj, html: str, *, document: str, by, retry: bool = False) -> PdfState:
    """The PDF of ``html`` (about ``obj``): made already, being made, or failed. Starts the
    background task when there is none for this exact HTML (or ``retry`` after a failure)."""
    fingerprint = hashlib.sha256(html.encode()).hexdigest()
    event = (AuditEvent.objects.filter(action=PDF_REQUESTED,
                                       object_type=obj._meta.label_lower,
                                       object_id=str(obj.pk))
             .order_by("-created_at", "-id").first())
    if event and event.details.get("fingerprint") == fingerprint:
        try:
            state = _state(render_pdf.get_result(event.details.get("result", "")))
        except (TaskResultDoesNotExist, NotImplementedError):
            state = None  # pruned, or a backend that keeps no results: make it again
        if state and not (state.status == JobState.FAILED and retry):
            return state
    result = render_pdf.enqueue(html)
    audit.record(PDF_REQUESTED, actor=by, obj=obj, document=document,
                 fingerprint=fingerprint, result=str(result.id))
    return _state(result)


def certificate_html(booking: Booking) -> str:
    course = booking.session.course
    on = timezone.localdate(booking.completed_at)
    if booking.user_id:
        entry = next((t for t in certified_trainings(booking.user)
                      if t.booking.pk == booking.pk), None)
        valid_until = entry.valid_until if entry else None
    else:
        valid_until = completion_valid_until(course, on, None)
    return render_to_string("training/certificate_pdf.html", {
        "booking": booking, "session": booking.session, "course": course,
        "person_name": booking.person_name, "completed_on": on, "valid_until": valid_until,
        "grant_label": GRANT_LABELS.get(course.grants, ""),
        "parts": list(booking.session.parts.all()),
        "verify_url": verification_url(booking.user) if booking.user_id else "",
        "platform_name": settings.PLATFORM_NAME, "pdf_lang": document_lang()})


def record_html(user) -> str:
    return render_to_string("training/records_pdf.html", {
        **record_for(user), "platform_name": settings.PLATFORM_NAME,
        "pdf_lang": document_lang()})


# Reminders before training runs out --------------------------------------------------------

REMINDER_DAYS = (60, 14)
REMINDER_SENT = "training.expiry_reminder_sent"


def _booked_on_upcoming(person: User, grant: str, now) -> bool:
    """Already booked on a session (not yet over) of a course that renews ``grant``."""
    return Booking.objects.filter(user=person, status=Booking.State.BOOKED,
                                  completed_at__isnull=True, session__course__grants=grant,
                                  session__cancelled_at__isnull=True,
                                  session__parts__ends_at__gt=now).exists()


def send_expiry_reminders(today: date | None = None) -> int:
    """Remind people 60 and 14 days before their peer-reviewer or Improvement Champion
    training runs out (run daily; safe to run twice). Each reminder is recorded in the audit
    log, keyed by person, what runs out, the date it runs out and the reminder (60 or 14):
    that is the durable record of what was sent, so a reminder goes once, and goes again
    only if a later date comes near in its turn. A day the job did not run is caught up: the
    reminder for the window the date is now in goes out."""
    today = today or timezone.localdate()
    now = timezone.now()
    windows = sorted(REMINDER_DAYS)
    sent_before = {
        (e.object_id, e.details.get("grant"), e.details.get("until"), e.details.get("days"))
        for e in AuditEvent.objects.filter(
            action=REMINDER_SENT, object_type="accounts.user",
            created_at__gte=now - timedelta(days=windows[-1] + 2)).only("object_id", "details")}
    sent = 0
    for grant, field in GRANT_FIELDS.items():
        people = User.objects.filter(is_active=True, **{
            f"{field}__gte": today, f"{field}__lte": today + timedelta(days=windows[-1])})
        for person in people:
            until = getattr(person, field)
            left = (until - today).days
            days = next(d for d in windows if d >= left)
            if (str(person.pk), str(grant), until.isoformat(), days) in sent_before:
                continue
            if _booked_on_upcoming(person, grant, now):
                continue
            label = GRANT_LABELS[grant]
            with transaction.atomic():
                notifications.notify(
                    [person], kind="training.expiring",
                    subject=f"Your {label} training runs out on {until:%-d %B %Y}",
                    message=f"Your {label} training is current until {until:%-d %B %Y} "
                            f"({left} day{'s' if left != 1 else ''} from today). After that "
                            f"you cannot be invited {GRANT_ROLES[grant]} until you complete "
                            "a refresher: book one from the training catalogue.",
                    url=reverse("training:catalogue"))
                audit.record(REMINDER_SENT, obj=person, grant=str(grant),
                             until=until.isoformat(), days=days)
            sent += 1
    return sent
