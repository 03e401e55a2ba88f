"""A request's reason is read only by the core team and the applicant's people. A unique
marker is planted in it and every page that shows alumni requests is read as every persona:
it appears only for those allowed; elsewhere the request is "not found"."""

import pytest
from django.urls import reverse

from apps.partnerships.models import AlumniMembership
from conftest import PERSONAS

pytestmark = pytest.mark.django_db
MARKER = "ZEPHYR-ALUMNI-MARKER-31"
PAGES = ["home", "alumni:index", "alumni:memberships", "notifications:list",
         "alumni:request"]


def _read_all(client_for, pk):
    """{persona: (detail status, pages that show the marker)}"""
    seen = {}
    for persona in PERSONAS:
        client = client_for(persona)
        detail = client.get(reverse("alumni:detail", args=[pk]))
        where = [name for name in PAGES
                 if MARKER in client.get(reverse(name)).content.decode()]
        for name in ("alumni:detail", "alumni:decide", "alumni:renew"):
            if MARKER in client.get(reverse(name, args=[pk])).content.decode():
                where.append(name)
        seen[persona] = (detail.status_code, where)
    return seen


def test_a_schools_reason_is_read_only_by_its_people_and_the_core_team(world, client_for):
    client_for("alumnus").post(reverse("alumni:request"), {
        "applicant": f"school-{world.schools['G1'].pk}", "reason": f"Our plans {MARKER}"})
    m = AlumniMembership.objects.get()
    core = client_for("core")
    core.post(reverse("alumni:decide", args=[m.pk]),
              {"decision": "decline", "note": "Not now", "confirmed": "yes"})
    seen = _read_all(client_for, m.pk)
    assert seen["core"] == (200, ["alumni:detail"])
    assert seen["alumnus"] == (200, ["alumni:detail"])
    for persona in PERSONAS:
        if persona in ("core", "alumnus"):
            continue
        status, where = seen[persona]
        assert status in (302 if persona == "anonymous" else 404,), (persona, status)
        assert where == [], (persona, where)


def test_a_partnerships_reason_is_read_by_its_lead_and_school_leaders_only(world, client_for):
    m = AlumniMembership.objects.create(partnership=world.alpha, requested_by=world.people["lead"],
                                        reason=f"Alpha's plans {MARKER}")
    seen = _read_all(client_for, m.pk)
    allowed = {"core", "lead", "head", "leader", "exec_head", "reviewer2", "champion"}
    for persona in PERSONAS:
        status, where = seen[persona]
        if persona in allowed:
            assert status == 200 and "alumni:detail" in where, (persona, seen[persona])
            # Only the core team has the decision page.
            assert ("alumni:decide" in where) == (persona == "core"), (persona, where)
        else:
            assert status in (302, 404) and where == [], (persona, seen[persona])
