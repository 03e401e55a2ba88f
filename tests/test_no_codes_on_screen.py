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
# A version code such as "(version 2026-1)" (the fidelity expectations' once were).
VERSION_CODE = re.compile(r"\bversion \d{4}-\d+\b", re.I)
# A slug with a year, such as "eef-toolkit-2021" (a table's key, not its title).
YEAR_SLUG = re.compile(r"\b[a-z]+(?:-[a-z]+)+-\d{4}\b")
# A register or outcomes column name, such as TKS1AVERAGE or PTFSM6CLA1A: capitals with a
# digit inside (key stage "KS2" and postcodes are too short to match).
COLUMN_CODE = re.compile(r"\b[A-Z]{2,}\d[A-Z0-9]{3,}\b")


def _column_names() -> re.Pattern:
    """Every outcomes and matching variable the impact app knows by its column name (TELIG
    has no digit or underscore to give it away)."""
    from apps.impact.estimate import DEFAULT_MATCHING, VARIABLE_LABELS

    names = sorted(set(VARIABLE_LABELS) | set(DEFAULT_MATCHING), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")


def visible_text(page: str) -> str:
    """What a reader sees: no tags, attributes, scripts or styles."""
    body = page.split("<main", 1)[-1].split("</main>", 1)[0]
    body = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", body, flags=re.S)
    # The cookies page must name each cookie: the names are marked as such.
    body = re.sub(r'<code class="pr-cookie-name">[^<]*</code>', " ", body)
    body = re.sub(r"<[^>]+>", " ", body)
    return html.unescape(body)


def codes_in(page: str) -> list[str]:
    text = visible_text(page)
    # addresses and file names are people's own words
    text = re.sub(r"\S+@\S+", " ", text)
    text = re.sub(r"[\w.-]+\.(pdf|docx?|xlsx?|csv|odt|png|jpe?g|txt|pptx?)\b", " ", text)
    # schools' pseudonyms in analyses ("S-3FA9C01B", apps/impact/analysis.py) name schools
    text = re.sub(r"\bS-[0-9A-F]{8}\b", " ", text)
    found = [m.group(0) for m in UPPER_SNAKE.finditer(text)]
    found += [m.group(0) for m in DOTTED.finditer(text)
              if not re.search(r"@|\.example|\.uk|\.com|\.org", m.group(0))]
    found += [m.group(0) for m in LOWER_SNAKE.finditer(text)]
    found += [m.group(0) for m in VERSION_CODE.finditer(text)]
    found += [m.group(0) for m in YEAR_SLUG.finditer(text)]
    found += [m.group(0) for m in COLUMN_CODE.finditer(text)]
    found += [m.group(0) for m in _column_names().finditer(text)]
    return sorted(set(found), key=found.index)


def codes_in_export(content: str) -> list[str]:
    """Codes in a CSV export's cells (every cell is for people to read)."""
    return codes_in("<main>" + html.escape(content) + "</main>")


def test_the_patterns_catch_the_codes_once_shown():
    page = ("<main><p>Against the programme's expectations (version 2026-1).</p>"
            "<p>Months from table eef-toolkit-2021.</p><p>TKS1AVERAGE, PTFSM6CLA1A, TELIG and "
            "outcome_pre</p><p>A pr_display cookie.</p></main>")
    assert codes_in(page) == ["outcome_pre", "pr_display", "version 2026-1",
                              "eef-toolkit-2021", "TKS1AVERAGE", "PTFSM6CLA1A", "TELIG"]
    plain = ("<main><p>School-to-school peer review in KS2, SW1A 1AA, version 3; "
             "EEF Teaching and Learning Toolkit (2021), 2026-27, school S-CBF6D5F5.</p>"
             '<code class="pr-cookie-name">pr_display</code></main>')
    assert codes_in(plain) == []


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
    # The export: the outcome, the matching variables and the months table by name.
    export = client.get(reverse("impact:analysis_export", args=[analysis.pk, "csv"]))
    content = b"".join(export.streaming_content if export.streaming else [export.content])
    text = content.decode("utf-8-sig")
    assert "Average maths scaled score" in text and "Teaching and Learning Toolkit" in text
    assert codes_in_export(text) == []


@pytest.mark.parametrize("persona", ["head", "lead", "core", "associate", "alumnus",
                                     "evaluator", "staff"])
def test_no_codes_on_the_pages_a_person_reaches(client_for, world, persona):
    from tests.test_no_none_on_screen import crawl

    problems = crawl(client_for(persona), find=codes_in)
    assert not problems, problems
