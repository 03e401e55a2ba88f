"""Access helpers: an item outside a person's audience does not exist for them (404)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .models import Resource
from .rules import resource_audiences

if TYPE_CHECKING:
    from apps.accounts.types import AnyUser


def visible_resources(user: AnyUser) -> QuerySet[Resource]:
    return Resource.objects.filter(audience__in=resource_audiences(user))


def get_resource_for_user(user: AnyUser, pk: int, *, manage: bool = False) -> Resource:
    resource = Resource.objects.filter(pk=pk).first()
    if resource is None or not user.has_perm("resources.view_resource", resource):
        raise Http404("No such resource")
    if manage and not user.has_perm("resources.manage_library"):
        raise PermissionDenied
    return resource
