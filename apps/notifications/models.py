"""What people are told, how they want to be told, and their private calendar feeds."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message to one person: shown on their notifications page and emailed, at once or
    in the daily digest."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notifications")
    kind = models.CharField(max_length=50, help_text="What happened, e.g. review.scheduled")
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True, help_text="A path on this site")
    ics = models.TextField(blank=True, help_text="Calendar invitation sent with the email")
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    digest = models.BooleanField(default=False, help_text="Waiting for the daily digest")
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"]),
                   models.Index(fields=["digest", "emailed_at"])]

    def __str__(self) -> str:
        return self.subject


class NotificationPreference(models.Model):
    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("An email for each update")
        DAILY = "daily", _("One summary email a day")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_preference")
    delivery = models.CharField(max_length=10, choices=Delivery.choices,
                                default=Delivery.IMMEDIATE)

    def __str__(self) -> str:
        return f"{self.user}: {self.get_delivery_display()}"


class CalendarToken(models.Model):
    """The secret in a person's calendar-feed address. Only its SHA-256 hash is kept: the
    secret is shown once, when it is made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="calendar_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user"],
                                               condition=Q(revoked_at__isnull=True),
                                               name="one_live_calendar_token_per_user")]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"


class ReminderSent(models.Model):
    """A reminder that has gone out, so it never goes twice. The event's date is part of the
    key: a rescheduled event is reminded about again for its new date."""

    uid = models.CharField(max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    days_before = models.PositiveSmallIntegerField()
    event_date = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["uid", "user", "days_before", "event_date"], name="reminder_sent_once")]

    def __str__(self) -> str:
        return f"{self.uid} to {self.user}, {self.days_before} working days before"
