"""Who may see and act on alumni programme requests and memberships. A request's reason is
seen only by the core team and the applicant's people: for a school, anyone with a role
there; for a partnership, its lead and the leaders of its member schools. Everyone else
gets "not found"."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from apps.accounts.roles import (
    is_core_team,
    leads_a_school,
    leads_any_partnership,
    leads_school,
    led_partnership_ids,
    school_ids_for,
)
from apps.partnerships.selectors import leads_member_school

if TYPE_CHECKING:
    from apps.accounts.types import AnyUser
    from apps.partnerships.models import AlumniMembership


@rules.predicate
def is_applicant_person(user: AnyUser, membership: AlumniMembership | None) -> bool:
    """For a school's request, anyone with a role at the school; for a partnership's, its
    lead and the headteachers and school leaders of its member schools."""
    if membership is None:
        return False
    if membership.school_id:
        return membership.school_id in school_ids_for(user)
    pid = membership.partnership_id
    return pid is not None and (pid in led_partnership_ids(user)
                                or leads_member_school(user, pid))


@rules.predicate
def acts_for_applicant(user: AnyUser, membership: AlumniMembership | None) -> bool:
    """The school's headteacher and school leaders, or the partnership's lead."""
    if membership is None:
        return False
    if membership.school_id:
        return leads_school(user, membership.school)
    return membership.partnership_id in led_partnership_ids(user)


rules.add_perm("alumni.request", leads_a_school | leads_any_partnership)
rules.add_perm("alumni.view_request", is_core_team | is_applicant_person)
rules.add_perm("alumni.act_for_applicant", acts_for_applicant)
rules.add_perm("alumni.manage", is_core_team)
