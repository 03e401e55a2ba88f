"""The audit log. Service functions call ``record`` explicitly for every sensitive action."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from .models import AuditEvent


def _client_ip(request: HttpRequest) -> str | None:
    # Behind our proxy the first X-Forwarded-For address is the client's.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    ip = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")
    return ip or None


def record(
    action: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    request: HttpRequest | None = None,
    **details: Any,
) -> AuditEvent:
    """Write one audit entry. ``actor`` defaults to the request's user."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    event = AuditEvent(
        action=action,
        actor=actor,
        actor_label=getattr(actor, "email", "") if actor else "",
        details=details,
    )
    if obj is not None:
        event.object_type = obj._meta.label_lower
        event.object_id = str(obj.pk)
        event.object_label = str(obj)[:255]
    if request is not None:
        event.ip_address = _client_ip(request)
        event.user_agent = request.META.get("HTTP_USER_AGENT", "")[:255]
    event.save()
    return event
