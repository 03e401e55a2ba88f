"""The audit log. Service functions call ``record`` explicitly for every sensitive action."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from .models import AuditEvent


def _client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind ``TRUSTED_PROXY_COUNT`` proxies of our own, it is that
    many entries from the right of X-Forwarded-For (entries further left are whatever the
    client chose to send); with no trusted proxy it is the socket's address."""
    hops = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                 if p.strip()]
    ip = forwarded[-hops] if hops and len(forwarded) >= hops else request.META.get("REMOTE_ADDR")
    try:
        return str(ipaddress.ip_address(ip)) if ip else None
    except ValueError:
        return None


def record(
    action: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    request: HttpRequest | None = None,
    **details: Any,
) -> AuditEvent:
    """Write one audit entry. ``request`` defaults to the request being handled (none in a
    background task); ``actor`` defaults to its user."""
    if request is None:
        from .middleware import current_request

        request = current_request.get()
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


# Details that name review content. A file's name is content of the file: the audit page is
# read by the core team, who may not open review files, so it says "a document" instead
# (docs/adr/0005-content-of-one-object-on-another-page.md). The host's leaders, who may
# open them, see the names in their review's disclosure log.
CONTENT_DETAILS = {"file": "a document"}


def shown_details(event: AuditEvent) -> dict:
    """An event's details as the audit page shows them."""
    return {k: CONTENT_DETAILS.get(k, v) for k, v in (event.details or {}).items()}
