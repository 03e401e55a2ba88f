"""Termly national meetings as a series, and the recording and slides published after each.

A series holds the meetings of one school year, each a course of kind national meeting with
one session, so booking, the waiting list, registration without an account, reminders,
the register and reports work for meetings as for any course. A meeting's audience follows
from its place in the series (``rules.meeting_audience``) and is set here, never typed in.

After a meeting the core team publishes a recording link and slides (a file in Django's
storage). People who held a place are notified; people registered without an account get
the recording link by email only if the core team ticks the box (the slides stay with the
programme). Publishing again corrects the materials without notifying anyone twice;
withdrawing removes them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from apps.core import audit
from apps.notifications import services as notifications

from . import services
from .forms import local_datetime
from .models import Booking, Course, CourseKind, MeetingMaterials, MeetingSeries, Session
from .rules import meeting_audience

if TYPE_CHECKING:
    from apps.accounts.models import User

logger = logging.getLogger(__name__)

TERMS = ("Autumn", "Spring", "Summer")


@dataclass
class MeetingPlan:
    """One meeting of a new series: its term and (starts_at, ends_at), aware datetimes."""

    term: str
    starts_at: datetime
    ends_at: datetime


@transaction.atomic
def create_series(*, by: User, title: str, start_year: int, summary: str,
                  meetings: Sequence[MeetingPlan], mode: str, joining_link: str = "",
                  venue: str = "", address: str = "", capacity: int) -> MeetingSeries:
    """A series and its meetings at once, in date order; the first is open to all schools,
    the later ones are for schools in the programme and alumni. Booking for each closes at
    23:59 the day before (UK time), as the session form has it. All or nothing."""
    if not meetings:
        raise ValidationError("Give the date of at least one meeting")
    ordered = sorted(meetings, key=lambda m: m.starts_at)
    series = MeetingSeries(title=title, start_year=start_year, summary=summary, created_by=by)
    series.full_clean()
    series.save()
    for position, plan in enumerate(ordered, 1):
        course = Course.objects.create(
            kind=CourseKind.NATIONAL_MEETING, title=f"{title}: {plan.term.lower()} meeting",
            summary=summary, audience=meeting_audience(position), series=series,
            series_position=position)
        services.create_session(course, by=by, parts=[(plan.starts_at, plan.ends_at)],
                                title=f"{plan.term} term", mode=mode,
                                joining_link=joining_link, venue=venue, address=address,
                                capacity=capacity, booking_deadline=_day_before(plan.starts_at))
    audit.record("meeting_series.created", actor=by, obj=series, meetings=len(ordered))
    return series


@transaction.atomic
def update_series(series: MeetingSeries, *, by: User, title: str, summary: str) -> MeetingSeries:
    """Correct a series' name and summary; its meetings' names follow where they still carry
    the old name (a meeting renamed on its own keeps its name)."""
    locked = MeetingSeries.objects.select_for_update().get(pk=series.pk)
    old = locked.title
    locked.title, locked.summary = title, summary
    locked.full_clean()
    locked.save()
    if title != old:
        for course in locked.meetings.filter(title__startswith=f"{old}: "):
            course.title = f"{title}: {course.title[len(old) + 2:]}"
            course.save(update_fields=["title"])
    audit.record("meeting_series.changed", actor=by, obj=locked, renamed=title != old)
    return locked


def _day_before(starts_at: datetime) -> datetime:
    day = timezone.localtime(starts_at).date() - timedelta(days=1)
    return local_datetime(day, time(23, 59))


def series_meetings(series: MeetingSeries, audiences: set[str]) -> QuerySet[Session]:
    """The sessions of the series' meetings whose audience includes ``audiences``, in order,
    with what their rows show, in a fixed number of queries."""
    return (Session.objects.filter(course__series=series, course__audience__in=audiences)
            .select_related("course", "materials").prefetch_related("parts")
            .order_by("course__series_position", "pk"))


def is_meeting(session: Session) -> bool:
    return session.course.kind == CourseKind.NATIONAL_MEETING


# Materials ----------------------------------------------------------------------------------

@transaction.atomic
def publish_materials(session: Session, *, by: User, recording_url: str, slides_title: str,
                      upload: tuple[str, str, bytes] | None, remove_slides: bool = False,
                      recording_to_registrants: bool = False) -> MeetingMaterials:
    """Publish (or correct) the recording link and slides of a meeting that has taken place.
    The first publication notifies everyone who held a place; the recording link is emailed
    to people registered without an account once, when the core team first chooses to send
    it."""
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if locked.course.kind != CourseKind.NATIONAL_MEETING:
        raise ValidationError("Only national meetings have a recording and slides")
    if locked.cancelled_at:
        raise ValidationError("This meeting is cancelled: put it back on before publishing "
                              "its materials")
    start = locked.first_start()
    if start is None or start > timezone.now():
        raise ValidationError("You can publish the recording and slides once the meeting has "
                              "taken place")
    now = timezone.now()
    materials = MeetingMaterials.objects.select_for_update().filter(session=locked).first()
    first = materials is None
    if materials is None:
        materials = MeetingMaterials(session=locked, published_at=now, published_by=by)
    old_file = materials.slides.name if materials.slides else ""
    if upload is not None:
        name, content_type, content = upload
        materials.slides.save(name, ContentFile(content), save=False)
        materials.slides_filename, materials.slides_content_type = name, content_type
        materials.slides_size = len(content)
    elif remove_slides:
        materials.slides = None
        materials.slides_filename = materials.slides_content_type = ""
        materials.slides_size = 0
    materials.recording_url = recording_url
    materials.slides_title = slides_title if materials.slides else ""
    if not materials.recording_url and not materials.slides:
        raise ValidationError("Give a recording link or slides, or both")
    materials.recording_to_registrants = recording_to_registrants and bool(recording_url)
    materials.changed_at = now
    materials.save()
    if old_file and old_file != (materials.slides.name if materials.slides else ""):
        _delete_later(old_file)
    audit.record("meeting.materials_published" if first else "meeting.materials_changed",
                 actor=by, obj=locked, recording=bool(recording_url),
                 slides=bool(materials.slides), to_registrants=materials.recording_to_registrants)
    if first:
        people = [b.user for b in locked.bookings.filter(
            status=Booking.State.BOOKED, user__isnull=False).select_related("user")]
        transaction.on_commit(lambda: notifications.notify(
            people, kind="training.materials", subject=f"Recording and slides: {locked.label}",
            message="The recording and slides of the meeting you booked are on its page.",
            url=reverse("training:session", args=[locked.pk]), actor=by))
    if materials.recording_to_registrants and materials.recording_sent_at is None:
        materials.recording_sent_at = now
        materials.save(update_fields=["recording_sent_at"])
        pk = materials.pk
        transaction.on_commit(lambda: email_recording_to_registrants(pk))
    return materials


def _delete_later(name: str) -> None:
    from django.core.files.storage import default_storage

    def delete() -> None:
        try:
            default_storage.delete(name)
        except Exception:  # a file left behind is tidied later; the page must not fail
            logger.exception("Could not delete old slides %s", name)

    transaction.on_commit(delete)


@transaction.atomic
def withdraw_materials(session: Session, *, by: User) -> None:
    """Take the recording and slides down (publishing again puts them back)."""
    materials = MeetingMaterials.objects.select_for_update().filter(session=session).first()
    if materials is None:
        raise ValidationError("Nothing is published for this meeting")
    name = materials.slides.name if materials.slides else ""
    materials.delete()
    if name:
        _delete_later(name)
    audit.record("meeting.materials_withdrawn", actor=by, obj=session)


def email_recording_to_registrants(materials_pk: int) -> int:
    """Email the recording link to people registered without an account who held a place
    and have not unsubscribed. Returns how many were sent."""
    from .public import _send

    materials = MeetingMaterials.objects.select_related("session__course").filter(
        pk=materials_pk).first()
    if materials is None or not materials.recording_to_registrants:
        return 0
    session = materials.session
    sent = 0
    for booking in session.bookings.filter(
            status=Booking.State.BOOKED, registrant__isnull=False,
            registrant__unsubscribed_at__isnull=True,
            registrant__confirmed_at__isnull=False).select_related("registrant"):
        assert booking.registrant is not None
        _send(booking.registrant, f"Recording: {session.label}", [
            f"Thank you for registering for {session.label}. The recording is now available.",
            "If your school would like to join the programme, tell us through the “get in "
            f"touch” form: {settings.SITE_URL}{reverse('enquiries:get_in_touch')}",
        ], button=("Watch the recording", materials.recording_url))
        sent += 1
    return sent
