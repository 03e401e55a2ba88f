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
