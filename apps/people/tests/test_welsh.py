"""The people pages in Welsh (issue 17 part 7, docs/welsh.md): the list of people and
inviting someone, for a person whose language is Welsh."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def welsh_core(world):
    person = world.people["core"]
    person.language = "cy"
    person.save(update_fields=["language"])
    return person


def test_the_people_page_is_in_welsh(client_for, welsh_core):
    body = client_for("core").get(reverse("people:people")).content.decode()
    assert '<h1 class="govuk-heading-l">Pobl</h1>' in body
    for words in ("Gwahodd rhywun", "Enw neu e-bost", "Gwahoddiadau heb eu derbyn eto",
                  "Tîm craidd – Y rhaglen gyfan", "Arweinydd partneriaeth – Alpha Partnership",
                  ">Yn aros</strong>"):  # role names, and the open invitation's status
        assert words in body, words
    for english in ("Invite someone", "Name or email", "Invitations not yet accepted",
                    "Core team", "Whole programme", "Partnership lead"):
        assert english not in body, english


def test_the_invitation_form_is_in_welsh(client_for, welsh_core):
    body = client_for("core").get(reverse("people:invite")).content.decode()
    assert '<h1 class="govuk-heading-l">Gwahodd rhywun</h1>' in body
    assert "Enw llawn" in body and "Anfon y gwahoddiad" in body
    assert "Full name" not in body and "Send invitation" not in body


def test_the_people_page_stays_english_for_everyone_else(client_for):
    body = client_for("core").get(reverse("people:people")).content.decode()
    assert '<h1 class="govuk-heading-l">People</h1>' in body and "Gwahodd rhywun" not in body
