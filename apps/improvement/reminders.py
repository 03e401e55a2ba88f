"""Reminders for actions: due dates come through the calendar provider (10 and 2 working days
ahead, like every dated event); stale actions — open, with no progress update for
``ACTION_STALE_WEEKS`` weeks — get one reminder, repeated only after the same gap again.
Both go through notifications, so people who chose a daily digest get them there."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from apps.core.policy import school_ids_for
from apps.notifications import services as notifications

from .models import Action


def send_stale_action_reminders(now=None) -> int:
    now = now or timezone.now()
    gap = timedelta(weeks=settings.ACTION_STALE_WEEKS)
    stale = (Action.objects.filter(status__in=[Action.State.NOT_STARTED,
                                               Action.State.IN_PROGRESS],
                                   last_update_at__lt=now - gap)
             .filter(Q(stale_reminded_at__isnull=True) | Q(stale_reminded_at__lt=now - gap))
             .select_related("owner", "review__host"))
    sent = 0
    for action in stale:
        if action.review.host_id not in school_ids_for(action.owner):
            continue  # the owner has left the school: the plan's leaders reassign it
        weeks = (now - action.last_update_at).days // 7
        text = (f"“{action.title}” ({action.review.host.name}) has had no progress update for "
                f"{weeks} weeks. Add a short update: what has happened, and its status.")
        notifications.notify([action.owner], kind="action.stale", subject="An action needs "
                             "an update", message=text,
                             url=reverse("improvement:action", args=[action.pk]))
        Action.objects.filter(pk=action.pk).update(stale_reminded_at=now)
        sent += 1
    return sent
