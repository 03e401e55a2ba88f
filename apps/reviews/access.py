"""Access helpers: one per object type. Someone with no standing on a review gets 404 (it
does not exist for them); someone who may see it but not do this gets 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.core.access import require_write
from apps.core.converters import is_id
from apps.core.policy import (
    is_core_team,
    led_partnership_ids,
    partnership_ids_for,
    school_ids_for,
)

from .models import Cycle, Review, SafeguardingConcern, TeamMember


def visible_cycles(user):
    if is_core_team(user):
        return Cycle.objects.all()
    return Cycle.objects.filter(partnership_id__in=partnership_ids_for(user))


def get_cycle_for_user(user, pk: int, perm: str | None = None) -> Cycle:
    cycle = Cycle.objects.select_related("partnership").filter(pk=pk).first() \
        if is_id(pk) else None
    if cycle is None or not user.has_perm("reviews.view_cycle", cycle):
        raise Http404("No such cycle")
    if perm and not user.has_perm(perm, cycle):
        raise PermissionDenied
    return cycle


def visible_reviews(user):
    """Reviews whose schedule and status this person may see."""
    if is_core_team(user):
        return Review.objects.all()
    return Review.objects.filter(pk__in=visible_review_ids(user))


def visible_review_ids(user):
    """The ids of the reviews ``user`` may see, as one subquery: the union of three indexed
    look-ups (reviews of the person's partnerships' cycles, of their schools, and those whose
    team they are on). No join of every team place with every review, and no DISTINCT over
    whole review rows: the database reads each index once and de-duplicates ids."""
    by_partnership = Review.objects.filter(cycle_id__in=Cycle.objects.filter(
        partnership_id__in=partnership_ids_for(user)).values("pk")).order_by().values("pk")
    by_school = Review.objects.filter(host_id__in=school_ids_for(user)).order_by().values("pk")
    by_team = TeamMember.objects.filter(
        user_id=user.pk, status__in=[TeamMember.State.INVITED, TeamMember.State.ACCEPTED]
    ).order_by().values("review_id")
    # order_by(): the models' default orderings would add joins and sorts to each part.
    return by_partnership.union(by_school, by_team)


def get_review_for_user(user, pk: int, perm: str | None = None) -> Review:
    review = Review.objects.select_related("host", "cycle__partnership",
                                           "framework_version__framework").filter(pk=pk).first() \
        if is_id(pk) else None
    if review is None or not user.has_perm("reviews.view_review", review):
        raise Http404("No such review")
    if perm and not user.has_perm(perm, review):
        raise PermissionDenied
    return review


def get_review_for_request(request, pk: int, perm: str | None = None, *,
                           write: str | None = None) -> Review:
    """The review for this request: ``perm`` to read the page, and for a write (POST) also
    ``write`` — 403 without it."""
    review = get_review_for_user(request.user, pk, perm)
    require_write(request, write, review)
    return review


def get_child_for_user(user, model, pk: int, review: Review, perm: str | None = None):
    """A line, activity, note, file, comment or share of ``review``: 404 if it belongs to
    another review; 403 without ``perm`` on it, when given."""
    obj = model.objects.filter(pk=pk, **({"report__review": review}
                                         if model.__name__ == "ReportComment"
                                         else {"review": review})).first() \
        if is_id(pk) else None
    if obj is None:
        raise Http404("Not found")
    if perm and not user.has_perm(perm, obj):
        raise PermissionDenied
    return obj


def get_invitation_for_user(user, pk: int) -> TeamMember:
    member = TeamMember.objects.select_related("review__host", "review__cycle").filter(
        pk=pk).first() if is_id(pk) else None
    if member is None:
        raise Http404("No such invitation")
    if member.user_id != user.pk:
        if user.has_perm("reviews.view_review", member.review):
            raise PermissionDenied
        raise Http404("No such invitation")
    return member


def get_concern_for_user(user, pk: int) -> SafeguardingConcern:
    """Only the people the safeguarding rule names; for everyone else it does not exist."""
    concern = SafeguardingConcern.objects.select_related("review__host").filter(pk=pk).first() \
        if is_id(pk) else None
    if concern is None or not user.has_perm("reviews.view_safeguarding_concern", concern):
        raise Http404("No such record")
    return concern


def leads_some_cycle(user) -> bool:
    return bool(led_partnership_ids(user)) or is_core_team(user)
