"""Running the optimiser for a cycle, adjusting by hand, publishing, and people's own
reviewing preferences."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core import audit
from apps.partnerships.models import Partnership
from apps.reviews import services as reviews
from apps.reviews.models import LIVE_PLACES, Cycle, TeamMember

from .build import authority_pool, build_instance, reviews_by_id, users_by_id
from .models import AllocationRun, ReviewerProfile

ROLE_TO_TEAM = {"lead": TeamMember.Role.LEAD, "member": TeamMember.Role.REVIEWER,
                "champion": TeamMember.Role.CHAMPION}


@transaction.atomic
def start_run(cycle: Cycle, *, by: User, options: dict[str, Any], time_limit: int,
              pins: Sequence[Sequence[Any]] = (),
              forbids: Sequence[Sequence[Any]] = ()) -> AllocationRun:
    """``options["pool"] == "authority"``: first widen the cycle's pool to every partnership
    of its local authority (a county-wide pool; the team page then allows them too)."""
    if not 5 <= time_limit <= 600:
        raise ValidationError("The time limit must be between 5 and 600 seconds")
    if options.get("pool") == "authority":
        la, partnerships = authority_pool(cycle)
        if len(partnerships) < 2:
            raise ValidationError("No other partnership has schools in this cycle's local "
                                  "authority: choose the cycle's own pool")
        known = set(cycle.partner_partnerships.values_list("pk", flat=True))
        if not cycle.cross_partnership or not {p.pk for p in partnerships[1:]} <= known:
            reviews.update_cycle_settings(
                cycle, by=by, cross_partnership=True,
                partner_partnerships=[*cycle.partner_partnerships.all(), *partnerships[1:]],
                trust_conflicts=cycle.trust_conflicts)
    instance = build_instance(cycle, options, pins, forbids)
    if not instance["reviews"]:
        raise ValidationError("No review of this cycle has a review day yet: set the dates "
                              "first")
    run = AllocationRun.objects.create(
        cycle=cycle, created_by=by, time_limit=time_limit, instance=instance,
        options={**options, "pins": [list(p) for p in pins],
                 "forbids": [list(f) for f in forbids]})
    audit.record("allocation.started", actor=by, obj=cycle, run=run.pk,
                 reviews=len(instance["reviews"]), people=len(instance["people"]))
    from .tasks import run_allocation

    transaction.on_commit(lambda: run_allocation.enqueue(run.pk))
    return run


@transaction.atomic
def _check_partners_agreed(run: AllocationRun) -> None:
    """A proposal may draw on partnerships that were asked; invitations go out only when
    every partnership whose people are proposed has agreed."""
    cycle = run.cycle
    school_partnership = {s["urn"]: s["partnership"] for s in run.instance.get("schools", [])}
    person_school = {p["id"]: p["school"] for p in run.instance.get("people", [])}
    used = {school_partnership.get(person_school.get(a["person"]))
            for a in run.solution.get("assignments", [])}
    # Rapid Response reviews may use every agreed partner (reviews.Cycle.agreed_partner_ids).
    allowed = set(Partnership.objects.filter(
        pk__in={cycle.partnership_id} | cycle.agreed_partner_ids(rapid=True))
        .values_list("slug", flat=True))
    waiting = Partnership.objects.filter(slug__in=used - allowed - {None}).order_by("name")
    if waiting:
        names = ", ".join(p.name for p in waiting)
        raise ValidationError(
            f"{names} {'has' if len(waiting) == 1 else 'have'} not agreed to share "
            "reviewers with this cycle yet. Publish once their lead agrees (the cycle page "
            "shows each answer), or run again with the cycle's own partnership")


def publish(run: AllocationRun, *, by: User) -> int:
    """Invite everyone proposed (people already on a team keep their place). Returns how many
    invitations were sent. Refuses a run that is not a valid proposal."""
    run = AllocationRun.objects.select_for_update().get(pk=run.pk)
    if not run.usable:
        raise ValidationError("Only a finished, valid proposal can be published")
    if run.published_at:
        raise ValidationError("This proposal has already been published")
    if run.cycle.allocation_runs.filter(created_at__gt=run.created_at,
                                        published_at__isnull=False).exists():
        raise ValidationError("A later proposal has been published")
    _check_partners_agreed(run)
    reviews_map, users = reviews_by_id(run.cycle), users_by_id(run.instance)
    sent, problems = 0, []
    order = {"lead": 0, "member": 1, "champion": 2}
    for a in sorted(run.solution["assignments"], key=lambda a: order[a["role"]]):
        review, user = reviews_map.get(a["review"]), users.get(a["person"])
        if review is None or user is None:
            problems.append(f"{a['person']} on {a['review']} no longer exists")
            continue
        if review.team.filter(user=user, status__in=LIVE_PLACES).exists():
            continue
        try:
            reviews.invite_to_team(review, user, ROLE_TO_TEAM[a["role"]], by=by)
            sent += 1
        except ValidationError as e:
            problems.append(f"{user.display_name} on the review of {review.host.name}: "
                            + "; ".join(e.messages))
    if problems:
        # All or nothing: things changed since the proposal was made.
        raise ValidationError(["The proposal no longer fits: re-run it."] + problems)
    run.published_at = timezone.now()
    run.published_by = by
    run.save(update_fields=["published_at", "published_by"])
    audit.record("allocation.published", actor=by, obj=run.cycle, run=run.pk, invitations=sent)
    return sent


@transaction.atomic
def save_profile(user: User, *, unavailable: Iterable[date], strengths: Iterable[str],
                 max_reviews: int) -> ReviewerProfile:
    if not 0 <= max_reviews <= 10:
        raise ValidationError("Choose between 0 and 10 reviews a year")
    profile, _ = ReviewerProfile.objects.get_or_create(user=user)
    profile.unavailable = sorted({d.isoformat() for d in unavailable})
    profile.strengths = sorted(set(strengths))
    profile.max_reviews = max_reviews
    profile.save()
    audit.record("reviewer_profile.saved", actor=user, obj=user)
    return profile
