"""The annual peer review cycle: a partnership's cycle and schedule, and each school's review
from self-review to an agreed report.

The host school owns its review. Who may see or change what is decided in
``rules.py``; every write goes through ``services.py`` (or ``workflow.py`` for
status changes) and is audited.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core import dates
from apps.core.storage import random_name
from apps.partnerships.models import Partnership
from apps.schools.models import School

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

USER = settings.AUTH_USER_MODEL


class Cycle(models.Model):
    """One partnership's review cycle for one academic year (September to August)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="cycles")
    start_year = models.PositiveSmallIntegerField(
        "academic year", help_text="The year the academic year starts: 2026 for 2026/27")
    cross_partnership = models.BooleanField(
        "cross-partnership reviews", default=False,
        help_text="Reviewers may also come from the partner partnerships chosen below")
    partner_partnerships = models.ManyToManyField(Partnership, blank=True, related_name="+")
    trust_conflicts = models.BooleanField(
        "trust and federation conflicts", default=True,
        help_text="Nobody reviews a school of their own trust or federation")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-start_year", "partnership__name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "start_year"],
                                               name="one_cycle_per_partnership_year")]

    def __str__(self) -> str:
        return f"{self.partnership} {self.label}"

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @staticmethod
    def year_of(day: date) -> int:
        """The start year of the academic year (September to August) that ``day`` is in."""
        return day.year if day.month >= 9 else day.year - 1

    @property
    def first_day(self) -> date:
        """1 September of the cycle's academic year."""
        return date(self.start_year, 9, 1)

    @property
    def last_day(self) -> date:
        """31 August at the end of the academic year (the impact check-back may come up to
        the end of the following December: ``date_problem(..., late=True)``)."""
        return date(self.start_year + 1, 8, 31)

    def agreed_partner_ids(self, *, rapid: bool = False) -> set[int]:
        """The partner partnerships whose lead has agreed to lend reviewers to this cycle
        (only these widen the pool of people who can be invited). A Rapid Response review
        (``rapid``) draws on every agreed partner even when the cycle's in-person reviews
        stay within the partnership: nobody travels."""
        if not (self.cross_partnership or rapid):
            return set()
        return set(self.agreements.filter(
            state=PartnerAgreement.State.AGREED,
            partner__in=self.partner_partnerships.all()).values_list("partner_id", flat=True))

    def date_problem(self, day: date, what: str, *, late: bool = False) -> str | None:
        """Why ``day`` cannot be used for ``what`` in this cycle, or None. ``what`` is the
        subject of the sentence in the page's language ("The workshop's day")."""
        last = date(self.start_year + 1, 12, 31) if late else self.last_day
        if not self.first_day <= day <= last:
            return gettext("%(what)s must be between %(first)s and %(last)s (the %(cycle)s "
                           "cycle)") % {"what": what, "first": dates.date_text(self.first_day),
                                        "last": dates.date_text(last), "cycle": self.label}
        return None


class PartnerAgreement(models.Model):
    """A cycle's request to another partnership to lend it reviewers, and that partnership's
    lead's answer. Cross-partnership reviews are an agreement between the two leads: nobody
    from the partner partnership is invited until its lead agrees."""

    class State(models.TextChoices):
        ASKED = "asked", _("Waiting for an answer")
        AGREED = "agreed", _("Agreed")
        DECLINED = "declined", _("Declined")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="agreements")
    partner = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.ASKED)
    asked_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    asked_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-asked_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["cycle", "partner"],
                                               name="one_agreement_per_cycle_partner")]

    def __str__(self) -> str:
        return f"{self.cycle} asks {self.partner}"


class TermDate(models.Model):
    """A term of the partnership's school year; review steps should fall inside one."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="term_dates")
    name = models.CharField(max_length=60)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F(
            "starts_on")), name="term_ends_after_it_starts")]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on:%-d %b %Y} to {self.ends_on:%-d %b %Y})"


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SELF_REVIEW = "self_review", _("Self-review")
    ENQUIRY_AGREED = "enquiry_agreed", _("Enquiry agreed")
    SCHEDULED = "scheduled", _("Scheduled")
    IN_REVIEW = "in_review", _("In review")
    FEEDBACK_GIVEN = "feedback_given", _("Feedback given")
    REPORT_AGREED = "report_agreed", _("Report agreed")
    ACTING = "acting", _("Acting on the plan")
    CLOSED = "closed", _("Closed")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = [s for s in Status if s not in (Status.CLOSED, Status.CANCELLED)]


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIRTUAL = "virtual", _("Virtual (online meetings, remote evidence)")
    BLENDED = "blended", _("Blended (some in person, some online)")
    RAPID = "rapid", _("Rapid Response (online, shorter)")


# Modes in which nobody travels to the host school (the optimiser counts no distance).
ONLINE_MODES = (Mode.VIRTUAL, Mode.RAPID)


# The schedule's steps, in the order they happen: (field, label).
STEPS = [
    ("data_sharing_on", _("Data sharing")),
    ("pre_review_on", _("Pre-review meeting")),
    ("review_starts_on", _("Review day")),
    ("feedback_on", _("Feedback")),
    ("workshop_on", _("Improvement Workshop")),
    ("checkback_on", _("Impact check-back")),
]

# A Rapid Response review names its steps for what happens online (docs/review-cycle.md).
RAPID_STEP_LABELS = {
    "data_sharing_on": _("Documents shared online"),
    "pre_review_on": _("Pre-review call"),
    "review_starts_on": _("Virtual review activities"),
    "feedback_on": _("Feedback call"),
    "workshop_on": _("Online Improvement Workshop"),
    "checkback_on": _("Impact check-back"),
}


class Review(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="reviews")
    host = models.ForeignKey(School, on_delete=models.PROTECT, related_name="reviews",
                             verbose_name="host school")
    framework_version = models.ForeignKey("frameworks.FrameworkVersion", null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="reviews")
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    meeting_link = models.URLField("online meeting link", max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    postponed_from = models.CharField(max_length=20, choices=Status.choices, blank=True)
    status_reason = models.TextField(blank=True)

    data_sharing_on = models.DateField("data-sharing date", null=True, blank=True)
    pre_review_on = models.DateField("pre-review meeting", null=True, blank=True)
    review_starts_on = models.DateField("first review day", null=True, blank=True)
    review_days = models.PositiveSmallIntegerField(default=1, choices=[(1, "1 day"),
                                                                       (2, "2 days")])
    feedback_on = models.DateField("feedback", null=True, blank=True)
    workshop_on = models.DateField("Improvement Workshop", null=True, blank=True)
    checkback_on = models.DateField("impact check-back", null=True, blank=True)
    schedule_sequence = models.PositiveIntegerField(
        default=0, help_text="Raised on each change of dates, so calendars update")

    focus_areas = models.JSONField(
        default=list, blank=True,
        help_text="Areas (apps.improvement.models.Area) the review will look at, to match "
                  "reviewers' strengths")
    key_question = models.TextField("key enquiry question", blank=True)
    key_question_ref = models.UUIDField(null=True, blank=True,
                                        help_text="The framework question it came from")
    enquiry_agreed_by = models.ForeignKey(USER, null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+")
    enquiry_agreed_at = models.DateTimeField(null=True, blank=True)
    enquiry_version = models.PositiveIntegerField(
        default=0, help_text="Raised on each save of the enquiry, so two people editing it "
                             "at once see each other's text instead of overwriting it")

    created_at = models.DateTimeField(auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["review_starts_on", "host__name"]
        constraints = [models.UniqueConstraint(
            fields=["cycle", "host"], condition=~models.Q(status="cancelled"),
            name="one_live_review_per_school_per_cycle")]
        indexes = [models.Index(fields=["status"], name="review_status_idx"),
                   models.Index(fields=["review_starts_on"], name="review_day_idx")]

    def __str__(self) -> str:
        return f"Review of {self.host.name} ({self.cycle.label})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def partnership(self):
        return self.cycle.partnership

    def review_dates(self) -> list:
        from datetime import timedelta

        if not self.review_starts_on:
            return []
        return [self.review_starts_on + timedelta(days=i) for i in range(self.review_days)]

    def active_team(self):
        return self.team.filter(status=TeamMember.State.ACCEPTED)

    @property
    def is_rapid(self) -> bool:
        """A Rapid Response review: online, on a shorter timeline, with its own thematic
        lines of enquiry."""
        return self.mode == Mode.RAPID

    @property
    def steps(self) -> list[tuple[str, StrOrPromise]]:
        """The schedule's steps (field, label) as this review names them."""
        if self.is_rapid:
            return [(f, RAPID_STEP_LABELS[f]) for f, _ in STEPS]
        return list(STEPS)


class StatusChange(models.Model):
    """The history of a review's status: every transition, who made it and why."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="history")
    transition = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class SelfReviewEntry(models.Model):
    """The host's self-evaluation for one theme of the framework (or the school as a whole
    when ``theme`` is empty). No grades: strengths and areas to develop, in words."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="self_review")
    theme = models.ForeignKey("frameworks.Theme", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    strengths = models.TextField(blank=True)
    areas_to_develop = models.TextField("areas to develop", blank=True)
    updated_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["theme__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "theme"],
                                    name="one_self_review_entry_per_theme"),
            # NULLs are distinct in the constraint above: one whole-school section too.
            models.UniqueConstraint(fields=["review"], condition=models.Q(theme__isnull=True),
                                    name="one_whole_school_self_review_entry"),
        ]

    def __str__(self) -> str:
        return f"Self-review: {self.theme or 'whole school'}"

    @property
    def has_text(self) -> bool:
        return bool(self.strengths.strip() or self.areas_to_develop.strip())


class LineOfEnquiry(models.Model):
    """A supporting line of enquiry (up to three) agreed at the pre-review meeting."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()
    question_ref = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["review", "position"],
                                               name="one_line_per_position")]

    def __str__(self) -> str:
        return f"Line {self.position}: {self.text[:80]}"


class ActivityKind(models.TextChoices):
    LESSON_VISITS = "lesson_visits", "Lesson visits"
    LEARNING_WALK = "learning_walk", "Learning walk"
    WORK_SCRUTINY = "work_scrutiny", "Work scrutiny"
    PUPIL_VOICE = "pupil_voice", "Pupil voice"
    STAFF_INTERVIEWS = "staff_interviews", "Staff interviews"
    PARENT_VOICE = "parent_voice", "Parent voice"
    GOVERNOR_MEETING = "governor_meeting", "Governor meeting"
    DOCUMENT_REVIEW = "document_review", "Document and data review"


class Activity(models.Model):
    """One entry of the evidence-gathering plan."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    on = models.DateField("day")
    starts_at = models.TimeField("start time")
    ends_at = models.TimeField("end time", null=True, blank=True)
    place = models.CharField("place or link", max_length=500, blank=True)
    meeting_link = models.URLField("online meeting link", max_length=500, blank=True)
    people = models.CharField("people involved", max_length=500, blank=True)
    lock_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["on", "starts_at", "id"]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return (f"{self.get_kind_display()}, {dates.date_text(self.on, 'short,noyear')} "
                f"{dates.time_text(self.starts_at)}")


class TeamMember(models.Model):
    class Role(models.TextChoices):
        REVIEWER = "reviewer", _("Reviewer")
        LEAD = "lead", _("Lead reviewer")
        CHAMPION = "champion", _("Improvement Champion")

    class State(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REMOVED = "removed", _("Removed")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="review_roles")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+",
                               help_text="The school the person comes from")
    role = models.CharField(max_length=10, choices=Role.choices)
    status = models.CharField(max_length=10, choices=State.choices, default=State.INVITED)
    decline_reason = models.TextField(blank=True)
    invited_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    invited_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["role", "user__full_name"]
        constraints = [models.UniqueConstraint(
            fields=["review", "user"], condition=models.Q(status__in=["invited", "accepted"]),
            name="one_live_place_per_person_per_review")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.get_status_display()})"

    @property
    def is_live(self) -> bool:
        return self.status in (self.State.INVITED, self.State.ACCEPTED)

    @property
    def is_reviewer(self) -> bool:
        return self.role in (self.Role.REVIEWER, self.Role.LEAD)



# Places that still count: invited (not yet answered) or accepted.
LIVE_PLACES = (TeamMember.State.INVITED, TeamMember.State.ACCEPTED)

class EvidenceNote(models.Model):
    """A reviewer's low-inference note against a line of enquiry (empty: the key question)
    and an activity. ``client_id`` comes from the browser so a note re-sent after a lost
    connection updates rather than duplicates."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="evidence")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    line = models.ForeignKey(LineOfEnquiry, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="evidence")
    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="evidence")
    text = models.TextField()
    tags = models.JSONField(default=list, blank=True)
    client_id = models.UUIDField(default=uuid.uuid4)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-updated_at", "id"]
        constraints = [models.UniqueConstraint(fields=["author", "client_id"],
                                               name="one_note_per_client_id")]

    def __str__(self) -> str:
        return f"Evidence note {self.pk}"


def review_file_path(instance: models.Model, filename: str) -> str:
    """A random name in the file storage (the name people see is ``filename``)."""
    return random_name("reviews", filename)


def report_pdf_path(instance: models.Model, filename: str) -> str:
    return random_name("reports", filename)


class ReviewFile(models.Model):
    """A document attached to a review: supporting documents of the self-review, remote
    evidence, or an attachment of an evidence note. The bytes are in Django's file storage
    (``file``; docs/adr/0005-files-on-django-storage.md); ``content`` is emptied by migration
    reviews.0006 and will be removed in a later release."""

    class Purpose(models.TextChoices):
        SELF_REVIEW = "self_review", "Self-review document"
        EVIDENCE = "evidence", "Evidence attachment"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="files")
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    note = models.ForeignKey(EvidenceNote, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="attachments")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size_bytes = models.PositiveIntegerField()
    file = models.FileField(upload_to=review_file_path, max_length=255, blank=True)
    content = models.BinaryField(null=True, blank=True, editable=False,
                                 help_text="Before files moved to storage; always empty now")
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.filename


class Finding(models.Model):
    """The team's feedback for one line of enquiry (empty: the key question)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="findings")
    line = models.ForeignKey(LineOfEnquiry, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="findings")
    working_well = models.TextField("what is working well", blank=True)
    explore_further = models.TextField("what the evidence suggests exploring further",
                                       blank=True)
    workshop_questions = models.TextField("questions for the Improvement Workshop", blank=True)
    updated_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["line__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "line"], name="one_finding_per_line"),
            models.UniqueConstraint(fields=["review"], condition=models.Q(line__isnull=True),
                                    name="one_finding_for_key_question"),
        ]

    def __str__(self) -> str:
        return f"Findings for {self.line or 'the key question'}"

    @property
    def is_complete(self) -> bool:
        return bool(self.working_well.strip() or self.explore_further.strip())


class Report(models.Model):
    """One version of the review report. The lead reviewer compiles a draft, submits it for
    the host headteacher's factual-accuracy check, and the headteacher accepts it; an agreed
    version is locked. A later change starts a new version."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CHECKING = "checking", _("With the host headteacher for a factual-accuracy check")
        AGREED = "agreed", _("Agreed")
        SUPERSEDED = "superseded", _("Superseded by a later version")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reports")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=State.choices, default=State.DRAFT)
    summary = models.TextField("summary", blank=True)
    sections = models.JSONField(default=list, blank=True,
                                help_text="The findings as compiled into this version")
    rapid_response = models.BooleanField(
        "Rapid Response review", default=False,
        help_text="Whether the review was a Rapid Response review when this version was "
                  "compiled (kept with the version, like its sections)")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    # The agreed version's PDF in Django's file storage (ADR 0005); ``pdf_bytes`` is emptied by
    # migration reviews.0007 and will be removed in a later release.
    pdf = models.FileField(upload_to=report_pdf_path, max_length=255, blank=True)
    pdf_bytes = models.BinaryField(null=True, blank=True, editable=False,
                                   help_text="Before PDFs moved to storage; always empty now")
    pdf_status = models.CharField(max_length=10, blank=True,
                                  help_text="queued, running, done or failed")
    lock_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"],
                                               name="one_report_per_number")]

    def __str__(self) -> str:
        return f"Report version {self.number} for {self.review.host.name}"

    @property
    def is_locked(self) -> bool:
        return self.status in (self.State.AGREED, self.State.SUPERSEDED)


class ReportComment(models.Model):
    """A factual-accuracy comment from the host headteacher on a report version."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    response = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.report}"


class ShareAudience(models.TextChoices):
    PARTNERSHIP = "partnership", "The partnership's school leaders and partnership lead"
    ASSOCIATE = "associate", "The partnership's associate"
    PROGRAMME = "programme", "The programme team"


class ReportShare(models.Model):
    """The host headteacher's choice to share the agreed report beyond the review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="shares")
    audience = models.CharField(max_length=12, choices=ShareAudience.choices)
    shared_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    shared_at = models.DateTimeField(default=timezone.now)
    withdrawn_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-shared_at"]
        constraints = [models.UniqueConstraint(
            fields=["review", "audience"], condition=models.Q(withdrawn_at__isnull=True),
            name="one_live_share_per_audience")]

    def __str__(self) -> str:
        return f"Shared with {self.get_audience_display()}"


class SafeguardingConcern(models.Model):
    """A concern raised during a review. Kept apart from notes and the report, seen only by
    the host headteacher and the school's designated safeguarding lead — or, when it is about
    the headteacher, by the programme's safeguarding officer."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    about_headteacher = models.BooleanField(default=False)
    text = models.TextField()
    acknowledged_by = models.ForeignKey(USER, null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # What the reader did about it (a referral, advice taken, no further action), seen only by
    # those who may read the concern. Recording it closes the concern; it can be corrected and
    # the concern reopened. The head and the DSL may both write it: ``lock_version`` detects
    # a concurrent edit (``services.record_concern_outcome``).
    outcome = models.TextField(blank=True)
    outcome_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    outcome_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"Safeguarding record {self.pk}"

    @property
    def state(self) -> str:
        """"new" (not seen yet), "seen" (seen, nothing recorded or reopened) or "closed"."""
        if self.closed_at:
            return "closed"
        return "seen" if self.acknowledged_at else "new"

    # For the shared conflict box (reviews/_conflict.html): who saved the outcome, and when.
    @property
    def updated_by(self) -> Any:
        return self.outcome_by

    @property
    def updated_at(self) -> datetime | None:
        return self.outcome_at
