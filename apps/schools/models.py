from typing import Any, Self

from django.conf import settings
from django.db import models

from apps.core.jobs import JobState
from apps.core.storage import random_name

OPEN_STATUSES = ("Open", "Open, but proposed to close")


class SchoolQuerySet(models.QuerySet):
    def open(self) -> Self:
        return self.filter(status__in=OPEN_STATUSES)


class School(models.Model):
    """An establishment as the DfE register (Get Information about Schools) describes it.

    Only organisational data is held. Personal data in the register (head teachers' names,
    titles and job titles) is never read by the importer.
    """

    urn = models.PositiveIntegerField("URN", unique=True)
    name = models.CharField(max_length=255)
    la_code = models.CharField("LA code", max_length=10, blank=True)
    la_name = models.CharField("local authority", max_length=120, blank=True)
    establishment_number = models.CharField(max_length=10, blank=True)
    type_name = models.CharField("type", max_length=120, blank=True)
    type_group = models.CharField("type group", max_length=120, blank=True)
    status = models.CharField(max_length=60, blank=True)
    open_date = models.DateField(null=True, blank=True)
    close_date = models.DateField(null=True, blank=True)
    phase = models.CharField(max_length=60, blank=True)
    statutory_low_age = models.PositiveSmallIntegerField(null=True, blank=True)
    statutory_high_age = models.PositiveSmallIntegerField(null=True, blank=True)
    gender = models.CharField(max_length=30, blank=True)
    religious_character = models.CharField(max_length=120, blank=True)
    region = models.CharField(max_length=60, blank=True)
    district = models.CharField(max_length=120, blank=True)
    ward = models.CharField(max_length=120, blank=True)
    constituency = models.CharField(max_length=120, blank=True)
    urban_rural = models.CharField("urban or rural", max_length=120, blank=True)
    country = models.CharField(max_length=60, blank=True)
    town = models.CharField(max_length=120, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    website = models.CharField(max_length=255, blank=True)
    easting = models.PositiveIntegerField(null=True, blank=True)
    northing = models.PositiveIntegerField(null=True, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    pupils = models.PositiveIntegerField("number of pupils", null=True, blank=True)
    percentage_fsm = models.DecimalField("% FSM", max_digits=5, decimal_places=1,
                                         null=True, blank=True)
    census_date = models.DateField(null=True, blank=True)
    trust_code = models.CharField(max_length=20, blank=True)
    trust_name = models.CharField("trust", max_length=255, blank=True)
    federation_code = models.CharField(max_length=20, blank=True)
    federation_name = models.CharField("federation", max_length=255, blank=True)
    ofsted_rating = models.CharField(max_length=60, blank=True)
    ofsted_last_inspection = models.DateField(null=True, blank=True)
    register_last_changed = models.DateField(null=True, blank=True)

    imported_at = models.DateTimeField(null=True, blank=True)
    register_row_hash = models.CharField(
        max_length=32, blank=True, default="", editable=False,
        help_text="Digest of the register row last imported (apps/schools/importer.py); "
                  "a re-import skips a row whose digest is unchanged")

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name", "urn"]
        # Plain B-tree indexes (not db_index, which on PostgreSQL adds a second
        # pattern-ops index per text column and slows a national import for no gain:
        # directory search uses case-insensitive containment, which neither index serves;
        # on PostgreSQL, trigram indexes serve it: migration 0002).
        indexes = [
            models.Index(fields=["name", "urn"], name="school_name_idx"),
            models.Index(fields=["la_code"], name="school_la_idx"),
            models.Index(fields=["phase", "status"], name="school_phase_status_idx"),
            models.Index(fields=["trust_code"], name="school_trust_idx"),
            models.Index(fields=["federation_code"], name="school_federation_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.urn})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Changed outside the importer: the next import compares this school in full.
        self.register_row_hash = ""
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "register_row_hash"}
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def age_range(self) -> str:
        if self.statutory_low_age is None or self.statutory_high_age is None:
            return ""
        return f"{self.statutory_low_age} to {self.statutory_high_age}"


def register_upload_path(instance: models.Model, filename: str) -> str:
    """A random name in the file storage (the name people see is ``filename``)."""
    return random_name("imports", filename)


class ImportJob(models.Model):
    """A register file uploaded by the core team, imported by a background task."""

    Status = JobState

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    filename = models.CharField(max_length=255)
    # The uploaded file, in Django's file storage (ADR 0005: shared by every worker, object
    # storage in production) until the import ends; deleted afterwards. ``content`` held the
    # bytes before: emptied by migration schools.0004, removed in a later release.
    file = models.FileField(upload_to=register_upload_path, max_length=255, blank=True)
    content = models.BinaryField(blank=True, default=b"", editable=False,
                                 help_text="Before uploads moved to storage; always empty now")
    size_bytes = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=10, choices=JobState.labelled(running="Importing"),
                              default=JobState.QUEUED)
    stage = models.CharField(max_length=80, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import of {self.filename} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(self.rows_done * 100 / self.rows_total))

    @property
    def looks_stuck(self) -> bool:
        """Still marked running an hour after it started: the worker has probably stopped."""
        from datetime import timedelta

        from django.utils import timezone

        return (self.status == self.Status.RUNNING and self.started_at is not None
                and self.started_at < timezone.now() - timedelta(hours=1))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
