"""The public start page (``/`` signed out), and the privacy notice, accessibility statement
and cookies page linked from the footer of every page."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

FOOTER_LINKS = ("public:privacy", "public:accessibility", "public:cookies")


def _footer(page: str) -> str:
    return page.split('<footer class="govuk-footer"', 1)[1]


def test_signed_out_home_is_the_start_page(client, world):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "School-to-school peer review" in page
    assert "Who this service is for" in page
    for name in ("account_login", "enquiries:get_in_touch", "training:catalogue",
                 "resources:library"):
        assert f'href="{reverse(name)}' in page, name
    # The open national meeting is listed; the course for programme schools is not.
    assert reverse("training:session", args=[world.open_session.pk]) in page
    assert reverse("training:session", args=[world.session.pk]) not in page


def test_signed_in_home_is_what_needs_you_now(client_for, world):
    page = client_for("head").get("/").content.decode()
    assert "Hello, Head" in page
    assert "Who this service is for" not in page


def test_the_sign_in_page_points_newcomers_to_the_public_pages(client, world):
    page = client.get(reverse("account_login")).content.decode()
    for name in ("enquiries:get_in_touch", "training:catalogue", "resources:library"):
        assert f'href="{reverse(name)}"' in page, name


@pytest.mark.parametrize("persona,url", [
    ("anonymous", "/"), ("anonymous", "/accounts/login/"), ("anonymous", "/no-such-page/"),
    ("head", "/"), ("core", "/reviews/"), ("evaluator", "/impact/"),
])
def test_every_page_footer_links_the_three_pages(client_for, world, persona, url):
    page = client_for(persona).get(url).content.decode()
    footer = _footer(page)
    for name in FOOTER_LINKS:
        assert f'href="{reverse(name)}"' in footer, (url, name)


@pytest.mark.parametrize("persona", ["anonymous", "staff"])
def test_the_three_pages_open_for_everyone(client_for, world, persona):
    client = client_for(persona)
    privacy = client.get(reverse("public:privacy")).content.decode()
    assert "Information Commissioner" in privacy and "How long we keep it" in privacy
    assert f'href="{reverse("privacy:my_data")}"' in privacy
    statement = client.get(reverse("public:accessibility")).content.decode()
    for words in ("WCAG", "2.2", "How accessible this service is",
                  "Reporting accessibility problems", "Enforcement procedure",
                  "Equality and Human Rights Commission", "Compliance status"):
        assert words in statement, words
    assert "Cookies" in client.get(reverse("public:cookies")).content.decode()


def _cookie_names(page: str) -> set[str]:
    return set(re.findall(r'<code class="pr-cookie-name">([^<]+)</code>', page))


def test_the_cookies_page_names_every_cookie_the_service_sets(world):
    """Go through the service as a visitor and as a member, collect each cookie the browser
    is given, and find each on the cookies page."""
    given: set[str] = set()
    visitor = Client()
    visitor.get(reverse("account_login"))  # a form: the CSRF cookie
    given |= set(visitor.cookies)
    visitor.post(reverse("accounts:display"), {"text_size": "150", "colours": "contrast",
                                                "spacing": "standard"})
    given |= set(visitor.cookies)
    visitor.post(reverse("accounts:language"), {"language": "cy", "switch": "1"})
    given |= set(visitor.cookies)
    # A form that thanks you on the next page: the message travels in a cookie.
    visitor.post(reverse("enquiries:get_in_touch"), {
        "full_name": "A Visitor", "email": "visitor@school.example", "school_name": "A School",
        "message": "How do we join?", "website": ""})
    given |= set(visitor.cookies)
    member = Client()
    member.post(reverse("account_login"), {"login": world.people["staff"].email,
                                           "password": PASSWORD})
    given |= set(member.cookies)
    assert {"csrftoken", "sessionid", "pr_display", "pr_language", "messages"} <= given
    listed = _cookie_names(Client().get(reverse("public:cookies")).content.decode())
    assert given <= listed, f"not on the cookies page: {given - listed}"


def test_the_display_page_names_no_cookie(client, world):
    page = client.get(reverse("accounts:display")).content.decode()
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "pr_display" not in main
    assert reverse("public:cookies") in main
