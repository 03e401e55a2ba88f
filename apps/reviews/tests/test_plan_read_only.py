"""The evidence-gathering plan is the record of what was planned once the review starts: no
"Add an activity", "Change" or "Remove", and a change sent anyway is refused (403) with
nothing changed (walkthrough of 7 Dec 2026, item 3: the plan of a review acting on its plan
still offered changes)."""

from datetime import time

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.reviews.models import Activity, Status

pytestmark = pytest.mark.django_db


def test_the_plan_of_a_started_review_is_read_only(world, client_for):
    review = world.review  # report agreed: the review day is over
    assert review.status == Status.REPORT_AGREED
    activity = review.activities.get()
    before = (activity.place, activity.people, activity.lock_version)
    for persona in ("head", "leader"):  # the host's headteacher, the lead reviewer
        client = client_for(persona)
        page = client.get(reverse("reviews:plan", args=[review.pk])).content.decode()
        assert "Add an activity" not in page and "Remove" not in page
        assert reverse("reviews:activity_edit", args=[review.pk, activity.pk]) not in page
        added = client.post(reverse("reviews:plan", args=[review.pk]), {
            "kind": "pupil_voice", "on": review.review_starts_on or "", "starts_at": "09:00",
            "ends_at": "10:00", "place": "Hall", "people": "Pupils"})
        assert added.status_code == 403
        edit = reverse("reviews:activity_edit", args=[review.pk, activity.pk])
        assert client.get(edit).status_code == 403
        assert client.post(edit, {"place": "Changed", "people": "Changed"}).status_code == 403
        assert client.post(reverse("reviews:activity_remove",
                                   args=[review.pk, activity.pk])).status_code == 403
    activity.refresh_from_db()
    assert (activity.place, activity.people, activity.lock_version) == before
    assert review.activities.count() == 1


def test_the_plan_is_open_until_the_review_starts(world, client_for):
    review = world.other_review  # A2's review, in its self-review; leader leads A2
    Activity.objects.create(review=review, kind="pupil_voice", on=timezone.localdate(),
                            starts_at=time(9), ends_at=time(10), place="Library",
                            people="Pupils")
    page = client_for("leader").get(reverse("reviews:plan", args=[review.pk])).content.decode()
    assert "Add an activity" in page and "Remove" in page
