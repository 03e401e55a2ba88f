"""The workshop cannot be finished before the day it is held; moving its date puts it right."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.improvement import services
from apps.reviews import workflow
from apps.reviews.models import Status


def _ready(world, held_on):
    ws = world.workshop
    ws.held_on = held_on
    ws.impact_plan = "Check reading records each half term."
    ws.save()
    return ws


def test_a_workshop_in_the_future_cannot_be_completed(world):
    ws = _ready(world, timezone.localdate() + timedelta(days=2))
    with pytest.raises(workflow.TransitionRefused) as refused:
        services.complete_workshop(ws, by=world.people["champion"])
    assert any("finish it on or after that day" in r for r in refused.value.reasons)
    world.review.refresh_from_db()
    assert world.review.status == Status.REPORT_AGREED


def test_held_today_it_can_be_completed(world):
    ws = _ready(world, timezone.localdate())
    services.complete_workshop(ws, by=world.people["champion"])
    world.review.refresh_from_db()
    assert world.review.status == Status.ACTING


def _when(world, **changes):
    ws = world.workshop
    data = {"held_on": ws.held_on.isoformat(), "starts_at": "15:30", "mode": "in_person",
            "place": "The library", **changes}
    return reverse("improvement:workshop_when", args=[world.review.pk]), data


def test_the_workshop_can_be_moved_until_it_is_held(world, client_for):
    """The champion moves the workshop to another day, time and place; once it is complete the
    page sends them back to it and the service refuses a change."""
    champion = client_for("champion")
    new_day = timezone.localdate() + timedelta(days=5)
    url, data = _when(world, held_on=new_day.isoformat(), place="Room 4, Cinder Lane")
    page = champion.get(url).content.decode()
    assert "Change the workshop" in page and 'name="place"' in page
    response = champion.post(url, data)
    assert response.status_code == 302
    world.workshop.refresh_from_db()
    world.review.refresh_from_db()
    assert world.workshop.held_on == new_day and world.workshop.place == "Room 4, Cinder Lane"
    assert world.review.workshop_on == new_day
    assert "Change day, time or place" in champion.get(
        reverse("improvement:workshop", args=[world.review.pk])).content.decode()

    world.workshop.held_on = timezone.localdate()
    world.workshop.completed_at = timezone.now()
    world.workshop.save()
    assert champion.get(url).status_code == 302
    with pytest.raises(ValidationError):
        services.schedule_workshop(world.review, by=world.people["champion"],
                                   held_on=new_day, starts_at=time(15, 30), place="Library")


def test_moving_the_workshop_names_what_is_wrong(world, client_for):
    """A missing time or place, a day outside the cycle or before the review: each message
    names the field and how to put it right, and the error summary links to it."""
    champion = client_for("champion")
    url, data = _when(world, starts_at="", place="")
    page = champion.post(url, data).content.decode()
    assert "Enter the start time, for example 15:30" in page
    assert "Enter the room at the school, or the link to join online" in page
    assert 'href="#id_place"' in page
    too_late = world.review.cycle.last_day + timedelta(days=1)
    url, data = _when(world, held_on=too_late.isoformat())
    page = champion.post(url, data).content.decode()
    assert "The workshop&#x27;s day must be between" in page and 'href="#id_held_on"' in page
    before = world.review.review_starts_on - timedelta(days=1)
    url, data = _when(world, held_on=before.isoformat())
    page = champion.post(url, data).content.decode()
    assert "The workshop follows the review" in page
    world.workshop.refresh_from_db()
    assert world.workshop.held_on != before
