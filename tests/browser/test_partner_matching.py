"""Finding a partner school anywhere, in Chromium: a school in another partnership lists
itself in the community directory with its strengths and its consent to be suggested from
its results; the headteacher asking for support sees it under "Schools that could help" with
the sentence saying why, and follows it to the directory. axe on every page; nothing here
needs JavaScript."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import axe_check

pytestmark = pytest.mark.browser


def test_a_school_elsewhere_is_suggested_with_why(page_as, live_server, browser_world):
    from playwright.sync_api import expect

    from apps.improvement.models import Action
    from apps.support import services

    w = browser_world
    outsider = page_as("outsider")  # headteacher of B2, in Beta
    outsider.goto(live_server.url + reverse("community:school_profile",
                                            args=[w.schools["B2"].pk]))
    axe_check(outsider, "partner-matching-consent")
    outsider.get_by_label("List us in the community directory").check()
    outsider.get_by_label("Strengths we can offer").fill(
        "Phonics coaching for Reception and Year 1 teachers.")
    outsider.get_by_label("Show the strengths we offer").check()
    expect(outsider.get_by_label("Suggest us to schools asking for support, from our actions "
                                 "completed with impact")).not_to_be_checked()
    outsider.get_by_role("button", name="Save").click()
    expect(outsider.locator(".govuk-notification-banner")).to_contain_text("is listed")

    today = timezone.localdate()
    action = Action.objects.create(review=w.review, title="Phonics in Year 1", area="reading",
                                   owner=w.people["head"], starts_on=today,
                                   due_on=today + timedelta(days=60),
                                   success_criteria="Every child keeps up with phonics.")
    request = services.request_support(action, by=w.people["head"],
                                       need="Coaching in phonics for our Year 1 teachers.")
    head = page_as("head")
    head.goto(live_server.url + reverse("support:request_detail", args=[request.pk]))
    expect(head.get_by_role("heading", level=2, name="Schools that could help")).to_be_visible()
    suggestions = head.locator(".pr-suggestions")
    expect(suggestions).to_contain_text(w.schools["B2"].name)
    expect(suggestions).to_contain_text(
        "Lists as a strength “Phonics coaching for Reception and Year 1 teachers”.")
    axe_check(head, "partner-matching-suggestions")
    head.get_by_role("link", name=w.schools["B2"].name).click()
    expect(head.get_by_role("heading", level=1)).to_contain_text(w.schools["B2"].name)
