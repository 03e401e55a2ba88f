"""A calendar provider for tests (``settings.CALENDAR_PROVIDERS``): put events in EVENTS."""

from datetime import date, datetime

from django.utils import timezone

EVENTS: list = []


def _day(value: date | datetime) -> date:
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


def events_for_user(user) -> list:
    return [e for e in EVENTS if any(a.pk == user.pk for a in e.attendees)]


def events_between(start: date, end: date) -> list:
    return [e for e in EVENTS if start <= _day(e.start) <= end]
