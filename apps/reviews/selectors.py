"""Reads about reviews, one function per question, shared by pages, the API, exports and the
permission tests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.accounts.models import Role, RoleAssignment
from apps.accounts.roles import holds_role, is_core_team, school_ids_for
from apps.notifications.services import working_days_between
from apps.partnerships.selectors import partnership_ids_for

from .models import Cycle, Review, SafeguardingConcern, Status, TeamMember

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


# Safeguarding ------------------------------------------------------------------------------

# A concern about a headteacher still not seen this many working days after it was raised is
# flagged on the list and on home (walkthrough of 7 December 2026, item 6).
CONCERN_FLAG_WORKING_DAYS = 2


def readable_concerns(user: AnyUser) -> QuerySet[SafeguardingConcern]:
    """The safeguarding concerns this person may read, in a fixed number of queries: the
    same people as ``reviews.view_safeguarding_concern`` (``rules.can_see_safeguarding_
    concern``), which a test compares it with for every persona."""
    scope = Q(about_headteacher=False,
              review__host_id__in=school_ids_for(user, {Role.HEADTEACHER, Role.DSL}))
    about_head = Q(about_headteacher=True)
    if holds_role(user, Role.SAFEGUARDING_OFFICER):
        scope |= about_head
    elif is_core_team(user):
        # Only where no officer may read it: none appointed, or every officer is the
        # headteacher of that school.
        officers: dict[int, set[int]] = {}
        for user_id, in RoleAssignment.objects.current().filter(
                role=Role.SAFEGUARDING_OFFICER, user__is_active=True).values_list("user_id"):
            officers[user_id] = set()
        if officers:
            for user_id, school_id in RoleAssignment.objects.current().filter(
                    role=Role.HEADTEACHER, user_id__in=officers).values_list(
                        "user_id", "school_id"):
                officers[user_id].add(school_id)
            stranded = set.intersection(*officers.values())
            about_head &= Q(review__host_id__in=stranded)
        scope |= about_head
    # Never the headteacher a concern is about, whatever other role they hold.
    own = school_ids_for(user, {Role.HEADTEACHER})
    return SafeguardingConcern.objects.filter(scope).exclude(
        about_headteacher=True, review__host_id__in=own)


def working_days_unseen(concern: SafeguardingConcern, today: Any = None) -> int:
    """Working days since the concern was raised, while nobody has marked it as seen (0
    once seen)."""
    if concern.acknowledged_at:
        return 0
    today = today or timezone.localdate()
    return working_days_between(timezone.localtime(concern.raised_at).date(), today)


def concern_is_overdue(concern: SafeguardingConcern, today: Any = None) -> bool:
    """A concern about a headteacher not seen after ``CONCERN_FLAG_WORKING_DAYS``."""
    return concern.about_headteacher and \
        working_days_unseen(concern, today) >= CONCERN_FLAG_WORKING_DAYS
