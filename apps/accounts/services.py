"""Writes to people, roles and invitations. Views validate; these functions act, atomically,
and write the audit log."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import grantable_roles
from apps.core import audit

from .display import Display
from .models import (
    PARTNERSHIP_ROLES,
    PROGRAMME_ROLES,
    SCHOOL_ROLES,
    Invitation,
    Role,
    RoleAssignment,
    User,
)

if TYPE_CHECKING:  # for annotations only: accounts sits below schools and partnerships
    from apps.partnerships.models import Partnership
    from apps.schools.models import School


def _check_scope(role: str, partnership: Partnership | None, school: School | None) -> None:
    if role in PROGRAMME_ROLES and (partnership or school):
        raise ValidationError("This role covers the whole programme: choose no partnership "
                              "or school.")
    if role in PARTNERSHIP_ROLES and (not partnership or school):
        raise ValidationError("Choose the partnership this role is for.")
    if role in SCHOOL_ROLES and not school:
        raise ValidationError("Choose the school this role is for.")


def _sync_staff_flag(user: User) -> None:
    """Core team members use the Django admin; nobody else does."""
    is_core = user.roles.current().filter(role=Role.CORE_TEAM).exists()
    if user.is_staff != is_core:
        user.is_staff = is_core
        user.save(update_fields=["is_staff"])


@transaction.atomic
def grant_role(user: User, role: str, *, partnership: Partnership | None = None,
               school: School | None = None, by: User | None = None,
               request: HttpRequest | None = None) -> RoleAssignment:
    _check_scope(role, partnership, school)
    existing = user.roles.current().filter(role=role, partnership=partnership,
                                           school=school).first()
    if existing:
        return existing
    assignment = RoleAssignment.objects.create(user=user, role=role, partnership=partnership,
                                               school=school, granted_by=by)
    _sync_staff_flag(user)
    audit.record("role.granted", actor=by, obj=user, request=request, role=role,
                 partnership=partnership.pk if partnership else None,
                 school=school.urn if school else None)
    return assignment


@transaction.atomic
def end_role(assignment: RoleAssignment, *, by: User | None = None,
             request: HttpRequest | None = None) -> None:
    if assignment.ended_at:
        return
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["ended_at"])
    _sync_staff_flag(assignment.user)
    audit.record("role.ended", actor=by, obj=assignment.user, request=request,
                 role=assignment.role, assignment=assignment.pk)


@transaction.atomic
def invite(*, by: User, email: str, full_name: str, role: str,
           partnership: Partnership | None = None, school: School | None = None,
           request: HttpRequest | None = None) -> Invitation:
    """Invite a person by email to take a role. Raises PermissionDenied if ``by`` may not
    grant it, ValidationError for a bad scope or a duplicate waiting invitation."""
    email = email.strip().lower()
    # ``partnership`` is the partnership the inviter acts for: the role's scope for
    # partnership roles, and the partnership the school belongs to for school roles.
    stored_partnership = partnership if role in PARTNERSHIP_ROLES else None
    stored_school = school if role in SCHOOL_ROLES else None
    _check_scope(role, stored_partnership, stored_school)
    if role not in grantable_roles(by, partnership):
        raise PermissionDenied("You cannot invite people to this role.")
    if stored_school is not None and not by.has_perm("accounts.grant_programme_roles"):
        if partnership is None or not partnership.current_memberships().filter(
                school=stored_school).exists():
            raise ValidationError("That school is not a member of this partnership.")
    if Invitation.objects.filter(email=email, role=role, partnership=stored_partnership,
                                 school=stored_school, accepted_at__isnull=True,
                                 revoked_at__isnull=True,
                                 expires_at__gt=timezone.now()).exists():
        raise ValidationError("This person already has a waiting invitation for this role.")
    invitation = Invitation.objects.create(email=email, full_name=full_name.strip(), role=role,
                                           partnership=stored_partnership,
                                           school=stored_school, invited_by=by)
    _send_invitation_email(invitation, request)
    audit.record("invitation.sent", actor=by, obj=invitation, request=request, email=email,
                 role=role)
    return invitation


def _send_invitation_email(invitation: Invitation, request: HttpRequest | None = None) -> None:
    path = reverse("accounts:accept_invitation", args=[invitation.token])
    url = request.build_absolute_uri(path) if request else path
    context = {"invitation": invitation, "url": url, "platform_name": settings.PLATFORM_NAME}
    send_mail(
        subject=f"You are invited to the {settings.PLATFORM_NAME}",
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


@transaction.atomic
def revoke_invitation(invitation: Invitation, *, by: User,
                      request: HttpRequest | None = None) -> None:
    if not invitation.is_open:
        return
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record("invitation.withdrawn", actor=by, obj=invitation, request=request)


@transaction.atomic
def accept_invitation(invitation: Invitation, *, user: User | None = None, full_name: str = "",
                      password: str = "", request: HttpRequest | None = None) -> User:
    """Accept an open invitation: create the account (if ``user`` is None) and grant the role."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError("This invitation is no longer open.")
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError("An account with this email already exists: sign in first.")
        user = User.objects.create_user(invitation.email, password,
                                        full_name=full_name.strip() or invitation.full_name)
        audit.record("account.created", actor=user, obj=user, request=request,
                     via="invitation")
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError("This invitation was sent to a different email address.")
    grant_role(user, invitation.role, partnership=invitation.partnership,
               school=invitation.school, by=invitation.invited_by, request=request)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record("invitation.accepted", actor=user, obj=invitation, request=request)
    return user


@transaction.atomic
def set_training_dates(person: User, *, reviewer_trained_until: date | None,
                       champion_trained_until: date | None, by: User,
                       request: HttpRequest | None = None) -> None:
    """Record until when a person's peer-reviewer and Improvement Champion training is
    current (training bookings will set these from attendance)."""
    before = {"reviewer": str(person.reviewer_trained_until or ""),
              "champion": str(person.champion_trained_until or "")}
    person.reviewer_trained_until = reviewer_trained_until
    person.champion_trained_until = champion_trained_until
    person.save(update_fields=["reviewer_trained_until", "champion_trained_until"])
    audit.record("person.training_dates_set", actor=by, obj=person, request=request,
                 before=before, reviewer=str(reviewer_trained_until or ""),
                 champion=str(champion_trained_until or ""))


@transaction.atomic
def change_email(person: User, new_email: str, *, by: User,
                 request: HttpRequest | None = None) -> None:
    """The programme team changes a person's sign-in address (people cannot change their own:
    without verification that would let someone take over an address)."""
    from allauth.account.models import EmailAddress

    new_email = new_email.strip().lower()
    if User.objects.filter(email__iexact=new_email).exclude(pk=person.pk).exists():
        raise ValidationError("Another person already signs in with this email address.")
    old = person.email
    person.email = new_email
    person.save(update_fields=["email"])
    EmailAddress.objects.filter(user=person).delete()
    audit.record("person.email_changed", actor=by, obj=person, request=request, before=old,
                 after=new_email)


def save_display(user: User, choice: Display) -> None:
    """Keep the person's display settings (text size, colours, spacing) on their account,
    so every device they sign in on shows pages their way."""
    user.display_text_size = choice.text_size
    user.display_colours = choice.colours
    user.display_spacing = choice.spacing
    user.save(update_fields=["display_text_size", "display_colours", "display_spacing"])


def save_language(user: User, code: str) -> None:
    """Keep the person's language on their account: pages and emails use it."""
    from .language import checked

    user.language = checked(code)
    user.save(update_fields=["language"])


def adopt_device_language(request: HttpRequest, user: User) -> None:
    """On signing in: a person who has not chosen a language on their account yet keeps the
    one they chose on this device while signed out."""
    from django.conf import settings

    from .language import checked, language_of_user

    chosen = checked(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if chosen and not language_of_user(user):
        save_language(user, chosen)


def adopt_device_display(request: HttpRequest, user: User) -> None:
    """On signing in: a person who has not chosen display settings on their account yet
    keeps the ones they chose on this device while signed out."""
    from .display import COOKIE, display_of_user

    choice = Display.from_cookie(request.COOKIES.get(COOKIE))
    if not choice.is_standard and display_of_user(user).is_standard:
        save_display(user, choice)
