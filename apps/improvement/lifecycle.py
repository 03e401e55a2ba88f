"""What improvement adds to a review's lifecycle (registered with ``apps.reviews.workflow`` when
the app loads): the workshop must be done before "complete_workshop", the check-back before
"close", and starting the self-review carries last cycle's review over."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from apps.reviews import workflow
from apps.reviews.models import Review

from .models import CheckBack, Workshop
from .services import carry_over


def workshop_done(review: Review) -> list[str]:
    """What is missing before the Improvement Workshop can be marked complete."""
    workshop = Workshop.objects.filter(review=review).first()
    if workshop is None:
        return [gettext("Schedule the Improvement Workshop")]
    missing = []
    if workshop.held_on and workshop.held_on > timezone.localdate():
        missing.append(gettext("The workshop is on %(day)s: finish it on or after that day, or "
                               "change its date if it was held earlier")
                       % {"day": date_format(workshop.held_on, "j F Y")})
    if not review.actions.exists():
        missing.append(gettext("Agree at least one action in the workshop"))
    if not workshop.impact_plan.strip():
        missing.append(gettext("Agree how impact will be checked"))
    return missing


def checkback_done(review: Review) -> list[str]:
    """What is missing before the review can be closed."""
    checkback = CheckBack.objects.filter(review=review).first()
    if checkback is None or checkback.completed_at is None:
        return [gettext("Record the impact check-back for every action")]
    return []


def register() -> None:
    workflow.register_guard("complete_workshop", workshop_done)
    workflow.register_guard("close", checkback_done)
    workflow.on_transition("start_self_review", carry_over)
