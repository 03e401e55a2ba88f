"""Access helpers: an item outside a person's audience does not exist for them (404)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.core.policy import resource_audiences

from .models import Resource


def visible_resources(user):
    return Resource.objects.filter(audience__in=resource_audiences(user))


def get_resource_for_user(user, pk: int, *, manage: bool = False) -> Resource:
    resource = Resource.objects.filter(pk=pk).first()
    if resource is None or not user.has_perm("resources.view_resource", resource):
        raise Http404("No such resource")
    if manage and not user.has_perm("resources.manage_library"):
        raise PermissionDenied
    return resource
