"""Dated things of the action plan for calendars and reminders (apps/notifications/events.py):
each open action's due date, for its owner."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from apps.accounts.roles import school_ids_for
from apps.notifications.events import CalendarEvent

from .models import Action

OPEN = [Action.State.NOT_STARTED, Action.State.IN_PROGRESS]


def _event(action: Action) -> CalendarEvent:
    return CalendarEvent(
        uid=f"action-{action.pk}-due@peer-review", summary=f"Action due: {action.title}",
        start=action.due_on, end=action.due_on + timedelta(days=1),
        description=f"Due date of an action in the plan of {action.review.host.name}.",
        url=reverse("improvement:action", args=[action.pk]), sequence=action.lock_version,
        attendees=[action.owner])


def events_for_user(user) -> list[CalendarEvent]:
    from .access import owned_actions
    from .selectors import actions_to_act_on

    return [_event(a) for a in actions_to_act_on(owned_actions(user))
            .select_related("review__host", "owner")]


def events_between(start: date, end: date) -> list[CalendarEvent]:
    return [_event(a) for a in Action.objects.filter(status__in=OPEN, due_on__gte=start,
                                                     due_on__lte=end)
            .select_related("review__host", "owner")
            if a.review.host_id in school_ids_for(a.owner)]
