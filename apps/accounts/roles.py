"""The shared role helpers: who holds which role, where. Every app's ``rules.py`` builds its
predicates from these.

Roles (see ``apps.accounts.models.Role``): core team, evaluator and safeguarding officer are
programme-wide; associate and partnership lead are per partnership; headteacher, school
leader, designated safeguarding lead and staff are per school. A person may hold several roles
at several schools. Only *current* roles count (``RoleAssignment.objects.current()``).

Which partnerships a person belongs to through their schools depends on which schools are
members now; that is the partnerships app's question (``apps.partnerships.selectors``).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import rules

from .models import Role

RoleRow = tuple[str, int | None, int | None]


def _roles(user: Any) -> list[RoleRow]:
    """(role, partnership_id, school_id) for the user's current roles, cached per object."""
    if not user or not user.is_authenticated or not user.is_active:
        return []
    cached: list[RoleRow] | None = getattr(user, "_pr_roles", None)
    if cached is None:
        cached = list(user.roles.current().values_list("role", "partnership_id", "school_id"))
        user._pr_roles = cached
    return cached


def current_roles(user: Any) -> list[RoleRow]:
    """(role, partnership_id, school_id) for each of the person's current roles."""
    return _roles(user)


def led_partnership_ids(user: Any) -> set[int]:
    """Partnerships the person leads."""
    return {p for r, p, _ in _roles(user) if r == Role.PARTNERSHIP_LEAD and p}


def associate_partnership_ids(user: Any) -> set[int]:
    """Partnerships the person is the associate of."""
    return {p for r, p, _ in _roles(user) if r == Role.ASSOCIATE and p}


def school_ids_for(user: Any, roles: Collection[str] | None = None) -> set[int]:
    """Schools where the person holds a role (one of ``roles`` if given)."""
    return {s for r, _, s in _roles(user) if s and (roles is None or r in roles)}


def leader_school_ids(user: Any) -> set[int]:
    """Schools the person leads: as headteacher or school leader."""
    return school_ids_for(user, {Role.HEADTEACHER, Role.SCHOOL_LEADER})


def holds_role(user: Any, role: str) -> bool:
    """The person holds ``role`` somewhere now."""
    return any(r == role for r, _, _ in _roles(user))


@rules.predicate
def is_core_team(user: Any) -> bool:
    """The programme's core team."""
    return holds_role(user, Role.CORE_TEAM)


@rules.predicate
def is_evaluator(user: Any) -> bool:
    """A programme evaluator."""
    return holds_role(user, Role.EVALUATOR)


@rules.predicate
def is_signed_in(user: Any) -> bool:
    """Anyone signed in."""
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def leads_partnership(user: Any, partnership: Any) -> bool:
    """The partnership's lead."""
    return partnership is not None and partnership.pk in led_partnership_ids(user)


@rules.predicate
def leads_any_partnership(user: Any) -> bool:
    """A partnership lead."""
    return bool(led_partnership_ids(user))


@rules.predicate
def is_associate_of(user: Any, partnership: Any) -> bool:
    """The partnership's associate."""
    return partnership is not None and partnership.pk in associate_partnership_ids(user)


@rules.predicate
def is_any_associate(user: Any) -> bool:
    """An associate of any partnership (associates see impact figures for all)."""
    return holds_role(user, Role.ASSOCIATE)


@rules.predicate
def has_school_role(user: Any) -> bool:
    """Someone with a role at a school."""
    return bool(school_ids_for(user))


@rules.predicate
def works_at_school(user: Any, school: Any) -> bool:
    """Anyone with a role at this school."""
    return school is not None and school.pk in school_ids_for(user)


@rules.predicate
def leads_school(user: Any, school: Any) -> bool:
    """The school's headteacher and school leaders, who act for it."""
    return school is not None and school.pk in leader_school_ids(user)


@rules.predicate
def leads_a_school(user: Any) -> bool:
    """A headteacher or school leader."""
    return bool(leader_school_ids(user))


def grantable_roles(user: Any, partnership: Any = None) -> list[str]:
    """The roles this person may grant by invitation, within ``partnership`` if given."""
    if is_core_team(user):
        return [r.value for r in Role]
    if partnership is not None and leads_partnership(user, partnership):
        return [Role.PARTNERSHIP_LEAD, Role.HEADTEACHER, Role.SCHOOL_LEADER, Role.STAFF]
    return []
