"""Helpers shared by the browser journeys: one ``Journey`` per test, and small page helpers.

A ``Journey`` keeps one signed-in page per persona and collects the problems found along the
way (server errors, JavaScript errors and axe-core violations), so one problem does not hide
the rest of the journey; the test fails on them at the end.
"""

import re

from tests.browser.conftest import axe_check


class Journey:
    """The pages of each persona, and the problems found along the way.

    ``prefix`` starts the name of each screenshot (``f"{prefix}-{name}"``); ``base_url``
    (the live server's) is only needed for :meth:`url`.
    """

    def __init__(self, page_as, prefix, *, base_url=None, timeout=10_000):
        self.page_as = page_as
        self.prefix = prefix
        self.base = base_url
        self.timeout = timeout
        self.pages = {}
        self.checked = set()
        self.problems = []

    def page(self, persona):
        if persona not in self.pages:
            page = self.page_as(persona)
            page.set_default_timeout(self.timeout)
            page.on("response", lambda r, who=persona: self._response(who, r))
            page.on("pageerror", lambda e, who=persona, p=page: self.problems.append(
                f"[{who}] JavaScript error on {p.url}: {e}"))
            self.pages[persona] = page
        return self.pages[persona]

    def _response(self, persona, response):
        if response.status >= 500:
            self.problems.append(f"[{persona}] HTTP {response.status} for "
                                 f"{response.request.method} {response.url}")

    def look(self, page, name):
        """axe-core once per distinct page (a screenshot is kept either way)."""
        if name in self.checked:
            return
        self.checked.add(name)
        try:
            axe_check(page, f"{self.prefix}-{name}")
        except AssertionError as e:
            self.problems.append(f"axe: {e}")

    def url(self, path):
        if self.base is None:
            raise ValueError("Journey.url() needs the Journey made with base_url")
        return f"{self.base}{path}"


def banner(page, text):
    """The notification banner a redirect after a form shows."""
    from playwright.sync_api import expect

    expect(page.locator(".govuk-notification-banner").filter(has_text=text).first) \
        .to_be_visible()


def path_of(url):
    """The path of ``url``, without its scheme, host or fragment."""
    return re.sub(r"^https?://[^/]+", "", url).split("#")[0]


def save_state(page):
    """The autosave's status message."""
    return page.locator("[data-save-state]")


def subnav(page, name):
    """Follow a link of the review's section navigation."""
    page.get_by_role("navigation", name="Review sections").get_by_role(
        "link", name=name, exact=True).click()
    page.wait_for_load_state()


def wait_until(page, expression: str, timeout: float = 15.0) -> None:
    """Wait until ``expression`` is true in the page. ``page.wait_for_function`` with a string
    may evaluate it inside the page, which the Content Security Policy refuses (no eval);
    ``page.evaluate`` runs through the browser's debugging protocol, which it allows."""
    import time

    end = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > end:
            raise AssertionError(f"Still false after {timeout:.0f} s: {expression}")
        page.wait_for_timeout(100)
