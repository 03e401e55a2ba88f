"""Dates and times in the GOV.UK style, in the language of the request.

One helper for every page, email and PDF, so the service writes dates one way: "28 October
2026", "Wednesday 28 October 2026", "9am", "9:50am", "midday", "28 October 2026 at 9am" and
"9am to 9:50am" (the GOV.UK style guide's "Dates" and "Times" entries). The short form
("28 Oct 2026") is only for dense tables. Month and day names come from Django's own
translations, so a Welsh page reads "28 Hydref 2026".
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext, pgettext


def _options(arg: str | None) -> set[str]:
    return {part.strip() for part in (arg or "").split(",") if part.strip()}


def time_text(value: time | datetime | None) -> str:
    """"9am", "9:50am", "midday", "midnight" (Welsh: "9yb", "canol dydd")."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.time()
    if value.minute == 0 and value.hour == 12:
        return pgettext("time of day", "midday")
    if value.minute == 0 and value.hour == 0:
        return pgettext("time of day", "midnight")
    hour = value.hour % 12 or 12
    clock = f"{hour}" if value.minute == 0 else f"{hour}:{value.minute:02d}"
    if value.hour < 12:
        return pgettext("time before midday, as in 9am", "%(clock)sam") % {"clock": clock}
    return pgettext("time after midday, as in 2pm", "%(clock)spm") % {"clock": clock}


def date_text(value: date | datetime | None, options: str | None = None) -> str:
    """"28 October 2026"; options (comma-separated): ``weekday`` ("Wednesday 28 October
    2026"), ``short`` ("28 Oct 2026", for dense tables), ``noyear`` ("28 October")."""
    if value is None:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    opts = _options(options)
    month = "M" if "short" in opts else "F"
    fmt = f"j {month}" if "noyear" in opts else f"j {month} Y"
    if "weekday" in opts:
        fmt = ("D " if "short" in opts else "l ") + fmt
    return date_format(value, fmt)


def datetime_text(value: datetime | None, options: str | None = None) -> str:
    """"28 October 2026 at 9am", with the same options as ``date_text``."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    day = date_text(value, options)
    # Whole phrases for midday and midnight: Welsh mutates them after "am" ("am ganol dydd").
    if value.minute == 0 and value.hour == 12:
        return pgettext("a date at midday", "%(date)s at midday") % {"date": day}
    if value.minute == 0 and value.hour == 0:
        return pgettext("a date at midnight", "%(date)s at midnight") % {"date": day}
    return gettext("%(date)s at %(time)s") % {"date": day, "time": time_text(value)}


def time_range_text(start: time | datetime | None, end: time | datetime | None) -> str:
    """"9am to 9:50am"; just the start when there is no end."""
    if start is None:
        return ""
    if end is None:
        return time_text(start)
    return gettext("%(start)s to %(end)s") % {"start": time_text(start), "end": time_text(end)}
