from datetime import date
from io import StringIO

import pytest
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from icalendar import Calendar

from apps.notifications import services
from apps.notifications.events import CalendarEvent
from apps.notifications.ics import event_invitation
from apps.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _event(world, **extra) -> CalendarEvent:
    fields = {"uid": "review-1-review_starts_on@peer-review", "summary": "Peer review: A1 School",
              "start": date(2026, 10, 27), "url": "/reviews/1/", "sequence": 1,
              "attendees": [world.people["head"], world.people["staff"]]}
    return CalendarEvent(**{**fields, **extra})


def _calendar_parts(message: EmailMultiAlternatives) -> list:
    return [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]


def _notify(people, **extra):
    fields = {"kind": "review.schedule", "subject": "The review of A1 School is scheduled",
              "message": "The review of A1 School is scheduled.", "url": "/reviews/1/"}
    return services.notify(people, **{**fields, **extra})


def test_notify_emails_plain_and_html_with_the_invitation_after_commit(
        world, mailoutbox, django_capture_on_commit_callbacks):
    head, staff, lead = (world.people[p] for p in ("head", "staff", "lead"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notes = _notify([head, staff, None, head, lead], actor=lead,
                        ics=event_invitation(_event(world)))
        assert mailoutbox == []  # nothing leaves before the caller's transaction commits
    assert len(callbacks) == 1
    assert sorted(n.user.email for n in notes) == ["head@test.example", "staff@test.example"]
    assert sorted(m.to[0] for m in mailoutbox) == ["head@test.example", "staff@test.example"]
    message = mailoutbox[0]
    assert message.subject == "The review of A1 School is scheduled"
    link = settings.SITE_URL + "/reviews/1/"
    assert link in message.body and settings.PLATFORM_NAME in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html and '<html lang="en-GB">' in html
    [part] = _calendar_parts(message)
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "invite.ics"
    event = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")[0]
    assert event["uid"] == "review-1-review_starts_on@peer-review"
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_a_cancellation_is_sent_as_cancel(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify([world.people["head"]], ics=event_invitation(_event(world, cancelled=True)))
    [part] = _calendar_parts(mailoutbox[0])
    assert part.get_param("method") == "CANCEL"


def test_inactive_people_are_skipped(world, mailoutbox, django_capture_on_commit_callbacks):
    staff = world.people["staff"]
    staff.is_active = False
    staff.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert _notify([staff]) == []
    assert mailoutbox == []


def test_a_failed_email_is_logged_and_does_not_fail_the_caller(
        world, mailoutbox, django_capture_on_commit_callbacks, monkeypatch, caplog):
    def broken(self, fail_silently=False):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", broken)
    with django_capture_on_commit_callbacks(execute=True):
        [note] = _notify([world.people["head"]])
    note.refresh_from_db()
    assert note.emailed_at is None
    assert "Could not email notification" in caplog.text


def test_daily_people_get_no_single_email_and_one_digest(
        world, mailoutbox, django_capture_on_commit_callbacks):
    head, staff = world.people["head"], world.people["staff"]
    services.set_delivery(head, "daily")
    with django_capture_on_commit_callbacks(execute=True):
        _notify([head, staff], ics=event_invitation(_event(world)))
        _notify([head], subject="Report ready for your check", message="Please check it.",
                url="/reviews/1/report/")
    assert [m.to for m in mailoutbox] == [["staff@test.example"]]
    assert Notification.objects.filter(user=head, digest=True, emailed_at=None).count() == 2

    mailoutbox.clear()
    assert services.send_digests() == 1
    [digest] = mailoutbox
    assert digest.to == ["head@test.example"]
    assert "2 updates" in digest.subject
    assert "Report ready for your check" in digest.body
    assert "The review of A1 School is scheduled" in digest.body
    assert settings.SITE_URL + "/reviews/1/report/" in digest.alternatives[0][0]
    [part] = _calendar_parts(digest)
    assert part.get_param("method") == "REQUEST"
    assert not Notification.objects.filter(user=head, emailed_at=None).exists()
    assert services.send_digests() == 0  # nothing twice

    mailoutbox.clear()
    out = StringIO()
    call_command("send_digests", stdout=out)
    assert mailoutbox == [] and "0 digest email(s) sent." in out.getvalue()


def test_set_delivery_refuses_unknown_choices(world):
    with pytest.raises(ValueError, match="Unknown delivery"):
        services.set_delivery(world.people["head"], "weekly")
    assert services.delivery_for(world.people["head"]) == "immediate"


def test_mark_read_touches_only_the_person_and_the_ids_given(world):
    head, staff = world.people["head"], world.people["staff"]
    first, _ = _notify([head, staff])
    second = _notify([head])[0]
    assert services.mark_read(head, [first.pk]) == 1
    assert services.mark_read(staff, [second.pk]) == 0
    assert services.mark_read(head) == 1
    assert not Notification.objects.filter(user=head, read_at=None).exists()
    assert Notification.objects.filter(user=staff, read_at=None).count() == 1


def test_mark_dealt_with_reads_only_that_kind_about_that_page(world):
    """Once the step is done, its notifications are marked read for everyone told, and
    nothing else is: another kind, another page, or someone left out of ``users``."""
    head, staff = world.people["head"], world.people["staff"]
    check = {"kind": "review.report_check", "url": "/reviews/1/report/"}
    _notify([head, staff], **check)
    other_page = _notify([head], kind="review.report_check", url="/reviews/2/report/")[0]
    other_kind = _notify([head], kind="review.schedule", url="/reviews/1/report/")[0]
    assert services.mark_dealt_with(**check, users=[staff]) == 1
    assert Notification.objects.get(user=head, **check).read_at is None
    assert services.mark_dealt_with(**check) == 1
    assert not Notification.objects.filter(read_at=None, **check).exists()
    for note in (other_page, other_kind):
        note.refresh_from_db()
        assert note.read_at is None


def test_the_daily_jobs_run_as_tasks(world, mailoutbox):
    from apps.notifications import tasks

    services.set_delivery(world.people["head"], "daily")
    _notify([world.people["head"]])
    assert tasks.send_digests.enqueue().return_value == 1
    assert tasks.send_reminders.enqueue().return_value == 0
    assert len(mailoutbox) == 1
