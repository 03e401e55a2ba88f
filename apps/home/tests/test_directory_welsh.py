"""The school directory and a school's page in Welsh: a person who chose Welsh sees the
headings, table and register facts in Welsh, not English."""

import pytest
from django.urls import reverse

from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_welsh_speaker_sees_the_directory_and_a_school_page_in_welsh(client):
    school = SchoolFactory(name="Ysgol Marciwr Zq", pupils=120, capacity=150)
    client.force_login(UserFactory(language="cy"))

    directory = client.get(reverse("directory:schools")).content.decode()
    assert '<h1 class="govuk-heading-l">Ysgolion</h1>' in directory
    assert "<strong>1</strong> ysgol wedi'i chanfod" in directory
    assert ">Disgyblion</th>" in directory and ">% PYDd</th>" in directory
    assert "Ysgol Marciwr Zq" in directory
    assert "school found" not in directory and ">Pupils</th>" not in directory
    assert "% FSM" not in directory

    page = client.get(reverse("directory:school", args=[school.urn])).content.decode()
    assert ">Partneriaethau</h2>" in page and ">O'r gofrestr</h2>" in page
    assert ">% prydau ysgol am ddim</dt>" in page and "(capasiti 150)" in page
    assert ">Pob ysgol</a>" in page
    for english in (">Partnerships</h2>", ">From the register</h2>", ">All schools</a>",
                    "free school meals", "capacity", "Not in a partnership"):
        assert english not in page
