"""Partnership pages in Welsh (issue 17 part 7, docs/welsh.md): the list, a partnership's
page and its phases, with the phase names, for a person whose language is Welsh."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def welsh_core(world):
    person = world.people["core"]
    person.language = "cy"
    person.save(update_fields=["language"])
    return person


def test_the_list_of_partnerships_is_in_welsh(client_for, welsh_core):
    body = client_for("core").get(reverse("partnerships:list")).content.decode()
    assert '<h1 class="govuk-heading-l">Partneriaethau</h1>' in body
    assert "Sefydlu partneriaeth" in body and "Cyn-aelodau" in body  # Gamma's phase
    assert '<h1 class="govuk-heading-l">Partnerships</h1>' not in body
    assert "Set up a partnership" not in body and "Commissioned by" not in body


def test_a_partnership_page_and_its_phases_are_in_welsh(client_for, welsh_core, world):
    client = client_for("core")
    body = client.get(reverse("partnerships:detail", args=[world.alpha.slug])).content.decode()
    for words in ("Cyfnod Adeiladu", "4 o ysgolion", "Llinell amser y cyfnodau",
                  "Cylchoedd adolygu", "Newid y cyfnod"):
        assert words in body, words
    for english in ("Phase timeline", "Review cycles", "Build phase", "4 schools"):
        assert english not in body, english
    phases = client.get(reverse("partnerships:change_phase",
                                args=[world.alpha.slug])).content.decode()
    assert '<h1 class="govuk-heading-l">Newid y cyfnod</h1>' in phases
    assert "Dechrau cyfnod newydd" in phases and "Cyfnod newydd" in phases  # form label
    assert "Start a new phase" not in phases and "New phase" not in phases


def test_a_phase_message_is_in_welsh(client_for, welsh_core, world):
    from django.utils import timezone

    client = client_for("core")
    response = client.post(reverse("partnerships:change_phase", args=[world.alpha.slug]),
                           {"phase": "embed", "started_on": timezone.localdate().isoformat()},
                           follow=True)
    body = response.content.decode()
    assert "Mae Alpha Partnership bellach yn y cyfnod Ymgorffori." in body
    assert "is now in the" not in body


def test_the_partnership_pages_stay_english_for_everyone_else(client_for, world):
    body = client_for("core").get(
        reverse("partnerships:detail", args=[world.alpha.slug])).content.decode()
    assert "Phase timeline" in body and "Llinell amser y cyfnodau" not in body
