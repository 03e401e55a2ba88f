"""Notifications and their settings in Welsh (issue 17 part 7, docs/welsh.md), for a person
whose language is Welsh."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def welsh_staff(world):
    person = world.people["staff"]
    person.language = "cy"
    person.save(update_fields=["language"])
    return person


def test_the_notifications_page_is_in_welsh(client_for, welsh_staff):
    body = client_for("staff").get(reverse("notifications:list")).content.decode()
    assert '<h1 class="govuk-heading-l">Hysbysiadau</h1>' in body
    assert "Dewis sut rydych yn cael e-byst" in body
    assert "Choose how you get emails" not in body


def test_the_email_and_calendar_settings_are_in_welsh(client_for, welsh_staff):
    client = client_for("staff")
    body = client.get(reverse("notifications:settings")).content.decode()
    assert '<h1 class="govuk-heading-l">Gosodiadau e-bost a chalendr</h1>' in body
    for words in ("Sut hoffech gael e-byst am ddiweddariadau?", "E-bost ar gyfer pob diweddariad",
                  "Un e-bost cryno y dydd", "Gwneud cyfeiriad calendr"):
        assert words in body, words
    for english in ("Email and calendar settings", "An email for each update",
                    "Make a calendar address"):
        assert english not in body, english
    saved = client.post(reverse("notifications:settings"),
                        {"action": "delivery", "delivery": "daily"}, follow=True)
    assert "Mae eich gosodiadau e-bost wedi&#x27;u cadw." in saved.content.decode()


def test_the_settings_stay_english_for_everyone_else(client_for):
    body = client_for("staff").get(reverse("notifications:settings")).content.decode()
    assert "Email and calendar settings" in body and "Gosodiadau e-bost" not in body
