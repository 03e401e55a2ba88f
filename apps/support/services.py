"""Writes to school-to-school support. Views find objects through ``access.py`` and validate
input; these functions act atomically, enforce the rules whoever calls them (including who
may act, by ``PermissionDenied``), write the audit log and tell the people concerned once
the transaction commits.

Errors about one field are raised as ``ValidationError({field: message})`` so forms can
show them against that field.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from apps.accounts.roles import leads_partnership, leads_school
from apps.core import audit
from apps.frameworks.areas import Area
from apps.improvement.models import Action
from apps.reviews.rules import is_host_leader

from . import notify
from .models import SupportMatch, SupportOffer, SupportRequest

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.accounts.types import AnyUser
    from apps.partnerships.models import Partnership
    from apps.schools.models import School

SIDES = ("host", "provider")


def _is_current_school(partnership: Partnership, school: School) -> bool:
    return partnership.current_schools().filter(pk=school.pk).exists()


def _text(value: str | None) -> str:
    return (value or "").strip()


# Offers -------------------------------------------------------------------------------------

def offer_problems(*, area: str, title: str | None, people: str | None,
                   hours: int | None) -> dict[str, str]:
    """What is missing or wrong in an offer, by field (forms show these too)."""
    errors = {}
    if area not in Area.values:
        errors["area"] = gettext("Choose the area you can help with")
    if not _text(title):
        errors["title"] = gettext("Say what you can offer")
    if not _text(people):
        errors["people"] = gettext("Say who would help")
    if not hours or hours < 1:
        errors["hours"] = gettext("Enter the time available, in hours")
    return errors


@transaction.atomic
def offer_support(school: School, partnership: Partnership, *, by: User, area: str, title: str,
                  people: str, hours: int | None, details: str = "",
                  share_across: bool = False) -> SupportOffer:
    if not leads_school(by, school):
        raise PermissionDenied
    if not _is_current_school(partnership, school):
        raise ValidationError(gettext("%(school)s is not a school of %(partnership)s")
                              % {"school": school.name, "partnership": partnership})
    errors = offer_problems(area=area, title=title, people=people, hours=hours)
    if errors:
        raise ValidationError(errors)
    assert hours is not None  # offer_problems refuses an offer without hours
    offer = SupportOffer.objects.create(school=school, partnership=partnership, area=area,
                                        title=_text(title), details=_text(details),
                                        people=_text(people), hours=hours, created_by=by,
                                        share_across=share_across)
    audit.record("support.offered", actor=by, obj=offer, school=school.name,
                 partnership=partnership.pk, share_across=share_across)
    transaction.on_commit(lambda: notify.offered(offer, by))
    return offer


@transaction.atomic
def withdraw_offer(offer: SupportOffer, *, by: User) -> SupportOffer:
    if not by.has_perm("support.manage_offer", offer):
        raise PermissionDenied
    offer = SupportOffer.objects.select_for_update().get(pk=offer.pk)
    if not offer.is_live:
        raise ValidationError(gettext("This offer has already been withdrawn"))
    offer.withdrawn_at = timezone.now()
    offer.save(update_fields=["withdrawn_at"])
    audit.record("support.offer_withdrawn", actor=by, obj=offer)
    return offer


# Requests -----------------------------------------------------------------------------------

@transaction.atomic
def request_support(action: Action, *, by: User, need: str,
                    hours_wanted: int | None = None) -> SupportRequest:
    """The host school asks for help with one of its open actions."""
    review = action.review
    if not is_host_leader(by, review):
        raise PermissionDenied
    if not action.is_open:
        raise ValidationError(gettext("Support can only be asked for an action that is not "
                                      "started or in progress"))
    partnership = review.cycle.partnership
    if not _is_current_school(partnership, review.host):
        raise ValidationError(gettext("%(school)s is no longer a school of %(partnership)s")
                              % {"school": review.host.name, "partnership": partnership})
    if not _text(need):
        raise ValidationError({"need": gettext("Say what support you would like")})
    if hours_wanted is not None and hours_wanted < 1:
        raise ValidationError({"hours_wanted": gettext(
            "Enter the time wanted in hours, or leave it empty")})
    Action.objects.select_for_update().filter(pk=action.pk).first()
    if action.support_requests.filter(
            Q(status=SupportRequest.State.OPEN)
            | Q(status=SupportRequest.State.MATCHED, matches__status__in=SupportMatch.LIVE)
    ).exists():
        raise ValidationError(gettext("This action already has a request for support that is "
                                      "open or being matched"))
    support_request = SupportRequest.objects.create(
        action=action, school=review.host, partnership=partnership, need=_text(need),
        hours_wanted=hours_wanted, created_by=by)
    audit.record("support.requested", actor=by, obj=support_request, action_id=action.pk)
    transaction.on_commit(lambda: notify.requested(support_request, by))
    return support_request


@transaction.atomic
def close_request(support_request: SupportRequest, *, by: User, reason: str) -> SupportRequest:
    """The host school no longer wants help it asked for (while it is still open)."""
    if not leads_school(by, support_request.school):
        raise PermissionDenied
    support_request = SupportRequest.objects.select_for_update().get(pk=support_request.pk)
    if support_request.status != SupportRequest.State.OPEN:
        raise ValidationError(gettext("Only an open request can be closed. To end a match, "
                                      "cancel it on its page"))
    if not _text(reason):
        raise ValidationError({"reason": gettext("Say why the support is no longer needed")})
    support_request.status = SupportRequest.State.CLOSED
    support_request.closed_reason = _text(reason)
    support_request.save(update_fields=["status", "closed_reason"])
    audit.record("support.request_closed", actor=by, obj=support_request,
                 reason=support_request.closed_reason)
    return support_request


# Matches ------------------------------------------------------------------------------------

@transaction.atomic
def broker(support_request: SupportRequest, provider_school: School | None, *, by: User,
           offer: SupportOffer | None = None) -> SupportMatch:
    """The partnership lead proposes that ``provider_school`` helps with the request."""
    if not leads_partnership(by, support_request.partnership):
        raise PermissionDenied
    support_request = SupportRequest.objects.select_for_update(of=("self",)).select_related(
        "school", "partnership", "action").get(pk=support_request.pk)
    if support_request.status != SupportRequest.State.OPEN:
        raise ValidationError(gettext("This request is already matched")
                              if support_request.status == SupportRequest.State.MATCHED
                              else gettext("This request is closed"))
    if provider_school is None:
        raise ValidationError({"provider": gettext(
            "Choose the school that will give the support")})
    if provider_school.pk == support_request.school_id:
        raise ValidationError({"provider": gettext(
            "Choose another school: a school cannot support itself")})
    if not _is_current_school(support_request.partnership, provider_school):
        raise ValidationError({"provider": gettext(
            "%(school)s is not a school of %(partnership)s") % {
            "school": provider_school.name, "partnership": support_request.partnership}})
    if offer is not None:
        offer = SupportOffer.objects.select_for_update(of=("self",)).select_related("school").get(
            pk=offer.pk)
        if offer.school_id != provider_school.pk:
            raise ValidationError({"offer": gettext(
                "That offer is from %(offer_school)s, not %(school)s") % {
                "offer_school": offer.school.name, "school": provider_school.name}})
        if offer.partnership_id != support_request.partnership_id or not offer.is_live:
            raise ValidationError({"offer": gettext(
                "That offer is withdrawn or belongs to another partnership")})
    match = SupportMatch.objects.create(request=support_request, offer=offer, brokered_by=by,
                                        provider_school=provider_school)
    support_request.status = SupportRequest.State.MATCHED
    support_request.save(update_fields=["status"])
    audit.record("support.brokered", actor=by, obj=match, request_id=support_request.pk,
                 provider=provider_school.name, offer=offer.pk if offer else None)
    transaction.on_commit(lambda: notify.brokered(match, by))
    return match


def _lock(match: SupportMatch) -> SupportMatch:
    return SupportMatch.objects.select_for_update(of=("self",)).select_related(
        "request__school", "request__partnership", "request__action",
        "provider_school").get(pk=match.pk)


@transaction.atomic
def confirm(match: SupportMatch, *, by: User, side: str) -> SupportMatch:
    """One school (``side`` "host" or "provider") agrees to the match; once both have, it is
    confirmed."""
    if side not in SIDES:
        raise ValueError(f"Unknown side {side!r}")
    if not by.has_perm(f"support.confirm_as_{side}", match):
        raise PermissionDenied
    match = _lock(match)
    if match.status != SupportMatch.State.PROPOSED:
        raise ValidationError(gettext("This match is no longer waiting for confirmation"))
    school = match.request.school if side == "host" else match.provider_school
    if getattr(match, f"{side}_confirmed_at"):
        raise ValidationError(gettext("%(school)s has already confirmed")
                              % {"school": school.name})
    setattr(match, f"{side}_confirmed_by", by)
    setattr(match, f"{side}_confirmed_at", timezone.now())
    if match.host_confirmed_at and match.provider_confirmed_at:
        match.status = SupportMatch.State.CONFIRMED
    match.save(update_fields=[f"{side}_confirmed_by", f"{side}_confirmed_at", "status"])
    audit.record("support.confirmed", actor=by, obj=match, side=side, status=match.status)
    transaction.on_commit(lambda: notify.confirmed(match, school, by))
    return match


def delivery_problems(*, delivered_from: date | None, delivered_to: date | None,
                      hours_given: int | None, people: str | None,
                      outcome: str | None, arranged_on: date | None = None) -> dict[str, str]:
    """What is missing or wrong in a record of support given, by field (forms show these
    too). Dates cannot be in the future, the support cannot start before the school asked for
    it (``arranged_on``), and the last day is on or after the first."""
    today = timezone.localdate()
    errors = {}
    if delivered_from is None:
        errors["delivered_from"] = gettext("Enter the first day of the support")
    elif delivered_from > today:
        errors["delivered_from"] = gettext("The first day cannot be in the future")
    elif arranged_on and delivered_from < arranged_on:
        errors["delivered_from"] = gettext(
            "The first day cannot be before the school asked for the support (%(day)s): check "
            "the date") % {"day": date_format(arranged_on, "j F Y")}
    if delivered_to is None:
        errors["delivered_to"] = gettext("Enter the last day of the support")
    elif delivered_to > today:
        errors["delivered_to"] = gettext("The last day cannot be in the future")
    elif delivered_from and delivered_to < delivered_from:
        errors["delivered_to"] = gettext(
            "The last day must be the same as or after the first day")
    if not hours_given or hours_given < 1:
        errors["hours_given"] = gettext("Enter the hours given")
    if not _text(people):
        errors["people"] = gettext("Say who gave the support")
    if not _text(outcome):
        errors["outcome"] = gettext("Say what difference the support made")
    return errors


@transaction.atomic
def record_delivery(match: SupportMatch, *, by: User, delivered_from: date | None,
                    delivered_to: date | None, hours_given: int | None, people: str,
                    outcome: str) -> SupportMatch:
    """Record the support given, once both schools have confirmed the match."""
    if not by.has_perm("support.record_delivery", match):
        raise PermissionDenied
    match = _lock(match)
    if match.status == SupportMatch.State.DELIVERED:
        raise ValidationError(gettext("The support given has already been recorded"))
    if match.status != SupportMatch.State.CONFIRMED:
        raise ValidationError(gettext("The support given can be recorded once both schools "
                                      "have confirmed the match"))
    errors = delivery_problems(delivered_from=delivered_from, delivered_to=delivered_to,
                               hours_given=hours_given, people=people, outcome=outcome,
                               arranged_on=timezone.localtime(match.request.created_at).date())
    if errors:
        raise ValidationError(errors)
    match.delivered_from, match.delivered_to = delivered_from, delivered_to
    match.hours_given, match.people, match.outcome = hours_given, _text(people), _text(outcome)
    match.recorded_by, match.recorded_at = by, timezone.now()
    match.status = SupportMatch.State.DELIVERED
    match.save(update_fields=["delivered_from", "delivered_to", "hours_given", "people",
                              "outcome", "recorded_by", "recorded_at", "status"])
    audit.record("support.delivered", actor=by, obj=match, hours=hours_given,
                 delivered_from=str(delivered_from), delivered_to=str(delivered_to))
    transaction.on_commit(lambda: notify.delivered(match, by))
    return match


def may_cancel(user: AnyUser, match: SupportMatch) -> bool:
    """The partnership lead who brokers it, or either school (declining a proposal)."""
    return user.has_perm("support.cancel_match", match)


@transaction.atomic
def cancel_match(match: SupportMatch, *, by: User, reason: str) -> SupportMatch:
    """End a match before the support is given; the request is open again for brokering."""
    if not may_cancel(by, match):
        raise PermissionDenied
    match = _lock(match)
    if match.status not in SupportMatch.LIVE:
        raise ValidationError(gettext("Only a match whose support has not been recorded can "
                                      "be cancelled"))
    if not _text(reason):
        raise ValidationError({"reason": gettext("Give a reason for cancelling")})
    match.status = SupportMatch.State.CANCELLED
    match.cancelled_reason = _text(reason)
    match.save(update_fields=["status", "cancelled_reason"])
    SupportRequest.objects.filter(pk=match.request_id,
                                  status=SupportRequest.State.MATCHED).update(
        status=SupportRequest.State.OPEN)
    audit.record("support.cancelled", actor=by, obj=match, reason=match.cancelled_reason)
    transaction.on_commit(lambda: notify.cancelled(match, by))
    return match
