"""Reads about reviews, one function per question, shared by pages, the API, exports and the
permission tests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django.db.models import QuerySet

from apps.accounts.roles import is_core_team, school_ids_for
from apps.partnerships.selectors import partnership_ids_for

from .models import Cycle, Review, Status, TeamMember

if TYPE_CHECKING:
    from apps.accounts.types import AnyUser


def key_question_uses(refs: list[str]) -> Iterable[tuple[Any, int]]:
    """(question ref, host school id) for every agreed key enquiry question among ``refs``
    (cancelled reviews aside). Registered with the frameworks' usage counts."""
    return (Review.objects.filter(key_question_ref__in=refs, enquiry_agreed_at__isnull=False)
            .exclude(status=Status.CANCELLED).values_list("key_question_ref", "host_id"))


def visible_cycles(user: AnyUser) -> QuerySet[Cycle]:
    """Cycles this person may see: all for the core team, else their partnerships'."""
    if is_core_team(user):
        return Cycle.objects.all()
    return Cycle.objects.filter(partnership_id__in=partnership_ids_for(user))


def visible_reviews(user: AnyUser) -> QuerySet[Review]:
    """Reviews whose schedule and status this person may see."""
    if is_core_team(user):
        return Review.objects.all()
    return Review.objects.filter(pk__in=visible_review_ids(user))


def visible_review_ids(user: AnyUser) -> QuerySet[Any, Any]:
    """The ids of the reviews ``user`` may see, as one subquery: the union of three indexed
    look-ups (reviews of the person's partnerships' cycles, of their schools, and those whose
    team they are on). No join of every team place with every review, and no DISTINCT over
    whole review rows: the database reads each index once and de-duplicates ids."""
    by_partnership = Review.objects.filter(cycle_id__in=Cycle.objects.filter(
        partnership_id__in=partnership_ids_for(user)).values("pk")).order_by().values("pk")
    by_school = Review.objects.filter(host_id__in=school_ids_for(user)).order_by().values("pk")
    by_team = TeamMember.objects.filter(
        # An anonymous visitor's pk is None: their places are none.
        user_id=cast(int, user.pk),
        status__in=[TeamMember.State.INVITED, TeamMember.State.ACCEPTED]
    ).order_by().values("review_id")
    # order_by(): the models' default orderings would add joins and sorts to each part.
    return by_partnership.union(by_school, by_team)
