"""Courses, sessions and bookings.

No overbooking, ever: every change to who holds a place locks the session's row first
(``select_for_update``; on SQLite the write lock serialises transactions), then counts the
places held (booked, plus offered to someone on the waiting list). The waiting list is
promoted in ``position`` order inside the same lock, so concurrent cancellations, expiries,
acceptances and declines never skip or duplicate anyone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.roles import school_ids_for
from apps.core import audit, dates

from .models import HOLDING, LIVE, Booking, Course, Registrant, Session, SessionPart

if TYPE_CHECKING:
    from apps.accounts.models import User

# The dates and times of a session: (starts_at, ends_at), aware datetimes.
Parts = Sequence[tuple[datetime, datetime]]


def _notify(booking: Booking, subject: str, message: str, *, ics: bool = False) -> None:
    from . import notify

    transaction.on_commit(lambda: notify.booking_message(booking, subject, message, ics=ics))


# Catalogue ---------------------------------------------------------------------------------

@transaction.atomic
def create_course(*, by: User, **fields: Any) -> Course:
    course = Course(**fields)
    course.full_clean()
    course.save()
    audit.record("course.created", actor=by, obj=course)
    return course


@transaction.atomic
def update_course(course: Course, *, by: User, **fields: Any) -> Course:
    """Correct a course. Certificates already issued keep the dates they were issued with;
    the new validity applies to completions recorded from now on."""
    changed = {k: v for k, v in fields.items() if getattr(course, k) != v}
    for name, value in changed.items():
        setattr(course, name, value)
    course.full_clean()
    course.save()
    if changed:
        audit.record("course.changed", actor=by, obj=course, fields=sorted(changed))
    return course


HELD = ("This session has started, so {what}. Use the register to record who came")


def _refuse_once_started(session: Session, what: str) -> None:
    """A session that has started is kept as it was: its dates, places and bookings."""
    if session.has_started():
        raise ValidationError(HELD.format(what=what))


def _check_parts(parts: Parts, *, allow_past: bool = False) -> None:
    if not parts:
        raise ValidationError(_("Add at least one date and time"))
    now = timezone.now()
    for start, end in parts:
        if end <= start:
            raise ValidationError(_("Each part must end after it starts"))
        if not allow_past and start < now:
            raise ValidationError(_("A session cannot start in the past"))


@transaction.atomic
def create_session(course: Course, *, by: User, parts: Parts, trainers: Iterable[User] = (),
                   **fields: Any) -> Session:
    """``parts``: [(starts_at, ends_at)] as aware datetimes."""
    _check_parts(parts)
    if fields.get("capacity", 0) < 1:
        raise ValidationError(_("Capacity must be at least 1"))
    first = min(start for start, _end in parts)
    if fields.get("booking_deadline") and fields["booking_deadline"] > first:
        raise ValidationError(_("The booking deadline must be before the session starts"))
    if fields.get("mode") == Session.Mode.VENUE and not fields.get("venue"):
        raise ValidationError(_("Give the venue"))
    session = Session.objects.create(course=course, **fields)
    SessionPart.objects.bulk_create([SessionPart(session=session, starts_at=s, ends_at=e)
                                     for s, e in parts])
    session.trainers.set(trainers)
    audit.record("session.created", actor=by, obj=session, capacity=session.capacity)
    return session


@transaction.atomic
def update_session(session: Session, *, by: User, parts: Parts | None = None,
                   trainers: Iterable[User] | None = None, **fields: Any) -> Session:
    locked = Session.objects.select_for_update().get(pk=session.pk)
    _refuse_once_started(locked, "its details can no longer change")
    held = locked.bookings.filter(status__in=HOLDING).count()
    if "capacity" in fields and fields["capacity"] < held:
        raise ValidationError(f"Capacity cannot be below the {held} "
                              f"place{'' if held == 1 else 's'} already taken")
    for k, v in fields.items():
        setattr(locked, k, v)
    if parts is not None:
        _check_parts(parts, allow_past=True)
        locked.parts.all().delete()
        SessionPart.objects.bulk_create([SessionPart(session=locked, starts_at=s, ends_at=e)
                                         for s, e in parts])
    locked.sequence += 1
    locked.save()
    if trainers is not None:
        locked.trainers.set(trainers)
    audit.record("session.changed", actor=by, obj=locked, fields=sorted(fields))
    # A larger capacity frees places for the waiting list.
    _promote(locked)
    for b in locked.bookings.filter(status=Booking.State.BOOKED):
        _notify(b, f"Changed: {locked.label}", "The session's details have changed; the "
                "attached invitation updates your calendar.", ics=True)
    return locked


@transaction.atomic
def cancel_session(session: Session, *, by: User, reason: str) -> None:
    if not reason.strip():
        raise ValidationError(_("Give a reason"))
    locked = Session.objects.select_for_update().get(pk=session.pk)
    _refuse_once_started(locked, "it can no longer be cancelled")
    locked.cancelled_at = timezone.now()
    locked.sequence += 1
    locked.save(update_fields=["cancelled_at", "sequence"])
    for b in locked.bookings.filter(status__in=LIVE + [Booking.State.PENDING]):
        # Kept so that undoing the cancellation gives each person back what they had.
        b.status_before_cancelled = b.status
        b.status = Booking.State.CANCELLED
        b.save(update_fields=["status", "status_before_cancelled", "updated_at"])
        _notify(b, f"Cancelled: {locked.label}", f"This session is cancelled: {reason}",
                ics=True)
    audit.record("session.cancelled", actor=by, obj=locked, reason=reason)


@transaction.atomic
def reinstate_session(session: Session, *, by: User) -> int:
    """Undo a cancellation: the session is on again and every booking the cancellation ended
    is given back as it was (a place, a waiting place, an offer or a registration waiting
    for its email). Refused once the session has started. Returns how many bookings came
    back."""
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if not locked.cancelled_at:
        raise ValidationError(_("This session is not cancelled"))
    start = locked.first_start()
    if start is not None and start <= timezone.now():
        raise ValidationError(_("This session has already started, so it cannot be put back on"))
    locked.cancelled_at = None
    locked.sequence += 1
    locked.save(update_fields=["cancelled_at", "sequence"])
    restored = 0
    for b in locked.bookings.filter(status=Booking.State.CANCELLED).exclude(
            status_before_cancelled=""):
        b.status, b.status_before_cancelled = b.status_before_cancelled, ""
        b.save(update_fields=["status", "status_before_cancelled", "updated_at"])
        restored += 1
        if b.status == Booking.State.BOOKED:
            _notify(b, f"Back on: {locked.label}", "This session is no longer cancelled and "
                    "your place is kept; the attached invitation puts it back in your "
                    "calendar.", ics=True)
        elif b.status != Booking.State.PENDING:
            _notify(b, f"Back on: {locked.label}", "This session is no longer cancelled. "
                    f"You are {b.get_status_display().lower()} again.")
    audit.record("session.reinstated", actor=by, obj=locked, bookings=restored)
    return restored


# Booking -----------------------------------------------------------------------------------

def places_left(session: Session) -> int:
    return session.capacity - session.bookings.filter(status__in=HOLDING).count()


def _next_position(session: Session) -> int:
    return (session.bookings.aggregate(m=Max("position"))["m"] or 0) + 1


def _open_for_booking(session: Session) -> None:
    if session.cancelled_at:
        raise ValidationError(_("This session is cancelled"))
    if timezone.now() > session.booking_deadline or session.has_started():
        raise ValidationError(_("Booking for this session has closed"))


class AlreadyBooked(ValidationError):
    """The person already has a booking (a place, an offer, a waiting place or one waiting
    for their email) for the session: a conflict with what exists, not bad input. A
    ``ValidationError``, so the pages show it like any refusal; the API answers 409."""


@transaction.atomic
def book(session: Session, *, user: User | None = None, registrant: Registrant | None = None,
         by: User | None = None) -> Booking:
    """A place if there is one, otherwise a place on the waiting list."""
    locked = Session.objects.select_for_update().get(pk=session.pk)
    _open_for_booking(locked)
    if user is not None and locked.trainers.filter(pk=user.pk).exists():
        raise ValidationError(_("%(name)s trains this session, so does not need a place "
                                "on it") % {"name": user.display_name})
    person = {"user": user} if user is not None else {"registrant": registrant}
    existing = locked.bookings.filter(status__in=LIVE + [Booking.State.PENDING],
                                      **person).first()
    if existing:
        raise AlreadyBooked(f"Already {existing.get_status_display().lower()} for this "
                            "session")
    status = Booking.State.BOOKED if places_left(locked) > 0 else Booking.State.WAITING
    if registrant is not None and registrant.confirmed_at is None:
        status = Booking.State.PENDING
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                session=locked, status=status, booked_by=by,
                position=_next_position(locked) if status != Booking.State.BOOKED else 0,
                **person)
    except IntegrityError:
        raise AlreadyBooked("Already booked for this session") from None
    audit.record("booking.created", actor=by, obj=locked, booking=booking.pk, status=status)
    if status == Booking.State.BOOKED:
        _notify(booking, f"Booked: {locked.label}", "Your place is confirmed.", ics=True)
    elif status == Booking.State.WAITING:
        ahead = locked.bookings.filter(status=Booking.State.WAITING,
                                       position__lt=booking.position).count()
        _notify(booking, f"Waiting list: {locked.label}",
                f"The session is full. You are number {ahead + 1} on the waiting list; if a "
                f"place frees you will be offered it for {locked.offer_hours} hours.")
    return booking


@transaction.atomic
def confirm_pending(booking: Booking) -> Booking:
    """A registrant confirmed their email: the booking becomes a place or a waiting place."""
    locked = Session.objects.select_for_update().get(pk=booking.session_id)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != Booking.State.PENDING:
        return booking
    if places_left(locked) > 0:
        booking.status, booking.position = Booking.State.BOOKED, 0
    else:
        booking.status, booking.position = Booking.State.WAITING, _next_position(locked)
    booking.save(update_fields=["status", "position", "updated_at"])
    audit.record("booking.confirmed", obj=locked, booking=booking.pk, status=booking.status)
    return booking


@transaction.atomic
def cancel(booking: Booking, *, by: User | None) -> Booking:
    locked = Session.objects.select_for_update().get(pk=booking.session_id)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status not in LIVE + [Booking.State.PENDING]:
        raise ValidationError(_("This booking is no longer live"))
    _refuse_once_started(locked, "its bookings can no longer be cancelled")
    deadline = locked.cancellation_deadline or locked.booking_deadline
    if booking.status == Booking.State.BOOKED and timezone.now() > deadline:
        raise ValidationError(_("The cancellation deadline has passed: contact the "
                                "programme team"))
    was_holding = booking.status in HOLDING
    booking.status = Booking.State.CANCELLED
    booking.save(update_fields=["status", "updated_at"])
    audit.record("booking.cancelled", actor=by, obj=locked, booking=booking.pk)
    if was_holding:
        _promote(locked)
    return booking


def _promote(session: Session) -> list[Booking]:
    """Offer freed places to the waiting list in order. Called with the session locked."""
    offered: list[Booking] = []
    now = timezone.now()
    free = places_left(session)
    if free <= 0 or session.cancelled_at:
        return offered
    for b in session.bookings.select_for_update().filter(
            status=Booking.State.WAITING).order_by("position", "created_at", "id")[:free]:
        if b.registrant_id:
            # Someone without an account cannot sign in to accept: the place is theirs, and
            # the email's link lets them cancel it.
            b.status = Booking.State.BOOKED
            b.save(update_fields=["status", "updated_at"])
            audit.record("booking.promoted", obj=session, booking=b.pk)
            _notify(b, f"Booked: {session.label}", "A place has come free and is yours. If "
                    "you cannot come, cancel it so the next person can have it.", ics=True)
            offered.append(b)
            continue
        b.status = Booking.State.OFFERED
        b.offered_at = now
        b.offer_expires_at = now + timedelta(hours=session.offer_hours)
        b.save(update_fields=["status", "offered_at", "offer_expires_at", "updated_at"])
        audit.record("booking.offered", obj=session, booking=b.pk,
                     expires=b.offer_expires_at.isoformat())
        _notify(b, f"A place is free: {session.label}",
                f"A place has come free. Accept it before "
                f"{dates.datetime_text(b.offer_expires_at, 'weekday,noyear')}, or it goes to "
                "the next person.")
        offered.append(b)
    return offered


def respond_to_offer(booking: Booking, *, by: User, accept: bool) -> Booking:
    expired = False
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=booking.session_id)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != Booking.State.OFFERED:
            raise ValidationError(_("There is no open offer on this booking"))
        if booking.offer_expires_at and booking.offer_expires_at < timezone.now():
            # Pass it on now (committed), then tell the person.
            _expire(booking)
            _promote(locked)
            expired = True
        else:
            booking.status = Booking.State.BOOKED if accept else Booking.State.DECLINED
            booking.save(update_fields=["status", "updated_at"])
            audit.record("booking.offer_accepted" if accept else "booking.offer_declined",
                         actor=by, obj=locked, booking=booking.pk)
            if accept:
                _notify(booking, f"Booked: {locked.label}", "Your place is confirmed.",
                        ics=True)
            else:
                _promote(locked)
    if expired:
        raise ValidationError(_("The offer has expired and passed to the next person"))
    return booking


def _expire(booking: Booking) -> None:
    booking.status = Booking.State.EXPIRED
    booking.save(update_fields=["status", "updated_at"])
    audit.record("booking.offer_expired", obj=booking.session, booking=booking.pk)


def expire_offers(now: datetime | None = None) -> int:
    """Pass on offers that were not taken up in time (run every few minutes)."""
    now = now or timezone.now()
    count = 0
    for session_id in set(Booking.objects.filter(status=Booking.State.OFFERED,
                                                  offer_expires_at__lt=now)
                          .values_list("session_id", flat=True)):
        with transaction.atomic():
            locked = Session.objects.select_for_update().get(pk=session_id)
            for b in locked.bookings.select_for_update().filter(
                    status=Booking.State.OFFERED, offer_expires_at__lt=now):
                _expire(b)
                count += 1
            _promote(locked)
    return count


@transaction.atomic
def move_on_waiting_list(booking: Booking, *, by: User, to_position: int) -> None:
    """The organiser puts someone at ``to_position`` (1 = next) on the waiting list."""
    locked = Session.objects.select_for_update().get(pk=booking.session_id)
    waiting = list(locked.bookings.select_for_update().filter(status=Booking.State.WAITING)
                   .order_by("position", "created_at", "id"))
    _refuse_once_started(locked, "its waiting list is closed")
    if booking.pk not in [b.pk for b in waiting]:
        raise ValidationError(_("Only people on the waiting list can be moved"))
    if not 1 <= to_position <= len(waiting):
        raise ValidationError(f"Choose a place between 1 and {len(waiting)}")
    order = [b for b in waiting if b.pk != booking.pk]
    order.insert(to_position - 1, next(b for b in waiting if b.pk == booking.pk))
    for i, b in enumerate(order, 1):
        if b.position != i:
            Booking.objects.filter(pk=b.pk).update(position=i)
    audit.record("booking.moved", actor=by, obj=locked, booking=booking.pk,
                 position=to_position)


@transaction.atomic
def give_place(booking: Booking, *, by: User) -> Booking:
    """The organiser offers the next free place to this person now, ahead of the list."""
    locked = Session.objects.select_for_update().get(pk=booking.session_id)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    _refuse_once_started(locked, "its waiting list is closed")
    if booking.status != Booking.State.WAITING:
        raise ValidationError(_("Only people on the waiting list can be given a place"))
    if places_left(locked) <= 0:
        raise ValidationError(_("The session is full: raise its capacity first"))
    booking.status = Booking.State.BOOKED
    booking.save(update_fields=["status", "updated_at"])
    audit.record("booking.given_place", actor=by, obj=locked, booking=booking.pk)
    _notify(booking, f"Booked: {locked.label}", "You have been given a place.", ics=True)
    return booking


def check_can_book_for(by: User, user: User) -> None:
    """A school leader books for staff of their own school."""
    mine = school_ids_for(by, {"headteacher", "school_leader"})
    theirs = school_ids_for(user)
    if not (mine & theirs):
        raise PermissionDenied
