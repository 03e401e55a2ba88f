from django.conf import settings
from django.db import models


class Outcome(models.Model):
    """One school's value of one measure in one year, from a DfE performance tables file.

    ``value`` is empty when the file gives no figure; ``marker`` then says why (SUPP, NA,
    NE, LOWCOV, NP, blank…). A missing figure is never stored as 0."""

    urn = models.PositiveIntegerField("URN")
    school = models.ForeignKey("schools.School", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="outcomes")
    year = models.PositiveSmallIntegerField(help_text="Summer of the school year (2019 = 2018-19)")
    measure = models.CharField(max_length=40)
    value = models.FloatField(null=True, blank=True)
    marker = models.CharField(max_length=24, blank=True)
    la_code = models.CharField(max_length=10, blank=True)
    source = models.CharField(max_length=255, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["urn", "year", "measure"], name="outcome_unique"),
            models.CheckConstraint(name="outcome_value_or_marker",
                                   condition=models.Q(value__isnull=False, marker="")
                                   | models.Q(value__isnull=True) & ~models.Q(marker="")),
        ]
        indexes = [models.Index(fields=["measure", "year"], name="outcome_measure_year_idx")]

    def __str__(self) -> str:
        return f"{self.urn} {self.measure} {self.year}"


class SchoolLink(models.Model):
    """A predecessor → successor link from the register (GIAS "Linked establishments"), so a
    school's earlier results under an old URN count for the school it became."""

    predecessor_urn = models.PositiveIntegerField()
    successor_urn = models.PositiveIntegerField()
    kind = models.CharField(max_length=60, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["predecessor_urn", "successor_urn"],
                                               name="school_link_unique")]

    def __str__(self) -> str:
        return f"{self.predecessor_urn} → {self.successor_urn}"


class Job(models.Model):
    """Progress of a background task (an outcomes import or an analysis run)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=120, blank=True)
    steps_total = models.PositiveIntegerField(default=0)
    steps_done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.steps_total:
            return 0
        return min(99, int(self.steps_done * 100 / self.steps_total))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class OutcomeImport(Job):
    """KS2 files uploaded by the core team, imported together (all or nothing)."""

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    filenames = models.JSONField(default=list)
    # The uploaded files, held until the import ends (any worker can read them), then cleared.
    content = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Outcomes import {', '.join(self.filenames)}"


class Analysis(Job):
    """A matched comparison and difference-in-differences, defined by the core team or an
    evaluator and run as a background task. ``spec`` is everything needed to run it again;
    ``result`` holds the estimate, balance, subgroups, attrition and reproducibility record."""

    name = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    partnerships = models.ManyToManyField("partnerships.Partnership", related_name="+")
    spec = models.JSONField(default=dict)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "analyses"

    def __str__(self) -> str:
        return self.name
