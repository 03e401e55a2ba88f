"""Welsh in the browser: the header's language switch with the keyboard alone, the sign-in
page and account pages in Welsh checked with axe (the page's lang included), and the choice
kept for the device and for the person."""

import pytest
from django.urls import reverse

from tests.browser.conftest import axe_check

pytestmark = pytest.mark.browser


def _switch_with_keyboard(page, name: str) -> None:
    button = page.get_by_role("button", name=name)
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def test_signed_out_switching_to_welsh_and_back(page_as):
    page = page_as("anonymous")
    page.goto(reverse("account_login"))
    _switch_with_keyboard(page, "Cymraeg (change the language of the pages)")
    page.wait_for_url(f"**{reverse('account_login')}")
    page.get_by_role("heading", name="Mewngofnodi", level=1).wait_for()
    assert page.evaluate("document.documentElement.lang") == "cy"
    assert page.get_by_label("Cyfeiriad e-bost").is_visible()
    axe_check(page, "welsh-sign-in")
    # The error summary in Welsh too.
    page.get_by_role("button", name="Mewngofnodi").click()
    page.wait_for_load_state()
    assert page.get_by_text("Mae problem wedi codi").is_visible()
    axe_check(page, "welsh-sign-in-error")
    cookie = next(c for c in page.context.cookies() if c["name"] == "pr_language")
    assert cookie["value"] == "cy" and cookie["httpOnly"]
    # The public pages follow the choice: the start page and the privacy notice.
    for url, name in (("/", "welsh-start-page"), ("/privacy/", "welsh-privacy")):
        page.goto(url)
        _welsh_page_check(page, name)
    page.goto(reverse("account_login"))
    _switch_with_keyboard(page, "English (newid iaith y tudalennau)")
    page.get_by_role("heading", name="Sign in", level=1).wait_for()
    assert page.evaluate("document.documentElement.lang") == "en-GB"


def test_signed_in_the_language_page_and_account_in_welsh(page_as):
    page = page_as("head")
    page.goto(reverse("accounts:language"))
    page.get_by_role("group", name="Language").get_by_label("Cymraeg").check()
    page.get_by_role("button", name="Save language").click()
    page.wait_for_load_state()
    assert page.get_by_text("Mae'r tudalennau yn Gymraeg nawr.").is_visible()
    axe_check(page, "welsh-language-page")
    page.goto(reverse("accounts:me"))
    page.get_by_role("heading", name="Eich cyfrif", level=1).wait_for()
    axe_check(page, "welsh-account")
    page.goto(reverse("accounts:display"))
    page.get_by_role("heading", name="Gosodiadau arddangos", level=1).wait_for()
    axe_check(page, "welsh-display")


# Words that show untranslated interface text if they appear in a Welsh page's main text (the
# test's names and data hold none of them as whole words).
ENGLISH = ("Review", "Reviews", "Training", "Enter", "Select", "Save", "Continue", "Back",
           "Change", "Status", "Search", "Your", "Show", "There")


def _welsh_page_check(page, name: str) -> None:
    """The page is in Welsh: <html lang="cy">, axe clean, and none of ``ENGLISH`` in
    <main>."""
    import re

    assert page.evaluate("document.documentElement.lang") == "cy", page.url
    from django.conf import settings

    # The service's name is a name, in English in both languages.
    text = page.inner_text("main").replace(settings.PLATFORM_NAME, "")
    found = sorted({w for w in ENGLISH if re.search(rf"\b{w}\b", text)})
    assert not found, f"{name}: English words {found} on {page.url}:\n{text}"
    axe_check(page, name)


def test_translated_areas_in_welsh_with_axe(page_as, browser_world):
    """Signed in as a headteacher who switches to Welsh with the header's button, then as the
    evaluator and an alumni head: a page of each translated area, one load each, in Welsh."""
    from apps.community.tests.world import community_world

    w = browser_world
    community_world(w)
    w.people["evaluator"].language = w.people["alumnus"].language = "cy"
    w.people["evaluator"].save(update_fields=["language"])
    w.people["alumnus"].save(update_fields=["language"])
    head = page_as("head")
    head.goto(reverse("reviews:detail", args=[w.review.pk]))
    _switch_with_keyboard(head, "Cymraeg (change the language of the pages)")
    head.wait_for_url(f"**{reverse('reviews:detail', args=[w.review.pk])}")
    head.locator("html[lang='cy']").wait_for(state="attached")
    _welsh_page_check(head, "welsh-review-overview")
    for url, name in ((reverse("training:catalogue"), "welsh-training-catalogue"),
                      (reverse("community:index"), "welsh-community-spaces"),
                      (reverse("community:space", args=["reading-for-pleasure"]),
                       "welsh-community-space"),
                      (reverse("community:directory"), "welsh-community-directory"),
                      (reverse("home"), "welsh-home"),
                      (reverse("support:index"), "welsh-support"),
                      (reverse("improvement:plan", args=[w.review.pk]), "welsh-action-plan"),
                      (reverse("notifications:list"), "welsh-notifications")):
        head.goto(url)
        _welsh_page_check(head, name)
    alumnus = page_as("alumnus")
    alumnus.goto(reverse("alumni:index"))
    _welsh_page_check(alumnus, "welsh-alumni")
    evaluator = page_as("evaluator")
    evaluator.goto(reverse("impact:index"))
    _welsh_page_check(evaluator, "welsh-impact")
