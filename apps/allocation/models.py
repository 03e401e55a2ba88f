"""What the optimiser needs from people, and each run of it for a cycle."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.jobs import JobState


class ReviewerProfile(models.Model):
    """A person's own reviewing preferences: days they cannot review, their strengths and how
    many reviews a year they will take on."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="reviewer_profile")
    unavailable = models.JSONField(default=list, blank=True,
                                   help_text="Dates (YYYY-MM-DD) the person cannot review")
    strengths = models.JSONField(default=list, blank=True,
                                 help_text="Areas (apps.improvement.models.Area) of strength")
    max_reviews = models.PositiveSmallIntegerField(
        "most reviews a year", default=2,
        help_text="As lead or team member; Improvement Champion roles are counted apart")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Reviewing preferences of {self.user}"


class Outcome(models.TextChoices):
    """What the solver reported for a run (the spp-allocation solution's ``status``)."""

    OPTIMAL = "optimal", _("Best possible")
    FEASIBLE = "feasible", _("Good, not proved best")
    INFEASIBLE = "infeasible", _("No valid allocation")


class PlaceRole(models.TextChoices):
    """A place on a team in the optimiser's format (spp-allocation): lead, member, champion."""

    LEAD = "lead", _("Lead reviewer")
    MEMBER = "member", _("Reviewer")
    CHAMPION = "champion", _("Improvement Champion")


class AllocationRun(models.Model):
    """One run of the optimiser for a cycle: the instance it was given (built from the
    cycle, with the lead's pins), its solution, and whether it was published."""

    State = JobState

    cycle = models.ForeignKey("reviews.Cycle", on_delete=models.CASCADE,
                              related_name="allocation_runs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=JobState.labelled(done=_("Done")),
                             default=JobState.QUEUED)
    progress = models.CharField(max_length=200, blank=True)
    time_limit = models.PositiveIntegerField(default=60)
    options = models.JSONField(default=dict, blank=True)
    instance = models.JSONField(default=dict)
    solution = models.JSONField(default=dict, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Allocation run {self.pk} for {self.cycle}"

    @property
    def status(self) -> str:
        return self.solution.get("status", "")

    @property
    def status_label(self) -> str:
        """What the solver reported, in words ("Best possible")."""
        status = self.status
        return str(Outcome(status).label) if status in Outcome.values else ""

    @property
    def usable(self) -> bool:
        return self.state == self.State.DONE and self.status in (Outcome.OPTIMAL,
                                                                 Outcome.FEASIBLE)
