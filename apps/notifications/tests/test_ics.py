from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from icalendar import Calendar

from apps.notifications.events import CalendarEvent
from apps.notifications.ics import build_calendar, event_invitation

LONDON = ZoneInfo("Europe/London")


def _parse(data: bytes):
    calendar = Calendar.from_ical(data)
    return calendar, calendar.walk("VEVENT")


def test_all_day_events_are_dates_with_an_exclusive_end():
    data = build_calendar([
        CalendarEvent(uid="a@test", summary="Peer review", start=date(2026, 10, 27),
                      end=date(2026, 10, 29), location="A1 School", description="Two days",
                      url="/reviews/1/", sequence=3),
        CalendarEvent(uid="b@test", summary="Feedback", start=date(2026, 10, 30)),
    ])
    assert b"DTSTART;VALUE=DATE:20261027" in data
    calendar, (review, feedback) = _parse(data)
    assert calendar["method"] == "PUBLISH" and calendar["version"] == "2.0"
    assert settings.PLATFORM_NAME in str(calendar["prodid"])
    assert review.decoded("dtstart") == date(2026, 10, 27)
    assert review.decoded("dtend") == date(2026, 10, 29)
    assert review["sequence"] == 3 and review["status"] == "CONFIRMED"
    assert review["url"] == settings.SITE_URL + "/reviews/1/"
    assert review["location"] == "A1 School" and review["description"] == "Two days"
    assert "dtstamp" in review
    assert feedback.decoded("dtend") == date(2026, 10, 31)
    assert feedback["sequence"] == 0


@pytest.mark.parametrize(("day", "utc_hour"), [(date(2026, 7, 1), 8), (date(2026, 12, 1), 9)])
def test_timed_events_are_right_on_both_sides_of_the_clock_change(day, utc_hour):
    start = datetime.combine(day, time(9), tzinfo=LONDON)
    end = datetime.combine(day, time(15, 30), tzinfo=LONDON)
    _, (event,) = _parse(build_calendar([CalendarEvent(uid="c@test", summary="Meeting",
                                                       start=start, end=end)]))
    assert event.decoded("dtstart") == start and event.decoded("dtstart").hour == utc_hour
    assert event.decoded("dtend") == end


def test_cancelled_events_and_cancel_method():
    event = CalendarEvent(uid="d@test", summary="Peer review", start=date(2026, 10, 27),
                          sequence=2, cancelled=True)
    calendar, (vevent,) = _parse(build_calendar([event]))
    assert vevent["status"] == "CANCELLED"
    calendar, (vevent,) = _parse(event_invitation(event))
    assert calendar["method"] == "CANCEL" and vevent["status"] == "CANCELLED"
    assert vevent["sequence"] == 2 and "organizer" in vevent


def test_invitations_name_the_organiser_and_attendees():
    class Person:
        email, display_name = "head@test.example", "Head Teacher"

    event = CalendarEvent(uid="e@test", summary="Peer review", start=date(2026, 10, 27),
                          attendees=[Person()])
    calendar, (vevent,) = _parse(event_invitation(event))
    assert calendar["method"] == "REQUEST"
    assert str(vevent["attendee"]) == "mailto:head@test.example"
    assert vevent["attendee"].params["RSVP"] == "FALSE"
    assert b"ATTENDEE" not in build_calendar([event])  # feeds never list attendees


def test_unknown_methods_are_refused():
    with pytest.raises(ValueError, match="Unknown calendar method"):
        build_calendar([], method="REPLY")
