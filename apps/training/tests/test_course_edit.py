"""A course can be corrected, and cannot be made to expire the day it is completed."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from apps.core.audit import AuditEvent
from apps.training.models import Course

FORM = {"kind": "reviewer", "title": "Peer reviewer training", "summary": "",
        "audience": "current", "grants": "reviewer"}


def test_zero_months_is_refused_with_a_reason(world, client_for):
    client = client_for("core")
    response = client.post("/training/courses/new/", {**FORM, "validity_months": 0})
    assert response.status_code == 200
    assert "Enter at least 1 month" in response.content.decode()
    assert Course.objects.count() == 3  # the world's three, nothing added


def test_core_team_corrects_a_course(world, client_for):
    client = client_for("core")
    page = client.get(f"/training/courses/{world.course.pk}/")
    assert f"/training/courses/{world.course.pk}/edit/" in page.content.decode()
    response = client.post(f"/training/courses/{world.course.pk}/edit/",
                           {**FORM, "title": "Peer reviewer training (2027)",
                            "validity_months": 36})
    assert response.status_code == 302
    world.course.refresh_from_db()
    assert (world.course.title, world.course.validity_months) == (
        "Peer reviewer training (2027)", 36)
    event = AuditEvent.objects.get(action="course.changed")
    assert event.details["fields"] == ["title", "validity_months"]


def test_a_correction_to_zero_months_changes_nothing(world, client_for):
    response = client_for("core").post(f"/training/courses/{world.course.pk}/edit/",
                                       {**FORM, "validity_months": 0})
    assert "Enter at least 1 month" in response.content.decode()
    world.course.refresh_from_db()
    assert world.course.validity_months == 24


def _session_data(world, **extra):
    day = timezone.localdate() + timedelta(days=30)
    return {"mode": "online", "joining_link": "https://meet.example/abc", "capacity": "20",
            "deadline_day": (day - timedelta(days=2)).isoformat(), "offer_hours": "48",
            "day_1": day.isoformat(), "start_1": "09:30", "end_1": "12:00", **extra}


def test_trainers_are_named_by_email_or_full_name(world, client_for):
    """No Ctrl multi-select: the organiser types each trainer's email address or name; a name
    nobody has, or two people share, is refused with what to do instead."""
    from apps.training.models import Session

    core = client_for("core")
    url = reverse("training:session_new", args=[world.course.pk])
    trainer, head = world.people["trainer"], world.people["head"]
    page = core.post(url, _session_data(world, trainers="Nobody Such\n")).content.decode()
    assert "Nobody with an account is called “Nobody Such”" in page
    assert 'href="#id_trainers"' in page
    assert not Session.objects.filter(course=world.course).exclude(pk=world.session.pk).exists()
    response = core.post(url, _session_data(
        world, trainers=f"{trainer.email.upper()}\n\n{head.full_name}\n"))
    assert response.status_code == 302
    session = Session.objects.filter(course=world.course).exclude(pk=world.session.pk).get()
    assert set(session.trainers.all()) == {trainer, head}
    edit = core.get(reverse("training:session_edit", args=[session.pk])).content.decode()
    assert trainer.email in edit and head.email in edit
    data = _session_data(world, trainers=trainer.email)
    assert core.post(reverse("training:session_edit", args=[session.pk]), data
                     ).status_code == 302
    assert list(session.trainers.all()) == [trainer]
