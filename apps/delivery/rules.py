"""Who may see and act on delivery partners. A nomination (its reason and the evidence) is
seen by the core team, the associate who made it and the person nominated; an approved
delivery partner also by every associate, who may attach them to their own partnerships.
An attachment, and what was delivered under it, is seen by the core team, the partnership's
associate and lead, and the delivery partner. Everyone else gets "not found"."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from apps.accounts.roles import (
    associate_partnership_ids,
    is_any_associate,
    is_core_team,
    led_partnership_ids,
)
from apps.partnerships.models import DeliveryPartner

if TYPE_CHECKING:
    from apps.accounts.types import AnyUser
    from apps.partnerships.models import DeliveryActivity, DeliveryAttachment


def _pk(user: AnyUser) -> int | None:
    return getattr(user, "pk", None)


@rules.predicate
def is_nominee(user: AnyUser, dp: DeliveryPartner | None) -> bool:
    """The person nominated (or approved) as a delivery partner."""
    return dp is not None and _pk(user) is not None and dp.person_id == _pk(user)


@rules.predicate
def made_nomination(user: AnyUser, dp: DeliveryPartner | None) -> bool:
    """The associate who made the nomination."""
    return dp is not None and _pk(user) is not None and dp.nominated_by_id == _pk(user)


@rules.predicate
def associate_sees_approved(user: AnyUser, dp: DeliveryPartner | None) -> bool:
    """Any associate, once the core team approved the delivery partner."""
    return dp is not None and dp.status == DeliveryPartner.State.APPROVED and \
        is_any_associate(user)


@rules.predicate
def has_delivery_record(user: AnyUser) -> bool:
    """Someone nominated or approved as a delivery partner."""
    return _pk(user) is not None and \
        DeliveryPartner.objects.filter(person_id=_pk(user)).exists()


@rules.predicate
def associate_of_attached(user: AnyUser, att: DeliveryAttachment | None) -> bool:
    """The associate of the partnership the delivery partner is attached to."""
    return att is not None and att.partnership_id in associate_partnership_ids(user)


@rules.predicate
def leads_attached(user: AnyUser, att: DeliveryAttachment | None) -> bool:
    """The lead of the partnership the delivery partner is attached to."""
    return att is not None and att.partnership_id in led_partnership_ids(user)


@rules.predicate
def is_attached_person(user: AnyUser, att: DeliveryAttachment | None) -> bool:
    """The delivery partner attached."""
    return att is not None and _pk(user) is not None and \
        att.delivery_partner.person_id == _pk(user)


@rules.predicate
def delivers_on_it_now(user: AnyUser, att: DeliveryAttachment | None) -> bool:
    """The delivery partner, while the attachment is in force."""
    return att is not None and bool(is_attached_person(user, att)) and att.is_current()


@rules.predicate
def recorded_it(user: AnyUser, activity: DeliveryActivity | None) -> bool:
    """Whoever recorded the activity."""
    return activity is not None and _pk(user) is not None and \
        activity.recorded_by_id == _pk(user)


rules.add_perm("delivery.view_index", is_core_team | is_any_associate | has_delivery_record)
rules.add_perm("delivery.nominate", is_core_team | is_any_associate)
rules.add_perm("delivery.view", is_core_team | is_nominee | made_nomination
               | associate_sees_approved)
rules.add_perm("delivery.withdraw", is_core_team | made_nomination)
rules.add_perm("delivery.manage", is_core_team)
rules.add_perm("delivery.attach", is_core_team | is_any_associate)
rules.add_perm("delivery.view_attachment", is_core_team | associate_of_attached
               | leads_attached | is_attached_person)
rules.add_perm("delivery.change_attachment", is_core_team | associate_of_attached)
rules.add_perm("delivery.record_activity", is_core_team | associate_of_attached
               | delivers_on_it_now)
rules.add_perm("delivery.remove_activity", is_core_team | recorded_it)
