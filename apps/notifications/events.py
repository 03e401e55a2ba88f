"""What other apps hand to notifications for calendars and reminders.

An app that has dated things people attend (reviews now, training sessions later) offers two
functions, listed in ``settings.CALENDAR_PROVIDERS``:

- ``events_for_user(user) -> list[CalendarEvent]``: what goes in that person's calendar feed
- ``events_between(start: date, end: date) -> list[CalendarEvent]``: every event starting in
  the range, with its attendees, for reminders
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass
class CalendarEvent:
    uid: str                      # stable across changes, e.g. "review-12-day@peer-review"
    summary: str
    start: date | datetime        # a date for all-day events; aware datetimes otherwise
    end: date | datetime | None = None   # exclusive end for all-day events
    location: str = ""
    description: str = ""
    url: str = ""                 # a path on this site, e.g. "/reviews/12/"
    sequence: int = 0             # raised on each change, so calendars replace the old copy
    cancelled: bool = False
    attendees: list = field(default_factory=list)  # User objects
    remind: bool = True           # send reminders before it
