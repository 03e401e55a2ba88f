from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any, Self

from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.schools.models import School


class Organisation(models.Model):
    """Who commissions the programme for a partnership."""

    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "la", _("Local authority")
        TRUST = "mat", _("Multi-academy trust")
        HUB = "tsh", _("Teaching school hub")
        DIOCESE = "diocese", _("Diocese")
        INFORMAL = "informal", _("Informal group of schools")

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Phase(models.TextChoices):
    BUILD = "build", pgettext_lazy("phase", "Build")
    EMBED = "embed", pgettext_lazy("phase", "Embed")
    SUSTAIN = "sustain", pgettext_lazy("phase", "Sustain")
    ALUMNI = "alumni", pgettext_lazy("phase", "Alumni")
    HUB = "hub", pgettext_lazy("phase", "Hub")


def current_membership_q(prefix: str = "", on: date | None = None) -> models.Q:
    """The one definition of a current membership — joined by ``on`` (today) and not yet
    left — as a condition, for lookups through a relation (``prefix="memberships__"``)."""
    day = on or timezone.localdate()
    return (models.Q(**{f"{prefix}joined_on__lte": day})
            & (models.Q(**{f"{prefix}left_on__isnull": True})
               | models.Q(**{f"{prefix}left_on__gt": day})))


class MembershipQuerySet(models.QuerySet):
    def current(self, on: date | None = None) -> Self:
        """Memberships in force on ``on`` (today): see ``current_membership_q``."""
        return self.filter(current_membership_q(on=on))


class PartnershipQuerySet(models.QuerySet):
    def with_current_counts(self):  # -> Self with school_count: the stubs cannot say it
        return self.annotate(
            school_count=models.Count(
                "memberships", filter=current_membership_q("memberships__"), distinct=True))

    def with_current_school(self, school_ids: Collection[int]) -> Self:
        """Partnerships that any of these schools currently belongs to."""
        return self.filter(current_membership_q("memberships__"),
                           memberships__school_id__in=school_ids).distinct()


class Partnership(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    organisation = models.ForeignKey(Organisation, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="partnerships",
                                     verbose_name="commissioning organisation")
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.BUILD,
                             help_text="The current phase; its dated history is in PhaseChange")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:200]
        super().save(*args, **kwargs)

    def current_memberships(self) -> models.QuerySet[Membership]:
        return self.memberships.current().select_related("school")

    def current_schools(self) -> models.QuerySet[School]:
        return School.objects.filter(pk__in=self.current_memberships().values("school_id"))


class Membership(models.Model):
    """A school's membership of a partnership, with dates so history is kept."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="memberships")
    joined_on = models.DateField(default=timezone.localdate)
    left_on = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["school__name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "school"],
                                    condition=models.Q(left_on__isnull=True),
                                    name="one_open_membership_per_school_and_partnership"),
            models.CheckConstraint(condition=models.Q(left_on__isnull=True)
                                   | models.Q(left_on__gte=models.F("joined_on")),
                                   name="membership_left_after_joined"),
        ]

    def __str__(self) -> str:
        return f"{self.school} in {self.partnership}"

    def is_current(self, on: date | None = None) -> bool:
        """In Python, the same rule as ``current_membership_q``."""
        day = on or timezone.localdate()
        return self.joined_on <= day and (self.left_on is None or self.left_on > day)


class PhaseChange(models.Model):
    """The dated history of a partnership's phase."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="phase_history")
    phase = models.CharField(max_length=10, choices=Phase.choices)
    started_on = models.DateField()
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.get_phase_display()} from {self.started_on}"


class AlumniMembershipQuerySet(models.QuerySet):
    def current(self, on: date | None = None) -> Self:
        """Approved memberships in force on ``on`` (today): started and not yet ended."""
        day = on or timezone.localdate()
        return self.filter(status=AlumniMembership.State.APPROVED, starts_on__lte=day,
                           ends_on__gte=day)


class AlumniMembership(models.Model):
    """A school's or a partnership's request to join the alumni programme and, once the core
    team approves it, its membership from ``starts_on`` to ``ends_on`` (both days included).
    A renewal is a new request that names the membership it renews. The workflow (request,
    decision, dates, ending, renewal, notifications) is in ``apps.alumni``; the model lives
    here because what a membership gives (``selectors.programme_standing``) is read by the
    library and training below that app."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    partnership = models.ForeignKey(Partnership, null=True, blank=True,
                                    on_delete=models.CASCADE, related_name="alumni_memberships")
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="alumni_memberships")
    status = models.CharField(max_length=10, choices=State.choices, default=State.REQUESTED)
    reason = models.TextField(help_text="Why the school or partnership asks to join")
    renewal_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="renewals")
    requested_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, help_text="The reason for declining")
    ended_note = models.CharField(max_length=300, blank=True,
                                  help_text="Why the membership was ended early")
    lock_version = models.PositiveIntegerField(default=1)

    objects = AlumniMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="alumni_for_school_or_partnership",
                condition=(models.Q(partnership__isnull=False, school__isnull=True)
                           | models.Q(partnership__isnull=True, school__isnull=False))),
            models.CheckConstraint(
                name="alumni_approved_has_dates",
                condition=~models.Q(status="approved")
                | models.Q(starts_on__isnull=False, ends_on__isnull=False)),
            models.CheckConstraint(
                name="alumni_ends_after_start",
                condition=models.Q(ends_on__isnull=True) | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on"))),
            models.UniqueConstraint(fields=["partnership"], condition=models.Q(
                status="requested", partnership__isnull=False),
                name="one_waiting_alumni_request_per_partnership"),
            models.UniqueConstraint(fields=["school"], condition=models.Q(
                status="requested", school__isnull=False),
                name="one_waiting_alumni_request_per_school"),
        ]

    def __str__(self) -> str:
        return f"Alumni programme: {self.applicant_name}"

    @property
    def applicant_name(self) -> str:
        return self.partnership.name if self.partnership_id and self.partnership \
            else (self.school.name if self.school else "")

    @property
    def has_ended(self) -> bool:
        """An approved membership whose last day has passed (nothing left to end early)."""
        return (self.status == self.State.APPROVED and self.ends_on is not None
                and self.ends_on < timezone.localdate())

    def is_current(self, on: date | None = None) -> bool:
        day = on or timezone.localdate()
        return (self.status == self.State.APPROVED and self.starts_on is not None
                and self.ends_on is not None and self.starts_on <= day <= self.ends_on)


class DeliveryScope(models.TextChoices):
    """What a delivery partner does for a partnership they are attached to. Each scope opens
    only its part of the partnership (``apps.partnerships.selectors.delivers_for``)."""

    TRAINING = "training", _("Training")
    SUPPORT = "support", _("Improvement support")
    REVIEWS = "reviews", _("Review cycle")


class DeliveryPartnerQuerySet(models.QuerySet):
    def current(self, on: date | None = None) -> Self:
        """Approved delivery partners in force on ``on`` (today): started and not yet ended."""
        day = on or timezone.localdate()
        return self.filter(status=DeliveryPartner.State.APPROVED, starts_on__lte=day,
                           ends_on__gte=day)


class DeliveryPartner(models.Model):
    """A person nominated by an associate to become a delivery partner and, once the core
    team approves, a delivery partner from ``starts_on`` to ``ends_on`` (both days included).
    The workflow (nomination, evidence, decision, dates, ending, attaching to partnerships,
    notifications) is in ``apps.delivery``; the model lives here because what being attached
    gives (``selectors.delivers_for``) is read by the rules of the apps below that one."""

    class State(models.TextChoices):
        NOMINATED = "nominated", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    person = models.ForeignKey("accounts.User", on_delete=models.CASCADE,
                               related_name="delivery_partner_records")
    status = models.CharField(max_length=10, choices=State.choices, default=State.NOMINATED)
    reason = models.TextField(help_text="Why the associate nominates the person")
    nominated_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    nominated_at = models.DateTimeField(default=timezone.now)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, help_text="The reason for declining")
    ended_note = models.CharField(max_length=300, blank=True,
                                  help_text="Why the delivery partnership was ended early")
    lock_version = models.PositiveIntegerField(default=1)

    objects = DeliveryPartnerQuerySet.as_manager()

    class Meta:
        ordering = ["-nominated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="delivery_approved_has_dates",
                condition=~models.Q(status="approved")
                | models.Q(starts_on__isnull=False, ends_on__isnull=False)),
            models.CheckConstraint(
                name="delivery_ends_after_start",
                condition=models.Q(ends_on__isnull=True) | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on"))),
            models.UniqueConstraint(fields=["person"], condition=models.Q(status="nominated"),
                                    name="one_waiting_delivery_nomination_per_person"),
        ]

    def __str__(self) -> str:
        return f"Delivery partner: {self.person}"

    @property
    def has_ended(self) -> bool:
        return (self.status == self.State.APPROVED and self.ends_on is not None
                and self.ends_on < timezone.localdate())

    def is_current(self, on: date | None = None) -> bool:
        day = on or timezone.localdate()
        return (self.status == self.State.APPROVED and self.starts_on is not None
                and self.ends_on is not None and self.starts_on <= day <= self.ends_on)


def current_delivery_q(prefix: str = "", on: date | None = None) -> models.Q:
    """The one definition of a delivery attachment in force on ``on`` (today): its own dates
    include the day and so do its delivery partner's (an ended delivery partner's attachments
    stop with them). ``prefix`` reaches an attachment through a relation."""
    day = on or timezone.localdate()
    dp = f"{prefix}delivery_partner__"
    return models.Q(**{f"{prefix}starts_on__lte": day, f"{prefix}ends_on__gte": day,
                       f"{dp}status": DeliveryPartner.State.APPROVED,
                       f"{dp}starts_on__lte": day, f"{dp}ends_on__gte": day})


class DeliveryAttachmentQuerySet(models.QuerySet):
    def current(self, on: date | None = None) -> Self:
        return self.filter(current_delivery_q(on=on))


class DeliveryAttachment(models.Model):
    """An approved delivery partner attached to a partnership for one scope, from
    ``starts_on`` to ``ends_on`` (both included): an associate-like role limited to that
    partnership and scope, which stops after the end date."""

    delivery_partner = models.ForeignKey(DeliveryPartner, on_delete=models.CASCADE,
                                         related_name="attachments")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="delivery_attachments")
    scope = models.CharField(max_length=10, choices=DeliveryScope.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    attached_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    attached_at = models.DateTimeField(default=timezone.now)
    lock_version = models.PositiveIntegerField(default=1)

    objects = DeliveryAttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["partnership__name", "scope", "-starts_on", "id"]
        constraints = [
            models.CheckConstraint(name="delivery_attachment_ends_after_start",
                                   condition=models.Q(ends_on__gte=models.F("starts_on"))),
        ]

    def __str__(self) -> str:
        return f"{self.delivery_partner.person} for {self.partnership}: {self.get_scope_display()}"

    def is_current(self, on: date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.starts_on <= day <= self.ends_on and self.delivery_partner.is_current(day)


class DeliveryActivity(models.Model):
    """Something a delivery partner delivered for a partnership they were attached to: a
    training session, a support visit, help with a review. Fidelity counts these."""

    attachment = models.ForeignKey(DeliveryAttachment, on_delete=models.CASCADE,
                                   related_name="activities")
    on = models.DateField()
    summary = models.CharField(max_length=300)
    recorded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["on"], name="delivery_activity_on")]

    def __str__(self) -> str:
        return f"{self.attachment}: {self.summary}"
