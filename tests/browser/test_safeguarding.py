"""The school's designated safeguarding lead finds a concern from the navigation, marks it as
seen (and is told the person who raised it has been told), records what was done (the form
names the field when sent empty), then reopens it. axe checks the list, the concern, the
outcome form with its error and the closed concern."""

import pytest

from tests.browser.journey import Journey, banner

pytestmark = pytest.mark.browser


def test_the_dsl_reads_a_concern_marks_it_seen_and_records_what_was_done(
        page_as, browser_world):
    from allauth.mfa.totp.internal.auth import TOTP
    from django.utils import timezone
    from django.utils.formats import date_format
    from playwright.sync_api import expect

    from apps.accounts.models import Role
    from apps.reviews.models import SafeguardingConcern
    from conftest import TOTP_SECRET
    from tests.factories import RoleFactory, UserFactory

    w = browser_world
    dsl = UserFactory(email="dsl@test.example", full_name="Dana Sill")
    RoleFactory(user=dsl, role=Role.DSL, school=w.schools["A1"])
    TOTP.activate(dsl, TOTP_SECRET)  # the role requires two-factor authentication
    w.people["dsl"] = dsl
    j = Journey(page_as, "safeguarding")
    page = j.page("dsl")
    page.goto("/")
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Safeguarding concerns").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Safeguarding concerns")
    j.look(page, "list")
    page.get_by_role("link", name="A1 School").click()
    expect(page.get_by_text("A concern.")).to_be_visible()
    j.look(page, "concern")
    page.get_by_role("button", name="Mark as seen").click()
    today = date_format(timezone.localdate(), "l j F Y")
    banner(page, f"You marked this concern as seen on {today}. Leader has been told.")
    page.get_by_role("link", name="Record what was done").click()
    page.get_by_role("button", name="Save and close the concern").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter what was done about the concern")
    j.look(page, "outcome-error")
    page.get_by_role("link", name="Enter what was done about the concern").click()
    page.get_by_label("What was done").fill("Referred to children's services on the day.")
    page.get_by_role("button", name="Save and close the concern").click()
    banner(page, "You recorded what was done. The concern is closed")
    expect(page.get_by_text("Referred to children's services on the day.")).to_be_visible()
    j.look(page, "closed")
    page.get_by_role("button", name="Reopen the concern").click()
    banner(page, "The concern is open again")
    assert SafeguardingConcern.objects.get(pk=w.concern.pk).state == "seen"
    assert not j.problems, "\n".join(j.problems)
