"""Training courses, national meetings and webinars: sessions with capacity, bookings with a
waiting list, attendance that makes people eligible to review, live polls and feedback.

Times are stored in UTC and shown and entered in Europe/London (``TIME_ZONE``), so a
session keeps its local time across the October and March clock changes.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import dates

USER = settings.AUTH_USER_MODEL


class CourseKind(models.TextChoices):
    REVIEWER = "reviewer", _("Peer reviewer training")
    LEAD_REVIEWER = "lead_reviewer", _("Lead reviewer training")
    CHAMPION = "champion", _("Improvement Champion training")
    LEAD_INDUCTION = "lead_induction", _("Partnership lead induction")
    REVIEWER_REFRESHER = "reviewer_refresher", _("Peer reviewer refresher")
    CHAMPION_REFRESHER = "champion_refresher", _("Improvement Champion refresher")
    NATIONAL_MEETING = "national_meeting", _("National meeting")
    WEBINAR = "webinar", _("Webinar")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone, including schools not in the programme")
    CURRENT = "current", _("Schools in the programme now")
    ALUMNI = "alumni", _("Alumni schools")
    PROGRAMME_AND_ALUMNI = "current_alumni", _("Schools in the programme and alumni schools")
    TRAINED_REVIEWERS = "trained_reviewers", _("Trained peer reviewers")
    TRAINED_CHAMPIONS = "trained_champions", _("Trained Improvement Champions")
    PARTNERSHIP_LEADS = "partnership_leads", _("Partnership leads")


class Grants(models.TextChoices):
    NOTHING = "", _("Nothing")
    REVIEWER = "reviewer", _("Peer reviewer (sets or extends the trained-until date)")
    CHAMPION = "champion", _("Improvement Champion (sets or extends the trained-until date)")


class MeetingSeries(models.Model):
    """The termly national meetings of one school year. Each meeting is a course of kind
    national meeting with one session; its audience follows from its place in the series
    (``rules.meeting_audience``): the first is open to all schools, the later ones are for
    schools in the programme and alumni schools."""

    title = models.CharField(max_length=200)
    start_year = models.PositiveSmallIntegerField(
        "school year", validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="The year the school year starts in, e.g. 2026 for 2026 to 2027")
    summary = models.TextField(blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_year", "title"]
        verbose_name_plural = "meeting series"

    def __str__(self) -> str:
        return self.title

    @property
    def school_year(self) -> str:
        return f"{self.start_year} to {self.start_year + 1}"


class Course(models.Model):
    kind = models.CharField(max_length=20, choices=CourseKind.choices)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    audience = models.CharField(max_length=20, choices=Audience.choices,
                                default=Audience.CURRENT)
    grants = models.CharField("completion makes the person", max_length=10,
                              choices=Grants.choices, blank=True, default="")
    validity_months = models.PositiveSmallIntegerField(
        "valid for (months)", default=24,
        validators=[MinValueValidator(1, "Enter at least 1 month: a certificate valid for "
                                         "0 months would expire the day it is issued"),
                    MaxValueValidator(120, "Enter 120 months (10 years) or fewer")],
        help_text="How long completion keeps a person trained, from 1 to 120 months")
    series = models.ForeignKey(MeetingSeries, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="meetings")
    series_position = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1 for the first meeting of its series")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["series", "series_position"],
                                               name="one_meeting_per_series_position")]

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    class Mode(models.TextChoices):
        ONLINE = "online", _("Online")
        VENUE = "venue", _("At a venue")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=200, blank=True,
                             help_text="Optional, e.g. “Autumn cohort, North”")
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.ONLINE)
    joining_link = models.URLField(max_length=500, blank=True,
                                   help_text="Shown only to people with a place")
    venue = models.CharField(max_length=200, blank=True)
    address = models.TextField(blank=True)
    accessibility = models.TextField("accessibility notes", blank=True)
    capacity = models.PositiveIntegerField()
    booking_deadline = models.DateTimeField()
    cancellation_deadline = models.DateTimeField(
        null=True, blank=True, help_text="People may cancel up to this time (default: the "
                                         "booking deadline)")
    offer_hours = models.PositiveSmallIntegerField(
        "waiting-list offers last (hours)", default=48)
    trainers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                      related_name="training_sessions")
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["booking_deadline", "id"]

    def __str__(self) -> str:
        return self.title or str(self.course)

    @property
    def label(self) -> str:
        return f"{self.course.title}{' – ' + self.title if self.title else ''}"

    def first_start(self) -> datetime | None:
        part = self.parts.order_by("starts_at").first()
        return part.starts_at if part else None

    def has_started(self, now: datetime | None = None) -> bool:
        """Its first part has begun: from then on nobody books, cancels, joins or leaves the
        waiting list, and the session's dates and places are kept as they were (the register
        is the way to record what happened)."""
        start = self.first_start()
        return start is not None and start <= (now or timezone.now())


class SessionPart(models.Model):
    """One day (or sitting) of a session; a multi-day course has several."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="parts")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F(
            "starts_at")), name="session_part_ends_after_start")]

    def __str__(self) -> str:
        return dates.datetime_text(self.starts_at, "weekday,short")


def _token() -> str:
    return secrets.token_urlsafe(24)


class Registrant(models.Model):
    """Someone from a school outside the programme registering for an open event, without an
    account: confirmed by email (double opt-in), and able to unsubscribe."""

    email = models.EmailField()
    full_name = models.CharField(max_length=150)
    school_name = models.CharField(max_length=200, blank=True)
    consent_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    token = models.CharField(max_length=64, unique=True, default=_token)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"


class Booking(models.Model):
    class State(models.TextChoices):
        BOOKED = "booked", _("Booked")
        WAITING = "waiting", _("On the waiting list")
        OFFERED = "offered", _("Offered a place")
        CANCELLED = "cancelled", _("Cancelled")
        DECLINED = "declined", _("Declined the offer")
        EXPIRED = "expired", _("Offer expired")
        PENDING = "pending", _("Waiting for email confirmation")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Not taken")
        PRESENT = "present", _("Present")
        PARTIAL = "partial", _("Partly present")
        ABSENT = "absent", _("Absent")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="bookings")
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="bookings")
    registrant = models.ForeignKey(Registrant, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="bookings")
    booked_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    status = models.CharField(max_length=10, choices=State.choices)
    position = models.PositiveIntegerField(default=0, help_text="Order on the waiting list")
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(max_length=10, choices=Attendance.choices, blank=True,
                                  default="")
    completed_at = models.DateTimeField(null=True, blank=True)
    status_before_cancelled = models.CharField(
        max_length=10, blank=True, default="",
        help_text="What the booking was when its session was cancelled, so that undoing the "
                  "cancellation gives it back")
    certificate_number = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["status", "position", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=models.Q(status__in=["booked", "waiting", "offered"]),
                name="one_live_booking_per_person"),
            models.UniqueConstraint(
                fields=["session", "registrant"],
                condition=models.Q(status__in=["booked", "waiting", "offered", "pending"]),
                name="one_live_booking_per_registrant"),
            models.CheckConstraint(condition=models.Q(user__isnull=False)
                                   | models.Q(registrant__isnull=False),
                                   name="booking_has_a_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} – {self.session} ({self.get_status_display()})"

    @property
    def person_name(self) -> str:
        if self.user is not None:
            return self.user.display_name
        return self.registrant.full_name if self.registrant is not None else ""

    @property
    def email(self) -> str:
        if self.user is not None:
            return self.user.email
        assert self.registrant is not None  # a booking is for a user or a registrant
        return self.registrant.email

    @property
    def holds_place(self) -> bool:
        return self.status in (self.State.BOOKED, self.State.OFFERED)


LIVE = [Booking.State.BOOKED, Booking.State.WAITING, Booking.State.OFFERED]
HOLDING = [Booking.State.BOOKED, Booking.State.OFFERED]


class Poll(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("Several choices")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="polls")
    question = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    options = models.JSONField(default=list)
    is_open = models.BooleanField(default=False)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.question


class PollAnswer(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="answers")
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="poll_answers")
    choices = models.JSONField(default=list, help_text="Indexes into the poll's options")
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "booking"],
                                               name="one_answer_per_attendee")]

    def __str__(self) -> str:
        return f"Answer to {self.poll}"


class Feedback(models.Model):
    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField()
    comments = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5),
                                              name="feedback_rating_1_to_5")]

    def __str__(self) -> str:
        return f"Feedback {self.rating}/5"


def slides_path(instance: MeetingMaterials, filename: str) -> str:
    """A random name in the file storage (the name people see is ``slides_filename``)."""
    import uuid

    extension = filename.rsplit(".", 1)[-1].lower()[:10] if "." in filename else "bin"
    return f"meetings/{uuid.uuid4().hex}.{extension}"


class MeetingMaterials(models.Model):
    """What the core team publishes after a meeting: a recording link and slides (a file in
    Django's storage, served by an access-checked download). Seen by the meeting's
    materials audience (``rules.may_see_materials``); people registered without an account
    get the recording link by email only if ``recording_to_registrants``."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="materials")
    recording_url = models.URLField("recording link", max_length=500, blank=True)
    slides_title = models.CharField(max_length=200, blank=True)
    slides = models.FileField(upload_to=slides_path, max_length=255, blank=True)
    slides_filename = models.CharField(max_length=255, blank=True)
    slides_content_type = models.CharField(max_length=120, blank=True)
    slides_size = models.PositiveIntegerField(default=0)
    recording_to_registrants = models.BooleanField(
        "send the recording to people registered without an account", default=False)
    recording_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the recording link was emailed to people "
                                         "registered without an account")
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "meeting materials"

    def __str__(self) -> str:
        return f"Materials of {self.session}"

    @property
    def slides_extension(self) -> str:
        name = self.slides_filename
        return name.rsplit(".", 1)[-1].upper() if "." in name else "File"
