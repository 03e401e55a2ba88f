"""Your data and erasing a person, in Welsh (issue 17 part 7, docs/welsh.md)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _welsh(world, name):
    person = world.people[name]
    person.language = "cy"
    person.save(update_fields=["language"])


def test_your_data_is_in_welsh(client_for, world):
    _welsh(world, "staff")
    body = client_for("staff").get(reverse("privacy:my_data")).content.decode()
    assert '<h1 class="govuk-heading-l">Eich data</h1>' in body
    assert "Am ba hyd rydym yn cadw pethau" in body and "Lawrlwytho eich data fel PDF" in body
    assert "How long we keep things" not in body and "Download your data" not in body


def test_the_erase_page_says_what_will_happen_in_welsh(client_for, world):
    _welsh(world, "core")
    body = client_for("core").get(
        reverse("privacy:erase", args=[world.people["leader"].pk])).content.decode()
    assert "Beth fydd yn digwydd" in body
    assert "1 nodyn tystiolaeth" in body  # the leader wrote one evidence note
    assert "Ni ellir dadwneud hyn." in body
    assert "What will happen" not in body and "This cannot be undone." not in body


def test_the_your_data_pdf_has_its_own_words_in_welsh(world):
    from django.template.loader import render_to_string
    from django.utils import timezone, translation

    with translation.override("cy"):
        html = render_to_string("privacy/my_data_pdf.html", {
            "sections": [("Roles", [])], "person": world.people["staff"],
            "now": timezone.now(), "platform_name": "Platform", "pdf_lang": "cy"})
    assert "Eich data: Staff" in html and "Nid oes gennym ddim o'r math hwn" in html
    assert '"Tudalen " counter(page) " o " counter(pages)' in html
    assert "Your data" not in html and "We hold nothing" not in html
