"""Resources library: by audience (public, current programme schools, programme and alumni
schools, core team). Everyone else gets 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from apps.accounts.roles import is_core_team
from apps.partnerships.selectors import in_alumni_programme, programme_standing

if TYPE_CHECKING:
    from apps.accounts.types import AnyUser
    from apps.resources.models import Resource



def resource_audiences(user: AnyUser) -> set[str]:
    """The audiences of library items this person may see. Schools in the programme see
    programme materials; alumni schools keep that access and also see what is written for
    the alumni community, as do members of the alumni programme."""
    if is_core_team(user):
        return {"public", "programme", "alumni", "core"}
    standing = programme_standing(user)
    if standing == "alumni" or in_alumni_programme(user):
        return {"public", "programme", "alumni"}
    if standing == "current":
        return {"public", "programme"}
    return {"public"}


@rules.predicate
def can_see_resource(user: AnyUser, resource: Resource | None) -> bool:
    """Someone in the library item's audience."""
    return resource is not None and resource.audience in resource_audiences(user)


rules.add_perm("resources.view_resource", can_see_resource)
rules.add_perm("resources.manage_library", is_core_team)
