"""Cross-partnership agreement and get in touch, in Chromium: axe-clean, and answered with the
keyboard alone."""

import pytest
from django.urls import reverse

from tests.browser.conftest import axe_check

pytestmark = pytest.mark.browser


def test_the_asked_lead_answers_with_the_keyboard(page_as, live_server, browser_world):
    from playwright.sync_api import expect

    from apps.reviews.models import PartnerAgreement

    lead = page_as("lead")
    lead.goto(live_server.url + reverse("reviews:agreement", args=[browser_world.agreement.pk]))
    expect(lead.get_by_role("heading", level=1)).to_contain_text("asks to share reviewers")
    axe_check(lead, "lead-partner-request")
    lead.get_by_label("Yes, our trained reviewers may be invited").focus()
    lead.keyboard.press("Space")
    lead.get_by_role("button", name="Send your answer").focus()
    lead.keyboard.press("Enter")
    expect(lead.locator(".govuk-notification-banner")).to_contain_text("you agreed")
    axe_check(lead, "lead-partner-request-answered")
    browser_world.agreement.refresh_from_db()
    assert browser_world.agreement.state == PartnerAgreement.State.AGREED


def test_get_in_touch_shows_its_errors_and_sends(page_as, live_server, browser_world):
    from playwright.sync_api import expect

    visitor = page_as("anonymous")
    visitor.goto(live_server.url + reverse("enquiries:get_in_touch"))
    axe_check(visitor, "anonymous-get-in-touch")
    visitor.get_by_role("button", name="Send your message").click()
    summary = visitor.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter your full name")
    axe_check(visitor, "anonymous-get-in-touch-errors")
    summary.get_by_role("link").first.click()
    expect(visitor.get_by_label("Full name")).to_be_focused()
