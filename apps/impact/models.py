from django.conf import settings
from django.db import models

from apps.core.jobs import JobState


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

    Status = JobState

    status = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
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
    # The uploaded files, in Django's storage (ADR 0005) under random names, one per file
    # name above, until the import ends (any worker can read them); then deleted.
    stored = models.JSONField(default=list, blank=True)
    # Before files went to storage: the uploads as base64 (read by an import queued then).
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


# Surveys ------------------------------------------------------------------------------------

class Level(models.TextChoices):
    """Levels of the programme's theory of change."""

    PARTNERSHIP = "partnership", "Partnership"
    LEADERSHIP = "leadership", "Leadership"
    STAFF = "staff", "Staff"
    PUPIL = "pupil", "Pupil"


class Survey(models.Model):
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class SurveyItem(models.Model):
    class Kind(models.TextChoices):
        LIKERT = "likert", "Agree or disagree (5 points)"
        TEXT = "text", "Free text"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    level = models.CharField(max_length=12, choices=Level.choices)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.LIKERT)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.text


class Wave(models.Model):
    class Kind(models.TextChoices):
        BASELINE = "baseline", "Baseline"
        YEAR1 = "year1", "End of year 1"
        YEAR2 = "year2", "End of year 2"
        YEAR3 = "year3", "End of year 3"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="waves")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    partnerships = models.ManyToManyField("partnerships.Partnership", related_name="+")
    roles = models.JSONField(default=list)
    min_group = models.PositiveSmallIntegerField(
        default=5, help_text="No figure is shown for a smaller group (never below 3). Locked "
                             "once the wave has answers.")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["survey", "kind"]
        constraints = [models.UniqueConstraint(fields=["survey", "kind"],
                                               name="one_wave_of_each_kind"),
                       models.CheckConstraint(condition=models.Q(min_group__gte=3),
                                              name="wave_min_group_at_least_3")]

    def __str__(self) -> str:
        return f"{self.survey}: {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class WaveInvite(models.Model):
    """Who may answer a wave, once. It records that someone answered, never what: the
    answers (``Response``) carry no link to the invitation or the person."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invites")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="survey_invites")
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE,
                                    related_name="+")
    phase = models.CharField(max_length=60, blank=True)
    role_group = models.CharField(max_length=12)
    token = models.CharField(max_length=64, unique=True)
    answered = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["wave", "user"],
                                               name="one_invite_per_person")]

    def __str__(self) -> str:
        return f"Invitation to {self.wave}"


class Response(models.Model):
    """One anonymous set of answers: only the groups results are reported by. A random
    identifier and no time stamp, so rows cannot be lined up with invitations."""

    id = models.UUIDField(primary_key=True)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE,
                                    related_name="+")
    phase = models.CharField(max_length=60, blank=True)
    role_group = models.CharField(max_length=12)

    def __str__(self) -> str:
        return "Anonymous response"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(SurveyItem, on_delete=models.CASCADE, related_name="answers")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    def __str__(self) -> str:
        return "Anonymous answer"
