"""Training reports: bookings, waiting lists and attendance per course, partnership and school;
a partnership lead sees only their partnerships' schools and people, with people from outside
the programme counted but not named; the CSV keeps to the same rules and cannot run formulas.
"""

import csv
import io

import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.training import reports
from apps.training.models import Booking

pytestmark = pytest.mark.django_db

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def spread(world):
    """Beyond the world: an executive head (A3 in Alpha, B1 in Beta) and a Beta head booked
    on the open national meeting, and staff marked present on the peer reviewer training."""
    Booking.objects.create(session=world.open_session, user=world.people["exec_head"],
                           status="booked")
    Booking.objects.create(session=world.open_session, user=world.people["outsider"],
                           status="booked")
    Booking.objects.filter(pk=world.booking.pk).update(attendance="present")
    return world


def _labels(rows):
    return [r.label for r in rows]


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_core_team_sees_every_partnership_school_and_name(spread):
    report = reports.build(spread.people["core"])
    assert _labels(report.partnerships) == ["Alpha Partnership", "Beta Partnership",
                                            reports.OUTSIDE]
    assert _labels(report.schools) == ["A1 School", "A2 School", "A3 School", "A4 School",
                                       "B1 School", "B2 School", reports.OUTSIDE]
    alpha, beta, outside = report.partnerships
    assert (alpha.counts.booked, alpha.counts.waiting, alpha.counts.present) == (3, 1, 1)
    # The executive head counts in both partnerships, but once in the course's figures.
    assert (beta.counts.booked, outside.counts.booked) == (2, 1)
    assert (report.total.booked, report.total.waiting) == (5, 1)
    courses = {c.label: c for c in report.courses}
    assert courses["National meeting"].counts.booked == 3
    training = courses["Peer reviewer training"]
    assert (training.counts.booked, training.counts.waiting, training.counts.present) == (2, 1, 1)
    assert [s.obj for s in training.sessions] == [spread.session]
    names = {ln.name for ln in report.lines}
    assert {"Visiting Head", "Outsider", "Exec_Head", "Staff"} <= names
    [waiting] = [ln for ln in report.lines if ln.booking.status == "waiting"]
    assert waiting.waiting_place == 1 and waiting.name == "Reviewer2"


def test_a_lead_sees_only_their_partnership_and_counts_outsiders_without_names(spread):
    report = reports.build(spread.people["lead"])
    assert _labels(report.partnerships) == ["Alpha Partnership", reports.OUTSIDE]
    # The executive head appears at their Alpha school only; Beta's head not at all.
    assert _labels(report.schools) == ["A1 School", "A2 School", "A3 School", "A4 School",
                                       reports.OUTSIDE]
    assert (report.total.booked, report.total.waiting) == (4, 1)
    assert {c.label: c.counts.booked for c in report.courses} == {
        "National meeting": 2, "Peer reviewer training": 2}
    outside = [ln for ln in report.lines if ln.outside]
    assert [(ln.name, ln.schools) for ln in outside] == [("", [])]
    exec_head = next(ln for ln in report.lines if ln.name == "Exec_Head")
    assert exec_head.schools == ["A3 School"]
    assert exec_head.partnerships == ["Alpha Partnership"]
    assert "Outsider" not in {ln.name for ln in report.lines}


def test_the_lead_page_names_no_one_from_elsewhere(client_for, spread):
    url = reverse("training:reports") + f"?course={spread.open_course.pk}"
    page = client_for("lead").get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for seen in ("Alpha Partnership", "A3 School", "Exec_Head", "Outside the programme"):
        assert seen in html, seen
    for unseen in ("Beta Partnership", "B1 School", "B2 School", "Outsider", "Visiting Head",
                   "visitor@school.example"):
        assert unseen not in html, unseen
    event = AuditEvent.objects.get(action="training.report_viewed")
    assert event.actor == spread.people["lead"]
    assert event.details == {"course": spread.open_course.pk, "partnership": None}


def test_the_core_page_names_everyone(client_for, spread):
    page = client_for("core").get(reverse("training:reports")
                                  + f"?course={spread.open_course.pk}")
    html = page.content.decode()
    for seen in ("Beta Partnership", "B2 School", "Outsider", "Visiting Head"):
        assert seen in html, seen
    # Without a course, the figures but not the list of people.
    html = client_for("core").get(reverse("training:reports")).content.decode()
    assert "Choose a course to list the people" in html and "Visiting Head" not in html


def test_filters_by_partnership_and_course(client_for, spread):
    report = reports.build(spread.people["core"], partnership=spread.beta)
    assert _labels(report.partnerships) == ["Beta Partnership"]
    assert _labels(report.schools) == ["B1 School", "B2 School"]
    assert {ln.name for ln in report.lines} == {"Exec_Head", "Outsider"}
    report = reports.build(spread.people["lead"], course=spread.course)
    assert _labels(report.courses) == ["Peer reviewer training"]
    assert {ln.name for ln in report.lines} == {"Staff", "Leader", "Reviewer2"}
    page = client_for("core").get(reverse("training:reports") + "?partnership="
                                  + spread.beta.slug)
    assert "Beta Partnership" in page.content.decode()


def test_a_lead_cannot_filter_by_another_partnership(client_for, spread):
    client = client_for("lead")
    page = client.get(reverse("training:reports") + f"?partnership={spread.beta.slug}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "There is a problem" in html and "B2 School" not in html
    assert "Outsider" not in html
    answer = client.get(reverse("training:reports_csv") + f"?partnership={spread.beta.slug}")
    assert answer.status_code == 400 and b"Outsider" not in answer.content
    assert not AuditEvent.objects.filter(action__startswith="training.report_").exists()


@pytest.mark.parametrize("persona", ["head", "staff", "trainer", "associate", "evaluator"])
def test_reports_are_for_the_core_team_and_partnership_leads(client_for, spread, persona):
    client = client_for(persona)
    assert client.get(reverse("training:reports")).status_code == 403
    assert client.get(reverse("training:reports_csv")).status_code == 403


def test_the_csv_for_a_lead_keeps_to_their_partnership(client_for, spread):
    rows = _csv(client_for("lead").get(reverse("training:reports_csv")))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["Course", "Session", "Starts (UK time)", "Person"]
    people = {r[3] for r in body}
    assert people == {"Staff", "Leader", "Reviewer2", "Exec_Head", reports.OUTSIDE}
    text = "\n".join(",".join(r) for r in rows)
    for unseen in ("Outsider", "Visiting Head", "Beta", "B1 School"):
        assert unseen not in text, unseen
    [reviewer2] = [r for r in body if r[3] == "Reviewer2"]
    assert reviewer2[6:8] == ["On the waiting list", "1"]
    [staff] = [r for r in body if r[3] == "Staff"]
    assert staff[4:6] == ["A1 School", "Alpha Partnership"] and staff[8] == "Present"
    [outside] = [r for r in body if r[3] == reports.OUTSIDE]
    assert outside[4] == "" and outside[9] == ""  # no school, no date
    event = AuditEvent.objects.get(action="training.report_exported")
    assert event.details == {"format": "csv", "course": None, "partnership": None}


def test_the_csv_cannot_run_formulas(client_for, spread):
    spread.registrant.full_name = '=HYPERLINK("https://evil.example","Click")'
    spread.registrant.school_name = "@SUM(1+1)"
    spread.registrant.save()
    spread.open_course.title = "+cmd|' /C calc'!A0"
    spread.open_course.save()
    spread.people["staff"].full_name = "-2+3"
    spread.people["staff"].save()
    rows = _csv(client_for("core").get(reverse("training:reports_csv")))
    cells = [c for r in rows for c in r]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    assert "'=HYPERLINK(\"https://evil.example\",\"Click\")" in cells
    assert "'@SUM(1+1)" in cells and "'-2+3" in cells
    assert "'+cmd|' /C calc'!A0" in cells
    # The lead's file does not name the registrant at all.
    lead_cells = [c for r in _csv(client_for("lead").get(reverse("training:reports_csv")))
                  for c in r]
    assert not [c for c in lead_cells if c.startswith(FORMULA_STARTS)]
    assert not [c for c in lead_cells if "HYPERLINK" in c or "SUM" in c]


def test_pending_registrations_are_not_reported(spread):
    from django.utils import timezone

    from apps.training.models import Registrant

    unconfirmed = Registrant.objects.create(email="maybe@school.example", full_name="Maybe",
                                            consent_at=timezone.now())
    Booking.objects.create(session=spread.open_session, registrant=unconfirmed,
                           status="pending")
    report = reports.build(spread.people["core"])
    assert "Maybe" not in {ln.name for ln in report.lines}


def test_sessions_link_only_for_readers_who_may_open_them(client_for, spread):
    from datetime import timedelta

    from django.utils import timezone

    from apps.training.models import Session, SessionPart

    now = timezone.now()
    refresher = Session.objects.create(course=spread.refresher, capacity=5, mode="online",
                                       joining_link="https://meet.example/r",
                                       booking_deadline=now + timedelta(days=5))
    SessionPart.objects.create(session=refresher, starts_at=now + timedelta(days=9),
                               ends_at=now + timedelta(days=9, hours=2))
    Booking.objects.create(session=refresher, user=spread.people["champion"], status="booked")
    link = f'href="{reverse("training:session", args=[refresher.pk])}"'
    # The lead counts the refresher's bookings but is not in its audience: no link to a 404.
    html = client_for("lead").get(reverse("training:reports")).content.decode()
    assert "Champion refresher" in html and link not in html
    assert client_for("lead").get(reverse("training:session",
                                          args=[refresher.pk])).status_code == 404
    assert f'href="{reverse("training:session", args=[spread.session.pk])}"' in html
    assert link in client_for("core").get(reverse("training:reports")).content.decode()
