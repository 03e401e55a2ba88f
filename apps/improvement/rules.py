"""Who may see and do what after the report: the Improvement Workshop, the action plan (owned
by the host school) and the impact check-back. Every permission is listed in
``docs/permissions.md``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from apps.accounts.roles import (
    associate_partnership_ids,
    is_associate_of,
    is_core_team,
    is_signed_in,
    leads_partnership,
    led_partnership_ids,
    school_ids_for,
)
from apps.partnerships.models import DeliveryScope
from apps.partnerships.selectors import delivers_for, leads_member_school
from apps.reviews.rules import (
    is_host_head,
    is_host_leader,
    is_host_member,
    is_on_review_team,
    is_review_champion,
)

if TYPE_CHECKING:
    from apps.accounts.types import AnyUser
    from apps.improvement.models import Action
    from apps.partnerships.models import Partnership
    from apps.reviews.models import Review


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
    if partnership_id in led_partnership_ids(user) | associate_partnership_ids(user):
        return True
    return leads_member_school(user, partnership_id)


@rules.predicate
def owns_action(user: AnyUser, action: Action | None) -> bool:
    """The action's owner, while they hold a role at the host school."""
    return action is not None and action.owner_id == getattr(user, "pk", None) and \
        action.review.host_id in school_ids_for(user)


@rules.predicate
def leads_action_host(user: AnyUser, action: Action | None) -> bool:
    """The headteacher and school leaders of the school whose plan the action is in."""
    return action is not None and is_host_leader(user, action.review)


rules.add_perm("improvement.view_workshop", is_host_leader | is_review_champion
               | is_on_review_team)
rules.add_perm("improvement.run_workshop", is_review_champion | is_host_leader)
rules.add_perm("improvement.view_plan", is_host_member | is_review_champion | plan_shared_with)
rules.add_perm("improvement.edit_plan", is_host_leader | is_review_champion)
rules.add_perm("improvement.update_action", owns_action | leads_action_host)
rules.add_perm("improvement.share_plan", is_host_head)
rules.add_perm("improvement.check_back", is_host_leader)
# Which check-backs happened, and counts of open actions by area: no content.
@rules.predicate
def supports_partnership_improvement(user: AnyUser, partnership: Partnership | None) -> bool:
    """A delivery partner attached to the partnership today for improvement support."""
    return partnership is not None and \
        delivers_for(user, partnership.pk, DeliveryScope.SUPPORT)


rules.add_perm("improvement.view_partnership_progress", is_core_team | leads_partnership
               | is_associate_of | supports_partnership_improvement)


