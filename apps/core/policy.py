"""Who may do what: every permission of the platform, in this one file.

Deny by default: a permission not named here is refused. Views and the API ask
``user.has_perm(name, obj)`` (or use the access helpers in each app's ``access.py``,
which turn a refusal into 404 for outsiders and 403 for insiders without the right).

Roles (see ``apps.accounts.models.Role``): core team and evaluator are programme-wide;
associate and partnership lead are per partnership; headteacher, school leader and staff
are per school. A person may hold several roles at several schools.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, cast

import rules

from apps.accounts.models import Role

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from apps.accounts.models import Invitation, RoleAssignment
    from apps.core.types import AnyUser
    from apps.improvement.models import Action
    from apps.partnerships.models import Partnership
    from apps.resources.models import Resource
    from apps.reviews.models import (
        Cycle,
        EvidenceNote,
        Review,
        ReviewFile,
        SafeguardingConcern,
    )
    from apps.schools.models import School
    from apps.support.models import SupportMatch, SupportOffer, SupportRequest
    from apps.training.models import Course, Session


def _roles(user: AnyUser) -> list[tuple[str, int | None, int | None]]:
    """(role, partnership_id, school_id) for the user's current roles, cached per object."""
    if not user or not user.is_authenticated or not user.is_active:
        return []
    cached: list[tuple[str, int | None, int | None]] | None = getattr(user, "_pr_roles", None)
    if cached is None:
        cached = list(user.roles.current().values_list("role", "partnership_id", "school_id"))
        user._pr_roles = cached
    return cached


def partnership_ids_for(user: AnyUser) -> set[int]:
    """Partnerships the person belongs to: by a partnership role, or by a school role at a
    school that is currently a member."""
    cached: set[int] | None = getattr(user, "_pr_partnerships", None)
    if cached is not None:
        return cached
    from apps.partnerships.models import Membership

    roles = _roles(user)
    ids = {p for _, p, _ in roles if p}
    school_ids = {s for _, _, s in roles if s}
    if school_ids:
        ids |= set(Membership.objects.current().filter(school_id__in=school_ids)
                   .values_list("partnership_id", flat=True))
    if user is not None and user.is_authenticated:
        user._pr_partnerships = ids
    return ids


def led_partnership_ids(user: AnyUser) -> set[int]:
    return {p for r, p, _ in _roles(user) if r == Role.PARTNERSHIP_LEAD and p}


def school_ids_for(user: AnyUser, roles: Collection[str] | None = None) -> set[int]:
    return {s for r, _, s in _roles(user) if s and (roles is None or r in roles)}


@rules.predicate
def is_core_team(user: AnyUser) -> bool:
    """The programme's core team."""
    return any(r == Role.CORE_TEAM for r, _, _ in _roles(user))


@rules.predicate
def is_evaluator(user: AnyUser) -> bool:
    """A programme evaluator."""
    return any(r == Role.EVALUATOR for r, _, _ in _roles(user))


@rules.predicate
def is_signed_in(user: AnyUser) -> bool:
    """Anyone signed in."""
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def belongs_to_partnership(user: AnyUser, partnership: Partnership | None) -> bool:
    """Someone in this partnership."""
    return partnership is not None and partnership.pk in partnership_ids_for(user)


@rules.predicate
def belongs_to_any_partnership(user: AnyUser) -> bool:
    """Someone in a partnership of the programme (by a partnership role, or a role at a current
    member school)."""
    return bool(partnership_ids_for(user))


@rules.predicate
def leads_partnership(user: AnyUser, partnership: Partnership | None) -> bool:
    """The partnership's lead."""
    return partnership is not None and partnership.pk in led_partnership_ids(user)


@rules.predicate
def leads_any_partnership(user: AnyUser) -> bool:
    """A partnership lead."""
    return bool(led_partnership_ids(user))


@rules.predicate
def leads_invitation_scope(user: AnyUser, invitation: Invitation | None) -> bool:
    """The lead of the partnership the invitation is for, if they could have sent it."""
    if invitation is None:
        return False
    from apps.partnerships.models import Membership, Partnership

    led = led_partnership_ids(user)
    if invitation.partnership_id:
        partnership_ids = {invitation.partnership_id} & led
    elif invitation.school_id:
        partnership_ids = set(Membership.objects.current().filter(
            school_id=invitation.school_id, partnership_id__in=led)
            .values_list("partnership_id", flat=True))
    else:
        return False
    # Only an invitation the lead could have sent themselves (not, say, an associate's).
    return any(invitation.role in grantable_roles(user, p)
               for p in Partnership.objects.filter(pk__in=partnership_ids))


@rules.predicate
def has_school_role(user: AnyUser) -> bool:
    """Someone with a role at a school."""
    return bool(school_ids_for(user))


@rules.predicate
def works_at_school(user: AnyUser, school: School | None) -> bool:
    """Anyone with a role at this school."""
    return school is not None and school.pk in school_ids_for(user)


@rules.predicate
def leads_school(user: AnyUser, school: School | None) -> bool:
    """The school's headteacher and school leaders, who act for it."""
    return school is not None and school.pk in school_ids_for(
        user, {Role.HEADTEACHER, Role.SCHOOL_LEADER})


def programme_standing(user: AnyUser) -> str | None:
    """"current" for people of a school or partnership in the programme now, "alumni" for
    those whose only partnerships have reached the Alumni phase, else None."""
    cached = getattr(user, "_pr_standing", False)
    if cached is not False:
        return cast("str | None", cached)
    from apps.partnerships.models import Partnership

    ids = partnership_ids_for(user) if user is not None and user.is_authenticated else set()
    phases = set(Partnership.objects.filter(pk__in=ids).values_list("phase", flat=True))
    standing = "current" if phases - {"alumni"} else ("alumni" if phases else None)
    if user is not None and user.is_authenticated:
        user._pr_standing = standing
    return standing


def resource_audiences(user: AnyUser) -> set[str]:
    """The audiences of library items this person may see. Schools in the programme see
    programme materials; alumni schools keep that access and also see what is written for
    the alumni community."""
    if is_core_team(user):
        return {"public", "programme", "alumni", "core"}
    standing = programme_standing(user)
    if standing == "current":
        return {"public", "programme"}
    if standing == "alumni":
        return {"public", "programme", "alumni"}
    return {"public"}


@rules.predicate
def can_see_resource(user: AnyUser, resource: Resource | None) -> bool:
    """Someone in the library item's audience."""
    return resource is not None and resource.audience in resource_audiences(user)


# Programme
rules.add_perm("core.view_audit_log", is_core_team)
rules.add_perm("core.use_admin", is_core_team)

# Schools register: organisational data published by the DfE, readable when signed in.
rules.add_perm("schools.view_directory", is_signed_in)
rules.add_perm("schools.view_school", is_signed_in)
rules.add_perm("schools.import_register", is_core_team)

# Partnerships
rules.add_perm("partnerships.list_partnerships", is_core_team | belongs_to_any_partnership)
rules.add_perm("partnerships.view_partnership", is_core_team | belongs_to_partnership)
rules.add_perm("partnerships.add_partnership", is_core_team)
rules.add_perm("partnerships.change_phase", is_core_team)
rules.add_perm("partnerships.manage_schools", is_core_team | leads_partnership)
rules.add_perm("partnerships.manage_people", is_core_team | leads_partnership)

# Enquiry frameworks: published versions are for everyone signed in; drafts for the core team.
rules.add_perm("frameworks.view_frameworks", is_signed_in)
rules.add_perm("frameworks.edit_frameworks", is_core_team)
rules.add_perm("frameworks.use_shortlist", has_school_role)
rules.add_perm("frameworks.view_shortlist", is_core_team | works_at_school)
rules.add_perm("frameworks.change_shortlist", leads_school)

# Resources library: by audience (public, current programme schools, programme and alumni
# schools, core team). Everyone else gets 404.
rules.add_perm("resources.view_resource", can_see_resource)
rules.add_perm("resources.manage_library", is_core_team)

# People, roles and invitations
rules.add_perm("accounts.manage_people", is_core_team | leads_any_partnership)
rules.add_perm("accounts.grant_programme_roles", is_core_team)
rules.add_perm("accounts.set_training_dates", is_core_team)
rules.add_perm("accounts.change_sign_in_email", is_core_team)
rules.add_perm("accounts.manage_invitation", is_core_team | leads_invitation_scope)


def grantable_roles(user: AnyUser, partnership: Partnership | None = None) -> list[str]:
    """The roles this person may grant by invitation, within ``partnership`` if given."""
    if is_core_team(user):
        return [r.value for r in Role]
    if partnership is not None and leads_partnership(user, partnership):
        return [Role.PARTNERSHIP_LEAD, Role.HEADTEACHER, Role.SCHOOL_LEADER, Role.STAFF]
    return []


# ---------------------------------------------------------------------------------------------
# The review cycle. A school's review belongs to that school: its content (self-review,
# evidence, findings, reports) is seen by the host school's leaders, the review's team and its
# Improvement Champion. Partnership leads and associates see the schedule and status only;
# the host headteacher may share the agreed report further.

def _team_places(user: AnyUser, review: Review | None) -> dict[str, str]:
    """{role: status} of the person's live places on this review's team, cached."""
    if not is_signed_in(user) or review is None:
        return {}
    cache: dict[int, dict[str, str]] = user.__dict__.setdefault("_pr_team", {})
    if review.pk not in cache:
        from apps.reviews.models import TeamMember

        cache[review.pk] = dict(TeamMember.objects.filter(
            review_id=review.pk, user_id=cast(int, user.pk),
            status__in=[TeamMember.State.INVITED, TeamMember.State.ACCEPTED])
            .values_list("role", "status"))
    return cache[review.pk]


def _accepted_roles(user: AnyUser, review: Review | None) -> set[str]:
    return {r for r, s in _team_places(user, review).items() if s == "accepted"}


@rules.predicate
def is_host_leader(user: AnyUser, review: Review | None) -> bool:
    """The host school's headteacher and school leaders."""
    return review is not None and leads_school(user, review.host)


@rules.predicate
def is_host_head(user: AnyUser, review: Review | None) -> bool:
    """The host school's headteacher."""
    return review is not None and review.host_id in school_ids_for(user, {Role.HEADTEACHER})


@rules.predicate
def is_host_member(user: AnyUser, review: Review | None) -> bool:
    """Anyone with a role at the host school."""
    return review is not None and review.host_id in school_ids_for(user)


@rules.predicate
def is_invited_to_review(user: AnyUser, review: Review | None) -> bool:
    """Someone invited to, or on, the review's team (as reviewer, lead or champion)."""
    return bool(_team_places(user, review))


@rules.predicate
def is_on_review_team(user: AnyUser, review: Review | None) -> bool:
    """An accepted reviewer or lead reviewer (not the Improvement Champion)."""
    return bool(_accepted_roles(user, review) & {"reviewer", "lead"})


@rules.predicate
def is_lead_reviewer(user: AnyUser, review: Review | None) -> bool:
    """The review's lead reviewer."""
    return "lead" in _accepted_roles(user, review)


@rules.predicate
def is_review_champion(user: AnyUser, review: Review | None) -> bool:
    """The review's Improvement Champion."""
    return "champion" in _accepted_roles(user, review)


@rules.predicate
def leads_review_partnership(user: AnyUser, review: Review | None) -> bool:
    """The lead of the review's partnership."""
    return review is not None and review.cycle.partnership_id in led_partnership_ids(user)


@rules.predicate
def in_review_partnership(user: AnyUser, review: Review | None) -> bool:
    """Someone in the review's partnership."""
    return review is not None and review.cycle.partnership_id in partnership_ids_for(user)


@rules.predicate
def belongs_to_cycle_partnership(user: AnyUser, cycle: Cycle | None) -> bool:
    """Someone in the cycle's partnership."""
    return cycle is not None and cycle.partnership_id in partnership_ids_for(user)


@rules.predicate
def leads_cycle_partnership(user: AnyUser, cycle: Cycle | None) -> bool:
    """The lead of the cycle's partnership."""
    return cycle is not None and cycle.partnership_id in led_partnership_ids(user)


def live_share_audiences(review: Review) -> set[str]:
    cache = review.__dict__.setdefault("_pr_shares", None)
    if cache is None:
        cache = set(review.shares.filter(withdrawn_at__isnull=True)
                    .values_list("audience", flat=True))
        review.__dict__["_pr_shares"] = cache
    return cache


@rules.predicate
def report_shared_with(user: AnyUser, review: Review | None) -> bool:
    """The host headteacher shared the agreed report with an audience this person is in."""
    if review is None:
        return False
    shares = live_share_audiences(review)
    if not shares:
        return False
    partnership_id = review.cycle.partnership_id
    if "programme" in shares and is_core_team(user):
        return True
    roles = _roles(user)
    if "associate" in shares and any(r == Role.ASSOCIATE and p == partnership_id
                                     for r, p, _ in roles):
        return True
    if "partnership" in shares:
        if partnership_id in led_partnership_ids(user):
            return True
        from apps.partnerships.models import Membership

        led_schools = school_ids_for(user, {Role.HEADTEACHER, Role.SCHOOL_LEADER})
        return Membership.objects.current().filter(partnership_id=partnership_id,
                                                   school_id__in=led_schools).exists()
    return False


can_see_review_content = is_host_leader | is_on_review_team | is_review_champion

rules.add_perm("reviews.view_cycle", is_core_team | belongs_to_cycle_partnership)
rules.add_perm("reviews.manage_cycle", is_core_team | leads_cycle_partnership)
# Schedule and status of one review
rules.add_perm("reviews.view_review", is_core_team | in_review_partnership
               | is_invited_to_review | is_host_member)
rules.add_perm("reviews.view_content", can_see_review_content)
rules.add_perm("reviews.edit_self_review", is_host_leader)
rules.add_perm("reviews.edit_plan", is_host_leader | is_lead_reviewer)
rules.add_perm("reviews.manage_team", is_core_team | leads_review_partnership)
rules.add_perm("reviews.edit_schedule", is_core_team | leads_review_partnership)
rules.add_perm("reviews.record_evidence", is_on_review_team)
rules.add_perm("reviews.edit_findings", is_on_review_team)
rules.add_perm("reviews.compile_report", is_lead_reviewer)
rules.add_perm("reviews.check_report", is_host_head)
rules.add_perm("reviews.share_report", is_host_head)
rules.add_perm("reviews.view_report", can_see_review_content | report_shared_with)
rules.add_perm("reviews.view_disclosures", is_host_leader)
rules.add_perm("reviews.raise_safeguarding", is_host_member | is_invited_to_review)


@rules.predicate
def can_see_safeguarding_concern(user: AnyUser, concern: SafeguardingConcern | None) -> bool:
    """The host headteacher and the school's designated safeguarding lead; when the concern
    is about the headteacher, the programme's safeguarding officer (and, while no officer
    may read it, the core team, so that it is never stranded)."""
    if concern is None:
        return False
    host_id = concern.review.host_id
    if concern.about_headteacher:
        # Never the headteacher it is about, even if they also hold another role.
        if host_id in school_ids_for(user, {Role.HEADTEACHER}):
            return False
        if any(r == Role.SAFEGUARDING_OFFICER for r, _, _ in _roles(user)):
            return True
        return is_core_team(user) and not eligible_safeguarding_officers(host_id).exists()
    return host_id in school_ids_for(user, {Role.HEADTEACHER, Role.DSL})


def eligible_safeguarding_officers(host_id: int) -> QuerySet[RoleAssignment]:
    """Current programme safeguarding officers who are not the host school's headteacher."""
    from apps.accounts.models import RoleAssignment

    heads = RoleAssignment.objects.current().filter(role=Role.HEADTEACHER, school_id=host_id) \
        .values("user_id")
    return RoleAssignment.objects.current().filter(
        role=Role.SAFEGUARDING_OFFICER, user__is_active=True).exclude(user_id__in=heads)


rules.add_perm("reviews.view_safeguarding_concern", can_see_safeguarding_concern)
# Marking a concern as seen: the same people who may read it.
rules.add_perm("reviews.acknowledge_safeguarding_concern", can_see_safeguarding_concern)


@rules.predicate
def wrote_note(user: AnyUser, note: EvidenceNote | None) -> bool:
    """The note's author, while still on the review's team."""
    return note is not None and note.author_id == getattr(user, "pk", None) and \
        is_on_review_team(user, note.review)


@rules.predicate
def may_remove_review_file(user: AnyUser, f: ReviewFile | None) -> bool:
    """Self-review documents: the host's leaders; evidence files: whoever added them."""
    if f is None:
        return False
    if f.purpose == "self_review":
        return is_host_leader(user, f.review)
    return f.uploaded_by_id == getattr(user, "pk", None) and can_see_review_content(
        user, f.review)


rules.add_perm("reviews.edit_evidence_note", wrote_note)
rules.add_perm("reviews.remove_file", may_remove_review_file)
rules.add_perm("reviews.edit_settings", is_host_leader | leads_review_partnership)


# ---------------------------------------------------------------------------------------------
# After the report: the Improvement Workshop, the action plan (owned by the host school) and
# the impact check-back. The plan is seen by the host school (leaders and staff, who may own
# actions) and the review's Improvement Champion; beyond them only when the host headteacher
# shares it with the partnership.

@rules.predicate
def owns_an_action(user: AnyUser, review: Review | None) -> bool:
    return review is not None and is_signed_in(user) and review.actions.filter(
        owner_id=user.pk).exists()


@rules.predicate
def plan_shared_with(user: AnyUser, review: Review | None) -> bool:
    """Once the host's headteacher shares the plan: the partnership's lead, associate and the
    leaders of its current schools."""
    if review is None or not review.plan_shares.filter(withdrawn_at__isnull=True).exists():
        return False
    partnership_id = review.cycle.partnership_id
    if partnership_id in led_partnership_ids(user) or any(
            r == Role.ASSOCIATE and p == partnership_id for r, p, _ in _roles(user)):
        return True
    from apps.partnerships.models import Membership

    return Membership.objects.current().filter(
        partnership_id=partnership_id,
        school_id__in=school_ids_for(user, {Role.HEADTEACHER, Role.SCHOOL_LEADER})).exists()


@rules.predicate
def owns_action(user: AnyUser, action: Action | None) -> bool:
    """The action's owner, while they hold a role at the host school."""
    return action is not None and action.owner_id == getattr(user, "pk", None) and \
        action.review.host_id in school_ids_for(user)


@rules.predicate
def leads_action_host(user: AnyUser, action: Action | None) -> bool:
    """The headteacher and school leaders of the school whose plan the action is in."""
    return action is not None and is_host_leader(user, action.review)


@rules.predicate
def is_associate_of(user: AnyUser, partnership: Partnership | None) -> bool:
    """The partnership's associate."""
    return partnership is not None and any(r == Role.ASSOCIATE and p == partnership.pk
                                           for r, p, _ in _roles(user))


rules.add_perm("improvement.view_workshop", is_host_leader | is_review_champion
               | is_on_review_team)
rules.add_perm("improvement.run_workshop", is_review_champion | is_host_leader)
rules.add_perm("improvement.view_plan", is_host_member | is_review_champion | plan_shared_with)
rules.add_perm("improvement.edit_plan", is_host_leader | is_review_champion)
rules.add_perm("improvement.update_action", owns_action | leads_action_host)
rules.add_perm("improvement.share_plan", is_host_head)
rules.add_perm("improvement.check_back", is_host_leader)
# Which check-backs happened, and counts of open actions by area: no content.
rules.add_perm("improvement.view_partnership_progress", is_core_team | leads_partnership
               | is_associate_of)


# School-to-school support: offers are seen across the partnership; a request and the support
# given are seen by the two schools and the partnership lead who brokers it.

def _live_provider_school_ids(request: SupportRequest) -> set[int]:
    return set(request.matches.exclude(status="cancelled")
               .values_list("provider_school_id", flat=True))


@rules.predicate
def in_offer_partnership(user: AnyUser, offer: SupportOffer | None) -> bool:
    """Someone in the partnership the offer is made in."""
    return offer is not None and offer.partnership_id in partnership_ids_for(user)


@rules.predicate
def leads_offer_school(user: AnyUser, offer: SupportOffer | None) -> bool:
    """The headteacher and school leaders of the school making the offer."""
    return offer is not None and offer.school_id in school_ids_for(
        user, {Role.HEADTEACHER, Role.SCHOOL_LEADER})


@rules.predicate
def leads_request_school(user: AnyUser, request: SupportRequest | None) -> bool:
    """The headteacher and school leaders of the school asking for support."""
    return request is not None and request.school_id in school_ids_for(
        user, {Role.HEADTEACHER, Role.SCHOOL_LEADER})


@rules.predicate
def brokers_request(user: AnyUser, request: SupportRequest | None) -> bool:
    """The lead of the partnership the request was made in."""
    return request is not None and request.partnership_id in led_partnership_ids(user)


@rules.predicate
def provides_for_request(user: AnyUser, request: SupportRequest | None) -> bool:
    """The headteacher and school leaders of a school matched to help with the request."""
    return request is not None and bool(_live_provider_school_ids(request) & school_ids_for(
        user, {Role.HEADTEACHER, Role.SCHOOL_LEADER}))


@rules.predicate
def leads_match_host(user: AnyUser, match: SupportMatch | None) -> bool:
    """The headteacher and school leaders of the school being helped."""
    return match is not None and match.request.school_id in school_ids_for(
        user, {Role.HEADTEACHER, Role.SCHOOL_LEADER})


@rules.predicate
def leads_match_provider(user: AnyUser, match: SupportMatch | None) -> bool:
    """The headteacher and school leaders of the school helping."""
    return match is not None and match.provider_school_id in school_ids_for(
        user, {Role.HEADTEACHER, Role.SCHOOL_LEADER})


@rules.predicate
def brokers_match(user: AnyUser, match: SupportMatch | None) -> bool:
    """The partnership lead who brokers the match."""
    return match is not None and match.request.partnership_id in led_partnership_ids(user)


rules.add_perm("support.view_offer", is_core_team | in_offer_partnership)
rules.add_perm("support.manage_offer", leads_offer_school)
rules.add_perm("support.view_request", leads_request_school | brokers_request
               | provides_for_request)
rules.add_perm("support.broker", brokers_request)
rules.add_perm("support.close_request", leads_request_school)
rules.add_perm("support.view_match", leads_match_host | leads_match_provider | brokers_match)
rules.add_perm("support.confirm_as_host", leads_match_host)
rules.add_perm("support.confirm_as_provider", leads_match_provider)
rules.add_perm("support.record_delivery", leads_match_host | leads_match_provider
               | brokers_match)
rules.add_perm("support.cancel_match", leads_match_host | leads_match_provider | brokers_match)


# The review-team optimiser: the partnership lead (or the core team, also for cross-partnership
# pools) proposes and publishes the teams of a cycle. Everyone keeps their own reviewing
# preferences.
rules.add_perm("allocation.propose", is_core_team | leads_cycle_partnership)


# ---------------------------------------------------------------------------------------------
# Training, national meetings and bookings. A course is seen (and booked) by its audience;
# the core team runs the catalogue; trainers take the register and run polls for their
# sessions; school leaders book for staff of their school.

def course_audiences(user: AnyUser) -> set[str]:
    """The audiences of courses this person may see and book."""
    audiences = {"everyone"}
    if not is_signed_in(user):
        return audiences
    if is_core_team(user):
        return {"everyone", "current", "alumni", "trained_reviewers", "trained_champions",
                "partnership_leads"}
    standing = programme_standing(user)
    if standing == "current":
        audiences.add("current")
    if standing == "alumni":
        audiences.add("alumni")
    # Refreshers are for people trained before, lapsed or not.
    if getattr(user, "reviewer_trained_until", None):
        audiences.add("trained_reviewers")
    if getattr(user, "champion_trained_until", None):
        audiences.add("trained_champions")
    if led_partnership_ids(user):
        audiences.add("partnership_leads")
    return audiences


@rules.predicate
def in_course_audience(user: AnyUser, course: Course | None) -> bool:
    """Someone in the course's audience."""
    return course is not None and course.audience in course_audiences(user)


@rules.predicate
def trains_session(user: AnyUser, session: Session | None) -> bool:
    """A trainer of the session."""
    return session is not None and is_signed_in(user) and session.trainers.filter(
        pk=user.pk).exists()


@rules.predicate
def leads_a_school(user: AnyUser) -> bool:
    """A headteacher or school leader."""
    return bool(school_ids_for(user, {Role.HEADTEACHER, Role.SCHOOL_LEADER}))


rules.add_perm("training.view_course", in_course_audience)
rules.add_perm("training.book", is_signed_in & in_course_audience)
rules.add_perm("training.book_for_staff", leads_a_school)
rules.add_perm("training.manage", is_core_team)
rules.add_perm("training.take_register", is_core_team | trains_session)
rules.add_perm("training.run_polls", is_core_team | trains_session)
rules.add_perm("training.view_reports", is_core_team | leads_any_partnership)
rules.add_perm("training.view_aggregates", is_core_team)


# ---------------------------------------------------------------------------------------------
# Impact and evaluation. Outcomes are imported by the core team; analyses are defined and
# read by the core team and evaluators (who see pseudonymised, suppressed data only and never
# a review's content). Fidelity: the core team, evaluators and associates see every
# partnership; a partnership lead sees their own.

@rules.predicate
def is_any_associate(user: AnyUser) -> bool:
    """An associate of any partnership (associates see impact figures for all)."""
    return any(r == Role.ASSOCIATE for r, _, _ in _roles(user))


rules.add_perm("impact.import_outcomes", is_core_team)
rules.add_perm("impact.run_analyses", is_core_team | is_evaluator)
rules.add_perm("impact.export", is_core_team | is_evaluator)
rules.add_perm("impact.view_all_fidelity", is_core_team | is_evaluator | is_any_associate)
rules.add_perm("impact.view_fidelity", is_core_team | is_evaluator | is_any_associate
               | leads_partnership)
rules.add_perm("impact.list_fidelity", is_core_team | is_evaluator | is_any_associate
               | leads_any_partnership)
rules.add_perm("impact.manage_surveys", is_core_team)
# Survey results are suppressed for small groups whoever reads them.
rules.add_perm("impact.view_survey_results", is_core_team | is_evaluator | is_any_associate)
rules.add_perm("impact.view_commissioner_report", is_core_team | is_evaluator | is_any_associate)
