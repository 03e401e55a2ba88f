"""Playwright driving Debian's Chromium (never a downloaded browser), with axe-core."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make browser-deps` "
                    "(apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_world(transactional_db):
    from conftest import build_world

    return build_world()


@pytest.fixture
def page_as(browser, live_server, browser_world):
    """``page_as("lead")``: a browser page signed in as that persona."""
    from django.test import Client

    contexts = []
    refused = []

    def _page(persona: str):
        context = browser.new_context(base_url=live_server.url,
                                      viewport={"width": 1100, "height": 900})
        contexts.append(context)
        if persona != "anonymous":
            from conftest import sign_in

            client = Client()
            sign_in(client, browser_world.people[persona])
            context.add_cookies([{"name": "sessionid",
                                  "value": client.cookies["sessionid"].value,
                                  "url": live_server.url}])
        page = context.new_page()
        watch_csp(page, refused)
        return page

    _page.refused = refused
    yield _page
    for context in contexts:
        context.close()
    assert not refused, "Content Security Policy violations:\n" + "\n".join(refused)


def watch_csp(page, refused: list) -> None:
    """Collect every Content Security Policy violation the browser reports on this page
    (Chromium writes "Refused to …" to the console, and fires securitypolicyviolation)."""
    def on_console(message):
        if "Content Security Policy" in message.text or message.text.startswith("Refused to"):
            refused.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                         "console.error('Refused to load ' + e.blockedURI + ' (Content "
                         "Security Policy ' + e.violatedDirective + ')'));")


def axe_check(page, name: str) -> None:
    """Fail on any axe-core violation at WCAG 2.2 AA; keep a screenshot either way."""
    from axe_playwright_python.sync_playwright import Axe

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    results = Axe().run(page, options={
        "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                              "wcag22aa", "best-practice"]},
        "resultTypes": ["violations"],
    })
    assert results.violations_count == 0, f"{name}: {page.url}\n{results.generate_report()}"
