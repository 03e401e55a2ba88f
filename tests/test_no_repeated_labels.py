"""A label says a thing once: a status tag is not followed by the same word, and a step the
person can take now is its button, not a heading with a button of the same words under it
(the walkthrough of 7 December 2026 found "Published Published" and "Postpone / Postpone")."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_published_version_says_published_once(client_for, world):
    client = client_for("head")
    url = reverse("frameworks:detail", args=[world.framework.slug])
    text = _text(client.get(url, follow=True).content.decode())
    assert "Published Published" not in text
    assert "In use from" in text


def test_each_step_on_a_review_is_named_once(client_for, world):
    text = _text(client_for("head").get(reverse("reviews:detail",
                                                args=[world.review.pk])).content.decode())
    assert "Postpone" in text
    assert "Postpone Postpone" not in text
    assert "Cancel the review Cancel the review" not in text
