"""Reminders for actions: due dates come through the calendar provider (10 and 2 working days
ahead, like every dated event); stale actions — open, with no progress update for
``ACTION_STALE_WEEKS`` weeks — get a reminder, repeated only after the same gap again.
Both go through notifications, so people who chose a daily digest get them there.

Stale reminders scale to a national programme:

- **one message per person per day**, listing all their stale actions (an owner of five
  stale actions gets one email, not five); a person already reminded today is left until
  tomorrow, so a second run the same day sends nothing twice;
- **only live work**: actions not started or in progress, of reviews that are neither closed
  nor cancelled;
- **batched**: owners are taken ``batch`` at a time, each batch in its own transaction with
  a fixed number of queries; the actions are locked (``SKIP LOCKED`` on PostgreSQL) and
  marked reminded in the same transaction as the notifications, so two runs at once do not
  both remind the same person.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import groupby

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import RoleAssignment
from apps.notifications import services as notifications
from apps.reviews.models import Status

from .models import Action

BATCH = 200  # owners per transaction


def _stale(now):
    gap = timedelta(weeks=settings.ACTION_STALE_WEEKS)
    day_start = timezone.make_aware(datetime.combine(timezone.localtime(now).date(),
                                                     datetime.min.time()))
    reminded_today = Action.objects.filter(stale_reminded_at__gte=day_start).values("owner_id")
    return (Action.objects.filter(status__in=[Action.State.NOT_STARTED,
                                              Action.State.IN_PROGRESS],
                                  last_update_at__lt=now - gap)
            .exclude(review__status__in=[Status.CLOSED, Status.CANCELLED])
            .filter(Q(stale_reminded_at__isnull=True) | Q(stale_reminded_at__lt=now - gap))
            .exclude(owner_id__in=reminded_today))


def _message(actions: list[Action], now) -> tuple[str, str, str]:
    lines = [f"“{a.title}” ({a.review.host.name}): no progress update for "
             f"{(now - a.last_update_at).days // 7} weeks" for a in actions]
    if len(actions) == 1:
        return ("An action needs an update",
                lines[0] + ". Add a short update: what has happened, and its status.",
                reverse("improvement:action", args=[actions[0].pk]))
    return (f"{len(actions)} actions need an update",
            "These actions have had no progress update for a while:\n"
            + "\n".join(f"- {line}" for line in lines)
            + "\nAdd a short update to each: what has happened, and its status.",
            reverse("improvement:my_actions"))


def send_stale_action_reminders(now=None, batch: int = BATCH) -> int:
    """Remind owners of stale actions; returns the number of people reminded."""
    now = now or timezone.now()
    owners = list(_stale(now).order_by("owner_id").values_list("owner_id", flat=True)
                  .distinct())
    sent = 0
    for start in range(0, len(owners), batch):
        with transaction.atomic():
            actions = (_stale(now).filter(owner_id__in=owners[start:start + batch])
                       .select_related("owner", "review__host").order_by("owner_id", "pk"))
            if connection.features.has_select_for_update_skip_locked:
                actions = actions.select_for_update(skip_locked=True, of=("self",))
            # An owner who has left the school is not reminded: the plan's leaders reassign
            # the action (one query for the batch's current school roles).
            at_school = set(RoleAssignment.objects.current().filter(
                user_id__in=owners[start:start + batch], school_id__isnull=False)
                .values_list("user_id", "school_id"))
            actions = [a for a in actions if (a.owner_id, a.review.host_id) in at_school]
            messages = []
            for _, group in groupby(actions, key=lambda a: a.owner_id):
                mine = list(group)
                messages.append((mine[0].owner, "action.stale", *_message(mine, now)))
            sent += len(notifications.notify_each(messages))
            Action.objects.filter(pk__in=[a.pk for a in actions]).update(
                stale_reminded_at=now)
    return sent
