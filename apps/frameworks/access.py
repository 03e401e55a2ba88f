"""Access helpers: outsiders 404, insiders without the right 403."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from apps.accounts.roles import school_ids_for
from apps.schools.models import School

from .models import Framework, FrameworkVersion, ShortlistItem

if TYPE_CHECKING:
    from apps.accounts.types import AnyUser

Status = FrameworkVersion.Status


def get_framework_for_user(user: AnyUser, slug: str) -> Framework:
    framework = Framework.objects.filter(slug=slug).first()
    if framework is None or not user.has_perm("frameworks.view_frameworks"):
        raise Http404("No such framework")
    # Retired versions stay readable: schools' shortlists and reviews point at them.
    readable = framework.versions.filter(status__in=[Status.PUBLISHED, Status.RETIRED])
    if not readable.exists() and not user.has_perm("frameworks.edit_frameworks"):
        raise Http404("No such framework")
    return framework


def get_version_for_user(user: AnyUser, slug: str, number: int, *,
                         edit: bool = False) -> FrameworkVersion:
    """A version: published and retired ones are readable when signed in; drafts and versions
    in review exist only for the core team. ``edit`` needs the core team (403)."""
    framework = get_framework_for_user(user, slug)
    version = framework.versions.filter(number=number).first()
    can_edit = user.has_perm("frameworks.edit_frameworks")
    if version is None or (version.status in FrameworkVersion.OPEN_STATUSES and not can_edit):
        raise Http404("No such version")
    if edit and not can_edit:
        raise PermissionDenied
    return version


def shortlist_schools(user: AnyUser) -> QuerySet[School]:
    """Schools whose shortlist this person may see."""
    return School.objects.filter(pk__in=school_ids_for(user)).order_by("name")


def get_shortlist_item_for_user(user: AnyUser, pk: int) -> ShortlistItem:
    item = ShortlistItem.objects.select_related("school", "question").filter(pk=pk).first()
    if item is None or not user.has_perm("frameworks.view_shortlist", item.school):
        raise Http404("No such shortlist entry")
    if not user.has_perm("frameworks.change_shortlist", item.school):
        raise PermissionDenied
    return item
