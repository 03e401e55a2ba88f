"""Fetching a request or membership for a person: 404 for those who may not know it exists,
403 for those who may see it but not do this (a write's permission is checked here too)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from apps.core.access import require_write
from apps.core.converters import is_id
from apps.partnerships.models import AlumniMembership


def get_membership_for_user(request: HttpRequest, pk: Any, perm: str | None = None, *,
                            write_perm: str | None = None) -> AlumniMembership:
    membership = (AlumniMembership.objects.select_related(
        "school", "partnership", "requested_by", "decided_by", "renewal_of")
        .filter(pk=pk).first()) if is_id(pk) else None
    user = request.user
    if membership is None or not user.has_perm("alumni.view_request", membership):
        raise Http404("No such request")
    if perm and not user.has_perm(perm, membership):
        raise PermissionDenied
    require_write(request, write_perm, membership)
    return membership
