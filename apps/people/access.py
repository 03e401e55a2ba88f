"""Access helpers for people and invitations: 404 for outsiders, 403 without the right."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from apps.accounts.models import Invitation, Role, RoleAssignment, User, current_role_lookup
from apps.accounts.roles import is_core_team, led_partnership_ids
from apps.partnerships.models import Membership
from apps.partnerships.selectors import led_school_scope

if TYPE_CHECKING:
    from apps.accounts.types import AnyUser


def people_in_scope(user: AnyUser) -> QuerySet[User]:
    """People the person may manage: everyone for the core team; for a partnership lead, the
    people holding roles in or at schools of the partnerships they lead."""
    if is_core_team(user):
        return User.objects.all()
    led = led_partnership_ids(user)
    schools = led_school_scope(user)
    return User.objects.filter(
        Q(roles__partnership_id__in=led, **current_role_lookup("roles__"))
        | Q(roles__school_id__in=schools, **current_role_lookup("roles__"))).distinct()


def get_person_for_user(user: AnyUser, pk: int, perm: str) -> User:
    """A person the user manages (else 403 for non-managers, 404 for people out of scope);
    ``perm`` is the right needed to act on them (403 without it)."""
    if not user.has_perm("accounts.manage_people"):
        raise PermissionDenied
    person = people_in_scope(user).filter(pk=pk).first()
    if person is None:
        raise Http404("No such person")
    if not user.has_perm(perm):
        raise PermissionDenied
    return person


def roles_in_scope(user: AnyUser) -> QuerySet[RoleAssignment]:
    """Current role assignments the person manages: all for the core team; for a partnership
    lead, roles in their partnerships and at their partnerships' schools."""
    current = RoleAssignment.objects.current()
    if is_core_team(user):
        return current
    led = led_partnership_ids(user)
    schools = led_school_scope(user)
    return current.filter(Q(partnership_id__in=led) | Q(school_id__in=schools))


def invitations_in_scope(user: AnyUser) -> QuerySet[Invitation]:
    if is_core_team(user):
        return Invitation.objects.all()
    led = led_partnership_ids(user)
    schools = led_school_scope(user)
    return Invitation.objects.filter(Q(partnership_id__in=led) | Q(school_id__in=schools))


def get_invitation_for_user(user: AnyUser, pk: int) -> Invitation:
    invitation = Invitation.objects.filter(pk=pk).first()
    if invitation is None or not user.has_perm("accounts.manage_invitation", invitation):
        raise Http404("No such invitation")
    return invitation


def get_assignment_for_user(user: AnyUser, pk: int) -> RoleAssignment:
    """A role assignment the person may end. Outsiders 404; a lead may end school roles and
    co-lead roles in their partnerships, but only the core team ends programme and associate
    roles (403)."""
    ra = roles_in_scope(user).filter(pk=pk).select_related(
        "user", "school", "partnership").first()
    if ra is None:
        raise Http404("No such role")
    if role_ender(user)(ra):
        return ra
    raise PermissionDenied


def role_ender(user: AnyUser) -> Callable[[RoleAssignment], bool]:
    """Whether ``user`` may end a role in their scope: the core team any; a lead co-lead
    roles of their partnerships and roles at their partnerships' schools. For lists, so the
    same two queries however many roles are shown."""
    if is_core_team(user):
        return lambda ra: True
    led = set(led_partnership_ids(user))
    schools = set(Membership.objects.current().filter(partnership_id__in=led)
                  .values_list("school_id", flat=True))

    def may_end(ra: RoleAssignment) -> bool:
        return (ra.partnership_id in led and ra.role == Role.PARTNERSHIP_LEAD) or \
            (ra.school_id is not None and ra.school_id in schools)

    return may_end
