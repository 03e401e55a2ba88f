from datetime import date, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from apps.notifications import services
from apps.notifications.events import CalendarEvent
from apps.notifications.models import Notification, ReminderSent

from . import fake_provider

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def _add(world, start, **extra) -> CalendarEvent:
    event = CalendarEvent(uid=f"event-{len(fake_provider.EVENTS)}@test", summary="Peer review",
                          start=start, location="A1 School", url="/reviews/1/",
                          attendees=[world.people["head"], world.people["staff"]], **extra)
    fake_provider.EVENTS.append(event)
    return event


def _run(first: date, last: date) -> dict[date, int]:
    """Run the daily job on every day from ``first`` to ``last``: {day: reminders sent}."""
    sent = {}
    day = first
    while day <= last:
        count = services.send_reminders(day)
        if count:
            sent[day] = count
        day += timedelta(days=1)
    return sent


@pytest.mark.parametrize(("start", "last_day"), [(date(2026, 9, 1), date(2026, 9, 2)),
                                                  (date(2026, 9, 4), date(2026, 9, 7))])
def test_working_days(start, last_day):
    # Tuesday 1 September -> Wednesday 2 is one working day; Friday 4 -> Monday 7 is one too.
    assert services.working_days_between(start, last_day) == 1
    assert services.add_working_days(start, 1) == last_day


def test_reminders_go_10_and_2_working_days_before_exactly_once(world, mailoutbox):
    _add(world, date(2026, 10, 27))  # a Tuesday
    sent = _run(date(2026, 9, 28), date(2026, 10, 28))
    # Tuesday 13 October is 10 working days before; Friday 23 October is 2 (the weekend that
    # follows also counts 2, but the reminder has gone).
    assert sent == {date(2026, 10, 13): 2, date(2026, 10, 23): 2}
    assert ReminderSent.objects.count() == 4
    reminders = Notification.objects.filter(kind="reminder", user=world.people["head"])
    assert [n.subject for n in reminders] == ["Reminder: Peer review, Tuesday 27 October 2026"] * 2
    assert "in 2 working days" in reminders[0].body and "A1 School" in reminders[0].body
    assert _run(date(2026, 10, 13), date(2026, 10, 27)) == {}  # running again sends nothing


def test_a_weekend_event_is_reminded_by_the_friday_count(world):
    _add(world, date(2026, 10, 31))  # a Saturday: its last working day before is Friday 30
    assert _run(date(2026, 10, 1), date(2026, 10, 31)) == {date(2026, 10, 16): 2,
                                                           date(2026, 10, 28): 2}


def test_weekday_only_runs_still_send_the_reminder_of_a_monday_event(world):
    _add(world, date(2026, 11, 2))  # a Monday: 2 working days before is Thursday 29 October
    assert services.send_reminders(date(2026, 10, 29)) == 2


def test_timed_events_count_from_their_london_date(world):
    _add(world, datetime.combine(date(2026, 10, 27), time(8, 30), tzinfo=LONDON))
    assert services.send_reminders(date(2026, 10, 23)) == 2
    note = Notification.objects.filter(kind="reminder").first()
    assert "Tuesday 27 October 2026 at 8:30am" in note.body


def test_no_reminders_for_cancelled_unreminded_or_inactive(world):
    _add(world, date(2026, 10, 27), cancelled=True)
    _add(world, date(2026, 10, 27), remind=False)
    staff = world.people["staff"]
    staff.is_active = False
    staff.save()
    _add(world, date(2026, 10, 27))
    assert services.send_reminders(date(2026, 10, 23)) == 1  # the active head, once


def test_a_rescheduled_event_is_reminded_again_for_its_new_date(world):
    event = _add(world, date(2026, 10, 27))
    assert services.send_reminders(date(2026, 10, 23)) == 2
    event.start = date(2026, 11, 3)
    assert services.send_reminders(date(2026, 10, 30)) == 2


def test_the_command_takes_a_date(world):
    _add(world, date(2026, 10, 27))
    out = StringIO()
    call_command("send_reminders", "--today", "2026-10-13", stdout=out)
    assert "2 reminder(s) sent." in out.getvalue()
