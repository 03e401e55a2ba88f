"""School-to-school support: offers are seen across the partnership; a request and the support
given are seen by the two schools and the partnership lead who brokers it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from apps.accounts.roles import is_core_team, leader_school_ids, led_partnership_ids
from apps.partnerships.selectors import partnership_ids_for

from .models import SupportMatch

if TYPE_CHECKING:
    from apps.accounts.types import AnyUser
    from apps.support.models import SupportOffer, SupportRequest



def _live_provider_school_ids(request: SupportRequest) -> set[int]:
    return set(request.matches.exclude(status=SupportMatch.State.CANCELLED)
               .values_list("provider_school_id", flat=True))


@rules.predicate
def in_offer_partnership(user: AnyUser, offer: SupportOffer | None) -> bool:
    """Someone in the partnership the offer is made in."""
    return offer is not None and offer.partnership_id in partnership_ids_for(user)


@rules.predicate
def leads_offer_school(user: AnyUser, offer: SupportOffer | None) -> bool:
    """The headteacher and school leaders of the school making the offer."""
    return offer is not None and offer.school_id in leader_school_ids(user)


@rules.predicate
def leads_request_school(user: AnyUser, request: SupportRequest | None) -> bool:
    """The headteacher and school leaders of the school asking for support."""
    return request is not None and request.school_id in leader_school_ids(user)


@rules.predicate
def brokers_request(user: AnyUser, request: SupportRequest | None) -> bool:
    """The lead of the partnership the request was made in."""
    return request is not None and request.partnership_id in led_partnership_ids(user)


@rules.predicate
def provides_for_request(user: AnyUser, request: SupportRequest | None) -> bool:
    """The headteacher and school leaders of a school matched to help with the request."""
    return request is not None and bool(
        _live_provider_school_ids(request) & leader_school_ids(user))


@rules.predicate
def leads_match_host(user: AnyUser, match: SupportMatch | None) -> bool:
    """The headteacher and school leaders of the school being helped."""
    return match is not None and match.request.school_id in leader_school_ids(user)


@rules.predicate
def leads_match_provider(user: AnyUser, match: SupportMatch | None) -> bool:
    """The headteacher and school leaders of the school helping."""
    return match is not None and match.provider_school_id in leader_school_ids(user)


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


