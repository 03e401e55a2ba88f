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

from apps.frameworks.areas import Area
from apps.improvement.models import Action
from apps.partnerships.models import Partnership
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
        OPEN = "open", "Open"
        MATCHED = "matched", "Matched"
        CLOSED = "closed", "Closed"

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
        PROPOSED = "proposed", "Waiting for both schools"
        CONFIRMED = "confirmed", "Confirmed"
        DELIVERED = "delivered", "Support given"
        CANCELLED = "cancelled", "Cancelled"

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
