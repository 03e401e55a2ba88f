"""Reads about improvement, one function per question, shared by pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from apps.core import audit
from apps.frameworks.areas import Area
from apps.reviews.models import Review, Status

from .models import Action, PlanShare
from .services import PLAN_OPEN

OPEN_ACTION_STATES = (Action.State.NOT_STARTED, Action.State.IN_PROGRESS)
DUE_SOON_DAYS = 14  # an open action due within this many days is "due soon"


def actions_to_act_on(actions: QuerySet[Action]) -> QuerySet[Action]:
    """Of ``actions``, those still open in a plan that can still change. A closed or
    cancelled review's plan is the record of what was done (its action pages offer no
    update), so its open actions are never counted as open or overdue for anyone to act on
    (walkthrough of 7 December 2026, evening, item 5)."""
    return actions.filter(status__in=OPEN_ACTION_STATES, review__status__in=PLAN_OPEN)


@dataclass
class PartnershipProgress:
    """A partnership's improvement in counts: each review (newest cycle first, then by
    school), which plans are shared, and open actions by area. No review content."""

    reviews: list[Any]  # Review, annotated with open_actions, done_actions, all_actions
    shared_ids: set[int]
    areas: list[dict[str, Any]]


def partnership_progress(partnership: Any, *, viewer: Any, via: str | None = None
                         ) -> PartnershipProgress:
    """The partnership progress page's and API's one read. Records that ``viewer`` looked
    (``via="api"`` for the API), in the audit log, once per read."""
    reviews = list(
        Review.objects.filter(cycle__partnership=partnership).exclude(status=Status.CANCELLED)
        .select_related("host", "cycle", "checkback", "workshop")
        .annotate(open_actions=Count("actions", filter=Q(actions__status__in=OPEN_ACTION_STATES)),
                  done_actions=Count("actions", filter=Q(actions__status=Action.State.DONE)),
                  all_actions=Count("actions"))
        .order_by("-cycle__start_year", "host__name", "pk"))
    # Live shares only: a review with no share at all is not shared.
    shared_ids = set(PlanShare.objects.filter(review__in=[r.pk for r in reviews],
                                              withdrawn_at__isnull=True)
                     .values_list("review_id", flat=True))
    labels = dict(Area.choices)
    areas = [{"area": a["area"], "label": str(labels.get(a["area"], a["area"])), "n": a["n"],
              "schools": a["schools"]}
             for a in (Action.objects.filter(review__cycle__partnership=partnership,
                                             status__in=OPEN_ACTION_STATES)
                       .exclude(review__status=Status.CANCELLED).values("area")
                       .annotate(n=Count("id"), schools=Count("review__host", distinct=True))
                       .order_by("-n", "area"))]
    if via:
        audit.record("improvement.partnership_progress_viewed", actor=viewer, obj=partnership,
                     via=via)
    else:
        audit.record("improvement.partnership_progress_viewed", actor=viewer, obj=partnership)
    return PartnershipProgress(reviews=reviews, shared_ids=shared_ids, areas=areas)
