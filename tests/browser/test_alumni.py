"""The alumni programme in Chromium: a school's headteacher asks to join, the core team
decides, checks the decision on its confirmation page and approves; axe on every page."""

import pytest
from django.urls import reverse

from tests.browser.conftest import axe_check

pytestmark = pytest.mark.browser


def test_a_school_asks_and_the_core_team_approves(page_as, live_server, browser_world):
    from playwright.sync_api import expect

    from apps.partnerships.models import AlumniMembership

    head = page_as("alumnus")
    head.goto(live_server.url + reverse("alumni:index"))
    axe_check(head, "alumnus-alumni-programme")
    head.get_by_role("link", name="Ask to join the alumni programme").click()
    expect(head.get_by_role("heading", level=1)).to_have_text(
        "Ask to join the alumni programme")
    head.get_by_role("button", name="Send the request").click()
    summary = head.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter why you want to join")
    axe_check(head, "alumnus-alumni-request-errors")
    summary.get_by_role("link").filter(has_text="why you want to join").click()
    expect(head.get_by_label("Why do you want to join the alumni programme?")).to_be_focused()
    head.get_by_label("Why do you want to join the alumni programme?").fill(
        "Our school left its partnership's Sustain year and wants to keep reviewing.")
    head.get_by_role("button", name="Send the request").click()
    expect(head.locator(".govuk-notification-banner")).to_contain_text("Request sent")
    axe_check(head, "alumnus-alumni-request-sent")
    membership = AlumniMembership.objects.get()

    core = page_as("core")
    core.goto(live_server.url + "/")
    core.get_by_role("link", name="Decide on 1 request to join the alumni programme").click()
    expect(core.get_by_role("heading", level=1)).to_have_text(
        "Alumni requests and memberships")
    axe_check(core, "core-alumni-memberships")
    core.get_by_role("link", name="G1 School").click()
    axe_check(core, "core-alumni-request")
    core.get_by_role("link", name="Decide").click()
    axe_check(core, "core-alumni-decide")
    core.get_by_label("Approve: the school or partnership joins the alumni programme").check()
    core.get_by_role("button", name="Continue").click()
    expect(core.get_by_role("heading", level=1)).to_have_text("Check your decision")
    axe_check(core, "core-alumni-confirm")
    core.get_by_role("button", name="Approve and tell them").click()
    expect(core.locator(".govuk-notification-banner")).to_contain_text(
        "G1 School is now in the alumni programme")
    axe_check(core, "core-alumni-approved")
    membership.refresh_from_db()
    assert membership.status == AlumniMembership.State.APPROVED and membership.is_current()

    head.goto(live_server.url + reverse("alumni:index"))
    expect(head.locator("table")).to_contain_text("Member")
