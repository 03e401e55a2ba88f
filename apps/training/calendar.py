"""Training sessions for calendars and reminders (apps/notifications/events.py): each part of
a booked session, with the joining link or venue for people who have a place."""

from __future__ import annotations

from datetime import date, datetime, time

from django.urls import reverse
from django.utils import timezone

from apps.notifications.events import CalendarEvent

from .models import Booking, Session


def session_events(session: Session, attendees=()) -> list[CalendarEvent]:
    where = session.joining_link if session.mode == Session.Mode.ONLINE else \
        ", ".join(x for x in (session.venue, session.address.replace("\n", ", ")) if x)
    parts = list(session.parts.all())
    return [CalendarEvent(
        uid=f"training-{session.pk}-{i}@peer-review",
        summary=session.label + (f" (part {i + 1} of {len(parts)})" if len(parts) > 1 else ""),
        start=part.starts_at, end=part.ends_at, location=where,
        description=session.course.summary[:500],
        url=reverse("training:session", args=[session.pk]), sequence=session.sequence,
        cancelled=bool(session.cancelled_at), attendees=list(attendees))
        for i, part in enumerate(parts)]


def events_for_user(user) -> list[CalendarEvent]:
    events = []
    for b in Booking.objects.filter(user=user, status=Booking.State.BOOKED).select_related(
            "session__course"):
        events += session_events(b.session, [user])
    return events


def events_between(start: date, end: date) -> list[CalendarEvent]:
    tz = timezone.get_current_timezone()
    lo = timezone.make_aware(datetime.combine(start, time.min), tz)
    hi = timezone.make_aware(datetime.combine(end, time.max), tz)
    events = []
    for session in Session.objects.filter(parts__starts_at__gte=lo, parts__starts_at__lte=hi,
                                          cancelled_at__isnull=True).distinct() \
            .select_related("course"):
        people = [b.user for b in session.bookings.filter(status=Booking.State.BOOKED,
                                                          user__isnull=False)
                  .select_related("user")]
        events += [e for e in session_events(session, people)
                   if lo <= e.start <= hi]
    return events
