"""School-to-school support: what schools offer, what they ask for, and the support given.

A school offers help in an area of strength (within one partnership). A host school asks for
help with one of its actions; the words it writes in ``SupportRequest.need`` are what it
chooses to share beyond the school (the action itself stays as private as the plan). The
partnership lead brokers a match with another school, both schools confirm, and the support
given is recorded. Who sees what is decided in ``rules.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.frameworks.areas import Area
from apps.improvement.models import Action
from apps.partnerships.models import Partnership
from apps.reviews.models import Report
from apps.schools.models import School

USER = settings.AUTH_USER_MODEL


class SupportOffer(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="support_offers")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="support_offers",
                                    help_text="The partnership the offer is made within")
    area = models.CharField(max_length=15, choices=Area.choices)
    title = models.CharField("what you can offer", max_length=200)
    details = models.TextField(blank=True)
    people = models.TextField("who would help")
    hours = models.PositiveSmallIntegerField("time available (hours)")
    share_across = models.BooleanField(
        "show this offer to schools across the programme", default=False,
        help_text="Schools outside the partnership asking for support may be shown it, if "
                  "the school is listed in the community directory")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.school.name})"

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None


class SupportRequest(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Open")
        MATCHED = "matched", _("Matched")
        CLOSED = "closed", _("Closed")

    action = models.ForeignKey(Action, on_delete=models.CASCADE,
                               related_name="support_requests")
    school = models.ForeignKey(School, on_delete=models.PROTECT,
                               related_name="support_requests",
                               help_text="The host school of the action's review")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="support_requests",
                                    help_text="The partnership of the review's cycle")
    need = models.TextField("the support you would like",
                            help_text="Shared with the partnership lead and the school that "
                                      "helps")
    hours_wanted = models.PositiveSmallIntegerField("time wanted (hours)", null=True,
                                                    blank=True)
    status = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    closed_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["action"],
                                               condition=models.Q(status="open"),
                                               name="one_open_support_request_per_action")]

    def __str__(self) -> str:
        return f"Support for {self.school.name}: {self.action.get_area_display()}"


class SupportMatch(models.Model):
    """A school brokered to help with a request: proposed, confirmed by both schools, then
    delivered (the record of the support given) or cancelled."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for both schools")
        CONFIRMED = "confirmed", _("Confirmed")
        DELIVERED = "delivered", _("Support given")
        CANCELLED = "cancelled", _("Cancelled")

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE,
                                related_name="matches")
    offer = models.ForeignKey(SupportOffer, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="matches")
    provider_school = models.ForeignKey(School, on_delete=models.PROTECT,
                                        related_name="support_given")
    brokered_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    brokered_at = models.DateTimeField(default=timezone.now)
    host_confirmed_by = models.ForeignKey(USER, null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+")
    host_confirmed_at = models.DateTimeField(null=True, blank=True)
    provider_confirmed_by = models.ForeignKey(USER, null=True, blank=True,
                                              on_delete=models.SET_NULL, related_name="+")
    provider_confirmed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=State.choices, default=State.PROPOSED)
    cancelled_reason = models.TextField(blank=True)
    delivered_from = models.DateField("first day", null=True, blank=True)
    delivered_to = models.DateField("last day", null=True, blank=True)
    hours_given = models.PositiveSmallIntegerField("hours given", null=True, blank=True)
    people = models.TextField("who gave the support", blank=True)
    outcome = models.TextField("what difference it made", blank=True)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)

    LIVE = (State.PROPOSED, State.CONFIRMED)

    class Meta:
        ordering = ["-brokered_at", "-id"]
        verbose_name_plural = "support matches"
        constraints = [
            models.UniqueConstraint(fields=["request"],
                                    condition=models.Q(status__in=["proposed", "confirmed"]),
                                    name="one_live_match_per_support_request"),
            models.CheckConstraint(condition=models.Q(delivered_to__isnull=True)
                                   | models.Q(delivered_to__gte=models.F("delivered_from")),
                                   name="support_delivered_to_after_from"),
        ]

    def __str__(self) -> str:
        return f"{self.provider_school.name} supporting {self.request.school.name}"


class MatchText(models.Model):
    """One published text that may suggest its school as a partner to a school asking for
    support, with its sentence embedding computed ahead (``matching.refresh_school``; kept
    current by signals and a background task). Built only from what the school chose to
    publish; the suggestions check the consent again when they read (``matching.eligible``),
    so a row left behind by a late refresh is never shown once consent is withdrawn."""

    class Source(models.TextChoices):
        STRENGTHS = "strengths", "Strengths it offers in the community directory"
        OFFER = "offer", "Support offer"
        WORKING_WELL = "working_well", "What is working well, in an agreed review report"
        RESULT = "result", "An action completed with impact"

    key = models.CharField(max_length=60, unique=True,
                           help_text="The source and its id, e.g. offer:12 or report:3:1")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=15, choices=Source.choices)
    offer = models.ForeignKey(SupportOffer, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")
    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")
    text = models.TextField()
    digest = models.CharField(max_length=64, help_text="Of the text and the model's name")
    model = models.CharField(max_length=60, blank=True,
                             help_text="The embedding model of ``vector``; empty: none yet")
    vector = models.BinaryField(null=True, blank=True, help_text="float32, unit length")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["school_id", "key"]
        indexes = [models.Index(fields=["school", "source"], name="support_matchtext_idx")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} of school {self.school_id}"
