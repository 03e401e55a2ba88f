"""Browser tests: keyboard-only sign-in, and a smoke crawl of every page as each persona
with an axe-core check (WCAG 2.2 AA) and a screenshot saved under test-artifacts/."""

import pytest
from django.urls import reverse

from conftest import PASSWORD, PERSONAS
from tests.browser.conftest import axe_check, watch_csp
from tests.test_permission_matrix import MATRIX

pytestmark = pytest.mark.browser

# Pages that are not ours to style (JSON, the Django admin and API docs) are not crawled.
NOT_HTML = ("healthz", "api:", "admin:", "resources:download", "reviews:file", "reviews:report_pdf",
            "notifications:feed", "improvement:plan_csv", "improvement:plan_export",
            "improvement:action_file", "training:reports_csv", "training:my_record_pdf",
            "training:my_record_csv", "accounts:session", "impact:analysis_export",
            "impact:fidelity_export", "impact:commissioner_report_pdf", "impact:wave_export",
            "privacy:my_data_json", "privacy:my_data_pdf", "training:slides")


# Each page is checked once, as the first of these personas who can open it (their pages
# show the most: managers see controls, hosts see content); pages that differ by person
# (the home page, your account) are checked for everyone. This keeps the crawl to one visit
# per page instead of one per page and persona.
CRAWL_ORDER = ["core", "head", "lead", "leader", "champion", "trainer", "staff", "associate",
               "exec_head", "reviewer2", "outsider", "alumnus", "evaluator", "norole",
               "anonymous"]
EVERYONE = ("home", "accounts:me")


def _crawler(name, expected):
    return next((p for p in CRAWL_ORDER if expected.get(p) == 200), None)


def _crawl_pages(persona):
    for name, (method, kwargs, expected, *_) in MATRIX.items():
        if method != "get" or expected[persona] != 200 or name.startswith(NOT_HTML):
            continue
        if name in EVERYONE or _crawler(name, expected) == persona:
            yield name.split("#")[0], kwargs


def test_sign_in_with_the_keyboard_alone(page_as, live_server):
    page = page_as("anonymous")
    page.goto(reverse("account_login"))
    axe_check(page, "anonymous-sign-in")

    def tab_to(element_id: str):
        for _ in range(25):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement && document.activeElement.id") \
                    == element_id:
                return
        raise AssertionError(f"could not reach #{element_id} with Tab")

    tab_to("id_login")
    page.keyboard.type("head@test.example")
    tab_to("id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Head"
    axe_check(page, "head-home-after-sign-in")


def test_sign_in_errors_are_summarised_and_focused(page_as):
    page = page_as("anonymous")
    page.goto(reverse("account_login"))
    page.fill("#id_login", "head@test.example")
    page.fill("#id_password", "wrong password")
    page.keyboard.press("Enter")
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error: ")
    assert page.evaluate("document.activeElement.closest('.govuk-error-summary') !== null")
    axe_check(page, "anonymous-sign-in-error")


def test_resetting_a_password_in_plain_words(page_as):
    """From sign-in to "Check your email": our headings and words, the error summary focused
    and linked to the field (axe on each page)."""
    page = page_as("anonymous")
    page.goto(reverse("account_login"))
    page.get_by_role("link", name="Forgot your password?").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Reset your password"
    axe_check(page, "anonymous-password-reset")
    page.get_by_role("button", name="Send the link").click()
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error: Reset your password")
    assert page.evaluate("document.activeElement.closest('.govuk-error-summary') !== null")
    page.get_by_role("link", name="Enter the email address").click()
    assert page.evaluate("document.activeElement.id") == "id_email"
    axe_check(page, "anonymous-password-reset-error")
    page.focus("#id_email")  # where the link put it (axe's run may move the focus)
    page.keyboard.type("head@test.example")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    assert "Password Reset" not in page.content()
    axe_check(page, "anonymous-password-reset-done")


def test_signing_out_asks_in_plain_words(page_as):
    page = page_as("head")
    page.goto(reverse("account_logout"))
    assert page.get_by_role("heading", level=1).inner_text() == "Sign out"
    axe_check(page, "head-sign-out")
    page.locator("#main-content").get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"


@pytest.mark.parametrize("persona", [p for p in PERSONAS])
def test_smoke_crawl_with_axe(page_as, browser_world, persona):
    from tests.factories import ImportJobFactory

    browser_world.job = ImportJobFactory(created_by=browser_world.people["core"])
    page = page_as(persona)
    refused = []
    watch_csp(page, refused)
    visited = 0
    for name, kwargs in _crawl_pages(persona):
        url = reverse(name, kwargs=kwargs(browser_world))
        response = page.goto(url)
        assert response.status == 200, f"{persona} {url}: {response.status}"
        assert "nonce-" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
        assert not refused, f"{persona} {url}: the page broke its own CSP: {refused}"
        axe_check(page, f"{persona}-{name.replace(':', '-')}")
        visited += 1
    assert visited > 0 or persona in CRAWL_ORDER[6:]


def test_every_page_is_crawled_by_someone():
    """The crawl still reaches every HTML page some persona can open."""
    missing = [name for name, (method, _k, expected, *_) in MATRIX.items()
               if method == "get" and not name.startswith(NOT_HTML)
               and any(v == 200 for v in expected.values())
               and _crawler(name, expected) is None]
    assert not missing, missing


def test_form_errors_are_accessible(page_as, browser_world):
    page = page_as("core")
    page.goto(reverse("partnerships:create"))
    page.get_by_role("button", name="Set up partnership").click()
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error: ")
    axe_check(page, "core-partnership-create-errors")
    page.goto(reverse("people:invite"))
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_selector(".govuk-error-summary")
    axe_check(page, "core-invite-errors")


def test_directory_filters_work_with_javascript(page_as, browser_world):
    page = page_as("head")
    page.goto(reverse("directory:schools"))
    page.fill("#id_q", "A1")
    page.get_by_role("button", name="Apply filters").click()
    # expect() polls from Playwright's own script world: a string passed to
    # wait_for_function would be evaluated in the page, which the CSP rightly refuses.
    from playwright.sync_api import expect

    expect(page.locator("#results")).to_contain_text("1 school")
    assert "A1 School" in page.inner_text("#results")
    assert "q=A1" in page.url


def test_associate_without_authenticator_must_set_one_up(page_as, live_server, browser_world):
    """A role that requires two-factor authentication: after signing in with a password the
    person is taken to set up an authenticator app before anything else."""
    import time

    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    from apps.accounts.models import Role
    from apps.accounts.services import grant_role

    grant_role(browser_world.people["head"], Role.ASSOCIATE, partnership=browser_world.beta)
    page = page_as("anonymous")
    page.goto(reverse("account_login"))
    page.fill("#id_login", "head@test.example")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "reauthenticate" in page.url:
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
    assert "/accounts/2fa/totp/activate" in page.url, page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Set up an authenticator app"
    axe_check(page, "associate-mfa-activate")
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    page.wait_for_load_state()
    # Nothing entered: the summary names the field and links to it
    page.get_by_role("link", name="Enter the code from your authenticator app").click()
    assert page.evaluate("document.activeElement.id") == "id_code"
    page.get_by_text("I cannot scan the QR code").click()
    secret = (page.locator(".app-setup-key").text_content() or "").strip()
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    page.fill("#id_code", code)
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    page.wait_for_load_state()
    assert Authenticator.objects.filter(user=browser_world.people["head"],
                                        type="totp").exists()
    assert page.get_by_role("heading", level=1).inner_text() == "Your recovery codes"
    axe_check(page, "associate-recovery-codes")
    page.goto(reverse("home"))
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Head"


def test_core_team_edits_and_publishes_a_framework_version(page_as, browser_world):
    """Start from the published version, change a question in the new draft, send it for
    review, publish, and see what changed."""
    w = browser_world
    page = page_as("core")
    page.goto(reverse("frameworks:version", args=[w.framework.slug, w.draft.number]))
    axe_check(page, "core-framework-draft")
    page.get_by_role("link", name="Edit question: How well do pupils talk").click()
    page.fill("#id_text", "How well do pupils talk about the books they choose for pleasure?")
    page.get_by_role("button", name="Save question").click()
    page.wait_for_selector(".govuk-notification-banner")
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_selector("text=In review: nothing can be changed")
    page.get_by_role("button", name=f"Publish version {w.draft.number}").click()
    page.wait_for_selector("text=Published. The previous version is retired.")
    axe_check(page, "core-framework-published")
    page.get_by_role("link", name="What changed since version 1").click()
    assert "choose" in page.inner_text("main ul ins")
    axe_check(page, "core-framework-diff")


def test_headteacher_searches_and_shortlists(page_as, browser_world):
    page = page_as("head")
    page.goto(reverse("frameworks:search"))
    page.fill("#id_q", "reading")
    page.get_by_role("button", name="Search").click()
    page.wait_for_selector("#results >> text=found")
    axe_check(page, "head-framework-search")
    page.get_by_role("button", name="Save to our shortlist").first.click()
    page.wait_for_selector(".govuk-notification-banner")
    page.goto(reverse("frameworks:shortlist"))
    page.get_by_role("button", name="Choose as key question").first.click()
    page.wait_for_selector("text=Key enquiry question")
    axe_check(page, "head-shortlist-chosen")


def test_a_content_security_policy_violation_is_caught(page_as):
    """The crawl's watch can fail: an inline script added without the nonce is refused by
    the browser and reported."""
    page = page_as("head")
    refused = []
    watch_csp(page, refused)
    page.goto(reverse("home"))
    assert page.evaluate("document.body.classList.contains('js-enabled')")  # nonce'd script ran
    page.evaluate("const s = document.createElement('script'); s.textContent = "
                  "'window.ran = true'; document.body.appendChild(s)")
    page.wait_for_timeout(200)
    assert page.evaluate("window.ran === undefined")
    assert refused and any("script-src" in r for r in refused), refused
    assert page_as.refused  # the fixture's own watch (which fails any test) saw it too
    page_as.refused.clear()
