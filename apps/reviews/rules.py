"""Who may see and do what in the review cycle. A school's review belongs to that school.

Predicates are built from the shared role helpers (``apps.accounts.roles``) and membership
(``apps.partnerships.selectors``); every permission is listed in ``docs/permissions.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import rules

from apps.accounts.models import Role, RoleAssignment
from apps.accounts.roles import (
    associate_partnership_ids,
    holds_role,
    is_core_team,
    is_signed_in,
    leads_partnership,
    leads_school,
    led_partnership_ids,
    school_ids_for,
)
from apps.partnerships.models import DeliveryScope
from apps.partnerships.selectors import (
    delivers_for,
    leads_member_school,
    partnership_ids_for,
    reviewing_partnerships,
)

from .models import ReviewFile, TeamMember

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from apps.accounts.types import AnyUser
    from apps.partnerships.models import Partnership
    from apps.reviews.models import (
        Cycle,
        EvidenceNote,
        PartnerAgreement,
        Review,
        ReviewFile,
        SafeguardingConcern,
    )


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
        cache[review.pk] = dict(TeamMember.objects.filter(
            review_id=review.pk, user_id=cast(int, user.pk),
            status__in=[TeamMember.State.INVITED, TeamMember.State.ACCEPTED])
            .values_list("role", "status"))
    return cache[review.pk]


def _accepted_roles(user: AnyUser, review: Review | None) -> set[str]:
    return {r for r, s in _team_places(user, review).items() if s == TeamMember.State.ACCEPTED}


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
    return bool(_accepted_roles(user, review) & {TeamMember.Role.REVIEWER, TeamMember.Role.LEAD})


@rules.predicate
def is_lead_reviewer(user: AnyUser, review: Review | None) -> bool:
    """The review's lead reviewer."""
    return TeamMember.Role.LEAD in _accepted_roles(user, review)


@rules.predicate
def is_review_champion(user: AnyUser, review: Review | None) -> bool:
    """The review's Improvement Champion."""
    return TeamMember.Role.CHAMPION in _accepted_roles(user, review)


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


@rules.predicate
def supports_cycle_partnership(user: AnyUser, cycle: Cycle | None) -> bool:
    """A delivery partner attached to the cycle's partnership today for its review cycle."""
    return cycle is not None and delivers_for(user, cycle.partnership_id, DeliveryScope.REVIEWS)


@rules.predicate
def supports_review_partnership(user: AnyUser, review: Review | None) -> bool:
    """A delivery partner attached to the review's partnership today for its review cycle
    (like its associate: the schedule and status, never the content)."""
    return review is not None and \
        delivers_for(user, review.cycle.partnership_id, DeliveryScope.REVIEWS)


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
    if "associate" in shares and partnership_id in associate_partnership_ids(user):
        return True
    if "partnership" in shares:
        if partnership_id in led_partnership_ids(user):
            return True
        return leads_member_school(user, partnership_id)
    return False


can_see_review_content = is_host_leader | is_on_review_team | is_review_champion


@rules.predicate
def leads_partner_asked(user: AnyUser, agreement: PartnerAgreement | None) -> bool:
    """The lead of the partnership asked to lend reviewers to another's cycle."""
    return agreement is not None and agreement.partner_id in led_partnership_ids(user)


@rules.predicate
def leads_asking_partnership(user: AnyUser, agreement: PartnerAgreement | None) -> bool:
    """The lead of the partnership whose cycle asked."""
    return agreement is not None and \
        agreement.cycle.partnership_id in led_partnership_ids(user)

@rules.predicate
def runs_reviews_on_platform(user: AnyUser, partnership: Partnership | None) -> bool:
    """A partnership that runs its reviews here: one in Build, Embed, Sustain or Hub, or an
    alumni partnership whose alumni membership is current (no associate needed)."""
    return partnership is not None and \
        reviewing_partnerships().filter(pk=partnership.pk).exists()


# Starting a cycle: the core team or the partnership's lead, for a partnership that runs its
# reviews on the platform (apps.partnerships.selectors.reviewing_partnerships).
rules.add_perm("reviews.start_cycle",
               (is_core_team | leads_partnership) & runs_reviews_on_platform)
rules.add_perm("reviews.view_cycle", is_core_team | belongs_to_cycle_partnership
               | supports_cycle_partnership)
rules.add_perm("reviews.manage_cycle", is_core_team | leads_cycle_partnership)
# A request to share reviewers between two partnerships: both leads (and the core team) see
# it; only the asked partnership's lead answers it.
rules.add_perm("reviews.view_partner_request",
               is_core_team | leads_partner_asked | leads_asking_partnership)
rules.add_perm("reviews.answer_partner_request", leads_partner_asked)
# Schedule and status of one review
rules.add_perm("reviews.view_review", is_core_team | in_review_partnership
               | is_invited_to_review | is_host_member | supports_review_partnership)
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
        if holds_role(user, Role.SAFEGUARDING_OFFICER):
            return True
        return is_core_team(user) and not eligible_safeguarding_officers(host_id).exists()
    return host_id in school_ids_for(user, {Role.HEADTEACHER, Role.DSL})


def eligible_safeguarding_officers(host_id: int) -> QuerySet[RoleAssignment]:
    """Current programme safeguarding officers who are not the host school's headteacher."""
    heads = RoleAssignment.objects.current().filter(role=Role.HEADTEACHER, school_id=host_id) \
        .values("user_id")
    return RoleAssignment.objects.current().filter(
        role=Role.SAFEGUARDING_OFFICER, user__is_active=True).exclude(user_id__in=heads)


rules.add_perm("reviews.view_safeguarding_concern", can_see_safeguarding_concern)
# Marking a concern as seen, and recording (or correcting) what was done about it and
# reopening it: the same people who may read it.
rules.add_perm("reviews.acknowledge_safeguarding_concern", can_see_safeguarding_concern)
rules.add_perm("reviews.record_safeguarding_outcome", can_see_safeguarding_concern)


@rules.predicate
def may_read_some_safeguarding_concerns(user: AnyUser) -> bool:
    """Designated safeguarding leads, headteachers, the programme's safeguarding officer and
    the core team: the roles that may read some safeguarding concerns (the list shows each
    only the concerns they may read)."""
    return any(holds_role(user, role) for role in SAFEGUARDING_READER_ROLES) \
        or is_core_team(user)


SAFEGUARDING_READER_ROLES = (Role.DSL, Role.HEADTEACHER, Role.SAFEGUARDING_OFFICER)
rules.add_perm("reviews.list_safeguarding_concerns", may_read_some_safeguarding_concerns)


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
    if f.purpose == ReviewFile.Purpose.SELF_REVIEW:
        return is_host_leader(user, f.review)
    return f.uploaded_by_id == getattr(user, "pk", None) and can_see_review_content(
        user, f.review)


rules.add_perm("reviews.edit_evidence_note", wrote_note)
rules.add_perm("reviews.remove_file", may_remove_review_file)
rules.add_perm("reviews.edit_settings", is_host_leader | leads_review_partnership)


