"""Every key page at 375 px (a phone, or a tablet split in two): nothing wider than the
screen except tables that scroll sideways in their own box, so no column is cut off."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width + 1) {
    const wide = [...document.querySelectorAll('body *')].filter(e =>
      e.getBoundingClientRect().right > width + 1 && !e.closest('.pr-table-scroll'));
    out.push('the page is ' + document.documentElement.scrollWidth + 'px wide: ' +
             wide.slice(0, 3).map(e => e.tagName + '.' + e.className + ' "' +
                                  (e.textContent || '').trim().slice(0, 40) + '"').join(', '));
  }
  for (const t of document.querySelectorAll('main table')) {
    const box = t.closest('.pr-table-scroll');
    if (!box && t.getBoundingClientRect().right > width + 1) {
      out.push('a table cut off: ' + (t.caption ? t.caption.textContent.trim() : t.id));
    }
  }
  return out;
}"""


def _pages(w):
    review = w.review.pk
    return [
        ("head", "/"), ("head", reverse("reviews:index")),
        ("head", reverse("reviews:detail", args=[review])),
        ("head", reverse("reviews:self_review", args=[review])),
        ("head", reverse("reviews:evidence", args=[review])),
        ("head", reverse("reviews:sharing", args=[review])),
        ("head", reverse("improvement:plan", args=[review])),
        ("head", reverse("improvement:workshop", args=[review])),
        ("lead", reverse("reviews:cycle", args=[w.cycle.pk])),
        ("lead", reverse("reviews:team", args=[review])),
        ("lead", reverse("partnerships:detail", args=[w.alpha.slug])),
        ("lead", reverse("allocation:cycle", args=[w.cycle.pk])),
        ("core", reverse("training:catalogue")),
        ("core", reverse("training:session", args=[w.session.pk])),
        ("core", reverse("directory:schools")),
        ("core", reverse("people:people")),
        ("head", reverse("notifications:list")),
    ]


def test_key_pages_fit_a_375_pixel_screen(page_as, live_server, browser_world):
    pages = {}
    problems = []
    for persona, path in _pages(browser_world):
        if persona not in pages:
            pages[persona] = page_as(persona)
            pages[persona].set_viewport_size({"width": 375, "height": 800})
        page = pages[persona]
        response = page.goto(live_server.url + path)
        assert response is not None and response.status < 400, (persona, path)
        problems += [f"{persona} {path}: {p}" for p in page.evaluate(OVERFLOW)]
    assert not problems, "\n".join(problems)


def test_the_cycle_schedule_shows_each_reviews_status_at_375_pixels(page_as, live_server,
                                                                   browser_world):
    """The schedule stacks each review's dates and status under its school on a phone,
    instead of scrolling the Status column off-screen (walkthrough of 7 December 2026)."""
    page = page_as("lead")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + reverse("reviews:cycle", args=[browser_world.cycle.pk]))
    cells = page.locator("td[data-label='Status']")
    assert cells.count() >= 2
    for n in range(cells.count()):
        box = cells.nth(n).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 376, box
        assert "Status:" in cells.nth(n).evaluate(
            "e => getComputedStyle(e, '::before').content")
    # On a wide screen it is still a table with a Status column header.
    page.set_viewport_size({"width": 1200, "height": 800})
    assert page.locator("th", has_text="Status").first.is_visible()


STACKED = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('main table.pr-table-stack')]
    .filter(t => t.getBoundingClientRect().width > width + 1 ||
                 [...t.querySelectorAll('td')].some(c => c.getBoundingClientRect().right
                                                         > width + 1))
    .map(t => t.caption ? t.caption.textContent.trim() : 'a table');
}"""


def test_team_people_and_support_tables_stack_at_375_pixels(page_as, live_server,
                                                            browser_world):
    """The review team's answers and Remove links, people's roles and their Remove role
    links, and support's statuses are on screen at 375 px: each row stacks as labelled lines
    (walkthrough of 7 December 2026, night, item 2)."""
    from apps.support.models import SupportOffer

    w = browser_world
    SupportOffer.objects.create(school=w.schools["A1"], partnership=w.alpha, area="reading",
                                title="Phonics coaching for new staff", people="Our lead",
                                hours=4)
    checks = [("lead", reverse("reviews:team", args=[w.review.pk]), "Answer"),
              ("core", reverse("people:people"), "Role"),
              ("head", reverse("support:index"), "Hours")]
    for persona, path, label in checks:
        page = page_as(persona)
        page.set_viewport_size({"width": 375, "height": 800})
        page.goto(live_server.url + path)
        assert page.locator("main table.pr-table-stack").count() >= 1, path
        assert page.evaluate(STACKED) == [], path
        if label:
            cell = page.locator(f"td[data-label='{label}']").first
            box = cell.bounding_box()
            assert box is not None and box["x"] + box["width"] <= 376, (path, box)
            assert f"{label}:" in cell.evaluate("e => getComputedStyle(e, '::before').content")
