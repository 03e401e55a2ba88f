"""The optimiser in Chromium, as a partnership lead would use it.

A partnership lead proposes the teams of a cycle, looks at the proposal with its reasons and
score, checks a pin that breaks a rule (the host's own headteacher), pins instead the trained
leader from A3 the optimiser left out, runs again and publishes: everyone proposed is
invited. Then the lead proposes again with a county-wide pool (every partnership of the local
authority). A trained reviewer keeps their reviewing preferences (a bad date is refused).

Every distinct page is checked with axe-core (a screenshot of each is kept under
test-artifacts/screenshots). Accessibility violations, server errors and JavaScript errors
are collected as the journey goes on and fail the test at the end, so one problem does not
hide the rest of the journey.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.journey import Journey, banner

pytestmark = pytest.mark.browser

HOST = "A1 School"
A3_PEOPLE = ("Third Reviewer", "Fourth Reviewer")


def wait_until_done(page):
    """The proposal page polls every 2 s while the optimiser runs; reload as a fallback."""
    from playwright.sync_api import expect

    state = page.locator("#run-state")
    for _ in range(6):
        try:
            expect(state).to_contain_text("Done", timeout=5_000)
            return
        except AssertionError:
            page.reload()
    expect(state).to_contain_text("Done")


def team_rows(page):
    """{person: (role, reasons)} from the proposal's Teams table."""
    table = page.get_by_role("table", name="Teams")
    out = {}
    for row in table.locator("tbody tr").all():
        cells = row.locator("td").all_inner_texts()
        role, person, _school, reasons = (c.strip() for c in cells[-4:])
        out[person] = (role, reasons)
    return out


@pytest.fixture(autouse=True)
def _patient_expect():
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def allocation_world(browser_world):
    """A fresh 2027 cycle with a review of A1 on a review day, and two trained leaders at A3
    (one person per school, so the optimiser has a choice to make there)."""
    from apps.allocation.models import ReviewerProfile
    from apps.reviews.models import Cycle, Review
    from tests.factories import RoleFactory, UserFactory

    w = browser_world
    trained = timezone.localdate() + timedelta(days=400)
    extra = {}
    for name in A3_PEOPLE:
        user = UserFactory(full_name=name, reviewer_trained_until=trained)
        RoleFactory(user=user, role="school_leader", school=w.schools["A3"])
        extra[name] = user
    cycle = Cycle.objects.create(partnership=w.alpha,
                                 start_year=w.cycle.start_year + 1)
    review = Review.objects.create(cycle=cycle, host=w.schools["A1"],
                                   review_starts_on=timezone.localdate() + timedelta(days=30),
                                   focus_areas=["reading"])
    ReviewerProfile.objects.create(user=w.people["leader"], strengths=["reading"])
    return w, cycle, review, extra


def test_lead_proposes_pins_reruns_and_publishes(page_as, live_server, allocation_world):
    from playwright.sync_api import expect

    from apps.allocation.models import AllocationRun
    from apps.reviews.models import TeamMember

    w, cycle, review, extra = allocation_world
    j = Journey(page_as, "allocation", timeout=15_000)

    # 1. Propose. ----------------------------------------------------------------------------
    lead = j.page("lead")
    lead.goto(f"/reviews/cycles/{cycle.pk}/")
    expect(lead.get_by_role("heading", level=1)).to_contain_text("Alpha Partnership")
    j.look(lead, "lead-cycle")
    lead.get_by_role("link", name="Propose review teams").click()
    expect(lead.get_by_role("heading", level=1, name="Propose review teams")).to_be_visible()
    j.look(lead, "lead-propose")
    lead.get_by_label("3", exact=True).check()
    lead.get_by_label("Also propose each review's Improvement Champion").uncheck()
    lead.get_by_label("Furthest a reviewer travels (km)").fill("")
    lead.get_by_label("Balance between giving and receiving").fill("")
    lead.get_by_label("Time the optimiser may take (seconds)").fill("10")
    lead.get_by_role("button", name="Propose teams").click()
    expect(lead.get_by_role("heading", level=1, name="Proposed review teams")).to_be_visible()
    wait_until_done(lead)

    # 2. The proposal, its reasons and its score. --------------------------------------------
    main = lead.locator("main")
    expect(main.locator(".govuk-inset-text")).to_contain_text(
        "The best allocation that keeps every rule (proved)")
    teams = lead.get_by_role("table", name="Teams")
    expect(teams).to_be_visible()
    expect(teams.get_by_role("link", name=HOST)).to_be_visible()
    expect(main).to_contain_text("How the score is made")
    expect(main).to_contain_text("match between a reviewer's strengths and the focus")
    first = team_rows(lead)
    assert len(first) == 3, first
    assert {"Leader", "Reviewer2"} <= set(first), first
    assert first["Leader"][1].startswith("strengths match the focus: Reading"), first
    assert sum(r == "Lead reviewer" for r, _ in first.values()) == 1, first
    chosen = [n for n in A3_PEOPLE if n in first]
    assert len(chosen) == 1, f"one person per school from A3: {first}"
    left_out = next(n for n in A3_PEOPLE if n not in first)
    j.look(lead, "lead-proposal")
    first_run = AllocationRun.objects.get(cycle=cycle)

    # 3. A pin that breaks a rule: the host's own headteacher. -------------------------------
    adjust = lead.locator("form.pr-filter-panel")
    adjust.get_by_label("Review", exact=True).select_option(label=HOST)
    adjust.get_by_label("Role", exact=True).select_option(label="Lead reviewer")
    adjust.get_by_label("Person", exact=True).select_option(label="Head")
    check = lead.locator("#pin-check")
    try:  # the live check (htmx, on change)
        expect(check).to_contain_text("works at the host school", timeout=5_000)
    except AssertionError:
        j.problems.append(f"The live rule check did not update on change at {lead.url}")
        adjust.get_by_role("button", name="Check the rules").click()
    expect(check).to_contain_text("works at the host school")
    assert "person=" in lead.url, f"the check's choices are not in the address: {lead.url}"
    expect(check).to_contain_text("Head cannot be lead reviewer on the review of A1 School")
    expect(lead.get_by_role("button", name="Pin and run again")).to_have_count(0)
    expect(lead.get_by_role("button",
                            name="Keep them off this review and run again")).to_be_visible()
    j.look(lead, "lead-proposal-pin-refused")

    # 4. Pin the A3 leader the optimiser left out, and run again. ----------------------------
    adjust.get_by_label("Person", exact=True).select_option(label=left_out)
    expect(check).to_contain_text(f"{left_out} can be lead reviewer on the review of {HOST}")
    j.look(lead, "lead-proposal-pin-allowed")
    lead.get_by_role("button", name="Pin and run again").click()
    lead.wait_for_url(re.compile(rf"/allocation/runs/(?!{first_run.pk}/)\d+/$"))
    wait_until_done(lead)
    expect(lead.locator("main .govuk-inset-text")).to_contain_text(
        "The best allocation that keeps every rule (proved)")
    expect(lead.locator("main")).to_contain_text("This proposal has 1 pin and 0 exclusions")
    second = team_rows(lead)
    assert len(second) == 3, second
    assert second[left_out][0] == "Lead reviewer", second
    assert "pinned" in second[left_out][1], second
    assert not any(n in second for n in A3_PEOPLE if n != left_out), second
    j.look(lead, "lead-proposal-pinned")
    second_run = AllocationRun.objects.exclude(pk=first_run.pk).get(cycle=cycle)
    assert second_run.options["pins"] == [[review.pk, extra[left_out].pk, "lead"]]

    # 5. Publish. ----------------------------------------------------------------------------
    lead.get_by_role("button", name="Publish and send invitations").click()
    lead.wait_for_url(re.compile(rf"/reviews/cycles/{cycle.pk}/$"))
    banner(lead, "Published: 3 invitations sent.")
    j.look(lead, "lead-cycle-published")
    invited = set(TeamMember.objects.filter(review=review, status="invited")
                  .values_list("user__full_name", flat=True))
    assert invited == set(second), invited

    lead.goto(f"/reviews/{review.pk}/team/")
    members = lead.get_by_role("table", name="Team members")
    for name, (role, _) in second.items():
        row = members.locator("tbody tr").filter(has_text=name)
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Invited")
        expect(row).to_contain_text(role)
    j.look(lead, "lead-review-team")

    lead.goto(f"/allocation/runs/{second_run.pk}/")
    expect(lead.locator("main")).to_contain_text("Published")
    expect(lead.get_by_role("button", name="Publish and send invitations")).to_have_count(0)
    j.look(lead, "lead-proposal-published")
    lead.goto(f"/allocation/cycles/{cycle.pk}/")
    expect(lead.get_by_role("heading", level=2, name="Earlier proposals")).to_be_visible()
    expect(lead.locator("main .govuk-tag", has_text="Published")).to_have_count(1)
    j.look(lead, "lead-propose-with-runs")

    # 6. A county-wide pool: every partnership of the local authority. ----------------------
    from apps.schools.models import School

    School.objects.update(la_name="Hampshire")
    lead.goto(f"/allocation/cycles/{cycle.pk}/")
    county = lead.get_by_label(re.compile(r"Leaders of every partnership in Hampshire"))
    expect(county).to_be_visible()
    expect(lead.locator("main")).to_contain_text("A county-wide pool takes longer")
    j.look(lead, "lead-propose-county")
    county.check()
    lead.get_by_label("3", exact=True).check()
    lead.get_by_label("Also propose each review's Improvement Champion").uncheck()
    lead.get_by_label("Furthest a reviewer travels (km)").fill("")
    lead.get_by_label("Balance between giving and receiving").fill("")
    lead.get_by_label("Time the optimiser may take (seconds)").fill("10")
    lead.get_by_role("button", name="Propose teams").click()
    expect(lead.get_by_role("heading", level=1, name="Proposed review teams")).to_be_visible()
    wait_until_done(lead)
    expect(lead.locator("main .govuk-inset-text").first).to_contain_text(
        "The best allocation that keeps every rule")
    county_run = AllocationRun.objects.filter(cycle=cycle).first()
    assert county_run.options["pool"] == "authority", county_run.options
    cycle.refresh_from_db()
    assert cycle.cross_partnership and cycle.partner_partnerships.filter(pk=w.beta.pk).exists()
    assert {w.alpha.slug, w.beta.slug} <= set(county_run.instance["reviews"][0]["pool"])
    j.look(lead, "lead-proposal-county")

    # 7. A reviewer's own preferences. -------------------------------------------------------
    leader = j.page("leader")
    leader.goto("/allocation/preferences/")
    expect(leader.get_by_role("heading", level=1, name="Your reviewing preferences")) \
        .to_be_visible()
    j.look(leader, "leader-preferences")
    leader.get_by_label("Most reviews you will take on in a year").fill("3")
    leader.get_by_label("Dates you cannot review").fill("2026-11-03\nnot a date")
    leader.get_by_role("button", name="Save").click()
    summary = leader.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Line 2 (“not a date”) is not a date")
    summary.get_by_role("link").first.click()
    expect(leader.get_by_label("Dates you cannot review")).to_be_focused()
    j.look(leader, "leader-preferences-error")
    leader.get_by_label("Dates you cannot review").fill("2026-11-03\n1/12/2026")
    leader.get_by_role("button", name="Save").click()
    banner(leader, "Your reviewing preferences are saved.")
    expect(leader.get_by_label("Dates you cannot review")).to_have_value(
        "2026-11-03\n2026-12-01")
    j.look(leader, "leader-preferences-saved")

    if j.problems:
        pytest.fail("The journey completed, but with problems:\n\n" + "\n\n".join(j.problems),
                    pytrace=False)
