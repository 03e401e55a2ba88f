"""After the report: the Improvement Workshop, the host school's action plan, progress, and
the impact check-back that feeds the next cycle.

Every action answers at least one finding of the review (``Action.findings``), so it can be
traced from the evidence that prompted it to the impact recorded at the check-back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.jobs import JobState
from apps.core.storage import random_name
from apps.frameworks.areas import Area  # noqa: F401  (re-exported: older imports and migrations name it here)
from apps.reviews.models import Finding, Review

USER = settings.AUTH_USER_MODEL


class WorkshopStage(models.TextChoices):
    REVISIT = "revisit", _("Revisit the enquiry and findings")
    FOCUS = "focus", _("Choose the focus")
    CAUSES = "causes", _("Explore causes")
    ACTIONS = "actions", _("Agree actions")
    IMPACT = "impact", _("Agree how impact will be checked")


STAGE_ORDER = [s.value for s in WorkshopStage]


class Workshop(models.Model):
    """The Improvement Workshop of one review, facilitated by its Improvement Champion."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="workshop")
    held_on = models.DateField("date")
    starts_at = models.TimeField("start time", null=True, blank=True)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    place = models.CharField("place or online link", max_length=500, blank=True)
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                       related_name="workshops_attended")
    stage = models.CharField(max_length=10, choices=WorkshopStage.choices,
                             default=WorkshopStage.REVISIT)
    revisit_notes = models.TextField("what stood out in the findings", blank=True)
    focus = models.TextField("the focus chosen", blank=True)
    causes = models.TextField("what might explain it", blank=True)
    impact_plan = models.TextField("how impact will be checked", blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    lock_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["held_on"]

    def __str__(self) -> str:
        return f"Improvement Workshop for {self.review.host.name}"

    def stage_notes(self, stage: str) -> str:
        return {"revisit": self.revisit_notes, "focus": self.focus, "causes": self.causes,
                "impact": self.impact_plan}.get(stage, "")


class Action(models.Model):
    class State(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField("what", max_length=300)
    why = models.TextField("why", blank=True,
                           help_text="What in the findings this answers, in the plan's words")
    findings = models.ManyToManyField(Finding, related_name="actions")
    area = models.CharField(max_length=15, choices=Area.choices, default=Area.OTHER)
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="owned_actions")
    starts_on = models.DateField("start")
    due_on = models.DateField("due")
    success_criteria = models.TextField(
        "success criteria", help_text="What will be different, and how it will be seen")
    resources = models.TextField(blank=True)
    support_wanted = models.TextField("support wanted from partner schools", blank=True)
    status = models.CharField(max_length=12, choices=State.choices, default=State.NOT_STARTED)
    dropped_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_update_at = models.DateTimeField(default=timezone.now,
                                          help_text="When it last had a progress update")
    stale_reminded_at = models.DateTimeField(null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="action_status_due_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (self.State.NOT_STARTED, self.State.IN_PROGRESS)

    def is_overdue(self, today=None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())


class ProgressUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    text = models.TextField("what has happened")
    status = models.CharField(max_length=12, choices=Action.State.choices)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Update on {self.action} ({self.created_at:%d %b %Y})"


def action_file_path(instance: models.Model, filename: str) -> str:
    """A random name in the file storage (the name people see is ``filename``)."""
    return random_name("actions", filename)


def plan_pdf_path(instance: models.Model, filename: str) -> str:
    return random_name("plans", filename)


class ActionFile(models.Model):
    """Evidence attached to a progress update. The bytes are in Django's file storage
    (``file``; docs/adr/0005-files-on-django-storage.md); ``content`` is emptied by migration
    improvement.0003 and will be removed in a later release."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE,
                               related_name="attachments")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size_bytes = models.PositiveIntegerField()
    file = models.FileField(upload_to=action_file_path, max_length=255, blank=True)
    content = models.BinaryField(null=True, blank=True, editable=False,
                                 help_text="Before files moved to storage; always empty now")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename


class PlanShare(models.Model):
    """The host headteacher's choice to show the action plan to the partnership (its school
    leaders, partnership lead and associate)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="plan_shares")
    shared_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    shared_at = models.DateTimeField(default=timezone.now)
    withdrawn_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-shared_at"]
        constraints = [models.UniqueConstraint(fields=["review"],
                                               condition=models.Q(withdrawn_at__isnull=True),
                                               name="one_live_plan_share")]

    def __str__(self) -> str:
        return f"Plan of {self.review.host.name} shared with the partnership"


class CheckBack(models.Model):
    """The impact check-back: the host reviews each action. Completed when every action
    has its impact recorded."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="checkback")
    held_on = models.DateField("date of the check-back", default=timezone.localdate)
    summary = models.TextField("overall", blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    def __str__(self) -> str:
        return f"Impact check-back for {self.review.host.name}"


class ActionImpact(models.Model):
    checkback = models.ForeignKey(CheckBack, on_delete=models.CASCADE, related_name="impacts")
    action = models.OneToOneField(Action, on_delete=models.CASCADE, related_name="impact")
    impact_seen = models.TextField("impact seen")
    evidence = models.TextField("evidence of it", blank=True)
    next_steps = models.TextField("what next", blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Impact of {self.action}"

    @property
    def updated_by(self):  # named as on other shared texts, for the conflict box
        return self.recorded_by


class PlanExport(models.Model):
    """An accessible PDF of the plan, made in the background and kept in Django's file
    storage (``pdf``; ADR 0005). ``pdf_bytes`` is emptied by migration improvement.0003 and
    will be removed in a later release."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="plan_exports")
    requested_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, default=JobState.QUEUED)  # a JobState value
    pdf = models.FileField(upload_to=plan_pdf_path, max_length=255, blank=True)
    pdf_bytes = models.BinaryField(null=True, blank=True, editable=False,
                                   help_text="Before PDFs moved to storage; always empty now")

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Plan PDF for {self.review.host.name} ({self.status_label.lower()})"

    @property
    def status_label(self) -> str:
        """Where the PDF has got to, in words ("Waiting to start")."""
        return str(JobState(self.status).label) if self.status in JobState.values else ""
