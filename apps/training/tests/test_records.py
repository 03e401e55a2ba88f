"""Attendance and eligibility: the register, completion and trained-until dates, certificates
as tagged PDFs made in the background, a person's record and its public verification, and
reminders before training runs out."""

import csv
import io
import re
import zlib
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from apps.core.models import AuditEvent
from apps.notifications.models import Notification
from apps.reviews import teams
from apps.training import records
from apps.training.models import Booking, Session, SessionPart
from conftest import sign_in


def _inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) inflated."""
    out = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            pass
    return b"\n".join(out)


def _held(session, hours_ago=2):
    """Move the session into the past (it ended an hour after starting)."""
    now = timezone.now()
    SessionPart.objects.filter(session=session).update(
        starts_at=now - timedelta(hours=hours_ago),
        ends_at=now - timedelta(hours=hours_ago - 1))
    return session


def _past_session(course):
    now = timezone.now()
    session = Session.objects.create(course=course, capacity=10,
                                     booking_deadline=now - timedelta(days=3))
    SessionPart.objects.create(session=session, starts_at=now - timedelta(hours=3),
                               ends_at=now - timedelta(hours=1))
    return session


def _complete(session, user, by, attendance="present", partial_completed=False):
    booking = Booking.objects.create(session=session, user=user, status="booked")
    records.take_register(session, {booking.pk: (attendance, partial_completed)}, by=by)
    booking.refresh_from_db()
    return booking


def _register_url(w):
    return reverse("training:register_attendance", args=[w.session.pk])


# Dates -----------------------------------------------------------------------------------

def test_add_months_keeps_to_the_end_of_short_months():
    assert records.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert records.add_months(date(2027, 12, 31), 2) == date(2028, 2, 29)
    assert records.add_months(date(2026, 5, 15), 24) == date(2028, 5, 15)


# The register ----------------------------------------------------------------------------

def test_register_completes_present_people_and_sets_trained_until(world, client):
    w = world
    _held(w.session)
    staff, leader = w.people["staff"], w.people["leader"]
    leader_before = leader.reviewer_trained_until
    leader_booking = w.session.bookings.get(user=leader)
    sign_in(client, w.people["trainer"])
    page = client.get(_register_url(w))
    assert page.status_code == 200 and b"Staff" in page.content and b"Leader" in page.content
    response = client.post(_register_url(w), {f"attendance_{w.booking.pk}": "present",
                                              f"attendance_{leader_booking.pk}": "partial"})
    assert response.status_code == 302
    w.booking.refresh_from_db()
    leader_booking.refresh_from_db()
    staff.refresh_from_db()
    leader.refresh_from_db()
    assert w.booking.attendance == "present" and w.booking.completed_at
    on = timezone.localdate(w.booking.completed_at)
    assert w.booking.certificate_number == f"PR-{on.year}-{w.booking.pk:06d}"
    assert staff.reviewer_trained_until == records.add_months(on, 24)
    # Partly present, not ticked as completed: nothing changes for them.
    assert leader_booking.attendance == "partial" and leader_booking.completed_at is None
    assert leader_booking.certificate_number == ""
    assert leader.reviewer_trained_until == leader_before
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"booking.attendance_taken", "booking.completed",
            "person.training_dates_set"} <= actions
    dates = AuditEvent.objects.get(action="person.training_dates_set")
    assert dates.actor == w.people["trainer"] and dates.object_id == str(staff.pk)
    assert Notification.objects.filter(user=staff, kind="training.completed").exists()
    # The trainer then records that the partly present person did complete it.
    client.post(_register_url(w), {f"attendance_{leader_booking.pk}": "partial",
                                   f"completed_{leader_booking.pk}": "on"})
    leader_booking.refresh_from_db()
    leader.refresh_from_db()
    assert leader_booking.completed_at and leader_booking.certificate_number
    assert leader.reviewer_trained_until == records.add_months(
        timezone.localdate(leader_booking.completed_at), 24)
    # Completion is final: marking the completed person absent changes nothing.
    client.post(_register_url(w), {f"attendance_{w.booking.pk}": "absent"})
    w.booking.refresh_from_db()
    assert w.booking.attendance == "present" and w.booking.completed_at
    certificates = list(Booking.objects.exclude(certificate_number="")
                        .values_list("certificate_number", flat=True))
    assert len(certificates) == len(set(certificates)) == 2


def test_absent_and_unticked_partial_do_not_complete(world):
    w = world
    _held(w.session)
    leader_booking = w.session.bookings.get(user=w.people["leader"])
    done = records.take_register(w.session, {w.booking.pk: ("absent", True),
                                             leader_booking.pk: ("partial", False)},
                                 by=w.people["trainer"])
    assert done == []
    assert not Booking.objects.filter(completed_at__isnull=False).exists()
    assert w.people["staff"].reviewer_trained_until is None


def test_ticking_completed_needs_partial_attendance(world, client):
    w = world
    _held(w.session)
    sign_in(client, w.people["trainer"])
    response = client.post(_register_url(w), {f"attendance_{w.booking.pk}": "absent",
                                              f"completed_{w.booking.pk}": "on"})
    assert response.status_code == 200 and b"Mark Staff as partly present" in response.content
    w.booking.refresh_from_db()
    assert w.booking.completed_at is None and w.booking.attendance == ""


def test_register_waits_until_the_session_has_started(world, client):
    w = world  # the session is 30 days away
    sign_in(client, w.people["trainer"])
    page = client.get(_register_url(w))
    assert b"once the session has started" in page.content
    client.post(_register_url(w), {f"attendance_{w.booking.pk}": "present"})
    w.booking.refresh_from_db()
    assert w.booking.completed_at is None and w.booking.attendance == ""


@pytest.mark.parametrize("persona, status", [("head", 403), ("staff", 403), ("lead", 403),
                                             ("alumnus", 404), ("norole", 404),
                                             ("evaluator", 404)])
def test_register_is_refused_to_non_trainers_and_hidden_from_outsiders(world, client, persona,
                                                                        status):
    w = world
    _held(w.session)
    sign_in(client, w.people[persona])
    assert client.get(_register_url(w)).status_code == status
    response = client.post(_register_url(w), {f"attendance_{w.booking.pk}": "present"})
    assert response.status_code == status
    w.booking.refresh_from_db()
    assert w.booking.completed_at is None


def test_a_trainer_of_another_session_cannot_take_this_register(world, client):
    w = world
    other = _past_session(w.open_course)
    other.trainers.add(w.people["norole"])
    sign_in(client, w.people["norole"])
    assert client.get(_register_url(w)).status_code == 404
    assert client.get(reverse("training:register_attendance",
                              args=[other.pk])).status_code == 200


def test_core_team_can_take_the_register(world, client):
    w = world
    _held(w.session)
    sign_in(client, w.people["core"])
    client.post(_register_url(w), {f"attendance_{w.booking.pk}": "present"})
    w.booking.refresh_from_db()
    assert w.booking.completed_at


# Trained-until dates and the review-team rules -------------------------------------------

def test_a_refresher_extends_from_the_later_of_completion_and_the_current_date(world):
    w = world
    champion = w.people["champion"]
    current = champion.champion_trained_until  # 300 days from now
    booking = _complete(_past_session(w.refresher), champion, by=w.people["core"])
    champion.refresh_from_db()
    assert champion.champion_trained_until == records.add_months(current, 24)
    assert champion.reviewer_trained_until is None
    # A lapsed person's refresher counts from the day they completed it.
    staff = w.people["staff"]
    staff.champion_trained_until = timezone.localdate() - timedelta(days=30)
    staff.save()
    booking = _complete(_past_session(w.refresher), staff, by=w.people["core"])
    staff.refresh_from_db()
    assert staff.champion_trained_until == records.add_months(
        timezone.localdate(booking.completed_at), 24)


def test_completion_never_shortens_a_later_date(world):
    w = world
    leader = w.people["leader"]
    far = timezone.localdate() + timedelta(days=365 * 5)
    leader.reviewer_trained_until = far
    leader.save()
    _complete(_past_session(w.course), leader, by=w.people["core"])
    leader.refresh_from_db()
    assert leader.reviewer_trained_until == far
    assert not AuditEvent.objects.filter(action="person.training_dates_set").exists()


def test_lapsed_reviewers_fail_the_team_check_until_they_complete_training(world):
    w = world
    reviewer2 = w.people["reviewer2"]
    reviewer2.reviewer_trained_until = timezone.localdate() - timedelta(days=10)
    reviewer2.save()
    problems = teams.candidate_problems(w.review, reviewer2, "reviewer")
    assert any("training ran out on" in p for p in problems)
    _complete(_past_session(w.course), reviewer2, by=w.people["trainer"])
    reviewer2.refresh_from_db()
    assert reviewer2.is_trained_reviewer()
    assert not any("training" in p for p in teams.candidate_problems(w.review, reviewer2,
                                                                     "reviewer"))


def test_champion_training_lapses_for_the_team_check(world):
    w = world
    staff = w.people["staff"]
    champion = w.people["champion"]
    champion.champion_trained_until = timezone.localdate() - timedelta(days=1)
    champion.save()
    problems = teams.candidate_problems(w.review, champion, "champion")
    assert any("Improvement Champion training ran out" in p for p in problems)
    assert staff.champion_trained_until is None


# Certificates ----------------------------------------------------------------------------

def test_certificate_is_a_tagged_pdf_for_the_person_and_the_core_team(world, client):
    w = world
    _held(w.session)
    records.take_register(w.session, {w.booking.pk: ("present", False)},
                          by=w.people["trainer"])
    w.booking.refresh_from_db()
    url = reverse("training:certificate", args=[w.booking.pk])
    sign_in(client, w.people["staff"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert w.booking.certificate_number in response["Content-Disposition"]
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert b"/StructTreeRoot" in _inflated(pdf)  # tagged, for screen readers
    assert b"/Lang" in _inflated(pdf)
    assert b"/Title" in _inflated(pdf)
    assert AuditEvent.objects.filter(action="training.pdf_requested",
                                     object_id=str(w.booking.pk)).exists()
    for persona, status in (("core", 200), ("head", 404), ("trainer", 404),
                            ("leader", 404)):
        client.logout()
        sign_in(client, w.people[persona])
        assert client.get(url).status_code == status, persona


def test_certificate_before_completion_says_there_is_none_yet(world, client):
    sign_in(client, world.people["staff"])
    response = client.get(reverse("training:certificate", args=[world.booking.pk]))
    assert response.status_code == 200 and b"No certificate yet" in response.content


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                      "QUEUES": ["default"]}})
def test_certificate_is_made_in_the_background_with_a_waiting_page(world, client):
    w = world
    _held(w.session)
    records.take_register(w.session, {w.booking.pk: ("present", False)},
                          by=w.people["trainer"])
    url = reverse("training:certificate", args=[w.booking.pk])
    sign_in(client, w.people["staff"])
    waiting = client.get(url)
    assert waiting.status_code == 202 and b"being prepared" in waiting.content
    again = client.get(url)  # checking again does not start a second task
    assert again.status_code == 202
    assert AuditEvent.objects.filter(action="training.pdf_requested").count() == 1
    # The worker closes "old" connections between tasks, which would close the test's own
    # transaction on PostgreSQL; in a real worker process that is what it should do.
    from unittest import mock

    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    # The page's own check gets a link; the link gets the PDF, made once.
    ready = client.get(url, headers={"HX-Request": "true"})
    assert ready.status_code == 200 and b"Download the PDF" in ready.content
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="training.pdf_requested").count() == 1
    # A change to what the certificate says (the person's name) makes a new one.
    staff = w.people["staff"]
    staff.full_name = "Staff Renamed"
    staff.save()
    assert client.get(url).status_code == 202
    assert AuditEvent.objects.filter(action="training.pdf_requested").count() == 2


# A person's record and its verification --------------------------------------------------

def test_record_lists_trainings_reviews_and_workshops_led(world, client):
    w = world
    champion = w.people["champion"]
    _complete(_past_session(w.refresher), champion, by=w.people["core"])
    sign_in(client, champion)
    page = client.get(reverse("training:my_record")).content.decode()
    assert "Champion refresher" in page and "A1 School" in page
    assert "Improvement Workshops led" in page and "None yet. A workshop counts" in page
    w.workshop.completed_at = timezone.now()
    w.workshop.save()
    page = client.get(reverse("training:my_record")).content.decode()
    assert "None yet. A workshop counts" not in page
    code = records.verification_code(champion)
    assert code in page
    rows = list(csv.reader(io.StringIO(
        client.get(reverse("training:my_record_csv")).content.decode())))
    kinds = [r[0] for r in rows[1:]]
    assert kinds == ["Training completed", "Review", "Improvement Workshop led", "Verify at"]
    assert rows[2][5] == "Improvement Champion"
    pdf = client.get(reverse("training:my_record_pdf"))
    assert pdf.status_code == 200 and b"/StructTreeRoot" in _inflated(pdf.content)


def test_reviews_count_once_the_report_is_agreed(world, client):
    w = world
    sign_in(client, w.people["reviewer2"])  # on the team of A2's review, still in self-review
    page = client.get(reverse("training:my_record")).content.decode()
    assert "A2 School" not in page and "A review counts once its report is agreed" in page
    client.logout()
    sign_in(client, w.people["leader"])  # lead reviewer of A1's review, report agreed
    page = client.get(reverse("training:my_record")).content.decode()
    assert "A1 School" in page and "Lead reviewer" in page


def test_verify_shows_the_name_and_certified_trainings_only(world, client):
    w = world
    staff = w.people["staff"]
    _held(w.session)
    records.take_register(w.session, {w.booking.pk: ("present", False)},
                          by=w.people["trainer"])
    w.booking.refresh_from_db()
    Booking.objects.create(session=w.open_session, user=staff, status="booked")
    url = reverse("training:verify", args=[records.verification_code(staff)])
    response = client.get(url)  # not signed in
    assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex"
    page = response.content.decode()
    assert "Staff" in page and "Peer reviewer training" in page
    assert w.booking.certificate_number in page
    valid_until = records.add_months(timezone.localdate(w.booking.completed_at), 24)
    assert f"{valid_until:%-d %B %Y}" in page
    for private in ("National meeting", staff.email, "A1 School", "Lead reviewer",
                    "Reading buddies"):
        assert private not in page, private
    # A code cannot be forged or guessed, and a deactivated person's record is gone.
    code = records.verification_code(staff)
    leader_code = records.verification_code(w.people["leader"])
    forged = f"{w.people['leader'].pk}.{code.split('.', 1)[1]}"
    assert forged != leader_code
    for bad in (forged, "1", "x" * 300, code + "x"):
        assert client.get(reverse("training:verify", args=[bad])).status_code == 404, bad
    staff.is_active = False
    staff.save()
    assert client.get(url).status_code == 404


def test_verification_shows_review_service_and_training_without_a_certificate(world, client):
    """The lead reviewer of A1's review (report agreed), trained before the platform: the
    public page says they are trained with no certificate, and counts the reviews they led
    by school year, without naming the school."""
    leader = world.people["leader"]
    url = reverse("training:verify", args=[records.verification_code(leader)])
    page = client.get(url).content.decode()
    assert "Leader" in page and "no certificate from training" in page
    assert (f"Trained as a peer reviewer until {leader.reviewer_trained_until:%-d %B %Y}"
            in page)
    # Lapsed training reads as a sentence too (it read "Trained to • review: the training
    # ran out on …").
    leader.reviewer_trained_until = timezone.localdate() - timedelta(days=3)
    leader.save()
    lapsed = client.get(url).content.decode()
    assert (f"Peer reviewer training ran out on {leader.reviewer_trained_until:%-d %B %Y}"
            in lapsed)
    assert "Trained to" not in lapsed
    leader.reviewer_trained_until = timezone.localdate() + timedelta(days=300)
    leader.save()
    page = client.get(url).content.decode()
    assert "so there is no certificate number" in page
    row = re.search(r"<th scope=\"row\"[^>]*>(\d{4}/\d\d)</th>(.*?)</tr>", page, re.S)
    assert row and row.group(1) == world.cycle.label
    assert re.findall(r">(\d+)</td>", row.group(2)) == ["1", "0", "0"]
    assert world.review.host.name not in page


def test_record_valid_until_follows_each_completion(world):
    w = world
    champion = w.people["champion"]
    champion.champion_trained_until = None
    champion.save()
    first = _complete(_past_session(w.refresher), champion, by=w.people["core"])
    second = _complete(_past_session(w.refresher), champion, by=w.people["core"])
    trainings = records.certified_trainings(champion)
    assert [t.booking.pk for t in trainings] == [second.pk, first.pk]
    on = timezone.localdate(first.completed_at)
    assert trainings[1].valid_until == records.add_months(on, 24)
    # The refresher done while still current counts on from the first one's date.
    assert trainings[0].valid_until == records.add_months(records.add_months(on, 24), 24)
    champion.refresh_from_db()
    assert champion.champion_trained_until == trainings[0].valid_until


# Reminders -------------------------------------------------------------------------------

def _reminders(user):
    return Notification.objects.filter(user=user, kind="training.expiring")


def test_expiry_reminders_go_60_and_14_days_before_once_each(world):
    w = world
    staff = w.people["staff"]
    today = timezone.localdate()
    staff.reviewer_trained_until = today + timedelta(days=60)
    staff.save()
    Booking.objects.filter(pk=w.booking.pk).update(status="cancelled")  # no refresher booked
    out = io.StringIO()
    call_command("send_training_expiry_reminders", stdout=out)
    assert _reminders(staff).count() == 1
    note = _reminders(staff).get()
    assert "peer reviewer" in note.subject and note.url == reverse("training:catalogue")
    call_command("send_training_expiry_reminders", stdout=out)  # a second run sends nothing
    call_command("send_training_expiry_reminders", "--today",
                 (today + timedelta(days=20)).isoformat(), stdout=out)  # 40 days left
    assert _reminders(staff).count() == 1
    call_command("send_training_expiry_reminders", "--today",
                 (today + timedelta(days=47)).isoformat(), stdout=out)  # 13 days: missed 14
    assert _reminders(staff).count() == 2
    call_command("send_training_expiry_reminders", "--today",
                 (today + timedelta(days=50)).isoformat(), stdout=out)
    assert _reminders(staff).count() == 2
    sent = AuditEvent.objects.filter(action="training.expiry_reminder_sent")
    assert sorted(e.details["days"] for e in sent) == [14, 60]
    # The people seeded 300 days out are not reminded.
    assert not _reminders(w.people["leader"]).exists()


def test_a_new_date_gets_its_own_reminders_and_booked_refreshers_are_not_nagged(world):
    w = world
    today = timezone.localdate()
    champion = w.people["champion"]
    champion.champion_trained_until = today + timedelta(days=14)
    champion.save()
    assert records.send_expiry_reminders() == 1
    champion.champion_trained_until = today + timedelta(days=59)
    champion.save()
    assert records.send_expiry_reminders() == 1  # a different date: reminded again
    staff = w.people["staff"]
    staff.reviewer_trained_until = today + timedelta(days=30)
    staff.save()
    w.booking.refresh_from_db()  # staff already has a place on peer reviewer training
    assert records.send_expiry_reminders() == 0
    assert not _reminders(staff).exists()


def test_someone_who_booked_still_sees_the_session_when_its_course_is_no_longer_for_them(
        world, client):
    # The alumnus's partnership has left the programme: the peer reviewer training (for
    # current schools) is not for them, but the session they booked, linked from their
    # bookings, certificate and notifications, still opens (it was a 404).
    w = world
    url = reverse("training:session", args=[w.session.pk])
    sign_in(client, w.people["alumnus"])
    assert client.get(url).status_code == 404
    Booking.objects.create(session=w.session, user=w.people["alumnus"], status="cancelled")
    page = client.get(url)
    assert page.status_code == 200
    # The course itself is not for them: the way back leads to their bookings, not a 404.
    assert reverse("training:course", args=[w.course.pk]).encode() not in page.content
    assert reverse("training:my_bookings").encode() in page.content
