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
    assert "Cancel this review" in text
    assert "Postpone Postpone" not in text
    assert "Cancel this review Cancel this review" not in text


def test_a_school_page_shows_no_grid_references_or_authority_codes(client_for, world):
    """The register's grid reference (used for distances) and the authority's DfE code are
    data, not something a reader needs on the school's page."""
    school = world.schools["A1"]
    school.la_name, school.la_code, school.easting, school.northing = (
        "Marker Borough", "987", 455808, 260576)
    school.save()
    text = _text(client_for("head").get(reverse("directory:school",
                                                 args=[school.urn])).content.decode())
    assert "Marker Borough" in text
    assert "(987)" not in text and "455808" not in text and "Easting" not in text
