"""A Rapid Response review in Chromium: the lead adds one and sees its shorter timeline, the
host plans an online activity (an insecure link is refused with a GOV.UK error); axe-clean on
every page."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import axe_check

pytestmark = pytest.mark.browser

CONTENT = Path(__file__).resolve().parents[2] / "apps" / "frameworks" / "content"


def test_a_rapid_response_review_from_the_form_to_its_timeline(page_as, live_server,
                                                               browser_world):
    from playwright.sync_api import expect

    from apps.frameworks.services import create_framework_from_content
    from apps.reviews.models import Mode, Review
    from apps.reviews.schedule import add_school_days, rapid_timeline

    create_framework_from_content(json.loads((CONTENT / "rapid-response.json").read_text()))
    cycle = browser_world.cycle
    day = add_school_days(timezone.localdate() + timedelta(days=21), 0)
    assert day <= cycle.last_day
    expected = rapid_timeline(day)

    lead = page_as("lead")
    lead.goto(live_server.url + reverse("reviews:add_review", args=[cycle.pk]))
    expect(lead.get_by_text("Rapid Response is a shorter review held online")).to_be_visible()
    axe_check(lead, "rapid-add-review")
    lead.get_by_label("Host school").select_option(value=str(browser_world.schools["A3"].pk))
    lead.get_by_label("Rapid Response (online, shorter)").check()
    lead.get_by_role("button", name="Add the review").click()

    expect(lead.get_by_role("heading", level=1)).to_contain_text("Rapid Response review")
    expect(lead.get_by_label("Pre-review call")).to_be_visible()
    axe_check(lead, "rapid-dates")
    lead.get_by_label("Day of the virtual review activities").fill(day.isoformat())
    lead.get_by_role("button", name="Save dates").click()
    expect(lead.locator(".govuk-notification-banner").filter(
        has_text="filled from the Rapid Response timeline")).to_be_visible()
    expect(lead.get_by_text("Online Improvement Workshop", exact=True)).to_be_visible()
    axe_check(lead, "rapid-review-overview")
    review = Review.objects.get(host=browser_world.schools["A3"])
    assert review.mode == Mode.RAPID and review.pre_review_on == expected["pre_review_on"]

    lead.goto(live_server.url + reverse("reviews:timeline", args=[cycle.pk]))
    row = lead.get_by_role("row").filter(has_text="A3 School")
    expect(row).to_contain_text("Rapid Response")
    expect(row).to_contain_text(f"{expected['pre_review_on']:%-d %b %Y}")
    expect(row).to_contain_text(f"{expected['workshop_on']:%-d %b %Y}")
    axe_check(lead, "rapid-timeline")

    # The host plans an online activity: the link must be https.
    host = page_as("exec_head")
    host.goto(live_server.url + reverse("reviews:plan", args=[review.pk]))
    host.get_by_label("Start time").fill("09:30")
    host.get_by_label("Online meeting link").fill("http://meet.example/plain")
    host.get_by_role("button", name="Add to the plan").click()
    summary = host.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the meeting link as a secure web address starting "
                                    "https://")
    assert host.title().startswith("Error:")
    axe_check(host, "rapid-plan-error")
    summary.get_by_role("link").first.click()
    expect(host.get_by_label("Online meeting link")).to_be_focused()
    host.get_by_label("Online meeting link").fill("https://meet.example/staff-call")
    host.get_by_role("button", name="Add to the plan").click()
    expect(host.get_by_role("link", name="Join")).to_have_attribute(
        "href", "https://meet.example/staff-call")
    axe_check(host, "rapid-plan")
