"""Enquiry frameworks: versioned banks of enquiry questions.

A ``Framework`` has ``FrameworkVersion``s. A version is edited while it is a draft, checked in
review, then published, after which its themes, questions and prompts never change (saving
them raises ``VersionLocked``). Editing a published framework makes a new draft copied from
it. Publishing a version retires the one it replaces; reviews and shortlists keep pointing at
the exact questions they used.

A question's ``ref`` is stable across versions, so a question can be followed from version to
version (for the diff and for usage counts).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.search import SearchIndex


class VersionLocked(Exception):
    """A published or retired version cannot be changed."""


class Framework(models.Model):
    class Kind(models.TextChoices):
        CORE = "core", _("Core framework")
        THEMATIC = "thematic", _("Thematic framework")

    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "slug"]

    def __str__(self) -> str:
        current = self.published_version()
        return current.title if current else self.slug

    def published_version(self) -> FrameworkVersion | None:
        return self.versions.filter(status=FrameworkVersion.Status.PUBLISHED).first()

    def open_version(self) -> FrameworkVersion | None:
        """The draft or in-review version, if any (there is at most one)."""
        return self.versions.filter(status__in=FrameworkVersion.OPEN_STATUSES).first()


class FrameworkVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    OPEN_STATUSES = (Status.DRAFT, Status.REVIEW)

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    change_note = models.CharField(max_length=255, blank=True,
                                   help_text="What changed from the previous version")
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["framework", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"],
                                    name="one_number_per_framework_version"),
            models.UniqueConstraint(fields=["framework"],
                                    condition=models.Q(status__in=["draft", "review"]),
                                    name="one_open_version_per_framework"),
            models.UniqueConstraint(fields=["framework"],
                                    condition=models.Q(status="published"),
                                    name="one_published_version_per_framework"),
        ]

    CONTENT_FIELDS = ("title", "summary", "change_note", "framework_id", "number")

    def __str__(self) -> str:
        return f"{self.title} (version {self.number}, {self.get_status_display().lower()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Once published, only the status (and its dates) may change."""
        if self.pk:
            stored = type(self).objects.filter(pk=self.pk).values(
                "status", *self.CONTENT_FIELDS).first()
            if stored and stored["status"] not in self.OPEN_STATUSES and any(
                    stored[f] != getattr(self, f) for f in self.CONTENT_FIELDS):
                raise VersionLocked(f"{self} can no longer be changed")
        super().save(*args, **kwargs)

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    def question_count(self) -> int:
        return Question.objects.filter(theme__version=self).count()


class _LockedWithVersion(models.Model):
    """Refuses changes once the owning version has left draft: both the version the row
    belongs to now and, for an existing row, the one it belonged to when stored (so a row
    cannot be moved out of a published version either)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._check_editable()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self._check_editable()
        return super().delete(*args, **kwargs)

    def _check_editable(self) -> None:
        versions = [self._version()]
        if self.pk:
            stored = type(self)._default_manager.filter(pk=self.pk).first()
            if stored is not None:
                versions.append(stored._version())
        for version in versions:
            if not version.is_editable:
                raise VersionLocked(f"{version} can no longer be changed")

    def _version(self) -> FrameworkVersion:
        raise NotImplementedError


class Theme(_LockedWithVersion):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE,
                                related_name="themes")
    ref = models.UUIDField(default=uuid.uuid4, help_text="The same theme across versions")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["version", "position", "id"]

    def __str__(self) -> str:
        return self.title

    def _version(self):
        return FrameworkVersion.objects.get(pk=self.version_id)


class Phase(models.TextChoices):
    PRIMARY = "primary", _("Primary")
    SECONDARY = "secondary", _("Secondary")
    SPECIAL = "special", _("Special")
    AP = "alternative provision", "Alternative provision"


class Question(_LockedWithVersion):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="questions")
    ref = models.UUIDField(default=uuid.uuid4, db_index=True,
                           help_text="The same question across versions")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField()
    phases = models.JSONField(default=list, blank=True,
                              help_text="Empty for every phase, else the phases it suits")
    prompts_text = models.TextField(blank=True, editable=False,
                                    help_text="All prompts, kept for search")

    class Meta:
        ordering = ["theme__position", "position", "id"]

    def __str__(self) -> str:
        return self.text

    def _version(self):
        return FrameworkVersion.objects.select_related(None).get(themes__id=self.theme_id)

    def phase_labels(self) -> list[str]:
        labels = dict(Phase.choices)
        return [str(labels.get(p, p)) for p in self.phases] or [str(_("All phases"))]


class Prompt(_LockedWithVersion):
    class Kind(models.TextChoices):
        EVIDENCE = "evidence", _("Evidence to look at")
        PEOPLE = "people", _("People to talk to")
        LOOK_FOR = "look_for", _("What to look for")

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="prompts")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField()

    class Meta:
        ordering = ["question", "kind", "position", "id"]

    def __str__(self) -> str:
        return self.text

    def _version(self):
        return FrameworkVersion.objects.get(themes__questions__id=self.question_id)


class ShortlistItem(models.Model):
    """A question a school keeps for its next review. It points at the exact question (and so
    the exact version) the school saw."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE,
                               related_name="question_shortlist")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                 on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    chosen_for_review = models.BooleanField(
        default=False, help_text="The school chose this as its key enquiry question")

    class Meta:
        ordering = ["-chosen_for_review", "-added_at"]
        constraints = [models.UniqueConstraint(fields=["school", "question"],
                                               name="one_shortlist_entry_per_question")]

    def __str__(self) -> str:
        return f"{self.school}: {self.question}"


QUESTION_INDEX = SearchIndex(
    table="frameworks_question_fts",
    model_label="frameworks.Question",
    fields=(("text", "A"), ("prompts_text", "B")),
)
