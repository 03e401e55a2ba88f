from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Self

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import display
from . import language as languages

if TYPE_CHECKING:  # the stubs' manager is generic; Django's is not subscriptable at runtime
    _UserManagerBase = BaseUserManager["User"]
else:
    _UserManagerBase = BaseUserManager


class UserManager(_UserManagerBase):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None,
                         **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Roles are held in ``RoleAssignment``; training status (peer
    reviewer, Improvement Champion) is per person, with the date it runs until."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use the Django admin")
    date_joined = models.DateTimeField(default=timezone.now)
    reviewer_trained_until = models.DateField(
        null=True, blank=True, help_text="Peer-reviewer training is current until this date")
    champion_trained_until = models.DateField(
        null=True, blank=True,
        help_text="Improvement Champion training is current until this date")
    # How pages look to this person (apps/accounts/display.py); signed out, a cookie holds
    # the same choices for the device.
    # With database defaults too, so a row written without them (an older release during a
    # rolling deploy, or a migration test's historical model) still gets the standard look.
    display_text_size = models.PositiveSmallIntegerField(
        default=100, db_default=100, choices=display.TEXT_SIZES,
        help_text="Text size in per cent")
    display_colours = models.CharField(max_length=10, default="standard",
                                       db_default="standard", choices=display.COLOURS)
    display_spacing = models.CharField(max_length=10, default="standard",
                                       db_default="standard", choices=display.SPACINGS)
    # The language of the pages and emails for this person (apps/accounts/language.py);
    # blank until they choose, and then the device or browser decides.
    language = models.CharField(max_length=8, blank=True, default="", db_default="",
                                choices=languages.CHOICES)

    objects = UserManager()

    # What the rules (each app's rules.py, through apps/accounts/roles.py) read once per
    # request, cached on the object.
    _pr_roles: list[tuple[str, int | None, int | None]]
    _pr_partnerships: set[int]
    _pr_standing: str | None

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def display_name(self) -> str:
        return self.full_name or self.email

    # Permissions come from the rules (each app's rules.py) and the core team's admin
    # backend, never from Django's permission tables: the admin does not offer them and nothing
    # grants them. So the password backends (ModelBackend and allauth's subclass of it), kept
    # for signing in and for loading the user of a session, are not asked: they would read
    # the two permission tables on every page that asks a permission (docs/adr/0002).
    def has_perm(self, perm: str, obj: Any = None) -> bool:
        if self.is_active and self.is_superuser:
            return True
        return _asks("has_perm", self, perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        if self.is_active and self.is_superuser:
            return True
        return _asks("has_module_perms", self, app_label)

    def get_all_permissions(self, obj: Any = None) -> set[str]:
        found: set[str] = set()
        for backend in _permission_backends():
            if hasattr(backend, "get_all_permissions"):
                found |= backend.get_all_permissions(self, obj)
        return found

    def is_trained_reviewer(self, on=None) -> bool:
        on = on or timezone.localdate()
        return bool(self.reviewer_trained_until and self.reviewer_trained_until >= on)

    def is_trained_champion(self, on=None) -> bool:
        on = on or timezone.localdate()
        return bool(self.champion_trained_until and self.champion_trained_until >= on)


def _permission_backends() -> list[Any]:
    """The authentication backends that answer permission questions: every configured one
    except Django's ModelBackend and its subclasses (the permission tables, never used)."""
    from django.contrib.auth import get_backends
    from django.contrib.auth.backends import ModelBackend

    return [b for b in get_backends() if not isinstance(b, ModelBackend)]


def _asks(method: str, *args: Any) -> bool:
    """The backends' answer, as Django asks it: yes if one says yes; a backend without the
    method has no say; one that raises PermissionDenied ends the question with no."""
    from django.core.exceptions import PermissionDenied

    for backend in _permission_backends():
        if not hasattr(backend, method):
            continue
        try:
            if getattr(backend, method)(*args):
                return True
        except PermissionDenied:
            return False
    return False


class Role(models.TextChoices):
    CORE_TEAM = "core_team", _("Core team")
    EVALUATOR = "evaluator", _("Evaluator")
    ASSOCIATE = "associate", _("Associate")
    PARTNERSHIP_LEAD = "partnership_lead", _("Partnership lead")
    HEADTEACHER = "headteacher", _("Headteacher")
    SCHOOL_LEADER = "school_leader", _("School leader")
    STAFF = "staff", _("Staff")
    DSL = "dsl", _("Designated safeguarding lead")
    SAFEGUARDING_OFFICER = "safeguarding_officer", _("Programme safeguarding officer")


PROGRAMME_ROLES = {Role.CORE_TEAM, Role.EVALUATOR, Role.SAFEGUARDING_OFFICER}
PARTNERSHIP_ROLES = {Role.ASSOCIATE, Role.PARTNERSHIP_LEAD}
SCHOOL_ROLES = {Role.HEADTEACHER, Role.SCHOOL_LEADER, Role.STAFF, Role.DSL}
# Roles that must sign in with an authenticator app: those that see many schools' work, and
# those who read safeguarding concerns for a school or the programme.
MFA_REQUIRED_ROLES = {Role.CORE_TEAM, Role.ASSOCIATE, Role.DSL, Role.SAFEGUARDING_OFFICER}
# Roles that see many schools' reviews: their sessions end after a shorter idle time.
SHORT_SESSION_ROLES = {Role.CORE_TEAM, Role.ASSOCIATE, Role.EVALUATOR,
                       Role.SAFEGUARDING_OFFICER}


def current_role_lookup(prefix: str = "") -> dict[str, bool]:
    """The one definition of a current role, as lookups through a relation (``prefix`` such
    as ``"roles__"``): a role is current until it is ended, and ending one sets ``ended_at`` to
    that moment (never a later date). Use it as ``.filter(**current_role_lookup("roles__"),
    roles__school_id=...)`` so both conditions apply to the same role."""
    return {f"{prefix}ended_at__isnull": True}


class RoleAssignmentQuerySet(models.QuerySet):
    def current(self) -> Self:
        """Roles held now (see ``current_role_lookup``)."""
        return self.filter(**current_role_lookup())


class RoleAssignment(models.Model):
    """One role held by one person, scoped to the programme, a partnership or a school.

    One person may hold several (an executive head of a federation is headteacher at two
    schools). Ending a role keeps the row for history.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices)
    partnership = models.ForeignKey("partnerships.Partnership", null=True, blank=True,
                                    on_delete=models.CASCADE, related_name="role_assignments")
    school = models.ForeignKey("schools.School", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="role_assignments")
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.CheckConstraint(
                name="role_scope_matches_role",
                condition=(
                    Q(role__in=sorted(r.value for r in PROGRAMME_ROLES), partnership__isnull=True,
                      school__isnull=True)
                    | Q(role__in=sorted(r.value for r in PARTNERSHIP_ROLES),
                        partnership__isnull=False, school__isnull=True)
                    | Q(role__in=sorted(r.value for r in SCHOOL_ROLES), partnership__isnull=True,
                        school__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = self.partnership or self.school
        return f"{self.get_role_display()}{f' – {scope}' if scope else ''}"

    @property
    def scope_label(self) -> str:
        if self.partnership_id:
            return str(self.partnership)
        if self.school is not None:
            return self.school.name
        return gettext("Whole programme")


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _default_expiry():
    return timezone.now() + timedelta(days=14)


class Invitation(models.Model):
    """An invitation by email to join with one role. The invitee sets a password on accepting;
    a person who already has an account gets the role added when they accept signed in."""

    email = models.EmailField()
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices)
    partnership = models.ForeignKey("partnerships.Partnership", null=True, blank=True,
                                    on_delete=models.CASCADE, related_name="invitations")
    school = models.ForeignKey("schools.School", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_default_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation to {self.email} as {self.get_role_display()}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return gettext("Accepted")
        if self.revoked_at:
            return gettext("Withdrawn")
        if self.expires_at <= timezone.now():
            return gettext("Expired")
        return gettext("Waiting")

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and \
            self.expires_at > timezone.now()

    @property
    def tag_colour(self) -> str:
        """The GOV.UK tag colour for its status: waiting, accepted, or closed."""
        return "green" if self.accepted_at else ("blue" if self.is_open else "grey")

    @property
    def scope_label(self) -> str:
        if self.partnership_id:
            return str(self.partnership)
        if self.school is not None:
            return self.school.name
        return gettext("Whole programme")


class ApiToken(models.Model):
    """A personal token for the JSON API (integrations). Only a SHA-256 hash of the secret is
    kept; the secret is shown once, when the token is made (see ``api_tokens.py``)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for")
    key_prefix = models.CharField(max_length=8, help_text="The secret's first characters")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(help_text="At most a year after it was made")

    class Access(models.TextChoices):
        READ = "read", "Read only"
        WRITE = "write", "Read and change"

    # What the token may do: read only, or read and change; and in which parts of the API
    # (the areas in api_tokens.AREAS, which the API's paths start with).
    access = models.CharField(max_length=5, choices=Access.choices, default=Access.READ)
    areas = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"API token {self.key_prefix}… ({self.name})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def tag_colour(self) -> str:
        """The GOV.UK tag colour for its status."""
        return "green" if self.is_active else "grey"

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "Revoked"
        if self.expires_at <= timezone.now():
            return "Expired"
        return "Active"
