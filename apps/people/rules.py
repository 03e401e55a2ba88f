"""Who may withdraw an invitation. The other people permissions (``accounts.*``) need only
roles and are in ``apps/accounts/rules.py``; this one needs to know which schools are in a
partnership now, so it is decided here, above partnerships."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from apps.accounts.roles import grantable_roles, is_core_team, led_partnership_ids
from apps.partnerships.models import Membership, Partnership

if TYPE_CHECKING:
    from apps.accounts.models import Invitation
    from apps.accounts.types import AnyUser



@rules.predicate
def leads_invitation_scope(user: AnyUser, invitation: Invitation | None) -> bool:
    """The lead of the partnership the invitation is for, if they could have sent it."""
    if invitation is None:
        return False
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


rules.add_perm("accounts.manage_invitation", is_core_team | leads_invitation_scope)
