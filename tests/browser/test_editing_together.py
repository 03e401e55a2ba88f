"""Two reviewers in two browsers open the same fresh Findings section, both type, both save:
the first is saved, the second sees a conflict with both texts (theirs kept in the boxes,
the saved one beside), and nothing is lost. Then the one page keeps what was typed in a
second section while a first one conflicts. axe checks the conflict page."""

import pytest

from tests.browser.journey import Journey, banner, wait_until

pytestmark = pytest.mark.browser

LEADER_TEXT = "Pupils use phonics on new words and read aloud with expression."
SECOND_TEXT = "Most pupils in Year 2 talk about the books they choose."
LINE_TEXT = "New arrivals have a phonics check in their first week."


def test_two_people_saving_a_fresh_findings_section_both_keep_their_words(
        page_as, live_server, browser_world):
    from playwright.sync_api import expect

    from apps.reviews.models import Finding, Status, TeamMember

    w = browser_world
    review = w.review
    review.status = Status.IN_REVIEW
    review.save()
    Finding.objects.filter(review=review).delete()  # nobody has written findings yet
    TeamMember.objects.create(review=review, user=w.people["reviewer2"],
                              school=w.schools["A4"], role="reviewer", status="accepted")
    j = Journey(page_as, "editing-together")
    leader, second = j.page("leader"), j.page("reviewer2")
    url = f"{live_server.url}/reviews/{review.pk}/findings/"

    def section(page, heading):
        return page.locator("section").filter(
            has=page.get_by_role("heading", name=heading, exact=True))

    for page in (leader, second):  # both open the page before either saves
        page.goto(url)
    section(leader, "Key enquiry question").get_by_label("What is working well").fill(
        LEADER_TEXT)
    key = section(second, "Key enquiry question")
    key.get_by_label("What is working well").fill(SECOND_TEXT)
    section(second, "Line of enquiry 1").get_by_label("What is working well").fill(LINE_TEXT)

    section(leader, "Key enquiry question").get_by_role(
        "button", name="Save these findings").click()
    banner(leader, "Findings saved.")

    key.get_by_role("button", name="Save these findings").click()
    key = section(second, "Key enquiry question")
    expect(key.locator(".govuk-error-summary")).to_contain_text(
        "saved these findings while you were editing")
    saved = key.locator("[data-conflict]")
    expect(saved).to_contain_text("Saved by Leader")
    expect(saved).to_contain_text(LEADER_TEXT)
    expect(key.get_by_label("What is working well")).to_have_value(SECOND_TEXT)
    # The other section, typed on the same page, was saved with the same press.
    expect(section(second, "Line of enquiry 1").get_by_label("What is working well")) \
        .to_have_value(LINE_TEXT)
    j.look(second, "findings-conflict")
    assert Finding.objects.get(review=review, line=None).working_well == LEADER_TEXT
    assert Finding.objects.get(review=review, line__position=1).working_well == LINE_TEXT

    # Combining the two and saving again goes through.
    key.get_by_label("What is working well").fill(f"{LEADER_TEXT} {SECOND_TEXT}")
    key.get_by_role("button", name="Save these findings").click()
    banner(second, "Findings saved.")
    assert Finding.objects.get(review=review, line=None).working_well == \
        f"{LEADER_TEXT} {SECOND_TEXT}"
    assert not j.problems, "\n".join(j.problems)


def test_evidence_note_keeps_its_line_when_a_file_is_refused(page_as, live_server,
                                                            browser_world, tmp_path):
    """Autosave sends the line chosen after the text was saved; a refused file then leaves
    the note saved under that line, and the page says so."""
    from playwright.sync_api import expect

    from apps.reviews.models import EvidenceNote, Status
    from tests.browser.journey import save_state

    review = browser_world.review
    review.status = Status.IN_REVIEW
    review.save()
    j = Journey(page_as, "editing-together")
    page = j.page("leader")
    page.goto(f"{live_server.url}/reviews/{review.pk}/evidence/")
    text = "Two pupils explained how they chose their reading book."
    page.get_by_label("What you saw and heard").fill(text)
    expect(save_state(page)).to_contain_text("Saved at", timeout=10_000)
    assert EvidenceNote.objects.get(text=text).line is None
    page.get_by_label("Line of enquiry").select_option(index=1)
    expect(save_state(page)).to_contain_text("Saved at", timeout=10_000)
    wait_until(page, "!localStorage.length || Object.keys(localStorage).every("
                     "k => !JSON.parse(localStorage.getItem(k)).dirty)")
    assert EvidenceNote.objects.get(text=text).line.position == 1
    fake = tmp_path / "photo.jpg"
    fake.write_bytes(b"not really a jpeg")
    page.get_by_label("Attach a photo or document (optional)").set_input_files(str(fake))
    page.get_by_role("button", name="Save note").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("not really a .jpg file")
    expect(page.locator("[data-note-saved]")).to_contain_text(
        "Your note is saved under line of enquiry 1")
    note = EvidenceNote.objects.get(text=text)
    assert note.line.position == 1 and not note.attachments.exists()
    assert not j.problems, "\n".join(j.problems)
