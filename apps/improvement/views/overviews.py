"""Personal and partnership overviews: my actions, my workshops, a partnership's
progress by area."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from apps.partnerships.access import get_partnership_for_user
from apps.reviews.models import Review, TeamMember

from ..access import owned_actions
from ..selectors import DUE_SOON_DAYS, partnership_progress
from ..services import PLAN_OPEN


@require_GET
def my_actions(request):
    today = timezone.localdate()
    everything = list(owned_actions(request.user).select_related("review__host")
                      .order_by("due_on"))
    # Open actions of a closed or cancelled review's plan cannot be updated any more: they
    # are listed apart, never as overdue or due (as on home: selectors.actions_to_act_on).
    ended = [a for a in everything if a.is_open and a.review.status not in PLAN_OPEN]
    actions = [a for a in everything if a not in ended]
    return render(request, "improvement/my_actions.html", {
        "today": today,
        "overdue": [a for a in actions if a.is_overdue(today)],
        "due_soon": [a for a in actions if a.is_open and today <= a.due_on
                     <= today + timedelta(days=DUE_SOON_DAYS)],
        "later": [a for a in actions if a.is_open and a.due_on
                  > today + timedelta(days=DUE_SOON_DAYS)],
        "closed": [a for a in actions if not a.is_open],
        "ended": ended})


@require_GET
def my_workshops(request):
    reviews = (Review.objects.filter(team__user=request.user,
                                     team__role=TeamMember.Role.CHAMPION,
                                     team__status=TeamMember.State.ACCEPTED)
               .select_related("host", "cycle", "workshop").order_by("workshop_on"))
    return render(request, "improvement/my_workshops.html", {"reviews": reviews})


@require_GET
def partnership(request, slug):
    p = get_partnership_for_user(request.user, slug)
    if not request.user.has_perm("improvement.view_partnership_progress", p):
        raise PermissionDenied
    progress = partnership_progress(p, viewer=request.user)
    return render(request, "improvement/partnership.html", {
        "partnership": p, "today": timezone.localdate(), "reviews": progress.reviews,
        "shared_ids": progress.shared_ids, "areas": progress.areas})
