"""The shared pages in Welsh (issue 17 part 7, docs/welsh.md): the error pages, the
pagination component and the audit log, for a person whose language is Welsh."""

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def _welsh(world, name: str):
    person = world.people[name]
    person.language = "cy"
    person.save(update_fields=["language"])
    return person


def test_the_404_page_is_in_welsh_for_a_welsh_speaker(client_for, world):
    _welsh(world, "staff")
    response = client_for("staff").get("/no-such-page-here/")
    body = response.content.decode()
    assert response.status_code == 404
    assert '<h1 class="govuk-heading-l">Heb ddod o hyd i\'r dudalen</h1>' in body
    assert "Mynd i&#x27;ch tudalen gartref" in body or "Mynd i'ch tudalen gartref" in body
    assert "Page not found" not in body and "Go to your home page" not in body


def test_the_404_page_is_in_welsh_signed_out_with_the_welsh_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    body = client.get("/no-such-page-here/").content.decode()
    assert "Heb ddod o hyd i&#x27;r dudalen" in body or "Heb ddod o hyd i'r dudalen" in body
    assert ">Mewngofnodwch</a> i" in body
    assert "Some pages are only for schools in the programme" not in body


def test_the_404_page_stays_english_for_everyone_else(client_for):
    body = client_for("staff").get("/no-such-page-here/").content.decode()
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in body


def test_the_403_page_is_in_welsh(client_for, world):
    _welsh(world, "staff")
    response = client_for("staff").get(reverse("core:audit"))
    body = response.content.decode()
    assert response.status_code == 403
    assert "Nid oes gennych ganiatâd i wneud hyn" in body
    assert "You do not have permission to do this" not in body


def test_the_500_page_is_in_welsh_with_a_welsh_lang_attribute():
    with translation.override("cy"):
        body = render_to_string("500.html")
    assert '<html lang="cy">' in body
    assert "Mae'n ddrwg gennym, mae problem gyda'r gwasanaeth" in body.replace("&#x27;", "'")
    assert "Sorry" not in body
    assert '<html lang="en-GB">' in render_to_string("500.html")


def test_the_pagination_component_is_in_welsh():
    from django.core.paginator import Paginator

    page = Paginator(list(range(30)), 10).get_page(2)
    with translation.override("cy"):
        body = render_to_string("core/includes/pagination.html", {"page": page})
    for words in ('aria-label="Tudalennau"', ">Blaenorol<", ">Nesaf<", "2 o 3",
                  'aria-label="Tudalen 2 o 3"'):
        assert words in body, words
    assert "Previous" not in body and "Next" not in body


def test_the_audit_log_is_in_welsh(client_for, world):
    _welsh(world, "core")
    body = client_for("core").get(reverse("core:audit")).content.decode()
    assert '<h1 class="govuk-heading-l">Log archwilio</h1>' in body
    for words in ("Chwilio&#x27;r log", "Person neu wrthrych", "Unrhyw weithred"):
        assert words in body or words.replace("&#x27;", "'") in body, words
    for english in ("Search the log", "Person or object", "Any action",
                    "Every sensitive action"):
        assert english not in body, english
