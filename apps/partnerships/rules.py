"""Who may see and run a partnership. Belonging to a partnership means a partnership role, or
a school role at a school that is a member now (``selectors.partnership_ids_for``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from apps.accounts.roles import is_core_team, leads_partnership

from .selectors import delivers_for, partnership_ids_for

if TYPE_CHECKING:
    from apps.accounts.types import AnyUser
    from apps.partnerships.models import Partnership



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
def delivers_for_partnership(user: AnyUser, partnership: Partnership | None) -> bool:
    """A delivery partner attached to this partnership today, for any scope."""
    return partnership is not None and delivers_for(user, partnership.pk)


rules.add_perm("partnerships.list_partnerships", is_core_team | belongs_to_any_partnership)
rules.add_perm("partnerships.view_partnership", is_core_team | belongs_to_partnership
               | delivers_for_partnership)
rules.add_perm("partnerships.add_partnership", is_core_team)
rules.add_perm("partnerships.change_phase", is_core_team)
rules.add_perm("partnerships.manage_schools", is_core_team | leads_partnership)
rules.add_perm("partnerships.manage_people", is_core_team | leads_partnership)
