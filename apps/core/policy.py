"""Who may do what: every permission of the platform, in this one file.

Deny by default: a permission not named here is refused. Views and the API ask
``user.has_perm(name, obj)`` (or use the access helpers in each app's ``access.py``,
which turn a refusal into 404 for outsiders and 403 for insiders without the right).

Roles (see ``apps.accounts.models.Role``): core team and evaluator are programme-wide;
associate and partnership lead are per partnership; headteacher, school leader and staff
are per school. A person may hold several roles at several schools.
"""

from __future__ import annotations

import rules
from django.utils import timezone

from apps.accounts.models import Role


def _roles(user) -> list[tuple[str, int | None, int | None]]:
    """(role, partnership_id, school_id) for the user's current roles, cached per object."""
    if not user or not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_pr_roles", None)
    if cached is None:
        cached = list(user.roles.current().values_list("role", "partnership_id", "school_id"))
        user._pr_roles = cached
    return cached


def partnership_ids_for(user) -> set[int]:
    """Partnerships the person belongs to: by a partnership role, or by a school role at a
    school that is currently a member."""
    cached = getattr(user, "_pr_partnerships", None)
    if cached is not None:
        return cached
    from apps.partnerships.models import Membership

    roles = _roles(user)
    ids = {p for _, p, _ in roles if p}
    school_ids = {s for _, _, s in roles if s}
    if school_ids:
        today = timezone.localdate()
        ids |= set(
            Membership.objects.filter(school_id__in=school_ids, joined_on__lte=today)
            .exclude(left_on__lte=today)
            .values_list("partnership_id", flat=True)
        )
    if user is not None and user.is_authenticated:
        user._pr_partnerships = ids
    return ids


def led_partnership_ids(user) -> set[int]:
    return {p for r, p, _ in _roles(user) if r == Role.PARTNERSHIP_LEAD}


def school_ids_for(user, roles=None) -> set[int]:
    return {s for r, _, s in _roles(user) if s and (roles is None or r in roles)}


@rules.predicate
def is_core_team(user) -> bool:
    return any(r == Role.CORE_TEAM for r, _, _ in _roles(user))


@rules.predicate
def is_evaluator(user) -> bool:
    return any(r == Role.EVALUATOR for r, _, _ in _roles(user))


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def belongs_to_partnership(user, partnership) -> bool:
    return partnership is not None and partnership.pk in partnership_ids_for(user)


@rules.predicate
def belongs_to_any_partnership(user) -> bool:
    return bool(partnership_ids_for(user))


@rules.predicate
def leads_partnership(user, partnership) -> bool:
    return partnership is not None and partnership.pk in led_partnership_ids(user)


@rules.predicate
def leads_any_partnership(user) -> bool:
    return bool(led_partnership_ids(user))


@rules.predicate
def leads_invitation_scope(user, invitation) -> bool:
    if invitation is None:
        return False
    from apps.partnerships.models import Membership, Partnership

    led = led_partnership_ids(user)
    if invitation.partnership_id:
        partnership_ids = {invitation.partnership_id} & led
    elif invitation.school_id:
        partnership_ids = set(Membership.objects.filter(
            school_id=invitation.school_id, partnership_id__in=led, left_on__isnull=True)
            .values_list("partnership_id", flat=True))
    else:
        return False
    # Only an invitation the lead could have sent themselves (not, say, an associate's).
    return any(invitation.role in grantable_roles(user, p)
               for p in Partnership.objects.filter(pk__in=partnership_ids))


@rules.predicate
def has_school_role(user) -> bool:
    return bool(school_ids_for(user))


@rules.predicate
def works_at_school(user, school) -> bool:
    return school is not None and school.pk in school_ids_for(user)


@rules.predicate
def leads_school(user, school) -> bool:
    """Headteachers and school leaders act for their school."""
    return school is not None and school.pk in school_ids_for(
        user, {Role.HEADTEACHER, Role.SCHOOL_LEADER})


def programme_standing(user) -> str | None:
    """"current" for people of a school or partnership in the programme now, "alumni" for
    those whose only partnerships have reached the Alumni phase, else None."""
    cached = getattr(user, "_pr_standing", False)
    if cached is not False:
        return cached
    from apps.partnerships.models import Partnership

    ids = partnership_ids_for(user) if user is not None and user.is_authenticated else set()
    phases = set(Partnership.objects.filter(pk__in=ids).values_list("phase", flat=True))
    standing = "current" if phases - {"alumni"} else ("alumni" if phases else None)
    if user is not None and user.is_authenticated:
        user._pr_standing = standing
    return standing


def resource_audiences(user) -> set[str]:
    """The audiences of library items this person may see. Schools in the programme see
    programme materials; alumni schools keep that access and also see what is written for
    the alumni community."""
    if is_core_team(user):
        return {"public", "programme", "alumni", "core"}
    standing = programme_standing(user)
    if standing == "current":
        return {"public", "programme"}
    if standing == "alumni":
        return {"public", "programme", "alumni"}
    return {"public"}


@rules.predicate
def can_see_resource(user, resource) -> bool:
    return resource is not None and resource.audience in resource_audiences(user)


# Programme
rules.add_perm("core.view_audit_log", is_core_team)
rules.add_perm("core.use_admin", is_core_team)

# Schools register: organisational data published by the DfE, readable when signed in.
rules.add_perm("schools.view_directory", is_signed_in)
rules.add_perm("schools.view_school", is_signed_in)
rules.add_perm("schools.import_register", is_core_team)

# Partnerships
rules.add_perm("partnerships.list_partnerships", is_core_team | belongs_to_any_partnership)
rules.add_perm("partnerships.view_partnership", is_core_team | belongs_to_partnership)
rules.add_perm("partnerships.add_partnership", is_core_team)
rules.add_perm("partnerships.change_phase", is_core_team)
rules.add_perm("partnerships.manage_schools", is_core_team | leads_partnership)
rules.add_perm("partnerships.manage_people", is_core_team | leads_partnership)

# Enquiry frameworks: published versions are for everyone signed in; drafts for the core team.
rules.add_perm("frameworks.view_frameworks", is_signed_in)
rules.add_perm("frameworks.edit_frameworks", is_core_team)
rules.add_perm("frameworks.use_shortlist", has_school_role)
rules.add_perm("frameworks.view_shortlist", is_core_team | works_at_school)
rules.add_perm("frameworks.change_shortlist", leads_school)

# Resources library: by audience (public, current programme schools, programme and alumni
# schools, core team). Everyone else gets 404.
rules.add_perm("resources.view_resource", can_see_resource)
rules.add_perm("resources.manage_library", is_core_team)

# People, roles and invitations
rules.add_perm("accounts.manage_people", is_core_team | leads_any_partnership)
rules.add_perm("accounts.grant_programme_roles", is_core_team)
rules.add_perm("accounts.set_training_dates", is_core_team)
rules.add_perm("accounts.change_sign_in_email", is_core_team)
rules.add_perm("accounts.manage_invitation", is_core_team | leads_invitation_scope)


def grantable_roles(user, partnership=None) -> list[str]:
    """The roles this person may grant by invitation, within ``partnership`` if given."""
    if is_core_team(user):
        return [r.value for r in Role]
    if partnership is not None and leads_partnership(user, partnership):
        return [Role.PARTNERSHIP_LEAD, Role.HEADTEACHER, Role.SCHOOL_LEADER, Role.STAFF]
    return []
