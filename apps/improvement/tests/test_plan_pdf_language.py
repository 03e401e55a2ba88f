"""The action plan's PDF is made in the language of the person who asked for it."""

from datetime import date
from unittest import mock

from apps.core.tests.test_pdf import RecordingHTML
from apps.improvement.models import Action
from apps.improvement.tasks import render_plan


def _html(review, language: str) -> str:
    RecordingHTML.calls = []
    with mock.patch("weasyprint.HTML", RecordingHTML):
        render_plan(review, language=language)
    return RecordingHTML.calls[0]["init"]["string"]


def test_the_plan_pdf_in_welsh_and_english(world):
    Action.objects.create(review=world.review, title="Plan the phonics catch-up",
                          owner=world.people["head"], starts_on=date(2026, 1, 5),
                          due_on=date(2026, 3, 26), success_criteria="All pupils read aloud.")
    welsh = _html(world.review, "cy")
    assert '<html lang="cy">' in welsh
    assert "Cynllun gweithredu:" in welsh and "Meini prawf llwyddiant" in welsh
    assert "5 Ionawr 2026 i 26 Mawrth 2026" in welsh
    for english in ("Action plan", "Success criteria", "Owner", "Following the peer review",
                    "January", '"Page "'):
        assert english not in welsh, english
    english = _html(world.review, "en-gb")
    assert "Action plan:" in english and "5 January 2026 to 26 March 2026" in english
