"""The public pages in Welsh (issue 17 part 7): the start page a signed-out visitor sees
comes in Welsh when the device's language cookie says so, and the public templates marked so
far have no English left outside translation tags."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from apps.core.translation import unmarked_text

pytestmark = pytest.mark.django_db

PUBLIC = Path(settings.BASE_DIR) / "apps" / "home" / "templates" / "home" / "public"
# Templates whose every string is marked for translation (add each one as it is finished).
FINISHED = ("start.html", "cookies.html", "accessibility.html", "privacy.html")


def _html_lang(page: str) -> str:
    start = page.index("<html")
    tag = page[start:page.index(">", start)]
    return tag.split('lang="', 1)[1].split('"', 1)[0]


def _welsh_start_page(client) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_start_page_comes_in_welsh_for_a_welsh_device(client):
    assert settings.LANGUAGE_COOKIE_NAME == "pr_language"
    page = _welsh_start_page(client)
    assert _html_lang(page) == "cy"
    # The start button's own words, marked in start.html, in Welsh.
    button = page.split("govuk-button--start", 1)[1].split("</a>", 1)[0]
    assert "Mewngofnodi" in button and "Sign in" not in button


def test_the_start_page_text_is_welsh(client):
    page = _welsh_start_page(client)
    assert "Adolygu cymheiriaid rhwng ysgolion" in page
    assert "Ar gyfer pwy mae'r gwasanaeth hwn" in page
    assert "Who this service is for" not in page
    assert "School-to-school peer review" not in page


def test_the_cookies_page_text_is_welsh(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.get(reverse("public:cookies")).content.decode()
    assert _html_lang(page) == "cy"
    assert "Y cwcis rydym yn eu gosod" in page
    assert "Yn eich cadw wedi mewngofnodi" in page  # the table's words, from apps/home/public.py
    assert "Keeps you signed in" not in page


def test_the_accessibility_statement_is_welsh_with_welsh_dates_and_durations(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.get(reverse("public:accessibility")).content.decode()
    assert _html_lang(page) == "cy"
    assert "Datganiad hygyrchedd ar gyfer" in page
    assert "Rhagfyr 2026" in page and "December" not in page
    assert "munud cyn hynny" in page and "minutes before" not in page


def test_the_privacy_notice_is_welsh(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.get(reverse("public:privacy")).content.decode()
    assert _html_lang(page) == "cy"
    assert "Hysbysiad preifatrwydd" in page and "Eich hawliau" in page
    assert "Your rights" not in page


@pytest.mark.parametrize("name", FINISHED)
def test_finished_public_templates_have_no_unmarked_text(name):
    assert unmarked_text((PUBLIC / name).read_text()) == []
