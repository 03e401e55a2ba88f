"""The rules for who may join a review team, checked as the partnership lead assigns.

Each rule gives a reason a person can read. ``candidate_problems`` lists every rule a
person would break in a role; an empty list means they may be invited.
"""

from __future__ import annotations

from django.utils import timezone

from apps.accounts.models import Role
from apps.partnerships.models import Membership
from apps.schools.models import School

from .models import Review, TeamMember

LEADER_ROLES = [Role.HEADTEACHER, Role.SCHOOL_LEADER]
MAX_REVIEWERS = 4


def pool_partnership_ids(review: Review) -> set[int]:
    cycle = review.cycle
    ids = {cycle.partnership_id}
    if cycle.cross_partnership:
        ids |= set(cycle.partner_partnerships.values_list("pk", flat=True))
    return ids


def _pool_school_ids(review: Review) -> set[int]:
    return set(Membership.objects.current()
               .filter(partnership_id__in=pool_partnership_ids(review))
               .values_list("school_id", flat=True))


def schools_of(user) -> list[School]:
    """Schools where the person is a headteacher or school leader now."""
    return list(School.objects.filter(role_assignments__user=user,
                                      role_assignments__role__in=LEADER_ROLES,
                                      role_assignments__ended_at__isnull=True).distinct())


def home_school(review: Review, user) -> School | None:
    """The school the person would come from: their leadership school in the review's pool."""
    pool = _pool_school_ids(review)
    return next((s for s in schools_of(user) if s.pk in pool and s.pk != review.host_id), None)


def candidate_problems(review: Review, user, role: str) -> list[str]:
    host = review.host
    problems = []
    schools = schools_of(user)
    name = user.display_name
    if not schools:
        return [f"{name} is not a headteacher or school leader at any school"]
    if any(s.pk == host.pk for s in schools):
        problems.append(f"{name} works at the host school: nobody reviews their own school")
    if review.cycle.trust_conflicts:
        for s in schools:
            if s.pk == host.pk:
                continue
            if host.trust_code and s.trust_code == host.trust_code:
                problems.append(f"{name}'s school {s.name} is in the host's trust "
                                f"({host.trust_name or host.trust_code})")
            if host.federation_code and s.federation_code == host.federation_code:
                problems.append(f"{name}'s school {s.name} is in the host's federation "
                                f"({host.federation_name or host.federation_code})")
    school = home_school(review, user)
    if school is None and not problems:
        where = ("the partnership or its partner partnerships" if review.cycle.cross_partnership
                 else "the partnership")
        problems.append(f"{name} does not lead a school of {where}")
    on = review.review_starts_on or timezone.localdate()
    if role in (TeamMember.Role.REVIEWER, TeamMember.Role.LEAD):
        if not user.is_trained_reviewer(on):
            until = user.reviewer_trained_until
            problems.append(f"{name}'s peer-reviewer training "
                            + (f"ran out on {until:%-d %B %Y}" if until else "is not recorded")
                            + (f" (the review is on {on:%-d %B %Y})" if until else ""))
    elif role == TeamMember.Role.CHAMPION:
        if not user.is_trained_champion(on):
            until = user.champion_trained_until
            problems.append(f"{name}'s Improvement Champion training "
                            + (f"ran out on {until:%-d %B %Y}" if until else "is not recorded"))
    live = list(review.team.filter(status__in=[TeamMember.State.INVITED,
                                               TeamMember.State.ACCEPTED])
                .select_related("user", "school"))
    if any(m.user_id == user.pk for m in live):
        problems.append(f"{name} is already on this review")
    reviewers = [m for m in live if m.is_reviewer]
    champions = [m for m in live if m.role == TeamMember.Role.CHAMPION]
    if school is not None:
        if role == TeamMember.Role.CHAMPION:
            if any(m.school_id == school.pk for m in reviewers):
                problems.append(f"{school.name} is already represented on the review team: the "
                                "Improvement Champion comes from a school not on the team")
        else:
            if any(m.school_id == school.pk for m in reviewers):
                problems.append(f"Someone from {school.name} is already on the team: one person "
                                "per school")
            if any(m.school_id == school.pk for m in champions):
                problems.append(f"{school.name} provides the Improvement Champion: the "
                                "champion's school is not also on the team")
    if role in (TeamMember.Role.REVIEWER, TeamMember.Role.LEAD) and \
            len(reviewers) >= MAX_REVIEWERS:
        problems.append(f"The team already has {MAX_REVIEWERS} reviewers")
    if role == TeamMember.Role.LEAD and any(m.role == TeamMember.Role.LEAD for m in reviewers):
        problems.append("The team already has a lead reviewer")
    if role == TeamMember.Role.CHAMPION and champions:
        problems.append("The review already has an Improvement Champion")
    return problems


def candidates(review: Review, role: str) -> list[tuple[object, School | None, list[str]]]:
    """Everyone who leads a school of the pool (other than the host), with the rules each
    would break in ``role`` — eligible people first."""
    from apps.accounts.models import User

    pool = _pool_school_ids(review) - {review.host_id}
    people = (User.objects.filter(is_active=True, roles__role__in=LEADER_ROLES,
                                  roles__ended_at__isnull=True, roles__school_id__in=pool)
              .distinct().order_by("full_name"))
    rows = [(u, home_school(review, u), candidate_problems(review, u, role)) for u in people]
    return sorted(rows, key=lambda r: (bool(r[2]), r[0].full_name))
