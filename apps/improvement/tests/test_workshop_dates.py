"""The workshop cannot be finished before the day it is held; moving its date puts it right."""

from datetime import timedelta

import pytest
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
