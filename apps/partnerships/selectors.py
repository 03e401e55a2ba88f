"""Reads about partnerships, one function per question, shared by pages, the API, rules and
exports. Membership is always *current* membership (``Membership.objects.current()``)."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Q, QuerySet

from apps.accounts.roles import (
    current_roles,
    is_core_team,
    leader_school_ids,
    led_partnership_ids,
    school_ids_for,
)

from .models import (
    AlumniMembership,
    DeliveryAttachment,
    DeliveryPartner,
    Membership,
    Partnership,
    Phase,
)


def partnership_ids_for(user: Any) -> set[int]:
    """Partnerships the person belongs to: by a partnership role, or by a school role at a
    school that is currently a member."""
    cached: set[int] | None = getattr(user, "_pr_partnerships", None)
    if cached is not None:
        return cached
    roles = current_roles(user)
    ids = {p for _, p, _ in roles if p}
    school_ids = {s for _, _, s in roles if s}
    if school_ids:
        ids |= set(Membership.objects.current().filter(school_id__in=school_ids)
                   .values_list("partnership_id", flat=True))
    if user is not None and user.is_authenticated:
        user._pr_partnerships = ids
    return ids


def visible_partnerships(user: Any) -> QuerySet[Partnership]:
    """Partnerships the person may see: all for the core team, else their own."""
    qs = Partnership.objects.all()
    if is_core_team(user):
        return qs
    return qs.filter(pk__in=partnership_ids_for(user))


def leads_member_school(user: Any, partnership_id: int) -> bool:
    """The person is a headteacher or school leader of a current member of the partnership."""
    return Membership.objects.current().filter(
        partnership_id=partnership_id, school_id__in=leader_school_ids(user)).exists()


def member_school_ids(partnership_ids: set[int]) -> QuerySet[Membership, Any]:
    """Current member schools of these partnerships (a ``school_id`` values query)."""
    return Membership.objects.current().filter(partnership_id__in=partnership_ids) \
        .values("school_id")


def led_school_scope(user: Any) -> QuerySet[Membership, Any]:
    """Current member schools of the partnerships the person leads (``school_id`` values)."""
    return member_school_ids(led_partnership_ids(user))


def programme_standing(user: Any) -> str | None:
    """"current" for people of a school or partnership in the programme now, "alumni" for
    those whose only partnerships have reached the Alumni phase or who are in the alumni
    programme (``in_alumni_programme``) without a partnership, else None."""
    cached = getattr(user, "_pr_standing", False)
    if cached is not False:
        return cast(str | None, cached)
    ids = partnership_ids_for(user) if user is not None and user.is_authenticated else set()
    phases = set(Partnership.objects.filter(pk__in=ids).values_list("phase", flat=True))
    standing = "current" if phases - {Phase.ALUMNI} else ("alumni" if phases else None)
    if standing is None and in_alumni_programme(user):
        # A school that left the programme and joined the alumni programme.
        standing = "alumni"
    if user is not None and user.is_authenticated:
        user._pr_standing = standing
    return standing


def in_alumni_programme(user: Any) -> bool:
    """The person is at a school, or in a partnership, whose alumni membership is current."""
    cached = getattr(user, "_pr_alumni", None)
    if cached is not None:
        return cast(bool, cached)
    member = False
    if user is not None and user.is_authenticated:
        schools = school_ids_for(user)
        partnerships = partnership_ids_for(user)
        member = bool((schools or partnerships) and AlumniMembership.objects.current().filter(
            Q(school_id__in=schools) | Q(partnership_id__in=partnerships)).exists())
        user._pr_alumni = member
    return member


def reviewing_partnerships() -> QuerySet[Partnership]:
    """Partnerships that run review cycles on the platform: those in Build, Embed, Sustain or
    Hub, and alumni partnerships whose alumni membership is current (they need no associate:
    their lead runs the cycle)."""
    members = AlumniMembership.objects.current().filter(partnership__isnull=False) \
        .values("partnership_id")
    return Partnership.objects.exclude(Q(phase=Phase.ALUMNI) & ~Q(pk__in=members))


def delivery_scopes_for(user: Any) -> dict[int, set[str]]:
    """{partnership id: scopes} the person delivers for today as a delivery partner: their
    attachments in force (``DeliveryAttachment.objects.current()``), cached per object. Once
    an attachment's end date, or the delivery partnership's, has passed, it gives nothing."""
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    cached: dict[int, set[str]] | None = getattr(user, "_pr_delivery", None)
    if cached is None:
        cached = {}
        for partnership_id, scope in DeliveryAttachment.objects.current().filter(
                delivery_partner__person_id=user.pk).values_list("partnership_id", "scope"):
            cached.setdefault(partnership_id, set()).add(scope)
        user._pr_delivery = cached
    return cached


def delivers_for(user: Any, partnership_id: int | None, scope: str | None = None) -> bool:
    """The person is a delivery partner attached to the partnership today (for ``scope``, if
    given)."""
    scopes = delivery_scopes_for(user).get(partnership_id or 0, set())
    return bool(scopes) if scope is None else scope in scopes


def delivery_partner_user_ids(on: Any = None) -> QuerySet[Any, Any]:
    """People who are delivery partners in force on ``on`` (today), as a ``person_id``
    values query: the optimiser and the team page offer them as lead reviewers of
    cross-partnership reviews (``apps.reviews.rulebook.delivery_partner_place``)."""
    return DeliveryPartner.objects.current(on).values("person_id")
