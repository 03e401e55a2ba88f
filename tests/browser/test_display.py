"""Display settings in the browser: each mode (text 200 %, high contrast, dark, wider
spacing, and all at once) switched on through the Display page, then key pages checked
with axe (colour contrast included) and for content that spills sideways; the choice kept
for a signed-out device; "Read this page aloud" worked with the keyboard alone."""

import pytest
from django.urls import reverse

from tests.browser.conftest import axe_check
from tests.browser.test_narrow_screens import OVERFLOW
from tests.test_permission_matrix import MATRIX

pytestmark = pytest.mark.browser

# label of the radio to choose for each setting -> classes on <html> afterwards
MODES = {
    "text-200": ({"Text size": "200%"}, "pr-text-200"),
    "contrast": ({"Colours": "High contrast"}, "pr-theme-contrast"),
    "dark": ({"Colours": "Dark"}, "pr-theme-dark"),
    "spacing": ({"Spacing of text": "Wider spacing"}, "pr-spacing-wide"),
    "all": ({"Text size": "200%", "Colours": "Dark", "Spacing of text": "Wider spacing"},
            "pr-text-200 pr-theme-dark pr-spacing-wide"),
}
WIDTH = 375
STANDARD = {"Text size": "100%", "Colours": "Standard", "Spacing of text": "Standard"}


def _choose(page, choices: dict, go: bool = True) -> None:
    """On the Display page: the radios named, then Save, as a person would."""
    if go:
        page.goto(reverse("accounts:display"))
    for legend, label in {**STANDARD, **choices}.items():
        group = page.get_by_role("group", name=legend)
        group.get_by_label(label, exact=False).first.check()
    page.get_by_role("button", name="Save display settings").click()
    page.wait_for_load_state()
    assert page.get_by_text("Your display settings are saved").is_visible()


def _key_pages(w) -> list[tuple[str, str]]:
    """Key pages, between them holding every kind of part with colours of its own."""
    def url(name: str) -> str:
        return reverse(name, kwargs=MATRIX[name][1](w))

    return [("home", "/"), ("review", url("reviews:detail")),
            ("cycle", url("reviews:cycle")),  # tables, inset text
            ("safeguarding", url("reviews:safeguarding")),  # warning text, a text box
            ("workshop", url("improvement:workshop")),
            ("support-match", url("support:match_detail")),  # details
            ("training", reverse("training:catalogue")),
            ("display", reverse("accounts:display"))]


COMPONENTS = ["govuk-button", "govuk-button--secondary", "govuk-button--warning", "govuk-tag",
              "govuk-table", "govuk-inset-text", "govuk-warning-text", "govuk-details",
              "govuk-error-summary", "govuk-error-message", "govuk-notification-banner",
              "govuk-radios", "govuk-textarea", "govuk-back-link", "govuk-summary-list"]
PARTS = f"() => {COMPONENTS}.filter(c => document.querySelector('.' + c))"


# Contrast of the focused element's text against its background (opaque colours only).
FOCUS_CONTRAST = """() => {
  const lum = c => {
    const [r, g, b] = c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map(v => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const style = getComputedStyle(document.activeElement);
  let bg = style.backgroundColor, e = document.activeElement;
  while (/rgba\\(.*, 0\\)$|transparent/.test(bg) && e.parentElement) {
    e = e.parentElement; bg = getComputedStyle(e).backgroundColor;
  }
  const [a, b] = [lum(style.color), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def _styles(page) -> dict:
    # After a click the address can change before the new page is parsed: wait for it.
    page.wait_for_load_state()
    page.locator("main h1").first.wait_for()
    return page.evaluate("""() => {
      const h1 = getComputedStyle(document.querySelector('main h1'));
      const p = document.querySelector('main p');
      const ps = p ? getComputedStyle(p) : null;
      return {html: document.documentElement.className,
              root: parseFloat(getComputedStyle(document.documentElement).fontSize),
              background: getComputedStyle(document.body).backgroundColor,
              text: getComputedStyle(document.body).color,
              h1: parseFloat(h1.fontSize),
              letters: ps ? parseFloat(ps.letterSpacing) / parseFloat(ps.fontSize) : null,
              lines: ps ? parseFloat(ps.lineHeight) / parseFloat(ps.fontSize) : null};
    }""")


@pytest.mark.parametrize("mode", list(MODES))
def test_each_display_mode_is_clean_on_key_pages(page_as, browser_world, mode):
    choices, classes = MODES[mode]
    page = page_as("head")
    page.goto("/")
    standard = _styles(page)
    _choose(page, choices)
    axe_check(page, f"display-{mode}-saved")  # the success banner
    seen_parts = set(page.evaluate(PARTS))
    # An error summary and error message: no text size chosen.
    page.evaluate("document.querySelectorAll('[name=text_size]')"
                  ".forEach(r => { r.checked = false; })")
    page.get_by_role("button", name="Save display settings").click()
    assert page.get_by_role("link", name="Choose a text size").is_visible()
    axe_check(page, f"display-{mode}-error")
    seen_parts |= set(page.evaluate(PARTS))
    for name, url in _key_pages(browser_world):
        page.goto(url)
        seen = _styles(page)
        assert seen["html"] == f"govuk-template {classes}", url
        if "pr-text-200" in classes:
            assert seen["root"] == 2 * standard["root"]
        if "pr-theme-dark" in classes:
            assert seen["background"] == "rgb(24, 26, 27)"
            assert seen["text"] == "rgb(240, 240, 240)"
        if "pr-theme-contrast" in classes:
            assert seen["background"] == "rgb(0, 0, 0)"
            assert seen["text"] == "rgb(255, 255, 255)"
        if "pr-spacing-wide" in classes and seen["letters"] is not None:
            assert seen["letters"] == pytest.approx(0.12, abs=0.005)
            assert seen["lines"] >= 1.49
        assert page.evaluate(OVERFLOW) == [], f"{mode} {url}"
        axe_check(page, f"display-{mode}-{name}")
        # axe does not look at focus: a focused link and button must still read clearly.
        for target in ("main a.govuk-link", "main .govuk-button"):
            if page.locator(target).count():
                page.locator(target).first.focus()
                assert page.evaluate(FOCUS_CONTRAST) >= 4.5, f"{mode} {url} {target}"
        seen_parts |= set(page.evaluate(PARTS))
    # The pages checked hold every kind of part that has colours of its own.
    assert seen_parts == set(COMPONENTS)


def test_text_200_reflows_on_a_phone(page_as, browser_world):
    """200 % text on a phone-width window (375 px): nothing spills sideways, and the header's
    links do not sit on top of each other."""
    page = page_as("head")
    _choose(page, {"Text size": "200%"})
    page.set_viewport_size({"width": WIDTH, "height": 900})
    for name, url in _key_pages(browser_world):
        page.goto(url)
        assert page.evaluate(OVERFLOW) == [], url
        overlaps = page.evaluate("""() => {
          const items = [...document.querySelectorAll(
            '.govuk-generic-header a, .govuk-generic-header button, .pr-header-account span')];
          const boxes = items.map(e => e.getBoundingClientRect());
          const out = [];
          boxes.forEach((a, i) => boxes.forEach((b, j) => {
            if (i < j && a.left < b.right && b.left < a.right && a.top < b.bottom &&
                b.top < a.bottom) out.push(items[i].textContent + ' / ' + items[j].textContent);
          }));
          return out;
        }""")
        assert overlaps == [], url
        axe_check(page, f"display-text-200-narrow-{name}")


def test_signed_out_the_choice_stays_on_the_device(page_as):
    page = page_as("anonymous")
    page.goto(reverse("account_login"))
    page.get_by_role("link", name="Display").click()
    _choose(page, {"Colours": "High contrast", "Text size": "150%"}, go=False)
    page.get_by_role("link", name="Go back to the page you were on").click()
    page.wait_for_url(f"**{reverse('account_login')}")
    assert _styles(page)["html"] == "govuk-template pr-text-150 pr-theme-contrast"
    axe_check(page, "display-signed-out-sign-in")
    cookie = next(c for c in page.context.cookies() if c["name"] == "pr_display")
    assert cookie["value"] == "150.contrast.standard" and cookie["httpOnly"]


SPEECH_STUB = """
window.__speech = {calls: [], utterances: []};
const fake = {
  speak(u) { window.__speech.calls.push('speak'); window.__speech.utterances.push(u); },
  pause() { window.__speech.calls.push('pause'); },
  resume() { window.__speech.calls.push('resume'); },
  cancel() { window.__speech.calls.push('cancel'); },
  getVoices() { return []; },
};
Object.defineProperty(window, 'speechSynthesis', {get: () => fake, configurable: true});
"""


def _tab_to(page, selector: str) -> None:
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement === document.querySelector('{selector}')"):
            return
    raise AssertionError(f"could not reach {selector} with Tab")


def test_read_this_page_aloud_with_the_keyboard(page_as):
    page = page_as("head")
    page.add_init_script(SPEECH_STUB)
    page.goto(reverse("training:catalogue"))
    toggle = page.locator("[data-read-aloud-toggle]")
    stop = page.locator("[data-read-aloud-stop]")
    assert toggle.is_visible() and stop.is_hidden()
    heading = page.locator("main h1").inner_text()

    _tab_to(page, "[data-read-aloud-toggle]")
    page.keyboard.press("Enter")
    spoken = page.evaluate("window.__speech.utterances.map(u => u.text)")
    assert spoken and spoken[0] == heading
    assert "Read this page aloud" not in " ".join(spoken)  # the buttons are not read
    assert page.evaluate("window.__speech.utterances[0].lang") == "en-GB"
    assert all(len(text) <= 400 for text in spoken)
    assert toggle.inner_text() == "Pause reading"
    assert page.locator("[data-read-aloud-status]").inner_text() == "Reading the page aloud."
    assert stop.is_visible()

    page.keyboard.press("Space")
    assert toggle.inner_text() == "Carry on reading"
    page.keyboard.press("Enter")
    assert toggle.inner_text() == "Pause reading"
    assert page.evaluate("window.__speech.calls.slice(-2)") == ["pause", "resume"]

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Stop reading"
    page.keyboard.press("Enter")
    assert page.evaluate("window.__speech.calls.at(-1)") == "cancel"
    assert toggle.inner_text() == "Read this page aloud"
    assert stop.is_hidden()
    assert page.evaluate("document.activeElement.textContent") == "Read this page aloud"
    axe_check(page, "display-read-aloud")

    # Reading to the end puts the button back.
    page.keyboard.press("Enter")
    page.evaluate("window.__speech.utterances.at(-1).onend()")
    assert toggle.inner_text() == "Read this page aloud"
    assert page.locator("[data-read-aloud-status]").inner_text() == "Finished reading."


def test_no_read_aloud_button_where_the_browser_cannot_speak(page_as):
    page = page_as("head")
    page.add_init_script("Object.defineProperty(window, 'speechSynthesis', "
                         "{get: () => undefined, configurable: true});")
    page.goto("/")
    assert page.locator("[data-read-aloud]").is_hidden()
    assert page.get_by_role("button", name="Read this page aloud").count() == 0


def test_a_printed_page_stays_black_on_white(page_as):
    page = page_as("head")
    _choose(page, {"Colours": "Dark"})
    page.goto(reverse("training:catalogue"))
    assert _styles(page)["background"] == "rgb(24, 26, 27)"
    page.emulate_media(media="print")
    seen = _styles(page)
    assert seen["background"] == "rgb(255, 255, 255)" and seen["text"] != "rgb(240, 240, 240)"
