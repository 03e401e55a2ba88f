"""Stale-action reminders at scale: one message per person per day, only live work,
idempotent, batched with a fixed number of queries per batch."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import Role
from apps.improvement.models import Action
from apps.improvement.reminders import send_stale_action_reminders
from apps.notifications.models import Notification
from apps.reviews.models import Review, Status
from tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

OLD = timedelta(weeks=6)


def _action(world, owner, title, review=None, status="in_progress", age=OLD):
    today = timezone.localdate()
    action = Action.objects.create(review=review or world.review, title=title, owner=owner,
                                   starts_on=today, due_on=today + timedelta(days=30),
                                   status=status)
    Action.objects.filter(pk=action.pk).update(last_update_at=timezone.now() - age)
    return action


def _stale_notes(user=None):
    notes = Notification.objects.filter(kind="action.stale")
    return notes.filter(user=user) if user else notes


def _run(capture, **kwargs):
    with capture(execute=True):
        return send_stale_action_reminders(**kwargs)


def test_one_message_per_person_listing_every_stale_action(
        world, django_capture_on_commit_callbacks, mailoutbox):
    staff = world.people["staff"]
    Action.objects.filter(pk=world.action.pk).update(last_update_at=timezone.now() - OLD)
    _action(world, staff, "Phonics catch-up")
    _action(world, staff, "Library rota")
    assert _run(django_capture_on_commit_callbacks) == 1
    [note] = _stale_notes(staff)
    assert note.subject == "3 actions need an update"
    for title in ("Reading buddies for new arrivals", "Phonics catch-up", "Library rota"):
        assert title in note.body
    assert [m.to for m in mailoutbox] == [[staff.email]]


def test_running_twice_a_day_sends_nothing_twice(world, django_capture_on_commit_callbacks,
                                                  mailoutbox):
    staff = world.people["staff"]
    Action.objects.filter(pk=world.action.pk).update(last_update_at=timezone.now() - OLD)
    assert _run(django_capture_on_commit_callbacks) == 1
    # Later the same day another of their actions goes stale: it waits until tomorrow.
    later = _action(world, staff, "Library rota")
    assert _run(django_capture_on_commit_callbacks) == 0
    assert len(mailoutbox) == 1
    tomorrow = timezone.now() + timedelta(days=1)
    assert _run(django_capture_on_commit_callbacks, now=tomorrow) == 1
    assert later.title in _stale_notes(staff).order_by("-pk").first().body
    assert "Reading buddies" not in _stale_notes(staff).order_by("-pk").first().body
    # The first action is reminded again only after another stale gap.
    assert _run(django_capture_on_commit_callbacks, now=tomorrow + timedelta(days=1)) == 0
    assert _run(django_capture_on_commit_callbacks, now=tomorrow + timedelta(weeks=5)) == 1


def test_none_for_closed_or_cancelled_reviews_or_finished_actions(
        world, django_capture_on_commit_callbacks):
    staff = world.people["staff"]
    Action.objects.filter(pk=world.action.pk).update(status="done",
                                                     last_update_at=timezone.now() - OLD)
    _action(world, staff, "Dropped idea", status="dropped")
    # leader works at A2, the other review's host
    _action(world, world.people["leader"], "Of a closed review", review=world.other_review)
    Review.objects.filter(pk=world.other_review.pk).update(status=Status.CLOSED)
    assert _run(django_capture_on_commit_callbacks) == 0
    Review.objects.filter(pk=world.other_review.pk).update(status=Status.CANCELLED)
    assert _run(django_capture_on_commit_callbacks) == 0
    Review.objects.filter(pk=world.other_review.pk).update(status=Status.ACTING)
    assert _run(django_capture_on_commit_callbacks) == 1


def test_batched_with_a_fixed_number_of_queries(world, django_capture_on_commit_callbacks):
    def owners(n):
        people = [UserFactory() for _ in range(n)]
        for k, person in enumerate(people):
            RoleFactory(user=person, role=Role.STAFF, school=world.schools["A1"])
            _action(world, person, f"Action {k}")
            _action(world, person, f"Second action {k}")
        return people

    first = owners(2)
    with CaptureQueriesContext(connection) as few:
        assert send_stale_action_reminders(batch=100) == 2
    owners(8)
    with CaptureQueriesContext(connection) as many:
        assert send_stale_action_reminders(batch=100) == 8
    assert len(many) == len(few)
    # Smaller batches: same people, one notification each.
    more = owners(3)
    assert send_stale_action_reminders(batch=1) == 3
    assert all(_stale_notes(p).count() == 1 for p in first + more)


def test_none_to_an_owner_who_has_left_the_school(world, django_capture_on_commit_callbacks):
    Action.objects.filter(pk=world.action.pk).update(last_update_at=timezone.now() - OLD)
    world.staff_role.ended_at = timezone.now()
    world.staff_role.save()
    assert _run(django_capture_on_commit_callbacks) == 0
