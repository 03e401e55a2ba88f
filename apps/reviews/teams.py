"""The rules for who may join a review team, checked as the partnership lead assigns.

Each rule gives a reason a person can read. ``candidate_problems`` lists every rule a
person would break in a role; an empty list means they may be invited.

The rules the optimiser also applies (own school, trust and federation, training, days the
person cannot review, their yearly most, two reviews on one day, travel) are checked with the
optimiser's own rulebook (``apps.reviews.rulebook``: plain Python that imports no app, so
there is no import cycle), giving the same reasons on this page and in the optimiser.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import Role, RoleAssignment, User, current_role_lookup
from apps.partnerships.models import Membership
from apps.partnerships.selectors import delivery_partner_user_ids
from apps.reviews import rulebook
from apps.schools.models import School

from .models import OPEN_STATUSES, Mode, Review, TeamMember

if TYPE_CHECKING:
    from apps.accounts.models import User

LEADER_ROLES = [Role.HEADTEACHER, Role.SCHOOL_LEADER]
MAX_REVIEWERS = 4


def pool_partnership_ids(review: Review) -> set[int]:
    """The cycle's own partnership, and partner partnerships whose lead has agreed (for a
    Rapid Response review, every agreed partner, whatever the cycle's setting)."""
    cycle = review.cycle
    return {cycle.partnership_id} | cycle.agreed_partner_ids(rapid=review.is_rapid)


def _pool_school_ids(review: Review) -> set[int]:
    return set(Membership.objects.current()
               .filter(partnership_id__in=pool_partnership_ids(review))
               .values_list("school_id", flat=True))


def schools_of(user) -> list[School]:
    """Schools where the person is a headteacher or school leader now."""
    return list(School.objects.filter(role_assignments__user=user,
                                      role_assignments__role__in=LEADER_ROLES,
                                      **current_role_lookup("role_assignments__")).distinct())


def home_school(review: Review, user) -> School | None:
    """The school the person would come from: their leadership school in the review's pool."""
    return TeamContext(review, [user]).home_school(user)


def _profile(user):
    try:
        return user.reviewer_profile  # the person's own reviewing preferences, if any
    except ObjectDoesNotExist:
        return None


def travel_limit(review: Review) -> float | None:
    """The furthest a reviewer travels: what the lead last gave the optimiser for this cycle,
    else the optimiser's default."""
    run = review.cycle.allocation_runs.order_by("-created_at").first()
    if run is not None and "max_travel_km" in run.options:
        return run.options["max_travel_km"]
    return rulebook.DEFAULT_MAX_TRAVEL_KM


class TeamContext:
    """What the rules need to know about one review and some people, read in a fixed
    number of queries however many people there are (the team page checks everyone who
    leads a school of the pool)."""

    def __init__(self, review: Review, people: list[User]):
        self.review = review
        self.dates = review.review_dates()
        self.pool = _pool_school_ids(review)
        # Delivery partners may lead a cross-partnership review from their own school,
        # wherever it is (``rulebook.delivery_partner_place``).
        self.delivery: set[int] = set(delivery_partner_user_ids().filter(
            person_id__in=[u.pk for u in people]).values_list("person_id", flat=True)) \
            if review.cycle.cross_partnership else set()
        ids = [u.pk for u in people]
        self.schools: dict[int, list[School]] = {pk: [] for pk in ids}
        for pk, school in ((r.user_id, r.school) for r in RoleAssignment.objects.filter(
                user_id__in=ids, role__in=LEADER_ROLES, **current_role_lookup())
                .select_related("school").order_by("school__name")):
            if school is not None and all(s.pk != school.pk for s in self.schools[pk]):
                self.schools[pk].append(school)
        self.places: dict[int, list[TeamMember]] = {pk: [] for pk in ids}
        for place in (TeamMember.objects.filter(
                user_id__in=ids, status__in=[TeamMember.State.INVITED,
                                             TeamMember.State.ACCEPTED],
                review__cycle__start_year=review.cycle.start_year)
                .exclude(review=review).select_related("review__host")):
            self.places[place.user_id].append(place)
        self.hosting: dict[int, set[date]] = {}
        home_ids = {s.pk for schools in self.schools.values() for s in schools}
        for other in Review.objects.filter(host_id__in=home_ids, status__in=OPEN_STATUSES,
                                           review_starts_on__isnull=False).exclude(
                                               pk=review.pk):
            self.hosting.setdefault(other.host_id, set()).update(other.review_dates())
        self.team = list(review.team.filter(status__in=[TeamMember.State.INVITED,
                                                        TeamMember.State.ACCEPTED])
                         .select_related("user", "school"))
        self._travel: tuple[float | None] | None = None

    def home_school(self, user) -> School | None:
        pooled = next((s for s in self.schools.get(user.pk, [])
                       if s.pk in self.pool and s.pk != self.review.host_id), None)
        if pooled is None and user.pk in self.delivery:
            return next((s for s in self.schools.get(user.pk, [])
                         if s.pk != self.review.host_id), None)
        return pooled

    def live_places(self, user, roles) -> list[TeamMember]:
        return [p for p in self.places.get(user.pk, []) if p.role in roles]

    def travel_limit(self) -> float | None:
        if self._travel is None:
            self._travel = (travel_limit(self.review),)
        return self._travel[0]


def _schedule_problems(ctx: TeamContext, user, role: str, school: School | None) -> list[str]:
    """The optimiser's rules about days, the yearly most and travel (rules 8 to 10)."""
    review = ctx.review
    name, profile, out = user.display_name, _profile(user), []
    dates = ctx.dates
    team_roles = [TeamMember.Role.REVIEWER, TeamMember.Role.LEAD]
    if role == TeamMember.Role.CHAMPION:
        reason = rulebook.yearly_maximum(
            name, len(ctx.live_places(user, [TeamMember.Role.CHAMPION])) + 1,
            rulebook.DEFAULT_MAX_CHAMPION, champion=True)
        return [reason] if reason else []
    others = ctx.live_places(user, team_roles)
    limit = rulebook.yearly_limit(profile.max_reviews if profile else None)
    out.append(rulebook.yearly_maximum(name, len(others) + 1, limit))
    if profile:
        out.append(rulebook.unavailable(name, dates, [date.fromisoformat(d)
                                                     for d in profile.unavailable]))
    for other in others:
        for d in sorted(set(dates) & set(other.review.review_dates())):
            out.append(rulebook.same_day(name, d, f"the review of {other.review.host.name}"))
    if school is not None and dates:
        out.append(rulebook.own_school_hosts(name, dates, ctx.hosting.get(school.pk, set())))
        host = review.host
        if review.mode == Mode.IN_PERSON and None not in (school.easting, school.northing,
                                                       host.easting, host.northing):
            out.append(rulebook.too_far(name, rulebook.distance_km(school, host),
                                        ctx.travel_limit()))
    return [reason for reason in out if reason]


def candidate_problems(review: Review, user, role: str,
                       ctx: TeamContext | None = None) -> list[str]:
    ctx = ctx or TeamContext(review, [user])
    schools = ctx.schools.get(user.pk, [])
    name = user.display_name
    if not schools:
        return [f"{name} is not a headteacher or school leader at any school"]
    problems = _conflicts(review, schools, name)
    school = ctx.home_school(user)
    if school is not None and school.pk not in ctx.pool:
        reason = rulebook.delivery_partner_place(name, role)
        if reason:
            problems.append(reason)
    if school is None and not problems:
        where = ("the partnership or a partner partnership that has agreed"
                 if review.cycle.cross_partnership
                 else "the partnership")
        problems.append(f"{name} does not lead a school of {where}")
    problems += _training_problems(review, user, role, ctx.dates)
    problems += _schedule_problems(ctx, user, role, school)
    problems += _team_problems(ctx.team, user, role, school)
    return problems


def _conflicts(review: Review, schools: list[School], name: str) -> list[str]:
    """Their own school, or (when the cycle says so) a school in the host's trust or
    federation."""
    host = review.host
    problems = []
    if any(s.pk == host.pk for s in schools):
        problems.append(rulebook.own_school(name, True))
    if review.cycle.trust_conflicts:
        for s in schools:
            if s.pk == host.pk:
                continue
            if host.trust_code and s.trust_code == host.trust_code:
                problems.append(rulebook.same_trust(name, s.name,
                                                    host.trust_name or host.trust_code))
            if host.federation_code and s.federation_code == host.federation_code:
                problems.append(rulebook.same_federation(
                    name, s.name, host.federation_name or host.federation_code))
    return problems


def _training_problems(review: Review, user, role: str, dates: list) -> list[str]:
    """Reviewer training for a lead or reviewer, Improvement Champion training for a
    champion, current on the last review day (today without one)."""
    name = user.display_name
    on = dates[-1] if dates else timezone.localdate()
    if role in (TeamMember.Role.REVIEWER, TeamMember.Role.LEAD):
        reason = rulebook.reviewer_training(name, user.reviewer_trained_until, on)
        return [reason] if reason else []
    if role == TeamMember.Role.CHAMPION and not user.is_trained_champion(on):
        until = user.champion_trained_until
        return [f"{name}'s Improvement Champion training "
                + ((f"ran out on {until:%-d %B %Y}" if until < timezone.localdate()
                    else f"runs out on {until:%-d %B %Y}, before the review")
                   if until else "is not recorded")]
    return []


def _team_problems(live: list[TeamMember], user, role: str,
                   school: School | None) -> list[str]:
    """The team as it stands: already on it, one person per school, the champion's school,
    the number of reviewers, one lead and one champion."""
    name = user.display_name
    problems = []
    if any(m.user_id == user.pk for m in live):
        problems.append(f"{name} is already on this review")
    reviewers = [m for m in live if m.is_reviewer]
    champions = [m for m in live if m.role == TeamMember.Role.CHAMPION]
    if school is not None:
        problems += _school_on_team(school, role, reviewers, champions)
    if role in (TeamMember.Role.REVIEWER, TeamMember.Role.LEAD) and \
            len(reviewers) >= MAX_REVIEWERS:
        problems.append(f"The team already has {MAX_REVIEWERS} reviewers")
    if role == TeamMember.Role.LEAD and any(m.role == TeamMember.Role.LEAD for m in reviewers):
        problems.append("The team already has a lead reviewer")
    if role == TeamMember.Role.CHAMPION and champions:
        problems.append("The review already has an Improvement Champion")
    return problems


def _school_on_team(school: School, role: str, reviewers: list, champions: list) -> list[str]:
    """One person per school in a team, and the champion's school not on the team."""
    problems = []
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
    return problems


def candidates(review: Review, role: str) -> list[tuple[User, School | None, list[str]]]:
    """Everyone who leads a school of the pool (other than the host), with the rules each
    would break in ``role`` — eligible people first."""
    pool = _pool_school_ids(review) - {review.host_id}
    leads_pool = Q(roles__role__in=LEADER_ROLES, **current_role_lookup("roles__"),
                   roles__school_id__in=pool)
    if role == TeamMember.Role.LEAD and review.cycle.cross_partnership:
        leads_pool |= Q(pk__in=delivery_partner_user_ids())
    people = list(User.objects.filter(leads_pool, is_active=True)
                  .distinct().order_by("full_name").select_related("reviewer_profile"))
    ctx = TeamContext(review, people)
    rows = [(u, ctx.home_school(u), candidate_problems(review, u, role, ctx)) for u in people]
    return sorted(rows, key=lambda r: (bool(r[2]), r[0].full_name))
