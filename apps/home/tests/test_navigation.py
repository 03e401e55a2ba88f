"""Each role's navigation: only the sections it uses, at most 7 in the header, the rest on
its home page; every section offered opens for that person. People with no school see no
school-only sections (their school's reviews, My actions, reviewing preferences)."""

import re

import pytest
from django.urls import reverse

from apps.home.navigation import TOP_ITEMS
from conftest import PERSONAS

pytestmark = pytest.mark.django_db

SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]


def _header_nav(page: str) -> list[str]:
    nav = page.split('class="govuk-service-navigation__list"', 1)
    if len(nav) < 2:
        return []
    return re.findall(r'class="govuk-service-navigation__link" href="([^"]+)"',
                      nav[1].split("</ul>", 1)[0])


def _more(page: str) -> list[str]:
    if 'id="nav-more"' not in page:
        return []
    section = page.split('id="nav-more"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'href="([^"]+)"', section)


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_each_section_offered_opens_for_that_person(client_for, world, persona):
    client = client_for(persona)
    home = client.get("/").content.decode()
    top, more = _header_nav(home), _more(home)
    assert 1 <= len(top) <= TOP_ITEMS, top
    assert not set(top) & set(more)
    for url in top + more:
        assert client.get(url).status_code == 200, (persona, url)


def _labels(client) -> list[str]:
    page = client.get("/").content.decode()
    nav = page.split('class="govuk-service-navigation__list"', 1)[1].split("</ul>", 1)[0]
    return [re.sub(r"<[^>]+>", "", label).strip() for label in re.findall(
        r'class="govuk-service-navigation__link"[^>]*>(.*?)</a>', nav)]


def test_each_role_gets_its_own_sections(client_for, world):
    evaluator = _labels(client_for("evaluator"))
    assert "Impact" in evaluator
    assert not {"Reviews", "Support", "Partnerships", "People"} & set(evaluator)
    core = _labels(client_for("core"))
    assert {"Reviews", "Partnerships", "People", "Impact", "Training"} <= set(core)
    assert "Support" not in core  # on core's home, under "More in the service"
    associate = _labels(client_for("associate"))
    assert {"Reviews", "Partnerships", "Impact"} <= set(associate)
    assert "People" not in associate
    head = _labels(client_for("head"))
    assert {"Reviews", "Support", "Training", "Library"} <= set(head)
    assert not {"Impact", "People", "Audit log"} & set(head)
    # Notifications moved to the header's account links, for everyone.
    page = client_for("staff").get("/").content.decode()
    assert f'href="{reverse("notifications:list")}">Notifications</a>' in page


def test_the_current_section_is_marked(client_for, world):
    page = client_for("core").get(reverse("reviews:cycle", args=[world.cycle.pk])).content
    active = re.findall(r'aria-current="page">(?:<strong[^>]*>)?([^<]+)', page.decode())
    assert active == ["Reviews"]


@pytest.mark.parametrize("persona", ["core", "evaluator", "associate"])
def test_no_school_sections_for_people_with_no_school(client_for, world, persona):
    client = client_for(persona)
    reviews = client.get(reverse("reviews:index")).content.decode()
    for words in ("Reviews of your school", "My actions", "My workshops",
                  "You are not on a review team"):
        assert words not in reviews, words
    me = client.get(reverse("accounts:me")).content.decode()
    assert "Reviewing preferences" not in me
    assert "Not trained" not in me


def test_school_sections_stay_for_school_leaders(client_for, world):
    client = client_for("head")
    reviews = client.get(reverse("reviews:index")).content.decode()
    for words in ("Reviews of your school", "My actions", "My workshops"):
        assert words in reviews, words
    me = client.get(reverse("accounts:me")).content.decode()
    assert "Reviewing preferences" in me and "Peer reviewer training" in me


def test_programme_roles_see_their_cycles_first(client_for, world):
    page = client_for("core").get(reverse("reviews:index")).content.decode()
    assert "All partnership cycles" in page
    assert reverse("reviews:cycle", args=[world.cycle.pk]) in page
    page = client_for("associate").get(reverse("reviews:index")).content.decode()
    assert "Cycles you support" in page


def test_a_page_marks_only_its_closest_section(client_for, world):
    """The safeguarding list sits under ``reviews:`` but is a section of its own: "Reviews"
    is not marked as the current page there (nor anything else the person has in the
    header, if safeguarding is under "More in the service" for them)."""
    page = client_for("core").get(reverse("reviews:safeguarding_list")).content.decode()
    active = re.findall(r'aria-current="page">(?:<strong[^>]*>)?([^<]+)', page)
    assert "Reviews" not in active and len(active) <= 1
    assert active in ([], ["Safeguarding concerns"])
