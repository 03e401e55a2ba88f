"""Writes to the resources library."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from apps.core import audit

from .models import RESOURCE_INDEX, LibraryVisit, Resource, ResourceFile

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.accounts.types import AnyUser

# How many people an audience reaches, to tell a widening from a narrowing.
AUDIENCE_REACH = {"core": 1, "alumni": 2, "programme": 3, "public": 4}

META_FIELDS = ("title", "summary", "kind", "audience", "for_roles", "for_phases", "themes",
               "url", "version_label", "published_on")


@transaction.atomic
def create_resource(*, by: User, upload: tuple[str, str, bytes] | None = None, note: str = "",
                    **meta: Any) -> Resource:
    """``upload`` is (filename, content type, bytes) for a file or template."""
    resource = Resource.objects.create(created_by=by, changed_at=timezone.now(),
                                       **{k: meta[k] for k in META_FIELDS if k in meta})
    if upload:
        _add_file(resource, upload, note or "First version", by)
    RESOURCE_INDEX.update([resource])
    audit.record("resource.created", actor=by, obj=resource, audience=resource.audience)
    return resource


@transaction.atomic
def update_resource(resource: Resource, *, by: User, **meta: Any) -> Resource:
    before_audience = resource.audience
    changed = [k for k in META_FIELDS if k in meta and getattr(resource, k) != meta[k]]
    for k in changed:
        setattr(resource, k, meta[k])
    # Changed content, or an item newly opened to more people, shows as new to them.
    widened = "audience" in changed and AUDIENCE_REACH[resource.audience] > AUDIENCE_REACH.get(
        before_audience, 0)
    if {"title", "summary", "url"} & set(changed) or widened:
        resource.changed_at = timezone.now()
    resource.save()
    RESOURCE_INDEX.update([resource])
    if changed:
        audit.record("resource.edited", actor=by, obj=resource, fields=changed)
    return resource


@transaction.atomic
def replace_file(resource: Resource, upload: tuple[str, str, bytes], *, note: str, by: User,
                 version_label: str = "") -> ResourceFile:
    """A new version of the file; earlier versions stay downloadable."""
    version = _add_file(resource, upload, note, by)
    resource.changed_at = timezone.now()
    if version_label:
        resource.version_label = version_label
    resource.save(update_fields=["changed_at", "version_label"])
    audit.record("resource.file_replaced", actor=by, obj=resource, version=version.number)
    return version


def _add_file(resource: Resource, upload: tuple[str, str, bytes], note: str,
              by: User) -> ResourceFile:
    filename, content_type, content = upload
    number = (resource.files.aggregate(n=Max("number"))["n"] or 0) + 1
    from django.core.files.base import ContentFile

    return ResourceFile.objects.create(resource=resource, number=number, filename=filename,
                                       content_type=content_type, size_bytes=len(content),
                                       file=ContentFile(bytes(content), name=filename),
                                       note=note, uploaded_by=by)


def record_download(resource: Resource, file: ResourceFile | None = None) -> None:
    Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)
    if file is not None:
        ResourceFile.objects.filter(pk=file.pk).update(download_count=F("download_count") + 1)


VISIT_GAP = timedelta(minutes=30)


def library_visit(user: AnyUser) -> datetime | None:
    """Note this visit and return the time of the previous one (None on a first visit).

    Looks within half an hour of each other are one visit, so "new" labels stay while the
    person browses and clear on their next visit."""
    if not user.is_authenticated:
        return None
    now = timezone.now()
    visit, created = LibraryVisit.objects.get_or_create(user=user,
                                                        defaults={"last_seen_at": now})
    if created:
        return None
    if now - visit.last_seen_at > VISIT_GAP:
        visit.previous_visit_at = visit.last_seen_at
    visit.last_seen_at = now
    visit.save(update_fields=["previous_visit_at", "last_seen_at"])
    return visit.previous_visit_at
