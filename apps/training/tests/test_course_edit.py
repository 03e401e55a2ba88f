"""A course can be corrected, and cannot be made to expire the day it is completed."""

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
