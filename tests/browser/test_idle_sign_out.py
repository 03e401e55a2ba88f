"""Shared school computers: a warning before the idle sign-out, "Stay signed in", and text
typed before the sign-out put back on the next visit to the page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import PASSWORD
from tests.browser.conftest import axe_check

pytestmark = pytest.mark.browser


def test_typed_text_survives_an_idle_sign_out(page_as, live_server, settings):
    settings.SESSION_IDLE_MINUTES = 0.1  # 6 seconds; the warning then comes after 3
    page = page_as("lead")
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    invite = reverse("people:invite")
    page.goto(invite)
    page.get_by_label("Full name").fill("Ada Typed-Before-Leaving")
    page.get_by_label("Email address").fill("ada@school.example")

    warning = page.get_by_role("dialog", name="You are about to be signed out")
    expect(warning).to_be_visible(timeout=8000)
    stay = warning.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    expect(warning.locator("[aria-live]")).to_contain_text("you will be signed out in")
    axe_check(page, "lead-idle-warning")
    stay.click()
    expect(warning).to_be_hidden()

    # Stayed signed in: the warning comes again, and this time nobody answers it.
    expect(warning).to_be_visible(timeout=8000)
    page.wait_for_url(re.compile(re.escape(f"{reverse('account_login')}?next={invite}")),
                      timeout=10000)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You were signed out after 0.1 minutes without activity. Anything you were typing "
        "is kept on this device.")

    page.get_by_label("Email").fill("lead@test.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}{invite}")
    expect(page.get_by_text("We restored text you had not saved")).to_be_visible()
    expect(page.get_by_label("Full name")).to_have_value("Ada Typed-Before-Leaving")
    expect(page.get_by_label("Email address")).to_have_value("ada@school.example")
    axe_check(page, "lead-text-restored")

    # Discarding puts the form back as it was and forgets the kept text.
    page.get_by_role("button", name="Discard the restored text").click()
    expect(page.get_by_label("Full name")).to_have_value("")
    page.reload()
    expect(page.get_by_text("We restored text you had not saved")).to_have_count(0)
    assert not errors, errors
