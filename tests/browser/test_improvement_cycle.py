"""After the agreed report, in Chromium, through the pages, as each person would do it.

The Improvement Champion runs the Improvement Workshop of A1's review from the agreed report
to an action plan (with the notes autosaved, including while offline); the owner of an action
updates its progress with a file; a support request is brokered by the partnership lead,
confirmed by both schools and its delivery recorded; the headteacher shares the plan (another
headteacher of the partnership then sees it and downloads it as CSV), records the impact
check-back and closes the review; next year's self-review starts pre-filled from it.

Every distinct page is checked with axe-core (a screenshot of each is kept under
test-artifacts/screenshots). Accessibility violations, server errors and JavaScript errors
are collected as the journey goes on and fail the test at the end, so one problem does not
hide the rest of the journey.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.journey import Journey, banner, save_state, subnav

pytestmark = pytest.mark.browser

HOST = "A1 School"
PROVIDER = "A4 School"
AREA = "Reading, writing and communication"
FRAMEWORK_OPTION = "Test framework (version 1, published)"
MINIMAL_PDF = b"%PDF-1.4\n%%EOF\n"


def stage_heading(page, label):
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", level=2, name=label, exact=True)).to_be_visible()


def section_of(page, heading):
    """The card (<section>) whose heading is ``heading``."""
    return page.locator("section").filter(
        has=page.get_by_role("heading", name=heading, exact=True))


@pytest.fixture(autouse=True)
def _patient_expect():
    """The autosave's pauses take a moment: wait up to 10 s, here only."""
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
    yield
    expect.set_options(timeout=5_000)


def test_from_the_agreed_report_to_the_next_cycle(page_as, live_server, browser_world,
                                                   tmp_path):
    from playwright.sync_api import expect

    from apps.improvement.models import Action, ActionFile, Workshop
    from apps.reviews.models import Review, SelfReviewEntry

    w = browser_world
    today = timezone.localdate()
    review = w.review
    review_path = f"/reviews/{review.pk}/"
    plan_path = f"/improvement/reviews/{review.pk}/plan/"
    j = Journey(page_as, "improvement")

    # 1. The Improvement Champion runs the workshop. -----------------------------------------
    champion = j.page("champion")
    champion.goto("/improvement/my-workshops/")
    expect(champion.get_by_role("heading", level=1, name="My workshops")).to_be_visible()
    j.look(champion, "champion-my-workshops")
    champion.get_by_role("link", name=HOST, exact=True).click()
    expect(champion.get_by_role("heading", level=1)).to_contain_text(HOST)

    # Revisit: the enquiry and the findings are on screen.
    stage_heading(champion, "Revisit the enquiry and findings")
    main = champion.locator("main")
    expect(main).to_contain_text(review.key_question)
    expect(main).to_contain_text("Pupils read aloud.")
    expect(main).to_contain_text("How new arrivals catch up.")
    j.look(champion, "champion-workshop-revisit")
    champion.get_by_role("button", name="Save and go to the next stage").click()
    banner(champion, "Notes saved.")

    # Focus: the notes are autosaved as they are typed.
    stage_heading(champion, "Choose the focus")
    expect(save_state(champion)).to_have_attribute("data-state", "idle")
    focus = "How pupils who join mid-year catch up with reading."
    champion.get_by_label("Notes", exact=True).fill(focus)
    expect(save_state(champion)).to_have_attribute("data-state", "saved")
    expect(save_state(champion)).to_contain_text("Saved at")
    assert Workshop.objects.get(review=review).focus == focus
    j.look(champion, "champion-workshop-focus")
    champion.get_by_role("button", name="Save and go to the next stage").click()
    banner(champion, "Notes saved.")

    # Causes: typed while offline, kept on the device, sent when the connection returns.
    stage_heading(champion, "Explore causes")
    context = champion.context
    context.set_offline(True)
    causes = "New arrivals miss the Reception phonics programme; no catch-up slot exists."
    with champion.expect_event("requestfailed",
                               predicate=lambda r: "workshop/autosave" in r.url):
        champion.get_by_label("Notes", exact=True).fill(causes)
    expect(save_state(champion)).to_have_attribute("data-state", "offline")
    expect(save_state(champion)).to_contain_text("Offline")
    assert Workshop.objects.get(review=review).causes == ""
    j.look(champion, "champion-workshop-causes-offline")
    context.set_offline(False)
    expect(save_state(champion)).to_have_attribute("data-state", "saved")
    expect(save_state(champion)).to_contain_text("Saved at")
    assert Workshop.objects.get(review=review).causes == causes
    kept = champion.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('pr-notes:'))")
    assert kept == [], f"workshop notes still kept on the device once sent: {kept}"
    champion.get_by_role("button", name="Save and go to the next stage").click()
    banner(champion, "Notes saved.")

    # Actions: one more action, answering the finding, owned by a member of staff.
    stage_heading(champion, "Agree actions")
    expect(main).to_contain_text("Actions agreed (1)")
    j.look(champion, "champion-workshop-actions")
    champion.get_by_role("link", name="Add an action").click()
    expect(champion.get_by_role("heading", level=2, name="Add an action")).to_be_visible()
    j.look(champion, "champion-action-new")
    title = "Phonics catch-up sessions for pupils who join mid-year"
    champion.get_by_label("What", exact=True).fill(title)
    champion.get_by_label("Key question: How new arrivals catch up.").check()
    champion.get_by_label("Why", exact=True).fill("Mid-year arrivals missed the phonics programme.")
    champion.get_by_label("Area", exact=True).select_option(label=AREA)
    champion.get_by_label("Owner", exact=True).select_option(label="Staff")
    champion.get_by_label("Start", exact=True).fill(today.isoformat())
    champion.get_by_label("Due", exact=True).fill((today + timedelta(days=60)).isoformat())
    champion.get_by_label("Success criteria").fill(
        "Every mid-year arrival has three catch-up sessions a week within a fortnight.")
    support_wanted = "A school with a catch-up programme to show us how they timetable it."
    champion.get_by_label("Support wanted from partner schools").fill(support_wanted)
    champion.get_by_role("button", name="Add the action").click()
    banner(champion, f"Action “{title}” added to the plan.")
    stage_heading(champion, "Agree actions")
    expect(main).to_contain_text("Actions agreed (2)")
    expect(champion.get_by_role("link", name=title)).to_be_visible()
    action = Action.objects.get(review=review, title=title)
    assert action.owner == w.people["staff"] and action.area == "reading"
    assert action.support_wanted == support_wanted

    # Impact: how it will be checked, then the workshop is complete.
    champion.get_by_role("link", name="Next: agree how impact will be checked").click()
    stage_heading(champion, "Agree how impact will be checked")
    champion.get_by_label("Notes", exact=True).fill(
        "The reading lead checks the catch-up register each half term.")
    expect(save_state(champion)).to_have_attribute("data-state", "saved")
    j.look(champion, "champion-workshop-impact")
    champion.get_by_role("button", name="Save notes").click()
    banner(champion, "Notes saved.")
    champion.get_by_role("button", name="Complete the workshop").click()
    banner(champion, "Workshop complete: the plan is under way.")
    expect(champion.get_by_role("heading", level=1)).to_contain_text("Acting on the plan")
    j.look(champion, "champion-workshop-complete")
    review.refresh_from_db()
    assert review.status == "acting"

    # 2. The owner updates progress. ---------------------------------------------------------
    staff = j.page("staff")
    staff.goto("/improvement/my-actions/")
    expect(staff.get_by_role("heading", level=1, name="My actions")).to_be_visible()
    expect(staff.get_by_role("link", name=w.action.title)).to_be_visible()
    j.look(staff, "staff-my-actions")
    staff.get_by_role("link", name=title).click()
    expect(staff.get_by_role("heading", level=2, name=re.compile(re.escape(title)))) \
        .to_be_visible()
    j.look(staff, "staff-action")
    pdf = tmp_path / "catch-up-register.pdf"
    pdf.write_bytes(MINIMAL_PDF)
    staff.get_by_label("What has happened").fill("The first catch-up group started on Monday.")
    staff.get_by_label("In progress", exact=True).check()
    staff.get_by_label("Evidence (optional)").set_input_files(str(pdf))
    staff.get_by_role("button", name="Save the update").click()
    banner(staff, "Progress update saved.")
    expect(staff.get_by_role("link", name="catch-up-register.pdf")).to_be_visible()
    expect(staff.get_by_role("heading", level=2, name=re.compile(re.escape(title)))) \
        .to_contain_text("In progress")
    assert ActionFile.objects.filter(update__action=action,
                                     filename="catch-up-register.pdf").exists()
    j.look(staff, "staff-action-updated")

    # Dropped without a reason: the error summary says why not.
    staff.get_by_label("What has happened").fill("We are stopping this.")
    staff.get_by_label("Dropped", exact=True).check()
    staff.get_by_role("button", name="Save the update").click()
    expect(staff.locator(".govuk-error-summary")).to_contain_text("Say why the action is dropped")
    assert staff.title().startswith("Error: "), staff.title()
    j.look(staff, "staff-action-error")
    action.refresh_from_db()
    assert action.status == "in_progress"
    staff.goto("/improvement/my-actions/")
    expect(staff.locator(".pr-card").filter(has_text=title)).to_contain_text("In progress")

    # 3. School-to-school support. -----------------------------------------------------------
    support_journey(j, w, action, title, support_wanted, today)

    # 4. The plan board, shared with the partnership. ----------------------------------------
    exec_head = j.page("exec_head")
    response = exec_head.goto(plan_path)
    assert response.status in (403, 404), f"plan before sharing: {response.status}"

    head = j.page("head")
    head.goto(review_path)
    subnav(head, "Action plan")
    expect(head.get_by_role("heading", level=2, name="Action plan")).to_be_visible()
    in_progress = section_of(head, "In progress (1)")
    expect(in_progress.get_by_role("link", name=title)).to_be_visible()
    expect(head.get_by_role("link", name=w.action.title)).to_be_visible()
    j.look(head, "head-plan")
    head.get_by_role("button", name="Share the plan with the partnership").click()
    banner(head, "The plan is shared with the partnership")
    expect(head.get_by_role("button", name="Stop sharing the plan")).to_be_visible()
    j.look(head, "head-plan-shared")

    response = exec_head.goto(plan_path)
    assert response.status == 200, f"plan after sharing: {response.status}"
    expect(exec_head.get_by_role("link", name=title)).to_be_visible()
    # Seeing the plan is not changing it.
    for control in ("Add an action", "Impact check-back"):
        expect(exec_head.get_by_role("link", name=control)).to_have_count(0)
    expect(exec_head.get_by_role("button", name=re.compile("sharing|Share"))).to_have_count(0)
    j.look(exec_head, "exec-head-plan-shared")
    with exec_head.expect_download() as download:
        exec_head.get_by_role("link", name="Download as CSV").click()
    assert download.value.suggested_filename.endswith(".csv"), download.value.suggested_filename
    with open(download.value.path(), encoding="utf-8") as f:
        csv_text = f.read()
    assert title in csv_text and w.action.title in csv_text, csv_text

    # 5. The impact check-back, then the review is closed. -----------------------------------
    head.get_by_role("link", name="Impact check-back").click()
    expect(head.get_by_role("heading", level=2, name="Impact check-back")).to_be_visible()
    j.look(head, "head-checkback")
    impacts = {
        w.action.title: ("Every new arrival now has a reading buddy; they read daily.",
                         "The buddy rota and reading records.", "Extend to Year 3."),
        title: ("Mid-year arrivals caught up with their class phonics within six weeks.",
                "The catch-up register.", "Keep the sessions next year."),
    }
    for action_title, (seen, evidence, next_steps) in impacts.items():
        card = section_of(head, re.compile(re.escape(action_title)))
        card.get_by_label("Impact seen").fill(seen)
        card.get_by_label("Evidence of it").fill(evidence)
        card.get_by_label("What next").fill(next_steps)
        card.get_by_role("button", name="Record the impact").click()
        banner(head, f"Impact recorded for “{action_title}”.")
    expect(section_of(head, re.compile(re.escape(title))).get_by_role(
        "button", name="Update the impact")).to_be_visible()
    j.look(head, "head-checkback-recorded")
    head.get_by_label("Overall", exact=True).fill("Both actions made a difference for readers.")
    head.get_by_role("button", name="Complete the check-back").click()
    banner(head, "Check-back complete.")
    expect(head.locator("main .govuk-inset-text")).to_contain_text("Completed")
    j.look(head, "head-checkback-complete")

    subnav(head, "Overview")
    j.look(head, "head-overview-acting")
    head.get_by_role("link", name="Close the review", exact=True).click()
    expect(head.get_by_role("heading", level=2, name="Close the review")).to_be_visible()
    j.look(head, "head-confirm-close")
    head.get_by_role("button", name="Close the review", exact=True).click()
    banner(head, "The review is closed.")
    expect(head.get_by_role("heading", level=1)).to_contain_text("Closed")
    review.refresh_from_db()
    assert review.status == "closed"

    # 6. The next cycle starts from this one. ------------------------------------------------
    lead = j.page("lead")
    lead.goto("/reviews/")
    lead.get_by_role("link", name="Start a review cycle").click()
    expect(lead.get_by_role("heading", level=1, name="Start a review cycle")).to_be_visible()
    lead.get_by_label("Partnership", exact=True).select_option(label="Alpha Partnership")
    next_year = w.cycle.start_year + 1
    next_label = f"{next_year}/{(next_year + 1) % 100:02d}"
    lead.get_by_label("Academic year starting in").fill(str(next_year))
    lead.get_by_role("button", name="Start the cycle").click()
    banner(lead, f"Cycle {next_label} started")
    j.look(lead, "lead-cycle-new")
    lead.get_by_role("link", name="Add a review").click()
    lead.get_by_label("Host school").select_option(label=str(w.schools["A1"]))
    lead.get_by_label("Enquiry framework").select_option(label=FRAMEWORK_OPTION)
    lead.get_by_label("In person", exact=True).check()
    lead.get_by_role("button", name="Add the review").click()
    banner(lead, f"Review of {HOST} added.")
    next_review = Review.objects.get(cycle__start_year=next_year, host=w.schools["A1"])

    head.goto("/reviews/")
    head.get_by_role("link", name=f"{HOST}, {next_label}").click()
    head.get_by_role("link", name="Start the self-review", exact=True).click()
    head.get_by_role("button", name="Start the self-review").click()
    banner(head, "The self-review has started.")
    subnav(head, "Self-review")
    whole = section_of(head, "The school as a whole")
    carried = whole.get_by_label("Areas to develop")
    expect(carried).to_have_value(re.compile(re.escape(review.key_question)))
    value = carried.input_value()
    for text in ("How new arrivals catch up.", "Pupils read aloud.", w.action.title, title,
                 impacts[title][0], impacts[w.action.title][0], impacts[title][2]):
        assert text in value, f"{text!r} not carried over into:\n{value}"
    assert SelfReviewEntry.objects.filter(review=next_review, theme=None).exists()
    j.look(head, "head-next-self-review")

    if j.problems:
        pytest.fail("The journey completed, but with problems:\n\n" + "\n\n".join(j.problems),
                    pytrace=False)


def support_journey(j, w, action, title, support_wanted, today):
    """A4 offers help with reading; A1's headteacher asks for support with the action; the
    partnership lead brokers a match with A4; both schools confirm; A4 records the support
    given. A3's headteacher, not a party, cannot open the match."""
    from playwright.sync_api import expect

    from apps.support.models import SupportMatch

    offer_title = "Coaching on timetabling phonics catch-up"
    reviewer2 = j.page("reviewer2")
    reviewer2.goto("/support/")
    expect(reviewer2.get_by_role("heading", level=1, name="School-to-school support")) \
        .to_be_visible()
    j.look(reviewer2, "reviewer2-support")
    reviewer2.get_by_role("link", name="Offer support").click()
    expect(reviewer2.get_by_role("heading", level=1, name="Offer support")).to_be_visible()
    j.look(reviewer2, "reviewer2-offer-new")
    reviewer2.get_by_label("Area of strength").select_option(label=AREA)
    reviewer2.get_by_label("What you can offer").fill(offer_title)
    reviewer2.get_by_label("Who would help").fill("Our English lead and a Year 2 teacher")
    reviewer2.get_by_label("Time available (hours)").fill("10")
    reviewer2.get_by_role("button", name="Record the offer").click()
    banner(reviewer2, "Offer recorded.")
    expect(reviewer2.get_by_role("table", name="Your offers")).to_contain_text(offer_title)
    j.look(reviewer2, "reviewer2-support-offered")

    head = j.page("head")
    head.goto(f"/improvement/actions/{action.pk}/")
    j.look(head, "head-action")
    head.get_by_role("link", name="Ask a partner school for support").click()
    expect(head.get_by_role("heading", level=1, name=f"Ask for support: {title}")) \
        .to_be_visible()
    need = head.get_by_label("The support you would like")
    expect(need).to_have_value(support_wanted)
    j.look(head, "head-support-request-new")
    head.get_by_label("Time wanted (hours, optional)").fill("6")
    head.get_by_role("button", name="Send the request").click()
    banner(head, "Request sent to the partnership lead")
    expect(head.get_by_role("heading", level=1, name=f"Support for {HOST}")).to_be_visible()
    j.look(head, "head-support-request")

    lead = j.page("lead")
    lead.goto("/support/")
    j.look(lead, "lead-support-board")
    lead.get_by_role("link", name=f"{HOST}: {AREA}").click()
    expect(lead.get_by_role("heading", level=1, name=f"Support for {HOST}")).to_be_visible()
    j.look(lead, "lead-support-request")
    lead.get_by_role("link", name="Broker a match").click()
    expect(lead.get_by_role("heading", level=1, name=f"Broker a match for {HOST}")) \
        .to_be_visible()
    j.look(lead, "lead-broker")
    lead.get_by_label("School to give the support").select_option(label=PROVIDER)
    lead.get_by_label("Its offer (optional)").select_option(
        label=f"{offer_title} – {PROVIDER}, 10 hours")
    lead.get_by_role("button", name=re.compile("^Propose the match")).click()
    banner(lead, f"Match proposed: {PROVIDER} and {HOST} are asked to confirm.")
    expect(lead.get_by_role("heading", level=1)).to_contain_text(
        f"{PROVIDER} supporting {HOST}")
    j.look(lead, "lead-match-proposed")
    match = SupportMatch.objects.get(request__action=action)
    match_path = f"/support/matches/{match.pk}/"

    # Each school confirms from its own support page.
    for persona, school in (("head", HOST), ("reviewer2", PROVIDER)):
        page = j.page(persona)
        page.goto("/support/")
        page.get_by_role("table", name="Support your schools give and receive").get_by_role(
            "link", name=PROVIDER).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(
            f"{PROVIDER} supporting {HOST}")
        j.look(page, f"{persona}-match")
        page.get_by_role("button", name=f"Confirm for {school}").click()
        banner(page, "Both schools have confirmed" if persona == "reviewer2"
               else "Confirmed. The other school is asked to confirm too.")
    expect(reviewer2.get_by_role("heading", level=1)).to_contain_text("Confirmed")
    j.look(reviewer2, "reviewer2-match-confirmed")

    # Asked for today, so given today (it cannot start before the school asked).
    reviewer2.get_by_label("First day").fill(today.isoformat())
    reviewer2.get_by_label("Last day").fill(today.isoformat())
    reviewer2.get_by_label("Hours given").fill("8")
    reviewer2.get_by_label("Who gave the support").fill("Our English lead")
    outcome = "A1 now timetables catch-up sessions three mornings a week."
    reviewer2.get_by_label("What difference it made").fill(outcome)
    reviewer2.get_by_role("button", name="Record the support").click()
    banner(reviewer2, "The support given is recorded.")
    expect(reviewer2.get_by_role("heading", level=1)).to_contain_text("Support given")
    expect(reviewer2.locator("main")).to_contain_text(outcome)
    j.look(reviewer2, "reviewer2-match-delivered")
    match.refresh_from_db()
    assert match.status == "delivered" and match.hours_given == 8

    head.goto(match_path)
    expect(head.locator("main")).to_contain_text(outcome)

    exec_head = j.page("exec_head")
    response = exec_head.goto(match_path)
    assert response.status in (403, 404), f"exec_head on the match page: {response.status}"
    response = exec_head.goto(f"/support/requests/{match.request_id}/")
    assert response.status in (403, 404), f"exec_head on the request page: {response.status}"
