"""The areas translated for issue 17 part 7 (community, alumni, delivery partners, the schools
register, impact, the library and the enquiry frameworks) stay complete: every string in
their templates marked, and every marked string in Welsh (docs/welsh.md). A page and a
form error of one of them read in Welsh for a person who chose Welsh."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from apps.core.translation import report
from conftest import sign_in

AREAS = ("Community", "Alumni programme", "Delivery partners", "Schools register", "Impact",
         "Library", "Enquiry frameworks")


def test_the_areas_are_complete_in_welsh():
    areas = {a.name: a for a in report()}
    for name in AREAS:
        assert areas[name].untranslated == [] and areas[name].unmarked == {}, name
        assert areas[name].translated > 10, name
    call_command("translation_report", require=list(AREAS))


@pytest.mark.django_db
def test_a_community_page_and_its_form_error_in_welsh(world, client):
    from apps.community.tests.world import community_world

    c = community_world(world)
    person = world.people["champion"]
    person.language = "cy"
    person.save(update_fields=["language"])
    sign_in(client, person)
    page = client.get(reverse("community:index")).content.decode()
    assert "Mannau trafod" in page and "Discussion spaces" not in page
    report_url = reverse("community:post_report", args=[c.opening.pk])
    error = client.post(report_url, {"reason": ""}).content.decode()
    assert "Dywedwch beth sydd o&#x27;i le ar y neges" in error
    assert "Say what is wrong" not in error
