"""Access helpers: one per object type. Someone with no standing on a review gets 404 (it
does not exist for them); someone who may see it but not do this gets 403."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest

from apps.accounts.roles import is_core_team, led_partnership_ids
from apps.core.access import require_write
from apps.core.converters import is_id

from .models import Cycle, PartnerAgreement, Review, SafeguardingConcern, TeamMember

if TYPE_CHECKING:
    from apps.accounts.types import AnyUser

_M = TypeVar("_M", bound=Model)


def get_cycle_for_user(user: AnyUser, pk: int, perm: str | None = None) -> Cycle:
    cycle = Cycle.objects.select_related("partnership").filter(pk=pk).first() \
        if is_id(pk) else None
    if cycle is None or not user.has_perm("reviews.view_cycle", cycle):
        raise Http404("No such cycle")
    if perm and not user.has_perm(perm, cycle):
        raise PermissionDenied
    return cycle


def get_agreement_for_request(request: HttpRequest, pk: int) -> PartnerAgreement:
    """A request to share reviewers: 404 unless one of the two partnerships' leads (or the
    core team); answering it (POST) is for the asked partnership's lead only (403)."""
    agreement = PartnerAgreement.objects.select_related(
        "cycle__partnership", "partner", "asked_by", "answered_by").filter(pk=pk).first() \
        if is_id(pk) else None
    if agreement is None or not request.user.has_perm("reviews.view_partner_request",
                                                      agreement):
        raise Http404("No such request")
    require_write(request, "reviews.answer_partner_request", agreement)
    return agreement


def get_review_for_user(user: AnyUser, pk: int, perm: str | None = None) -> Review:
    review = Review.objects.select_related("host", "cycle__partnership",
                                           "framework_version__framework").filter(pk=pk).first() \
        if is_id(pk) else None
    if review is None or not user.has_perm("reviews.view_review", review):
        raise Http404("No such review")
    if perm and not user.has_perm(perm, review):
        raise PermissionDenied
    return review


def get_review_for_request(request: HttpRequest, pk: int, perm: str | None = None, *,
                           write: str | None = None) -> Review:
    """The review for this request: ``perm`` to read the page, and for a write (POST) also
    ``write`` — 403 without it."""
    review = get_review_for_user(request.user, pk, perm)
    require_write(request, write, review)
    return review


def get_child_for_user(user: AnyUser, model: type[_M], pk: int, review: Review,
                       perm: str | None = None) -> _M:
    """A line, activity, note, file, comment or share of ``review``: 404 if it belongs to
    another review; 403 without ``perm`` on it, when given."""
    obj = model._default_manager.filter(pk=pk, **({"report__review": review}
                                         if model.__name__ == "ReportComment"
                                         else {"review": review})).first() \
        if is_id(pk) else None
    if obj is None:
        raise Http404("Not found")
    if perm and not user.has_perm(perm, obj):
        raise PermissionDenied
    return obj


def get_invitation_for_user(user: AnyUser, pk: int) -> TeamMember:
    member = TeamMember.objects.select_related("review__host", "review__cycle").filter(
        pk=pk).first() if is_id(pk) else None
    if member is None:
        raise Http404("No such invitation")
    if member.user_id != user.pk:
        if user.has_perm("reviews.view_review", member.review):
            raise PermissionDenied
        raise Http404("No such invitation")
    return member


def get_concern_for_user(user: AnyUser, pk: int) -> SafeguardingConcern:
    """Only the people the safeguarding rule names; for everyone else it does not exist."""
    concern = SafeguardingConcern.objects.select_related("review__host").filter(pk=pk).first() \
        if is_id(pk) else None
    if concern is None or not user.has_perm("reviews.view_safeguarding_concern", concern):
        raise Http404("No such record")
    return concern


def leads_some_cycle(user: AnyUser) -> bool:
    return bool(led_partnership_ids(user)) or is_core_team(user)
