"""The header and navigation in a browser: each role's sections fit one line at 1024 px, and
at 375 px nothing spills sideways or sits on top of anything else. The public start page and
the footer's privacy notice, accessibility statement and cookies page pass axe."""

import pytest
from django.urls import reverse

from tests.browser.conftest import axe_check
from tests.browser.test_narrow_screens import OVERFLOW

pytestmark = pytest.mark.browser

PERSONAS = ["core", "associate", "evaluator", "lead", "head", "exec_head", "staff", "norole"]

NAV_ROWS = """() => {
  const items = [...document.querySelectorAll('.govuk-service-navigation__item')];
  return [...new Set(items.map(e => Math.round(e.getBoundingClientRect().top)))].length;
}"""

OVERLAPS = """() => {
  const items = [...document.querySelectorAll(
    '.govuk-generic-header a, .govuk-generic-header button, .pr-header-account span, ' +
    '.govuk-service-navigation__link, .govuk-service-navigation__toggle')]
    .filter(e => e.offsetParent !== null);
  const boxes = items.map(e => e.getBoundingClientRect());
  const out = [];
  boxes.forEach((a, i) => boxes.forEach((b, j) => {
    if (i < j && a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 &&
        b.top < a.bottom - 1) out.push(items[i].textContent.trim() + ' / ' +
                                       items[j].textContent.trim());
  }));
  return out;
}"""

HEADER_HEIGHT = ("() => document.querySelector('.govuk-generic-header')"
                 ".getBoundingClientRect().height")


def test_the_header_fits_at_1024_and_375_pixels(page_as):
    problems = []
    for persona in PERSONAS:
        page = page_as(persona)
        page.set_viewport_size({"width": 1024, "height": 800})
        page.goto(reverse("home"))
        rows = page.evaluate(NAV_ROWS)
        if rows != 1:
            problems.append(f"{persona} at 1024 px: the navigation takes {rows} lines")
        problems += [f"{persona} at 1024 px: {o}" for o in page.evaluate(OVERLAPS)]
        # The header itself: the name and account links on at most two lines.
        if page.evaluate(HEADER_HEIGHT) > 140:
            problems.append(f"{persona} at 1024 px: the header is "
                            f"{page.evaluate(HEADER_HEIGHT)} px tall")
        page.set_viewport_size({"width": 375, "height": 800})
        page.goto(reverse("home"))
        problems += [f"{persona} at 375 px: {o}" for o in page.evaluate(OVERFLOW)]
        problems += [f"{persona} at 375 px: {o}" for o in page.evaluate(OVERLAPS)]
        toggle = page.locator(".govuk-service-navigation__toggle")
        if not toggle.is_visible():
            problems.append(f"{persona} at 375 px: no Menu button")
        else:
            toggle.click()
            if not page.locator(".govuk-service-navigation__list").is_visible():
                problems.append(f"{persona} at 375 px: Menu does not open the navigation")
        if persona in ("core", "head"):
            axe_check(page, f"{persona}-header-375")
    assert not problems, "\n".join(problems)


def test_a_visitor_starts_at_the_start_page_and_finds_the_footer_pages(page_as):
    page = page_as("anonymous")
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "School-to-school peer review"
    axe_check(page, "anonymous-start")
    for link, heading in (("Privacy", "Privacy notice"),
                          ("Accessibility statement", "Accessibility statement for"),
                          ("Cookies", "Cookies")):
        page.locator("footer").get_by_role("link", name=link, exact=True).click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text().startswith(heading)
        axe_check(page, f"anonymous-{link.split()[0].lower()}")
        page.set_viewport_size({"width": 375, "height": 800})
        assert page.evaluate(OVERFLOW) == [], link
        page.set_viewport_size({"width": 1100, "height": 900})
    page.goto("/")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
