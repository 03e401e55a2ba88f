"""National meetings in Chromium: the core team adds a series with its termly dates (after
fixing a mistake), publishes the recording and slides of a meeting held, and checks them on
the confirmation page; a school's member sees them on the meeting's page; a visitor who is
not signed in sees only the first meeting, open to all schools. axe on every page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import axe_check

pytestmark = pytest.mark.browser


def test_series_materials_and_audiences(page_as, live_server, browser_world, tmp_path):
    from playwright.sync_api import expect

    from apps.training.models import MeetingSeries
    from apps.training.tests.meetings_world import TINY_PDF, meeting

    core = page_as("core")
    core.goto(live_server.url + reverse("training:catalogue"))
    core.get_by_role("link", name="National meetings, termly").click()
    axe_check(core, "core-national-meetings")
    core.get_by_role("link", name="Add a series of meetings").click()
    core.get_by_label("Name of the series").fill("National meetings browser year")
    core.get_by_label("School year starts in").fill("2026")
    core.get_by_label("Online").check()
    core.get_by_label("Places at each meeting").fill("150")
    day = timezone.localdate() + timedelta(days=30)
    core.get_by_label("Autumn term meeting: date").fill(day.isoformat())
    core.get_by_role("button", name="Add the series").click()
    summary = core.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the time the autumn term meeting starts")
    expect(summary).to_contain_text("Enter the joining link for online meetings")
    axe_check(core, "core-series-errors")
    core.get_by_label("Joining link").fill("https://meet.example/browser")
    autumn = core.locator("fieldset").filter(has_text="Autumn term meeting")
    autumn.get_by_label("Starts").fill("15:30")
    autumn.get_by_label("Ends").fill("16:45")
    spring = core.locator("fieldset").filter(has_text="Spring term meeting")
    spring.get_by_label("Spring term meeting: date").fill((day + timedelta(days=90)).isoformat())
    spring.get_by_label("Starts").fill("15:30")
    spring.get_by_label("Ends").fill("16:45")
    core.get_by_role("button", name="Add the series").click()
    expect(core.locator(".govuk-notification-banner")).to_contain_text("added with 2 meetings")
    table = core.locator("table")
    expect(table).to_contain_text("Open to all schools")
    expect(table).to_contain_text("For schools in the programme and alumni")
    axe_check(core, "core-series")
    series = MeetingSeries.objects.get(title="National meetings browser year")

    held = meeting(browser_world, 2, days_ago=5)
    core.goto(live_server.url + reverse("training:session", args=[held.pk]))
    core.get_by_role("link", name="Publish the recording and slides").click()
    axe_check(core, "core-materials-form")
    core.get_by_label("Recording link (optional)").fill("https://video.example/browser-rec")
    core.get_by_label("Title of the slides (optional)").fill("Browser meeting slides")
    slides = tmp_path / "browser-slides.pdf"
    slides.write_bytes(TINY_PDF)
    core.get_by_label("Slides (optional)", exact=True).set_input_files(str(slides))
    core.get_by_role("button", name="Publish").click()
    expect(core.get_by_role("heading", level=1)).to_have_text("Recording and slides published")
    expect(core.locator(".govuk-summary-list")).to_contain_text("browser-slides.pdf")
    axe_check(core, "core-materials-published")

    staff = page_as("staff")
    staff.goto(live_server.url + reverse("training:session", args=[held.pk]))
    expect(staff.get_by_role("link", name="Browser meeting slides")).to_be_visible()
    expect(staff.get_by_role("link", name="Watch the recording")).to_have_attribute(
        "href", "https://video.example/browser-rec")
    axe_check(staff, "staff-meeting-materials")

    visitor = page_as("anonymous")
    visitor.goto(live_server.url + reverse("training:series", args=[series.pk]))
    rows = visitor.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Open to all schools")
    expect(visitor.locator("main")).to_contain_text(
        "The other meetings of this series are for schools in the programme")
    axe_check(visitor, "visitor-series")
    rows.get_by_role("link").click()
    expect(visitor.locator("main")).to_contain_text("Open to all schools")
    axe_check(visitor, "visitor-first-meeting")
