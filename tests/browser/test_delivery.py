"""Delivery partners in Chromium: the associate nominates a reviewer with the evidence in
front of them, the core team checks and approves, and the associate attaches the delivery
partner to their partnership; axe on every page."""

import re

import pytest
from django.urls import reverse

from tests.browser.conftest import axe_check

pytestmark = pytest.mark.browser


def test_nominate_approve_and_attach(page_as, live_server, browser_world):
    from playwright.sync_api import expect

    from apps.partnerships.models import DeliveryAttachment, DeliveryPartner

    associate = page_as("associate")
    associate.goto(live_server.url + reverse("delivery:index"))
    axe_check(associate, "associate-delivery-partners")
    associate.get_by_role("link", name="Nominate someone").click()
    expect(associate.get_by_role("heading", level=1)).to_have_text(
        "Nominate a delivery partner")
    axe_check(associate, "associate-delivery-nominate")
    associate.get_by_role("link", name=re.compile(r"^Leader\W.*see the evidence")).click()
    expect(associate.get_by_role("heading", level=2, name="Evidence from the platform")) \
        .to_be_visible()
    axe_check(associate, "associate-delivery-evidence")
    associate.get_by_role("button", name="Nominate").click()
    summary = associate.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter why you are nominating this person")
    axe_check(associate, "associate-delivery-nominate-errors")
    summary.get_by_role("link").click()
    reason = associate.get_by_label("Why are you nominating this person?")
    expect(reason).to_be_focused()
    reason.fill("Leads reviews calmly and coaches new reviewers on evidence.")
    associate.get_by_role("button", name="Nominate").click()
    expect(associate.locator(".govuk-notification-banner")).to_contain_text("is nominated")
    axe_check(associate, "associate-delivery-nominated")
    dp = DeliveryPartner.objects.get()

    core = page_as("core")
    core.goto(live_server.url + reverse("delivery:index"))
    core.get_by_role("link", name="1 waiting for a decision").click()
    core.get_by_role("link", name="Leader").click()
    axe_check(core, "core-delivery-nomination")
    core.get_by_role("link", name="Decide").click()
    axe_check(core, "core-delivery-decide")
    core.get_by_label("Approve: the person becomes a delivery partner").check()
    core.get_by_role("button", name="Continue").click()
    expect(core.get_by_role("heading", level=1)).to_have_text("Check your decision")
    axe_check(core, "core-delivery-confirm")
    core.get_by_role("button", name="Approve and tell them").click()
    expect(core.locator(".govuk-notification-banner")).to_contain_text(
        "Leader is now a delivery partner")
    axe_check(core, "core-delivery-approved")
    dp.refresh_from_db()
    assert dp.status == DeliveryPartner.State.APPROVED and dp.is_current()

    associate.goto(live_server.url + reverse("delivery:detail", args=[dp.pk]))
    associate.get_by_role("link", name="Attach to a partnership").click()
    axe_check(associate, "associate-delivery-attach")
    associate.get_by_label("Partnership", exact=True).select_option(label="Alpha Partnership")
    associate.get_by_label("Review cycle:", exact=False).check()
    associate.get_by_role("button", name="Attach").click()
    expect(associate.locator(".govuk-notification-banner")).to_contain_text(
        "Leader is attached to Alpha Partnership")
    axe_check(associate, "associate-delivery-attachment")
    att = DeliveryAttachment.objects.get()
    assert att.scope == "reviews" and att.is_current()
