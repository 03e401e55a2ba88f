"""A closed review's action plan is the record of what was done: its actions offer no
"Change the action" or progress form, and a change sent anyway is refused (403) with nothing
changed; the services refuse too (walkthrough of 7 Dec 2026, item 3)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.improvement import services
from apps.improvement.models import ProgressUpdate
from apps.reviews.models import Review, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(world):
    Review.objects.filter(pk=world.review.pk).update(status=Status.CLOSED)
    world.review.refresh_from_db()
    return world.action


def test_a_closed_reviews_actions_offer_no_changes_and_refuse_them(world, client_for, closed):
    action = closed
    updates = ProgressUpdate.objects.filter(action=action).count()
    for persona in ("head", "champion", "staff"):  # host head, champion, the action's owner
        client = client_for(persona)
        page = client.get(reverse("improvement:action", args=[action.pk])).content.decode()
        assert "Change the action" not in page and "Add a progress update" not in page
        assert "Ask a partner school for support" not in page
        assert client.post(reverse("improvement:action", args=[action.pk]), {
            "text": "More done", "status": "done"}).status_code == 403
    for persona in ("head", "champion"):
        client = client_for(persona)
        edit = reverse("improvement:action_edit", args=[action.pk])
        assert client.get(edit).status_code == 403
        assert client.post(edit, {"title": "Changed"}).status_code == 403
        assert client.post(reverse("improvement:action_new", args=[world.review.pk]), {
            "title": "New"}).status_code == 403
        plan = client.get(reverse("improvement:plan", args=[world.review.pk])).content.decode()
        assert "Add an action" not in plan
    action.refresh_from_db()
    assert action.title == "Reading buddies for new arrivals"
    assert ProgressUpdate.objects.filter(action=action).count() == updates
    assert world.review.actions.count() == 1
    with pytest.raises(ValidationError, match="closed"):
        services.update_action(action, by=world.people["head"], title="Changed")
    with pytest.raises(ValidationError, match="closed"):
        services.add_progress(action, by=world.people["staff"], text="More", status="done")


def test_the_api_refuses_progress_on_a_closed_reviews_action(world, client_for, closed):
    response = client_for("staff").post(
        reverse("api:add_progress", kwargs={"action_id": closed.pk}),
        {"text": "More", "status": "done"},
        content_type="application/json")
    assert response.status_code == 400 and "closed" in response.json()["detail"]


def test_an_action_under_way_still_offers_its_changes(world, client_for):
    page = client_for("head").get(reverse("improvement:action", args=[world.action.pk]))
    text = page.content.decode()
    assert "Change the action" in text and "Add a progress update" in text


def test_my_actions_and_the_calendar_list_a_closed_reviews_actions_apart(world, client_for,
                                                                          closed):
    """An open action of a closed review is never overdue or due on My actions, nor an event
    in its owner's calendar: it is listed apart as the record of the plan."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.improvement.calendar import events_for_user

    action = closed
    action.title, action.due_on = "Marker-ended-action", timezone.localdate() - timedelta(days=3)
    action.save()
    owner = action.owner
    assert owner == world.people["staff"]
    assert action.is_open and action.is_overdue(timezone.localdate())
    page = client_for("staff").get(reverse("improvement:my_actions")).content.decode()
    overdue, _, rest = page.partition("In plans of reviews that have closed (1)")
    assert "Marker-ended-action" not in overdue and "Marker-ended-action" in rest
    assert "Overdue (0)" in overdue
    assert not [e for e in events_for_user(owner) if "Marker-ended-action" in e.summary]
