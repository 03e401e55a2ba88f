"""The community directory: only what each school or partnership chose to show, anywhere it
appears; filters and search look only at shown parts; queries do not grow with the entries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import PERSONAS, sign_in

from .world import MARKER, community_world

pytestmark = pytest.mark.django_db


def _pages(w, c):
    a1 = w.schools["A1"]
    return [reverse("community:directory"),
            reverse("community:directory") + f"?q={MARKER}",
            reverse("community:directory") + "?q=Phonics",
            reverse("community:directory") + "?q=Attendance",
            reverse("community:directory") + f"?region={a1.region}",
            reverse("community:entry", args=[c.a1.pk]),
            reverse("community:entry", args=[c.b1.pk]),
            reverse("community:entry", args=[c.alpha.pk]),
            reverse("community:index"),
            reverse("community:school_profile", args=[c.b1.school_id]),
            reverse("community:partnership_profile", args=[w.alpha.slug])]


def test_nothing_unshown_appears_to_anyone(world, client):
    """A1's strengths (not ticked to show) and B1's whole entry (not listed) hold MARKER: no
    page of the directory shows it, and no search or filter finds them by it, for every
    persona. Only B1's own leader sees it, on B1's own settings page."""
    w = world
    w.schools["A1"].region = "South West"
    w.schools["A1"].save()
    c = community_world(w)
    seen = []
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            sign_in(client, w.people[persona])
        for url in _pages(w, c):
            response = client.get(url)
            body = response.content.decode()
            if MARKER in url:  # the search box and links repeat the words searched for
                body = body.replace(MARKER, "")
            if MARKER in body and not (persona == "exec_head" and "/school/" in url):
                seen.append(f"{persona}: {url}")
            if "?q=" in url and response.status_code == 200:
                # Each search looks only for unshown words.
                assert "<strong>0</strong> entries found" in body, (persona, url)
            if "?region=" in url and response.status_code == 200:
                # A1 hides its region (Alpha, which shows its schools' regions, is found).
                results = body[body.index('id="results"'):]
                assert "A1 School" not in results and "Alpha Partnership" in results
    assert not seen, "Unshown text appeared:\n" + "\n".join(seen)


def test_the_owner_sees_their_own_text_and_a_preview(world, client):
    c = community_world(world)
    sign_in(client, world.people["exec_head"])
    page = client.get(reverse("community:school_profile", args=[c.b1.school_id]))
    assert MARKER in page.content.decode()
    assert "is not listed: nobody else sees anything you write here" in page.content.decode()


def test_shown_parts_are_found(world, client):
    community_world(world)
    sign_in(client, world.people["outsider"])
    body = client.get(reverse("community:directory") + "?q=fluency").content.decode()
    assert "A1 School" in body and "Reading fluency in Key Stage 2" in body
    body = client.get(reverse("community:directory") + "?q=coaching+reviewers").content.decode()
    assert "Alpha Partnership" in body and "Coaching for new reviewers" in body
    body = client.get(reverse("community:directory") + "?kind=school&phase=Primary").content \
        .decode()
    assert "A1 School" in body and "Alpha Partnership" not in body


def test_a_text_ticked_to_show_must_be_written(world, client):
    community_world(world)
    sign_in(client, world.people["head"])
    url = reverse("community:school_profile", args=[world.schools["A1"].pk])
    lock = world.community.a1.lock_version
    response = client.post(url, {"listed": "on", "share_working_on": "on", "working_on": " ",
                                 "lock_version": lock})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter what you are working on, or untick" in body
    assert "<title>Error: " in body


def test_someone_elses_save_meanwhile_is_not_overwritten(world, client):
    c = community_world(world)
    sign_in(client, world.people["head"])
    url = reverse("community:school_profile", args=[world.schools["A1"].pk])
    read_version = c.a1.lock_version
    from apps.community import services

    services.save_profile(school=world.schools["A1"], by=world.people["head"],
                          expected_version=read_version, listed=True,
                          working_on="Written in another tab", share_working_on=True)
    response = client.post(url, {"listed": "on", "working_on": "Typed here",
                                 "share_working_on": "on", "lock_version": read_version,
                                 "base": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this entry" in body
    assert "Typed here" in body and "Written in another tab" in body
    c.a1.refresh_from_db()
    assert c.a1.working_on == "Written in another tab"


def _listed(n):
    from apps.community.models import Profile
    from apps.partnerships.models import Membership
    from tests.factories import PartnershipFactory, SchoolFactory

    for k in range(n):
        school = SchoolFactory(region=f"Region {k % 3}")
        Profile.objects.create(school=school, listed=True, working_on=f"Work {k}",
                               share_working_on=True, share_phase=True, share_region=True)
        partnership = PartnershipFactory()
        for _ in range(2):
            Membership.objects.create(partnership=partnership, school=SchoolFactory())
        Profile.objects.create(partnership=partnership, listed=True, strengths=f"Offer {k}",
                               share_strengths=True, share_phase=True, share_region=True)


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("query", ["", "?kind=partnership&phase=Primary", "?q=Work"])
def test_directory_queries_do_not_grow(world, client, django_assert_max_num_queries, query):
    sign_in(client, world.people["head"])
    url = reverse("community:directory") + query
    _listed(2)
    small = _count(client, url)
    _listed(15)
    with django_assert_max_num_queries(small):
        assert client.get(url).status_code == 200
