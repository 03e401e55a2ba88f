"""Enquiries from schools new to the programme ("get in touch"), answered by the core team."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Enquiry(models.Model):
    """One message from someone outside the programme, in the core team's inbox."""

    class State(models.TextChoices):
        NEW = "new", _("New")
        CONTACTED = "contacted", _("Contacted")
        JOINED = "joined", _("Joined the programme")
        CLOSED = "closed", _("Closed")

    full_name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    school_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    message = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=State.choices, default=State.NEW)
    note = models.TextField("notes for the programme team", blank=True, max_length=5000)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "-created_at"])]
        verbose_name_plural = "enquiries"

    def __str__(self) -> str:
        return f"{self.school_name}: {self.full_name}"
