from datetime import date

import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.partnerships.models import Partnership
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_core_team_sets_up_a_partnership(client_for, world):
    client = client_for("core")
    response = client.post(reverse("partnerships:create"), {
        "name": "Gamma Schools", "phase": "build", "started_on": "2026-09-01"})
    assert response.status_code == 302
    p = Partnership.objects.get(name="Gamma Schools")
    assert p.phase_history.get().started_on == date(2026, 9, 1)
    assert AuditEvent.objects.filter(action="partnership.created", object_id=str(p.pk)).exists()
    duplicate = client.post(reverse("partnerships:create"), {
        "name": "gamma schools", "phase": "build", "started_on": "2026-09-01"})
    assert duplicate.status_code == 200
    assert "already exists" in duplicate.content.decode()


def test_lead_adds_and_removes_schools(client_for, world):
    client = client_for("lead")
    school = SchoolFactory(name="Newcomer Primary")
    url = reverse("partnerships:add_school", args=[world.alpha.slug])
    assert client.post(url, {"schools": school.urn, "joined_on": "2026-11-01"}
                       ).status_code == 302
    assert world.alpha.current_schools().filter(pk=school.pk).exists()
    again = client.post(url, {"schools": school.urn, "joined_on": "2026-11-01"})
    assert "Newcomer Primary is already a member" in again.content.decode()
    unknown = client.post(url, {"schools": "1", "joined_on": "2026-11-01"})
    assert "No school in the register has the URN 1" in unknown.content.decode()
    membership = world.alpha.memberships.get(school=school)
    leave = reverse("partnerships:remove_school", args=[world.alpha.slug, membership.pk])
    early = client.post(leave, {"left_on": "2026-10-01"})
    assert "on or after the joining date" in early.content.decode()
    assert client.post(leave, {"left_on": "2026-11-20"}).status_code == 302
    membership.refresh_from_db()
    assert membership.left_on == date(2026, 11, 20)
    assert not world.alpha.current_schools().filter(pk=school.pk).exists()


def test_phase_change_keeps_history_and_refuses_going_back(client_for, world):
    client = client_for("core")
    url = reverse("partnerships:change_phase", args=[world.alpha.slug])
    first = world.alpha.phase_history.get().started_on
    ok = client.post(url, {"phase": "embed", "started_on": first.replace(year=first.year + 1)})
    assert ok.status_code == 302
    world.alpha.refresh_from_db()
    assert world.alpha.phase == "build"  # dated next year: scheduled, not yet current
    assert list(world.alpha.phase_history.values_list("phase", flat=True)) == ["build", "embed"]
    back = client.post(url, {"phase": "sustain", "started_on": "2000-01-01"})
    assert back.status_code == 200 and "must start on or after" in back.content.decode()


def test_partnership_page_shows_schools_people_timeline(client_for, world):
    text = client_for("head").get(reverse("partnerships:detail",
                                          args=[world.alpha.slug])).content.decode()
    for key in ("A1", "A2", "A3", "A4"):
        assert f"{key} School" in text
    assert "B1 School" not in text
    assert "Lead" in text  # partnership lead's name
    assert "Phase timeline" in text
    # a headteacher sees no management buttons
    assert "Add schools" not in text and "Change phase" not in text


def test_partnership_list_shows_only_own(client_for, world):
    text = client_for("outsider").get(reverse("partnerships:list")).content.decode()
    assert "Beta Partnership" in text and "Alpha Partnership" not in text
    text = client_for("exec_head").get(reverse("partnerships:list")).content.decode()
    assert "Beta Partnership" in text and "Alpha Partnership" in text


def test_several_schools_at_once_by_urn_or_name(client_for, world):
    """Pasted URNs (a spreadsheet column or commas) and names: all added in one go, or
    nothing added and each line that found no single open school named, with the URNs of
    the schools an ambiguous name matches."""
    client = client_for("lead")
    url = reverse("partnerships:add_school", args=[world.alpha.slug])
    a, b = SchoolFactory(name="Appletree Infant"), SchoolFactory(name="Birchwood Junior")
    c = SchoolFactory(name="Cedar Vale Primary")
    SchoolFactory(name="Oakfield North Primary", town="Alton")
    SchoolFactory(name="Oakfield South Primary", town="Alton")
    data = {"schools": f"{a.urn}, {b.urn}\nOakfield\nNo Such School", "joined_on": "2026-11-01"}
    page = client.post(url, data).content.decode()
    assert "“Oakfield” matches 2 schools" in page and "Oakfield North Primary" in page
    assert "No open school is called “No Such School”" in page
    assert 'href="#id_schools"' in page
    assert not world.alpha.current_schools().filter(pk__in=[a.pk, b.pk]).exists()
    data["schools"] = f"{a.urn}\t\n{b.urn}\ncedar vale"
    response = client.post(url, data)
    assert response.status_code == 302
    assert set(world.alpha.current_schools().filter(pk__in=[a.pk, b.pk, c.pk])) == {a, b, c}
    page = client.get(response.url).content.decode()
    assert "3 schools (Appletree Infant, Birchwood Junior and Cedar Vale Primary) added" in page
