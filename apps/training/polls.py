"""Live polls during a session, feedback after it, and the core team's aggregates.

* A trainer (or the core team) asks a poll with 2–10 answers and opens or closes it. People
  with a place (booking status *booked*) answer on their phones; each booking has one answer
  per poll, which they may change while the poll is open (changing replaces it).
* Feedback (a rating of 1–5 and comments) is open to people booked on a session, unless the
  register marks them absent, from the session's first start; one per booking, editable.
* ``send_feedback_requests`` asks for it once the session has ended, once per booking: a
  booking is skipped when it already has feedback or a ``training.feedback_requested`` audit
  entry. A scheduler runs it daily as ``manage.py send_training_feedback_requests``.
* ``aggregates`` combines answers to polls with the same question across sessions, and
  ratings per course, for the core team. Any figure resting on fewer than
  ``MIN_RESPONDENTS`` people is suppressed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from apps.core import audit
from apps.core.models import AuditEvent
from apps.notifications import services as notifications

from .models import Booking, Feedback, Poll, PollAnswer, Session

MIN_RESPONDENTS = 5
SUPPRESSED = "fewer than 5 responses: not shown"
# Booked people may give feedback unless the register says they were absent.
FEEDBACK_ATTENDANCE = (Booking.Attendance.UNKNOWN, Booking.Attendance.PRESENT,
                       Booking.Attendance.PARTIAL)
# Feedback requests go out for sessions that ended within this long (so a first run does not
# write to everyone who ever attended).
FEEDBACK_REQUEST_WINDOW = timedelta(days=14)
FEEDBACK_REQUESTED = "training.feedback_requested"


def percent(count: int, total: int) -> int:
    """A whole-number percentage, halves rounded up."""
    return (200 * count + total) // (2 * total) if total else 0


# Polls ----------------------------------------------------------------------------------------

@transaction.atomic
def create_poll(session: Session, *, by, question: str, kind: str, options: list[str],
                is_open: bool = False) -> Poll:
    if session.cancelled_at:
        raise ValidationError("This session is cancelled")
    if not 2 <= len(options) <= 10:
        raise ValidationError("A poll has 2 to 10 answers")
    if kind not in Poll.Kind.values:
        raise ValidationError("Choose one answer or several")
    poll = Poll.objects.create(session=session, question=question, kind=kind,
                               options=list(options), is_open=is_open, created_by=by)
    audit.record("training.poll_created", actor=by, obj=session, poll=poll.pk,
                 is_open=is_open)
    return poll


@transaction.atomic
def set_open(poll: Poll, *, by, is_open: bool) -> Poll:
    locked = Poll.objects.select_for_update().get(pk=poll.pk)
    if locked.is_open != is_open:
        locked.is_open = is_open
        locked.save(update_fields=["is_open"])
        audit.record("training.poll_opened" if is_open else "training.poll_closed", actor=by,
                     obj=locked.session, poll=locked.pk)
    return locked


def answering_booking(user, session: Session) -> Booking | None:
    """The person's booking with a place on this session, if they have one."""
    if not getattr(user, "is_authenticated", False):
        return None
    return session.bookings.filter(user=user, status=Booking.State.BOOKED).first()


@transaction.atomic
def answer(poll: Poll, *, booking: Booking, choices: list[int]) -> PollAnswer:
    """Record (or replace) this booking's answer. Refused when the poll is closed."""
    locked = Poll.objects.select_for_update().get(pk=poll.pk)
    if not locked.is_open:
        raise ValidationError("This poll is closed: your answer was not saved")
    if booking.session_id != locked.session_id or booking.status != Booking.State.BOOKED:
        raise ValidationError("Only people with a place on this session can answer")
    choices = sorted(set(choices))
    if not choices or any(not 0 <= c < len(locked.options) for c in choices):
        raise ValidationError("Choose an answer")
    if locked.kind == Poll.Kind.SINGLE and len(choices) != 1:
        raise ValidationError("Choose one answer")
    try:
        with transaction.atomic():
            result, _ = PollAnswer.objects.update_or_create(
                poll=locked, booking=booking, defaults={"choices": choices})
    except IntegrityError:  # a simultaneous first answer from another tab: replace it
        result = PollAnswer.objects.get(poll=locked, booking=booking)
        result.choices = choices
        result.save(update_fields=["choices", "answered_at"])
    return result


@dataclass
class Results:
    poll: Poll
    respondents: int
    places: int
    rows: list[dict] = field(default_factory=list)
    stamp: str = ""


def results(poll: Poll) -> Results:
    """Counts and percentages per answer. Percentages are of the people who answered, so with
    several choices allowed they may add up to more than 100."""
    answers = list(PollAnswer.objects.filter(poll=poll).values_list("choices", "answered_at"))
    counts = [0] * len(poll.options)
    for choices, _ in answers:
        for c in set(choices):
            if 0 <= c < len(counts):
                counts[c] += 1
    n = len(answers)
    latest = max((at for _, at in answers), default=None)
    stamp = hashlib.sha256(f"{n}|{latest}|{poll.is_open}|{counts}".encode()).hexdigest()[:16]
    return Results(poll=poll, respondents=n,
                   places=poll.session.bookings.filter(status=Booking.State.BOOKED).count(),
                   rows=[{"index": i, "option": text, "count": counts[i],
                          "percent": percent(counts[i], n)}
                         for i, text in enumerate(poll.options)],
                   stamp=stamp)


def open_polls(session: Session) -> list[Poll]:
    return list(session.polls.filter(is_open=True).order_by("created_at", "id"))


def current_stamp(polls: list[Poll], answered: set[int]) -> str:
    key = "|".join(f"{p.pk}:{p.pk in answered}" for p in polls)
    return hashlib.sha256(key.encode()).hexdigest()[:16]


# Feedback -------------------------------------------------------------------------------------

def feedback_booking(user, session: Session) -> Booking | None:
    """The person's booking that may give feedback on this session (start time aside)."""
    booking = answering_booking(user, session)
    if booking is None or booking.attendance not in FEEDBACK_ATTENDANCE:
        return None
    return booking


def feedback_open(session: Session, now=None) -> bool:
    start = session.first_start()
    return start is not None and start <= (now or timezone.now()) and not session.cancelled_at


@transaction.atomic
def give_feedback(booking: Booking, *, rating: int, comments: str = "") -> Feedback:
    """One feedback per booking; giving it again changes it."""
    booking = Booking.objects.select_for_update(of=("self",)).select_related("session").get(
        pk=booking.pk)
    if booking.status != Booking.State.BOOKED or \
            booking.attendance not in FEEDBACK_ATTENDANCE:
        raise ValidationError("Only people who attended can give feedback")
    if not feedback_open(booking.session):
        raise ValidationError("Feedback opens when the session starts")
    if not 1 <= int(rating) <= 5:
        raise ValidationError("Choose a rating from 1 to 5")
    feedback, _ = Feedback.objects.update_or_create(
        booking=booking, defaults={"rating": int(rating), "comments": comments.strip()})
    return feedback


def _already_requested(booking_ids: list[int]) -> set[int]:
    return {int(x) for x in AuditEvent.objects.filter(
        action=FEEDBACK_REQUESTED, object_type=Booking._meta.label_lower,
        object_id__in=[str(pk) for pk in booking_ids]).values_list("object_id", flat=True)}


def send_feedback_requests(now=None) -> int:
    """Ask everyone booked on sessions that ended (within ``FEEDBACK_REQUEST_WINDOW``) for
    feedback, once per booking. Returns the number of requests sent."""
    now = now or timezone.now()
    sessions = (Session.objects.filter(cancelled_at__isnull=True)
                .annotate(ended=Max("parts__ends_at"))
                .filter(ended__lte=now, ended__gte=now - FEEDBACK_REQUEST_WINDOW)
                .select_related("course"))
    sent = 0
    for session in sessions:
        bookings = list(session.bookings.filter(
            status=Booking.State.BOOKED, user__isnull=False, user__is_active=True,
            attendance__in=FEEDBACK_ATTENDANCE, feedback__isnull=True).select_related("user"))
        done = _already_requested([b.pk for b in bookings])
        url = reverse("training:feedback", args=[session.pk])
        for booking in bookings:
            if booking.pk in done:
                continue
            with transaction.atomic():
                notifications.notify(
                    [booking.user], kind="training.feedback", url=url,
                    subject=f"How was it? {session.label}",
                    message="Thank you for coming. Please tell us how the session went: a "
                            "rating and any comments take a minute, and help us improve it.")
                audit.record(FEEDBACK_REQUESTED, obj=booking, session=session.pk)
            sent += 1
    return sent


class FeedbackRequestsCommand(BaseCommand):
    """``manage.py send_training_feedback_requests`` (run daily by the scheduler)."""

    help = "Ask people booked on sessions that have ended for feedback (once per booking)."

    def handle(self, *args, **options):
        self.stdout.write(f"{send_feedback_requests()} feedback request(s) sent.")


# Aggregates for the core team -----------------------------------------------------------------

def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _person(booking: Booking) -> str:
    return f"u{booking.user_id}" if booking.user_id else f"b{booking.pk}"


def poll_aggregates(min_n: int = MIN_RESPONDENTS) -> list[dict]:
    """Answers to polls asked with the same question (ignoring case and spacing), combined
    across sessions and counted by person. An answer's percentage is of the people who were
    offered it; a question or answer resting on fewer than ``min_n`` people is suppressed."""
    groups: dict[str, dict] = {}
    polls = Poll.objects.prefetch_related("answers__booking").order_by("created_at", "id")
    for poll in polls:
        g = groups.setdefault(_norm(poll.question), {
            "question": poll.question, "sessions": set(), "people": set(), "options": {}})
        g["sessions"].add(poll.session_id)
        people = {_person(a.booking) for a in poll.answers.all()}
        g["people"] |= people
        for i, text in enumerate(poll.options):
            o = g["options"].setdefault(_norm(text), {"option": text, "offered": set(),
                                                      "chosen": set()})
            o["offered"] |= people
            o["chosen"] |= {_person(a.booking) for a in poll.answers.all() if i in a.choices}
    rows = []
    for g in groups.values():
        n = len(g["people"])
        row = {"question": g["question"], "sessions": len(g["sessions"]), "respondents": n,
               "suppressed": n < min_n, "options": []}
        if not row["suppressed"]:
            for o in g["options"].values():
                offered, chosen = len(o["offered"]), len(o["chosen"])
                row["options"].append({
                    "option": o["option"], "offered": offered, "suppressed": offered < min_n,
                    "count": chosen if offered >= min_n else None,
                    "percent": percent(chosen, offered) if offered >= min_n else None})
            row["options"].sort(key=lambda o: (o["suppressed"], -(o["count"] or 0)))
        rows.append(row)
    rows.sort(key=lambda r: (r["suppressed"], -r["respondents"], r["question"].casefold()))
    return rows


def rating_aggregates(min_n: int = MIN_RESPONDENTS) -> dict:
    """Average rating per course (and overall), suppressed under ``min_n`` responses."""
    courses: dict[int, dict] = {}
    every = []
    for course_id, title, rating in Feedback.objects.values_list(
            "booking__session__course_id", "booking__session__course__title", "rating"):
        c = courses.setdefault(course_id, {"course": title, "ratings": []})
        c["ratings"].append(rating)
        every.append(rating)

    def summary(ratings: list[int]) -> dict:
        n = len(ratings)
        ok = n >= min_n
        return {"responses": n, "suppressed": not ok,
                "average": round(sum(ratings) / n, 1) if ok else None}

    rows = [{"course": c["course"], **summary(c["ratings"])} for c in courses.values()]
    rows.sort(key=lambda r: (r["suppressed"], r["course"].casefold()))
    return {"courses": rows, "overall": summary(every)}
