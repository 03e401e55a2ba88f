"""No internal codes on screen: audit actions, object types, outcome measures and enum values
read as plain words. Each page is filled with data and its visible text is read."""

import html
import re

import pytest
from django.urls import reverse

from apps.core import audit

pytestmark = pytest.mark.django_db

UPPER_SNAKE = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b")
DOTTED = re.compile(r"\b[a-z_]+\.[a-z_]+(\.[a-z_]+)*\b")
LOWER_SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")


def visible_text(page: str) -> str:
    """What a reader sees: no tags, attributes, scripts or styles."""
    body = page.split("<main", 1)[-1].split("</main>", 1)[0]
    body = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return html.unescape(body)


def codes_in(page: str) -> list[str]:
    text = visible_text(page)
    # addresses and file names are people's own words
    text = re.sub(r"\S+@\S+", " ", text)
    text = re.sub(r"[\w.-]+\.(pdf|docx?|xlsx?|csv|odt|png|jpe?g|txt|pptx?)\b", " ", text)
    found = [m.group(0) for m in UPPER_SNAKE.finditer(text)]
    found += [m.group(0) for m in DOTTED.finditer(text)
              if not re.search(r"@|\.example|\.uk|\.com|\.org", m.group(0))]
    found += [m.group(0) for m in LOWER_SNAKE.finditer(text)]
    return found


def test_the_audit_log_reads_as_plain_words(client_for, world):
    core, review = world.people["core"], world.review
    audit.record("invitation.sent", actor=core, obj=world.invitation, role="headteacher")
    audit.record("review.started", actor=core, obj=review, from_status="planned",
                 to_status="self_review")
    audit.record("auth.mfa_added", actor=core, obj=core, type="totp")
    audit.record("framework.version.published", actor=core, obj=world.published)
    audit.record("partnership.phase_changed", actor=core, obj=world.alpha, phase="alumni")
    audit.record_counted("disclosure.report_viewed", actor=core, obj=review, file="x.pdf")
    page = client_for("core").get(reverse("core:audit")).content.decode()
    assert "Invitation sent" in page and "Two-factor authentication added" in page
    assert "Review" in visible_text(page)
    assert codes_in(page) == []
    # the filter offers actions in words too, and searching by one still works
    page = client_for("core").get(reverse("core:audit"), {"action": "invitation.sent"})
    assert "1 entry" in page.content.decode()
    assert codes_in(page.content.decode()) == []


def test_the_demo_analysis_names_measures_in_words(client_for, world):
    from apps.impact.demo import load_demo_analysis

    analysis = load_demo_analysis(world.people["core"])
    client = client_for("core")
    for url in (reverse("impact:analyses"), reverse("impact:analysis", args=[analysis.pk])):
        page = client.get(url).content.decode()
        assert "Average maths scaled score" in page
        assert codes_in(page) == [], url


@pytest.mark.parametrize("persona", ["head", "lead", "core", "associate", "alumnus",
                                     "evaluator", "staff"])
def test_no_codes_on_the_pages_a_person_reaches(client_for, world, persona):
    from tests.test_no_none_on_screen import crawl

    problems = crawl(client_for(persona), find=codes_in)
    assert not problems, problems
