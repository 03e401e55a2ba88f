"""The optimiser's pages in Welsh (issue 17 part 7, docs/welsh.md): reviewing preferences and
proposing review teams, for a person whose language is Welsh."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _welsh(world, name):
    person = world.people[name]
    person.language = "cy"
    person.save(update_fields=["language"])


def test_reviewing_preferences_are_in_welsh(client_for, world):
    _welsh(world, "leader")
    body = client_for("leader").get(reverse("allocation:profile")).content.decode()
    assert '<h1 class="govuk-heading-l">Eich dewisiadau adolygu</h1>' in body
    assert "Eich cryfderau" in body and "Dyddiadau na allwch adolygu" in body
    assert "Your reviewing preferences" not in body and "Your strengths" not in body


def test_proposing_review_teams_is_in_welsh(client_for, world):
    _welsh(world, "lead")
    body = client_for("lead").get(
        reverse("allocation:cycle", args=[world.cycle.pk])).content.decode()
    assert '<h1 class="govuk-heading-l">Cynnig timau adolygu</h1>' in body
    assert "Pwy y gellir eu cynnig" in body and "Arweinwyr Alpha Partnership" in body
    assert "Propose review teams" not in body and "Who can be proposed" not in body
