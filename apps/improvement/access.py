"""Access helpers for the plan: 404 for people with no standing on the review, 403 for those
who may know the review exists but not see or do this."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from apps.accounts.roles import school_ids_for
from apps.core.access import require_write
from apps.core.converters import is_id
from apps.reviews.access import get_review_for_request, get_review_for_user

from .models import Action, ActionFile, PlanExport

if TYPE_CHECKING:
    from apps.accounts.types import AnyUser


def get_action_for_user(user: AnyUser, pk: int, perm: str | None = None) -> Action:
    action = Action.objects.select_related("review__host", "review__cycle", "owner").filter(
        pk=pk).first() if is_id(pk) else None
    # An owner sees their action as someone at the host school (``view_plan``); someone whose
    # role there has ended no longer sees the actions they owned (docs/improvement.md).
    if action is None or not user.has_perm("reviews.view_review", action.review):
        raise Http404("No such action")
    if not user.has_perm("improvement.view_plan", action.review):
        raise PermissionDenied
    if perm and not user.has_perm(perm, action if perm == "improvement.update_action"
                                  else action.review):
        raise PermissionDenied
    return action


def get_action_for_request(request: HttpRequest, pk: int, perm: str | None = None, *,
                           write: str | None = None) -> Action:
    """The action for this request; a write (POST) also needs ``write`` on the action."""
    action = get_action_for_user(request.user, pk, perm)
    require_write(request, write, action)
    return action


def owned_actions(user: AnyUser) -> QuerySet[Action]:
    """The actions this person owns at a school where they still hold a role."""
    return Action.objects.filter(owner_id=user.pk, review__host_id__in=school_ids_for(user))


def get_action_file_for_user(user: AnyUser, pk: int) -> ActionFile:
    f = ActionFile.objects.select_related("update__action").filter(pk=pk).first()
    if f is None:
        raise Http404("No such file")
    get_action_for_user(user, f.update.action_id)
    return f


def get_export_for_user(user: AnyUser, review_pk: int, pk: int) -> PlanExport:
    review = get_review_for_user(user, review_pk, "improvement.view_plan")
    export = review.plan_exports.filter(pk=pk).first()
    if export is None:
        raise Http404("No such export")
    return export


__all__ = ["get_review_for_user", "get_review_for_request", "get_action_for_user",
           "get_action_for_request", "owned_actions", "get_action_file_for_user",
           "get_export_for_user"]
