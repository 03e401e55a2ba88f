"""Display settings: kept on the person when signed in, in a cookie on the device when signed
out; every page carries the chosen classes on <html>; bad values are refused."""

import pytest
from django.urls import reverse

from apps.accounts.display import COOKIE, Display
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/display/"
CHOICE = {"text_size": "200", "colours": "contrast", "spacing": "wide"}


def _html_tag(response) -> str:
    text = response.content.decode()
    start = text.index("<html")
    return text[start:text.index(">", start) + 1]


def test_the_address():
    assert reverse("accounts:display") == URL


def test_signed_in_the_choice_is_kept_on_the_person(client):
    person = UserFactory()
    client.force_login(person)
    response = client.post(URL, CHOICE)
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.display_text_size, person.display_colours, person.display_spacing) == (
        200, "contrast", "wide")
    assert COOKIE not in response.cookies
    shown = client.get(URL)
    assert "Your display settings are saved" in shown.content.decode()
    page = client.get(reverse("accounts:me"))
    assert 'class="govuk-template pr-text-200 pr-theme-contrast pr-spacing-wide"' in \
        _html_tag(page)


def test_signed_in_the_choice_follows_the_person_to_another_device(client):
    person = UserFactory(display_text_size=150, display_colours="dark")
    client.force_login(person)
    assert "pr-text-150 pr-theme-dark" in _html_tag(client.get(reverse("accounts:me")))


def test_signed_out_the_choice_is_kept_in_a_cookie_on_the_device(client):
    response = client.post(URL, {"text_size": "125", "colours": "dark",
                                 "spacing": "standard"})
    assert response.status_code == 302
    cookie = response.cookies[COOKIE]
    assert cookie.value == "125.dark.standard"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    page = client.get(URL)
    assert 'class="govuk-template pr-text-125 pr-theme-dark"' in _html_tag(page)
    assert "saved on this device" in page.content.decode()
    # The form shows what was chosen.
    assert 'value="125" checked' in page.content.decode()


def test_signed_out_choosing_everything_standard_removes_the_cookie(client):
    client.cookies[COOKIE] = "150.dark.wide"
    response = client.post(URL, {"text_size": "100", "colours": "standard",
                                 "spacing": "standard"})
    assert response.cookies[COOKIE].value == ""
    assert response.cookies[COOKIE]["max-age"] == 0
    assert _html_tag(client.get(URL)) == '<html lang="en-GB" class="govuk-template">'


def test_a_signed_out_choice_does_not_touch_any_account(client):
    person = UserFactory()
    client.post(URL, CHOICE)
    person.refresh_from_db()
    assert person.display_text_size == 100


@pytest.mark.parametrize("field,value,message", [
    ("text_size", "300", "Choose a text size from the list"),
    ("text_size", "big", "Choose a text size from the list"),
    ("text_size", "", "Choose a text size"),
    ("colours", "purple", "Choose the colours from the list"),
    ("spacing", "", "Choose the spacing of text"),
])
def test_bad_values_are_refused_with_a_message_naming_the_field(client, field, value, message):
    person = UserFactory()
    client.force_login(person)
    response = client.post(URL, {**CHOICE, field: value})
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert f'<a href="#id_{field}_0">{message}</a>' in text
    assert f'<p id="id_{field}-error" class="govuk-error-message">' in text
    assert "Error: - " not in text
    person.refresh_from_db()
    assert (person.display_text_size, person.display_colours) == (100, "standard")
    # What was chosen in the other fields is kept.
    others = [f for f in CHOICE if f != field]
    for other in others:
        assert f'value="{CHOICE[other]}" checked' in text


def test_bad_values_signed_out_set_no_cookie(client):
    response = client.post(URL, {**CHOICE, "colours": "neon"})
    assert response.status_code == 200
    assert COOKIE not in response.cookies


@pytest.mark.parametrize("value", ["", "junk", "999.dark.wide", "150.<script>.wide",
                                   "150.dark", "150.dark.wide.extra", "-1.dark.wide"])
def test_a_tampered_cookie_is_read_as_standard_where_it_is_wrong(client, value):
    client.cookies[COOKIE] = value
    tag = _html_tag(client.get(URL))
    assert "<script>" not in tag
    assert "pr-text-999" not in tag and "pr-text--1" not in tag


def test_a_cookie_is_read_part_by_part():
    assert Display.from_cookie("999.dark.wide") == Display(100, "dark", "wide")
    assert Display.from_cookie("175.contrast.standard").classes == \
        "pr-text-175 pr-theme-contrast"
    assert Display.from_cookie(None).classes == ""


def test_signed_in_the_cookie_is_not_used(client):
    person = UserFactory()
    client.force_login(person)
    client.cookies[COOKIE] = "200.dark.wide"
    assert _html_tag(client.get(reverse("accounts:me"))) == \
        '<html lang="en-GB" class="govuk-template">'


def test_going_back_to_the_page_you_came_from(client):
    response = client.post(URL + "?next=/training/", {**CHOICE, "next": "/training/"})
    assert response["Location"] == "/display/?next=%2Ftraining%2F"
    page = client.get(response["Location"]).content.decode()
    assert 'href="/training/"' in page


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x",
                                    "javascript:alert(1)"])
def test_only_our_own_pages_are_offered_to_go_back_to(client, target):
    response = client.post(URL, {**CHOICE, "next": target})
    assert response["Location"] == "/display/"
    page = client.get(URL, {"next": target}).content.decode()
    assert "Go back to the page you were on" not in page


def test_every_page_links_to_the_display_settings(client):
    page = client.get(reverse("account_login")).content.decode()
    assert 'href="/display/?next=/accounts/login/"' in page
    assert "Read this page aloud" in page


def _sign_in_on_the_page(client, person):
    return client.post(reverse("account_login"),
                       {"login": person.email, "password": "correct-horse-battery"})


def test_signing_in_keeps_the_device_choice_for_a_person_who_has_none(client):
    person = UserFactory()
    client.post(URL, {"text_size": "175", "colours": "dark", "spacing": "standard"})
    assert _sign_in_on_the_page(client, person).status_code == 302
    person.refresh_from_db()
    assert (person.display_text_size, person.display_colours) == (175, "dark")


def test_signing_in_does_not_overwrite_a_choice_on_the_account(client):
    person = UserFactory(display_spacing="wide")
    client.post(URL, {"text_size": "175", "colours": "dark", "spacing": "standard"})
    assert _sign_in_on_the_page(client, person).status_code == 302
    person.refresh_from_db()
    assert (person.display_text_size, person.display_spacing) == (100, "wide")
