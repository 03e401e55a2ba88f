"""Access helpers: one per object type. Someone who may not see an offer, request or match
gets 404 (it does not exist for them); someone who may see it but not do this gets 403."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from apps.accounts.models import Role
from apps.accounts.roles import school_ids_for
from apps.core.converters import is_id
from apps.improvement.access import get_action_for_user
from apps.improvement.models import Action
from apps.partnerships.models import Membership, Partnership
from apps.partnerships.selectors import partnership_ids_for
from apps.reviews.rules import is_host_leader
from apps.schools.models import School

from .models import SupportMatch, SupportOffer, SupportRequest

if TYPE_CHECKING:
    from apps.accounts.types import AnyUser

_M = TypeVar("_M", bound=Model)

LEADERS = {Role.HEADTEACHER, Role.SCHOOL_LEADER}


def _check(user: AnyUser, obj: _M | None, view_perm: str, perm: str | None) -> _M:
    if obj is None or not user.has_perm(view_perm, obj):
        raise Http404("Not found")
    if perm and not user.has_perm(perm, obj):
        raise PermissionDenied
    return obj


def led_school_ids(user: AnyUser) -> set[int]:
    """Schools this person acts for (as headteacher or school leader)."""
    return school_ids_for(user, LEADERS)


def offer_places(user: AnyUser) -> list[tuple[School, Partnership]]:
    """(school, partnership) pairs this person may offer support within: each school they
    lead, in each partnership it is a current member of."""
    memberships = (Membership.objects.current().filter(school_id__in=led_school_ids(user))
                   .select_related("school", "partnership")
                   .order_by("school__name", "partnership__name"))
    return [(m.school, m.partnership) for m in memberships]


def live_offers(user: AnyUser) -> QuerySet[SupportOffer]:
    """Offers not withdrawn, in the partnerships this person belongs to."""
    return SupportOffer.objects.filter(withdrawn_at__isnull=True,
                                       partnership_id__in=partnership_ids_for(user)
                                       ).select_related("school", "partnership")


def get_offer_for_user(user: AnyUser, pk: int, perm: str | None = None) -> SupportOffer:
    offer = SupportOffer.objects.select_related("school", "partnership").filter(pk=pk).first() \
        if is_id(pk) else None
    return _check(user, offer, "support.view_offer", perm)


def get_request_for_user(user: AnyUser, pk: int, perm: str | None = None) -> SupportRequest:
    request = SupportRequest.objects.select_related(
        "school", "partnership", "action__review__cycle", "action__review__host",
        "created_by").filter(pk=pk).first() if is_id(pk) else None
    return _check(user, request, "support.view_request", perm)


def get_match_for_user(user: AnyUser, pk: int, perm: str | None = None) -> SupportMatch:
    match = SupportMatch.objects.select_related(
        "request__school", "request__partnership", "request__action__review__cycle",
        "request__action__review__host", "provider_school", "offer", "brokered_by",
        "host_confirmed_by", "provider_confirmed_by", "recorded_by").filter(pk=pk).first() \
        if is_id(pk) else None
    return _check(user, match, "support.view_match", perm)


def get_action_to_request(user: AnyUser, pk: int) -> Action:
    """An action its host school's leaders may ask support for: the plan's own rules decide
    who knows it exists (404) or may see it (403); only the host's leaders may ask (403)."""
    action = get_action_for_user(user, pk) if is_id(pk) else None
    if action is None:
        raise Http404("No such action")
    if not is_host_leader(user, action.review):
        raise PermissionDenied
    return action
