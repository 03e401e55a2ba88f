"""Training over the API: the catalogue by audience, sessions, bookings (for yourself or, as a
school leader, for staff of your school), the waiting list's offers, the register and live
polls.

Exactly the permissions of the pages (``rules.py`` through the access helpers in
``access.py``): 404 for a course, session or booking outside the caller's reach, 403 for an
insider without the right. Bookings go through ``services``, which keep the rules (no
overbooking, the waiting list's order, deadlines) and tell the people concerned; their
messages come back as a 400.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Min, Prefetch, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as Answer

from apps.accounts.models import User, current_role_lookup
from apps.accounts.roles import school_ids_for
from apps.core.api import ErrorOut, Mapped, SafePagination
from apps.core.converters import MAX_ID
from apps.training.rules import course_audiences, trains_session

from . import services
from .access import get_booking_for_user, get_session_for_user
from .models import HOLDING, LIVE, Booking, Course, Session

router = Router(tags=["training"])



# Schemas --------------------------------------------------------------------------------------

class PartOut(Schema):
    starts_at: datetime
    ends_at: datetime


class SessionSummaryOut(Schema):
    id: int
    title: str
    label: str
    mode: str
    starts_at: datetime | None = Field(description="The start of its first part")
    booking_deadline: datetime
    places_left: int
    full: bool


class CourseOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    summary: str
    audience: str
    audience_label: str
    grants: str
    validity_months: int
    sessions: list[SessionSummaryOut] = Field(
        description="Upcoming sessions that are not cancelled, soonest first")


class MyBookingOut(Schema):
    id: int
    status: str
    status_label: str
    waiting_place: int | None = Field(description="1 = next to be offered a place")
    offer_expires_at: datetime | None


class SessionOut(Schema):
    id: int
    course_id: int
    course: str
    kind: str
    title: str
    label: str
    mode: str
    mode_label: str
    joining_link: str | None = Field(
        description="Only for people with a place, the session's trainers and the core team")
    venue: str
    address: str
    accessibility: str
    capacity: int
    places_left: int
    waiting_count: int
    booking_deadline: datetime
    cancellation_deadline: datetime | None
    offer_hours: int
    cancelled: bool
    cancelled_at: datetime | None
    parts: list[PartOut]
    mine: MyBookingOut | None = Field(description="The caller's live booking, if any")
    can_book: bool
    can_book_for_staff: bool


class BookingOut(Schema):
    id: int
    session_id: int
    person: str
    user_id: int | None = Field(description="Empty for a registrant from outside the "
                                            "programme")
    status: str
    status_label: str
    waiting_place: int | None = Field(description="1 = next to be offered a place")
    offered_at: datetime | None
    offer_expires_at: datetime | None
    booked_by: str | None
    attendance: str
    created_at: datetime


class BookingIn(Schema):
    user_id: int | None = Field(None, ge=1, le=MAX_ID,
                                description="Empty to book yourself; a school leader may give "
                                            "someone at a school they lead")


class PlaceOfferIn(Schema):
    accept: bool = Field(..., description="True to take the place, false to let it go to the "
                                          "next person")


class AttendanceCountsOut(Schema):
    present: int
    partial: int
    absent: int
    not_taken: int


class AttendeeOut(Schema):
    booking_id: int
    person: str
    user_id: int | None
    attendance: str
    attendance_label: str
    completed_at: datetime | None


class AttendanceOut(Schema):
    session_id: int
    label: str
    parts: list[PartOut]
    counts: AttendanceCountsOut
    people: list[AttendeeOut] = Field(description="Everyone with a place, by name")


class PollOptionOut(Schema):
    option: str
    votes: int | None = Field(description="Only for the session's trainers and the core team")


class PollOut(Schema):
    id: int
    question: str
    kind: str
    is_open: bool
    options: list[PollOptionOut]
    answers: int | None = Field(description="How many answered: trainers and core team only")
    created_at: datetime


# Helpers --------------------------------------------------------------------------------------

def _invalid(error: ValidationError) -> Answer:
    return Answer(400, {"detail": " ".join(error.messages), "errors": error.messages})


def _waiting_place(booking: Booking) -> int | None:
    if booking.status != Booking.State.WAITING:
        return None
    return Booking.objects.filter(session_id=booking.session_id, status=Booking.State.WAITING,
                                  position__lt=booking.position).count() + 1


def _booking(b: Booking, places: dict[int, int] | None = None) -> dict:
    """``places``: the session's waiting list ({booking: place}) when it is at hand."""
    return {"id": b.pk, "session_id": b.session_id, "person": b.person_name,
            "user_id": b.user_id, "status": b.status, "status_label": b.get_status_display(),
            "waiting_place": _waiting_place(b) if places is None else places.get(b.pk),
            "offered_at": b.offered_at,
            "offer_expires_at": b.offer_expires_at,
            "booked_by": b.booked_by.display_name if b.booked_by else None,
            "attendance": b.attendance, "created_at": b.created_at}


def _fresh(booking: Booking) -> dict:
    return _booking(Booking.objects.select_related("user", "registrant", "booked_by")
                    .get(pk=booking.pk))


def _parts(session: Session) -> list[dict]:
    return [{"starts_at": p.starts_at, "ends_at": p.ends_at} for p in session.parts.all()]


def staff_of(user):
    """The people a school leader may book for: as the page ``views.book_for_staff`` offers
    them (active, a current role at a school the leader leads, not the leader)."""
    schools = school_ids_for(user, {"headteacher", "school_leader"})
    return User.objects.filter(is_active=True, roles__school_id__in=schools,
                               **current_role_lookup("roles__")).exclude(pk=user.pk).distinct()


# Catalogue ------------------------------------------------------------------------------------

def _course(course: Course) -> dict:
    # Set by list_courses' Prefetch, each session annotated with starts and held.
    upcoming: list[Any] = course.upcoming  # type: ignore[attr-defined]
    return {"id": course.pk, "kind": course.kind, "kind_label": course.get_kind_display(),
            "title": course.title, "summary": course.summary,
            "audience": course.audience, "audience_label": course.get_audience_display(),
            "grants": course.grants, "validity_months": course.validity_months,
            "sessions": [{"id": s.pk, "title": s.title, "label": s.label, "mode": s.mode,
                          "starts_at": s.starts, "booking_deadline": s.booking_deadline,
                          "places_left": max(s.capacity - s.held, 0),
                          "full": s.capacity - s.held <= 0}
                         for s in upcoming]}


@router.get("/courses", response=list[CourseOut],
            summary="The courses open to the caller (by audience, as the catalogue), each with "
                    "its upcoming sessions")
@paginate(SafePagination, page_size=50)
def list_courses(request):
    # As the catalogue: only the sessions still to come are read, each with its first start
    # and its places held counted in the same query (not every session ever held).
    upcoming = (Session.objects.filter(cancelled_at__isnull=True)
                .annotate(starts=Min("parts__starts_at"),
                          held=Count("bookings", filter=Q(bookings__status__in=HOLDING),
                                     distinct=True))
                .filter(Q(starts__gte=timezone.now()) | Q(starts__isnull=True))
                .order_by(Coalesce("starts", "booking_deadline"), "pk"))
    courses = (Course.objects.filter(audience__in=course_audiences(request.user))
               .prefetch_related(Prefetch("sessions", queryset=upcoming, to_attr="upcoming"))
               .order_by("title", "pk"))
    return Mapped(courses, _course)


@router.get("/sessions/{session_id}", response=SessionOut,
            summary="One session: dates, place, places left and the caller's booking (the "
                    "joining link only for people with a place, trainers and the core team)")
def get_session(request, session_id: int):
    user = request.user
    session = get_session_for_user(user, session_id)
    mine = session.bookings.filter(user=user, status__in=LIVE).first()
    is_trainer = user.has_perm("training.take_register", session)
    sees_link = is_trainer or user.has_perm("training.manage") or bool(
        mine and mine.status == Booking.State.BOOKED)
    return {"id": session.pk, "course_id": session.course_id, "course": session.course.title,
            "kind": session.course.kind, "title": session.title, "label": session.label,
            "mode": session.mode, "mode_label": session.get_mode_display(),
            "joining_link": session.joining_link if sees_link else None,
            "venue": session.venue, "address": session.address,
            "accessibility": session.accessibility, "capacity": session.capacity,
            "places_left": max(services.places_left(session), 0),
            "waiting_count": session.bookings.filter(status=Booking.State.WAITING).count(),
            "booking_deadline": session.booking_deadline,
            "cancellation_deadline": session.cancellation_deadline,
            "offer_hours": session.offer_hours, "cancelled": bool(session.cancelled_at),
            "cancelled_at": session.cancelled_at, "parts": _parts(session),
            "mine": {"id": mine.pk, "status": mine.status,
                     "status_label": mine.get_status_display(),
                     "waiting_place": _waiting_place(mine),
                     "offer_expires_at": mine.offer_expires_at} if mine else None,
            "can_book": user.has_perm("training.book", session.course)
            and not session.cancelled_at and timezone.now() <= session.booking_deadline
            and not session.has_started() and not trains_session(user, session),
            "can_book_for_staff": user.has_perm("training.book_for_staff")
            and user.has_perm("training.book", session.course)}


# Bookings -------------------------------------------------------------------------------------

@router.get("/sessions/{session_id}/bookings", response=list[BookingOut],
            summary="Everyone booked, offered a place or waiting (then the cancelled), for the "
                    "session's trainers and the core team")
def list_bookings(request, session_id: int):
    session = get_session_for_user(request.user, session_id, "training.take_register")
    bookings = list(session.bookings.exclude(status=Booking.State.PENDING)
                    .select_related("user", "registrant", "booked_by"))
    order: dict[str, int] = {Booking.State.BOOKED: 0, Booking.State.OFFERED: 1,
                             Booking.State.WAITING: 2}
    bookings.sort(key=lambda b: (order.get(b.status, 3), b.position, b.created_at, b.pk))
    waiting = [b for b in bookings if b.status == Booking.State.WAITING]
    places = {b.pk: i for i, b in enumerate(waiting, 1)}
    return [_booking(b, places) for b in bookings]


@router.post("/sessions/{session_id}/bookings",
             response={201: BookingOut, 400: ErrorOut, 409: ErrorOut},
             summary="Book a place (or a place on the waiting list when the session is full): "
                     "for yourself, or as a school leader for someone at your school (409 if "
                     "they already have a booking for the session)",
             openapi_extra={"responses": {"409": {"description": (
                 "Already booked: the person already has a place, an offer of one, a place "
                 "on the waiting list or a booking waiting for their email for this "
                 "session; nothing was added")}}})
def create_booking(request, session_id: int, payload: BookingIn):
    user = request.user
    session = get_session_for_user(user, session_id)
    if payload.user_id is None or payload.user_id == user.pk:
        if not user.has_perm("training.book", session.course):
            raise PermissionDenied
        person = user
    else:
        # The checks of the page that books for staff (views.book_for_staff).
        if not (user.has_perm("training.book_for_staff")
                and user.has_perm("training.book", session.course)):
            raise PermissionDenied
        person = staff_of(user).filter(pk=payload.user_id).first()
        if person is None:
            return _invalid(ValidationError("Choose someone at a school you lead"))
        if not person.has_perm("training.book", session.course):
            return _invalid(ValidationError(
                f"{person.display_name} is not in this course's audience"))
    try:
        booking = services.book(session, user=person, by=user)
    except services.AlreadyBooked as e:
        return Answer(409, {"detail": " ".join(e.messages), "errors": e.messages})
    except ValidationError as e:
        return _invalid(e)
    return Answer(201, _fresh(booking))


@router.post("/bookings/{booking_id}/cancel", response={200: BookingOut, 400: ErrorOut},
             summary="Cancel a booking (or leave the waiting list): your own, one you made for "
                     "someone, or any as the core team; a freed place is offered to the next "
                     "person waiting")
def cancel_booking(request, booking_id: int):
    booking = get_booking_for_user(request.user, booking_id)
    try:
        services.cancel(booking, by=request.user)
    except ValidationError as e:
        return _invalid(e)
    return _fresh(booking)


@router.post("/bookings/{booking_id}/offer", response={200: BookingOut, 400: ErrorOut},
             summary="Accept or decline the place offered to you from the waiting list")
def respond_to_offer(request, booking_id: int, payload: PlaceOfferIn):
    booking = get_booking_for_user(request.user, booking_id)
    if booking.user_id != request.user.pk:
        raise PermissionDenied
    try:
        services.respond_to_offer(booking, by=request.user, accept=payload.accept)
    except ValidationError as e:
        return _invalid(e)
    return _fresh(booking)


# Register and polls ---------------------------------------------------------------------------

@router.get("/sessions/{session_id}/attendance", response=AttendanceOut,
            summary="The register: everyone with a place and their attendance, for the "
                    "session's trainers and the core team")
def attendance(request, session_id: int):
    session = get_session_for_user(request.user, session_id, "training.take_register")
    people = list(session.bookings.filter(Q(status=Booking.State.BOOKED) | ~Q(attendance=""))
                  .select_related("user", "registrant").order_by("created_at", "pk"))
    people.sort(key=lambda b: b.person_name.lower())
    counts = Counter(b.attendance for b in people)
    labels = dict(Booking.Attendance.choices)
    return {"session_id": session.pk, "label": session.label, "parts": _parts(session),
            "counts": {"present": counts[Booking.Attendance.PRESENT],
                       "partial": counts[Booking.Attendance.PARTIAL],
                       "absent": counts[Booking.Attendance.ABSENT],
                       "not_taken": counts[Booking.Attendance.UNKNOWN]},
            "people": [{"booking_id": b.pk, "person": b.person_name, "user_id": b.user_id,
                        "attendance": b.attendance, "attendance_label": str(labels[b.attendance]),
                        "completed_at": b.completed_at} for b in people]}


@router.get("/sessions/{session_id}/polls", response=list[PollOut],
            summary="The session's polls: every poll with its results for the trainers and the "
                    "core team; the open polls, without results, for people with a place")
def list_polls(request, session_id: int):
    user = request.user
    session = get_session_for_user(user, session_id)
    runs = user.has_perm("training.run_polls", session)
    if not runs and not session.bookings.filter(user=user,
                                                status=Booking.State.BOOKED).exists():
        raise PermissionDenied
    polls = session.polls.all() if runs else session.polls.filter(is_open=True)
    out = []
    for poll in polls.prefetch_related("answers") if runs else polls:
        votes: Counter[int] = Counter()
        answers = list(poll.answers.all()) if runs else []
        for a in answers:
            votes.update({i for i in a.choices if isinstance(i, int)})
        out.append({"id": poll.pk, "question": poll.question, "kind": poll.kind,
                    "is_open": poll.is_open, "created_at": poll.created_at,
                    "options": [{"option": o, "votes": votes[i] if runs else None}
                                for i, o in enumerate(poll.options)],
                    "answers": len(answers) if runs else None})
    return out

