"""The programme's own framework content meets the brief: enough questions, every one an
enquiry with prompts of each kind, and no judgement words."""

import json
from pathlib import Path

import pytest

from apps.frameworks.services import judgement_words

CONTENT = Path(__file__).resolve().parents[1] / "content"
FILES = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in CONTENT.glob("*.json")}
THEMATIC = {"recovery", "inclusion", "assessment", "engagement", "leadership", "wellbeing",
            "rapid-response"}


def questions(data):
    return [q for t in data["themes"] for q in t["questions"]]


def test_every_framework_is_there():
    assert set(FILES) == {"core"} | THEMATIC


def test_core_framework_has_four_themes_and_forty_questions():
    core = FILES["core"]
    assert [t["title"] for t in core["themes"]] == [
        "Our impact", "Looking forward", "Looking inward", "Looking outward"]
    assert len(questions(core)) >= 40


@pytest.mark.parametrize("slug", sorted(THEMATIC))
def test_thematic_frameworks_have_eight_questions(slug):
    assert FILES[slug]["kind"] == "thematic"
    assert len(questions(FILES[slug])) >= 8


def test_recovery_and_inclusion_themes():
    assert {t["title"] for t in FILES["recovery"]["themes"]} == {
        "Relationships", "Community", "Transparent curriculum", "Metacognition", "Space"}
    assert {t["title"] for t in FILES["inclusion"]["themes"]} == {
        "SEND", "Disadvantaged pupils", "Attendance"}


@pytest.mark.parametrize("slug", sorted(FILES))
def test_questions_are_enquiries_with_prompts(slug):
    texts = set()
    for q in questions(FILES[slug]):
        assert q["text"].startswith(("To what extent", "How", "In what ways")), q["text"]
        assert q["text"].endswith("?")
        assert q["text"] not in texts
        texts.add(q["text"])
        assert len(q["prompts"]) >= 3
        assert {p["kind"] for p in q["prompts"]} == {"evidence", "people", "look_for"}
        assert not judgement_words(json.dumps(q)), q["text"]
