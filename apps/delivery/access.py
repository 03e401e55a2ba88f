"""Fetching a delivery partner, an attachment or an activity for a person: 404 for those who
may not know it exists, 403 for those who may see it but not do this (a write's permission
is checked here too)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from apps.core.access import require_write
from apps.core.converters import is_id
from apps.partnerships.models import DeliveryActivity, DeliveryAttachment, DeliveryPartner


def get_delivery_partner(request: HttpRequest, pk: Any, perm: str | None = None, *,
                         write_perm: str | None = None) -> DeliveryPartner:
    dp = (DeliveryPartner.objects.select_related("person", "nominated_by", "decided_by")
          .filter(pk=pk).first()) if is_id(pk) else None
    user = request.user
    if dp is None or not user.has_perm("delivery.view", dp):
        raise Http404("No such delivery partner")
    if perm and not user.has_perm(perm, dp):
        raise PermissionDenied
    require_write(request, write_perm, dp)
    return dp


def get_attachment(request: HttpRequest, pk: Any, perm: str | None = None, *,
                   write_perm: str | None = None) -> DeliveryAttachment:
    att = (DeliveryAttachment.objects.select_related(
        "partnership", "delivery_partner__person").filter(pk=pk).first()) if is_id(pk) else None
    user = request.user
    if att is None or not user.has_perm("delivery.view_attachment", att):
        raise Http404("No such attachment")
    if perm and not user.has_perm(perm, att):
        raise PermissionDenied
    require_write(request, write_perm, att)
    return att


def get_activity(request: HttpRequest, pk: Any, *, write_perm: str) -> DeliveryActivity:
    activity = (DeliveryActivity.objects.select_related(
        "attachment__partnership", "attachment__delivery_partner")
        .filter(pk=pk).first()) if is_id(pk) else None
    user = request.user
    if activity is None or not user.has_perm("delivery.view_attachment", activity.attachment):
        raise Http404("No such activity")
    require_write(request, write_perm, activity)
    return activity
