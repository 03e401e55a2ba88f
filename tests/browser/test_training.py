"""Training and events, in Chromium, through the pages, as each person would do it.

A1's headteacher joins the waiting list of the full peer reviewer training session; a booked
school leader cancels, so reviewer2 (first on the list) is offered the place and accepts it.
The headteacher books a member of staff on the national meeting. The trainer runs a live poll
that the member of staff answers from another browser context while the trainer's results
update by themselves. Once the session is over the trainer takes the register; the member of
staff downloads the certificate, is a trained peer reviewer, can share a verification link
that an anonymous visitor opens, and gives feedback on the session.

Every distinct page is checked with axe-core (a screenshot of each is kept under
test-artifacts/screenshots). Accessibility violations, server errors and JavaScript errors
are collected as the journey goes on and fail the test at the end, so one problem does not
hide the rest of the journey.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.journey import Journey, banner, path_of

pytestmark = pytest.mark.browser

COURSE = "Peer reviewer training"
MEETING = "National meeting"
QUESTION = "Which part of the review day worries you most?"
OPTIONS = ["The pupil voice meeting", "Lesson visits", "The feedback to the head"]


def course_card(page, title):
    return page.locator("section").filter(
        has=page.get_by_role("heading", level=2, name=title, exact=True))


def open_session_from_catalogue(page, title, j=None, name=""):
    from playwright.sync_api import expect

    page.goto("/training/")
    expect(page.get_by_role("heading", level=1, name="Training and events")).to_be_visible()
    if j:
        j.look(page, name)
    course_card(page, title).get_by_role(  # a session's link: "28 October 2026 at 9am"
        "link", name=re.compile(r"\d{4} at (\d{1,2}(:\d\d)?(am|pm)|midday|midnight)")
    ).first.click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()


def inset(page):
    return page.locator("main .govuk-inset-text").first


def download_pdf(j, page, link, name):
    """Follow a link to a PDF: it downloads at once, or a waiting page comes first (which
    checks by itself); then the PDF's bytes."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import expect

    for _attempt in range(8):
        try:
            with page.expect_download(timeout=6_000) as download:
                link.click()
            with open(download.value.path(), "rb") as f:
                return download.value.suggested_filename, f.read()
        except PlaywrightError:
            # The waiting page: wait for it to say the PDF is ready, then follow its link.
            expect(page.locator("#pdf-state")).to_be_visible()
            j.look(page, f"{name}-pdf-waiting")
            state = page.locator("#pdf-state")
            if "could not be made" in (state.text_content() or ""):
                link = page.get_by_role("link", name="Try again")
                continue
            try:
                expect(state).to_contain_text("The PDF is ready", timeout=8_000)
            except AssertionError:
                page.reload()
            link = page.get_by_role("link", name=re.compile("^Download (the PDF|it)$"))
    raise AssertionError(f"{name}: the PDF never downloaded ({page.url})")


@pytest.fixture(autouse=True)
def _patient_expect():
    """htmx refreshes take a moment: wait up to 10 s, here only."""
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
    yield
    expect.set_options(timeout=5_000)


def test_book_wait_promote_poll_register_certificate(page_as, live_server, browser_world):
    from playwright.sync_api import expect

    from apps.accounts.models import User
    from apps.training import records
    from apps.training.models import Booking, Feedback, PollAnswer, SessionPart

    w = browser_world
    session_path = f"/training/sessions/{w.session.pk}/"
    j = Journey(page_as, "training")

    # 1. The headteacher joins the waiting list of the full session. -------------------------
    head = j.page("head")
    open_session_from_catalogue(head, COURSE, j, "head-catalogue")
    assert path_of(head.url) == session_path, head.url
    main = head.locator("main")
    expect(main).to_contain_text("Full (1 waiting)")
    expect(main).to_contain_text("the link is shown once you have a place")
    expect(head.get_by_role("link", name="join the session")).to_have_count(0)
    j.look(head, "head-session-full")
    head.get_by_role("button", name="Join the waiting list").click()
    banner(head, "you are on the waiting list")
    expect(inset(head)).to_contain_text("You are number 2 on the waiting list")
    expect(head.get_by_role("button", name="Leave the waiting list")).to_be_visible()
    j.look(head, "head-session-waiting")
    assert Booking.objects.get(session=w.session, user=w.people["head"]).status == "waiting"

    # 2. A booked school leader cancels; reviewer2, first on the list, is offered the place. --
    leader = j.page("leader")
    leader.goto(session_path)
    expect(inset(leader)).to_contain_text("You have a place")
    j.look(leader, "leader-session-booked")
    leader.get_by_role("button", name="Cancel my booking").click()
    banner(leader, "Cancelled.")
    expect(leader.get_by_role("button", name="Cancel my booking")).to_have_count(0)
    j.look(leader, "leader-session-cancelled")

    reviewer2 = j.page("reviewer2")
    reviewer2.goto(session_path)
    expect(inset(reviewer2)).to_contain_text("A place is offered to you until")
    expect(reviewer2.get_by_role("link", name="join the session")).to_have_count(0)
    j.look(reviewer2, "reviewer2-session-offered")
    reviewer2.get_by_role("button", name="Accept the place").click()
    banner(reviewer2, "Booked: the place is yours.")
    expect(inset(reviewer2)).to_contain_text("You have a place")
    expect(reviewer2.get_by_role("link", name="join the session")).to_have_attribute(
        "href", "https://meet.example/training")
    j.look(reviewer2, "reviewer2-session-booked")
    assert Booking.objects.get(pk=w.waiting.pk).status == "booked"

    head.reload()
    expect(inset(head)).to_contain_text("You are number 1 on the waiting list")

    # 3. The headteacher books a member of staff on the national meeting. --------------------
    open_session_from_catalogue(head, MEETING)
    assert path_of(head.url) == f"/training/sessions/{w.open_session.pk}/", head.url
    expect(head.locator("main")).to_contain_text("Town Hall")
    j.look(head, "head-meeting")
    head.get_by_role("link", name="Book a place for someone at your school").click()
    expect(head.get_by_role("heading", level=1)).to_contain_text(
        "Book a place for someone at your school")
    j.look(head, "head-book-for-staff")
    head.get_by_label("Who to book").select_option(label="Staff")
    head.get_by_role("button", name="Book", exact=True).click()
    banner(head, "Staff: booked.")
    expect(head.locator("main")).to_contain_text("Staff – booked")
    expect(head.get_by_role("button", name="Cancel Staff's booking")).to_be_visible()
    j.look(head, "head-meeting-booked-for-staff")
    booked = Booking.objects.get(session=w.open_session, user=w.people["staff"])
    assert booked.status == "booked" and booked.booked_by == w.people["head"]

    # 4. A live poll, from two browser contexts. ---------------------------------------------
    trainer = j.page("trainer")
    trainer.goto(session_path)
    j.look(trainer, "trainer-session")
    trainer.get_by_role("link", name="Live polls", exact=True).click()
    expect(trainer.get_by_role("heading", level=1, name="Live polls")).to_be_visible()
    j.look(trainer, "trainer-polls")
    trainer.get_by_label("Question", exact=True).fill(QUESTION)
    trainer.get_by_label("One", exact=True).check()
    trainer.get_by_label("Answers to choose from").fill("\n".join(OPTIONS))
    trainer.get_by_role("button", name="Add the poll").click()
    banner(trainer, "Poll added. Open it when you are ready.")
    trainer.get_by_role("button", name=f"Open the poll: {QUESTION}").click()
    banner(trainer, f"Opened: {QUESTION}")
    expect(trainer.get_by_role("button", name=f"Close the poll: {QUESTION}")).to_be_visible()
    j.look(trainer, "trainer-polls-opened")
    trainer.get_by_role(
        "link", name=re.compile(r"^See the results\s*: " + re.escape(QUESTION))).click()
    expect(trainer.get_by_role("heading", level=1, name=QUESTION)).to_be_visible()
    results = trainer.locator("#poll-results")
    expect(results).to_contain_text("0 of 2 people with a place have answered")
    j.look(trainer, "trainer-poll-results-empty")
    trainer.evaluate("window.__notReloaded = true")

    staff = j.page("staff")
    staff.goto(session_path)
    expect(inset(staff)).to_contain_text("You have a place")
    j.look(staff, "staff-session-poll-open")
    staff.get_by_role("link", name=re.compile(
        r"^Answer the poll\s*: " + re.escape(QUESTION))).click()
    expect(staff.get_by_role("heading", level=1, name=QUESTION)).to_be_visible()
    j.look(staff, "staff-poll")
    staff.get_by_label(OPTIONS[1], exact=True).check()
    staff.get_by_role("button", name="Send my answer").click()
    banner(staff, "Your answer is saved.")
    expect(staff.locator("main")).to_contain_text(f"You answered: {OPTIONS[1]}")
    expect(staff.get_by_role("button", name="Change my answer")).to_be_visible()
    j.look(staff, "staff-poll-answered")
    assert PollAnswer.objects.filter(poll__question=QUESTION, booking=w.booking,
                                     choices=[1]).exists()

    # The trainer's results update by themselves (htmx), without a reload.
    expect(results).to_contain_text("1 of 2 people with a place has answered",
                                    timeout=15_000)
    assert trainer.evaluate("window.__notReloaded === true"), "the results page reloaded"
    table = trainer.get_by_role("table", name="Answers in a table")
    expect(table).to_be_visible()
    for i, option in enumerate(OPTIONS):
        row = table.get_by_role("row").filter(
            has=trainer.get_by_role("rowheader", name=option, exact=True))
        cells = row.get_by_role("cell")
        expect(cells).to_have_text(["1", "100%"] if i == 1 else ["0", "0%"])
    expect(results).to_contain_text(f"{OPTIONS[1]}: 1 (100%)")
    j.look(trainer, "trainer-poll-results-live")

    # 5. The session is over: the register, the certificate, the record. ---------------------
    yesterday = timezone.now() - timedelta(days=1)
    SessionPart.objects.filter(session=w.session).update(
        starts_at=yesterday, ends_at=yesterday + timedelta(hours=3))

    trainer.goto(session_path)
    trainer.get_by_role("link", name="Take the register").click()
    expect(trainer.get_by_role("heading", level=1, name="Register")).to_be_visible()
    j.look(trainer, "trainer-register")
    trainer.get_by_role("group", name="Staff", exact=True).get_by_label(
        "Present", exact=True).check()
    trainer.get_by_role("button", name="Save the register").click()
    banner(trainer, "Register saved. 1 person completed the course")
    completed = trainer.locator("main").filter(
        has=trainer.get_by_role("heading", level=2, name="Completed (1)"))
    expect(completed).to_contain_text("Staff – present")
    j.look(trainer, "trainer-register-saved")
    w.booking.refresh_from_db()
    assert w.booking.attendance == "present" and w.booking.completed_at, w.booking
    number = w.booking.certificate_number
    assert number, "no certificate number"
    expect(completed).to_contain_text(number)

    staff_user = User.objects.get(pk=w.people["staff"].pk)
    expected_until = records.add_months(timezone.localdate(w.booking.completed_at),
                                        w.course.validity_months)
    assert staff_user.reviewer_trained_until == expected_until, (
        staff_user.reviewer_trained_until, expected_until)

    # Held: the trainer sees who attended; nothing about it can be booked or cancelled.
    trainer.goto(session_path)
    expect(trainer.get_by_role("heading", level=2, name="People on this session")) \
        .to_be_visible()
    expect(trainer.get_by_role("heading", level=3, name="Attended (1)")).to_be_visible()
    expect(trainer.locator("main")).to_contain_text("Held on")
    expect(trainer.get_by_role("button", name=re.compile("^(Book a place|Join the waiting "
                                                         "list)$"))).to_have_count(0)
    j.look(trainer, "trainer-session-held")
    staff.goto(session_path)
    expect(staff.get_by_role("link", name=f"Download your certificate ({number})")) \
        .to_be_visible()
    expect(inset(staff)).to_contain_text(f"You attended: certificate {number}.")
    expect(staff.get_by_role("button", name="Cancel my booking")).to_have_count(0)
    expect(staff.get_by_text("People on this session")).to_have_count(0)
    j.look(staff, "staff-session-completed")
    staff.goto("/training/my-bookings/")
    expect(staff.get_by_role("heading", level=1, name="Your bookings")).to_be_visible()
    j.look(staff, "staff-my-bookings")
    card = staff.locator(".pr-card").filter(
        has=staff.get_by_role("link", name=COURSE, exact=True))
    filename, pdf = download_pdf(j, staff, card.get_by_role("link", name="certificate"),
                                 "staff-certificate")
    assert pdf.startswith(b"%PDF"), pdf[:40]
    assert filename == f"certificate-{number}.pdf", filename

    staff.goto("/training/my-bookings/")
    staff.get_by_role("link", name="Your training record").click()
    expect(staff.get_by_role("heading", level=1, name="Your training record")).to_be_visible()
    expect(staff.locator("main")).to_contain_text(
        f"Trained until {expected_until.day} {expected_until:%B %Y}")
    training_table = staff.get_by_role("table", name=re.compile("Training you have completed"))
    expect(training_table).to_contain_text(COURSE)
    expect(training_table).to_contain_text(number)
    j.look(staff, "staff-record")
    verify_path = path_of(staff.get_by_role("link", name="See what they see")
                          .get_attribute("href"))
    assert re.fullmatch(r"/training/verify/[^/]+/", verify_path), verify_path
    assert staff.get_by_label("Link to share").input_value().endswith(verify_path)

    visitor = j.page("anonymous")
    response = visitor.goto(verify_path)
    assert response.status == 200, f"verify page: {response.status}"
    expect(visitor.get_by_role("heading", level=1, name="Staff")).to_be_visible()
    verified = visitor.get_by_role("table", name=re.compile("Certified training"))
    expect(verified).to_contain_text(COURSE)
    expect(verified).to_contain_text(number)
    expect(visitor.locator("main")).not_to_contain_text("staff@test.example")
    j.look(visitor, "anonymous-verify")

    # 6. Feedback on the session, now it has started. ----------------------------------------
    staff.goto(session_path)
    staff.get_by_role("link", name="Give feedback on this session").click()
    expect(staff.get_by_role("heading", level=1, name="Your feedback")).to_be_visible()
    j.look(staff, "staff-feedback")
    staff.get_by_label("4 – Good", exact=True).check()
    comment = "Clear, practical and well paced; more time on lesson visits, please."
    staff.get_by_label("Comments (optional)").fill(comment)
    staff.get_by_role("button", name="Send my feedback").click()
    banner(staff, "Thank you: your feedback is saved.")
    expect(staff.get_by_role("link", name="Change your feedback on this session")) \
        .to_be_visible()
    j.look(staff, "staff-session-feedback-given")
    feedback = Feedback.objects.get(booking=w.booking)
    assert (feedback.rating, feedback.comments) == (4, comment), feedback

    if j.problems:
        pytest.fail("The journey completed, but with problems:\n\n" + "\n\n".join(j.problems),
                    pytrace=False)
