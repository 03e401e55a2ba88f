"""The audit log. Service functions call ``record`` explicitly for every sensitive action."""

from __future__ import annotations

import hashlib
import ipaddress
import json
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.http import HttpRequest
from django.utils import timezone

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


def _event(action: str, actor: Any, obj: models.Model | None, request: HttpRequest | None,
           details: dict[str, Any]) -> AuditEvent:
    """An unsaved entry. ``request`` defaults to the request being handled (none in a
    background task); ``actor`` defaults to its user."""
    if request is None:
        from .middleware import current_request

        request = current_request.get()
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    now = timezone.now()
    event = AuditEvent(
        action=action,
        actor=actor,
        actor_label=getattr(actor, "email", "") if actor else "",
        details=details,
        created_at=now,
        last_at=now,
    )
    if obj is not None:
        event.object_type = obj._meta.label_lower
        event.object_id = str(obj.pk)
        event.object_label = str(obj)[:255]
    if request is not None:
        event.ip_address = _client_ip(request)
        event.user_agent = request.META.get("HTTP_USER_AGENT", "")[:255]
    return event


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
    event = _event(action, actor, obj, request, details)
    event.save()
    return event


# The columns an entry that counts is written with (all but the id).
_VIEW_COLUMNS = ("created_at", "last_at", "count", "view_key", "actor", "actor_label", "action",
                 "object_type", "object_id", "object_label", "details", "ip_address",
                 "user_agent")


def view_key(event: AuditEvent) -> str:
    """The digest naming an entry that counts: person, object, action, details and the
    local day of ``event.created_at``."""
    day = timezone.localdate(event.created_at).isoformat()
    parts = [str(event.actor_id or ""), event.actor_label, event.object_type, event.object_id,
             event.action, day, json.dumps(event.details, sort_keys=True, default=str)]
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


def record_counted(
    action: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    request: HttpRequest | None = None,
    **details: Any,
) -> None:
    """Record an action people repeat many times a day compactly: looks at review content
    (``disclosure.*``) and autosaves. The first time in the day this person does it to this
    object (with these details) writes an entry; each later time that day adds one to its
    ``count`` and moves its ``last_at``. One statement either way (an insert that, on a
    clash of ``view_key``, updates the row instead), so concurrent ones are all counted.
    The address and browser are the first time's."""
    event = _event(action, actor, obj, request, details)
    event.view_key = view_key(event)
    fields = [f for f in AuditEvent._meta.concrete_fields if f.name in _VIEW_COLUMNS]
    values = [f.get_db_prep_save(getattr(event, f.attname), connection) for f in fields]
    qn = connection.ops.quote_name
    table, count, last = qn(AuditEvent._meta.db_table), qn("count"), qn("last_at")
    columns = ", ".join(qn(f.get_attname_column()[1] or f.attname) for f in fields)
    sql = (f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))}) "
           f"ON CONFLICT ({qn('view_key')}) DO UPDATE SET {count} = {table}.{count} + 1, "
           f"{last} = CASE WHEN EXCLUDED.{last} > {table}.{last} THEN EXCLUDED.{last} "
           f"ELSE {table}.{last} END")
    with connection.cursor() as cursor:
        cursor.execute(sql, values)


# Details that name review content. A file's name is content of the file: the audit page is
# read by the core team, who may not open review files, so it says "a document" instead
# (docs/adr/0005-content-of-one-object-on-another-page.md). The host's leaders, who may
# open them, see the names in their review's disclosure log.
CONTENT_DETAILS = {"file": "a document"}


def shown_details(event: AuditEvent) -> dict:
    """An event's details as the audit page shows them: named and valued in words
    (apps/core/audit_words.py), content replaced by what it is."""
    from .audit_words import detail_name, value_words

    return {detail_name(k): CONTENT_DETAILS.get(k, value_words(v))
            for k, v in (event.details or {}).items()}
