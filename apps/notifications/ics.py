"""iCalendar (RFC 5545) files: invitations attached to emails and the private feeds.

Timed events are written in UTC, so they land at the right local time on both sides of the
clock changes; all-day events are dates (``VALUE=DATE``) with an exclusive end.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from .events import CalendarEvent

METHODS = ("PUBLISH", "REQUEST", "CANCEL")


def _utc(value: datetime) -> datetime:
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value.astimezone(UTC)


def _address(email: str, name: str = "") -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["cn"] = name
    return address


def _vevent(event: CalendarEvent, method: str, stamp: datetime) -> Event:
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", stamp)
    vevent.add("sequence", event.sequence)
    vevent.add("summary", event.summary)
    if isinstance(event.start, datetime):
        vevent.add("dtstart", _utc(event.start))
        if event.end is not None:
            assert isinstance(event.end, datetime), "a timed event ends at a time"
            vevent.add("dtend", _utc(event.end))
    else:
        vevent.add("dtstart", event.start)
        vevent.add("dtend", event.end or event.start + timedelta(days=1))
    if event.location:
        vevent.add("location", event.location)
    if event.description:
        vevent.add("description", event.description)
    if event.url:
        vevent.add("url", settings.SITE_URL + event.url)
    cancelled = event.cancelled or method == "CANCEL"
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if method in ("REQUEST", "CANCEL"):
        # Scheduling messages name an organiser and the attendees (RFC 5546). Replies are not
        # wanted: the organiser is our no-reply address.
        name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
        vevent.add("organizer", _address(email, name or settings.PLATFORM_NAME))
        for person in event.attendees:
            attendee = _address(person.email, getattr(person, "display_name", ""))
            attendee.params["rsvp"] = "FALSE"
            vevent.add("attendee", attendee)
    return vevent


def build_calendar(events: list[CalendarEvent], *, method: str = "PUBLISH",
                   name: str = "") -> bytes:
    """A VCALENDAR of ``events``. ``method`` is PUBLISH for feeds, REQUEST for an invitation
    and CANCEL to withdraw one (each event's ``sequence`` must be raised on every change, or
    calendars keep the old copy)."""
    method = method.upper()
    if method not in METHODS:
        raise ValueError(f"Unknown calendar method {method!r}")
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.PLATFORM_NAME}//Notifications//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(UTC)
    for event in events:
        calendar.add_component(_vevent(event, method, stamp))
    return calendar.to_ical()


def event_invitation(event: CalendarEvent, method: str | None = None) -> bytes:
    """The invitation to attach to an email about one event: REQUEST, or CANCEL when the
    event is cancelled (unless ``method`` says otherwise)."""
    return build_calendar([event], method=method or ("CANCEL" if event.cancelled
                                                      else "REQUEST"))


def split_calendars(text: str) -> list[str]:
    """The calendars kept one after another in a notification: one invitation per event, as
    iTIP wants one event (UID) per message."""
    parts = re.split(r"(?<=END:VCALENDAR)\r?\n?", text)
    return [p if p.endswith("\r\n") else p + "\r\n" for p in parts if p.strip()]


def method_of(ics: bytes | str) -> str:
    """The METHOD of an iCalendar file, or "" if it has none."""
    text = ics.decode("utf-8", "replace") if isinstance(ics, bytes) else ics
    match = re.search(r"^METHOD:([A-Za-z-]+)\s*$", text, re.MULTILINE)
    return match.group(1).upper() if match else ""
