"""Access helpers for training: a course, session or booking outside a person's reach does not
exist for them (404); someone who may see it but not do this gets 403."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from apps.core.access import require_write
from apps.core.converters import is_id

from .models import Booking, Course, Session

if TYPE_CHECKING:
    from apps.accounts.types import AnyUser


def get_course_for_user(user: AnyUser, pk: int) -> Course:
    course = Course.objects.filter(pk=pk).first()
    if course is None or not user.has_perm("training.view_course", course):
        raise Http404("No such course")
    return course


def get_session_for_user(user: AnyUser, pk: int, perm: str | None = None) -> Session:
    session = Session.objects.select_related("course").filter(pk=pk).first() \
        if is_id(pk) else None
    if session is None or not (user.has_perm("training.view_course", session.course)
                               or user.has_perm("training.take_register", session)
                               or _booked_on(user, session)):
        raise Http404("No such session")
    if perm and not user.has_perm(perm, session):
        raise PermissionDenied
    return session


def get_session_for_request(request: HttpRequest, pk: int, perm: str | None = None, *,
                            write: str | None = None) -> Session:
    """The session for this request; a write (POST) also needs ``write`` on the session."""
    session = get_session_for_user(request.user, pk, perm)
    require_write(request, write, session)
    return session


def _booked_on(user: AnyUser, session: Session) -> bool:
    """Someone who booked the session still sees it when its course is no longer for them
    (their partnership became Alumni): their bookings, certificate and notifications link
    to it."""
    pk = user.pk if user.is_authenticated else None
    return pk is not None and session.bookings.filter(user_id=pk).exists()


def get_booking_for_user(user: AnyUser, pk: int) -> Booking:
    booking = Booking.objects.select_related("session__course", "user").filter(pk=pk).first() \
        if is_id(pk) else None
    if booking is None:
        raise Http404("No such booking")
    mine = booking.user_id == user.pk or booking.booked_by_id == user.pk
    if not (mine or user.has_perm("training.manage")):
        raise Http404("No such booking")
    return booking
