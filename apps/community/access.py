"""Access helpers: one per object type. People who do not take part in the community (signed
in, but at no programme school or partnership) get 403 everywhere in it; for people who do,
a thread hidden from them, an unlisted profile or a post they may not read does not exist
(404); one they may see but not change this way is 403."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from apps.core.access import require_write
from apps.partnerships.models import Partnership
from apps.schools.models import School

from .models import Post, Profile, Space, Thread

if TYPE_CHECKING:
    from apps.accounts.types import AnyUser


def require_taking_part(user: AnyUser) -> None:
    if not user.has_perm("community.take_part"):
        raise PermissionDenied


def get_space(request: HttpRequest, slug: str) -> Space:
    require_taking_part(request.user)
    space = Space.objects.filter(slug=slug).first()
    if space is None:
        raise Http404("No such space")
    return space


def get_thread(request: HttpRequest, pk: int, write: str | None = None) -> Thread:
    """The thread, if this person may see it; for a write, ``write`` on it too."""
    require_taking_part(request.user)
    thread = Thread.objects.select_related("space", "created_by").filter(pk=pk).first()
    if thread is None or not request.user.has_perm("community.view_thread", thread):
        raise Http404("No such thread")
    require_write(request, write, thread)
    return thread


def may_read(user: AnyUser, post: Post) -> bool:
    return not post.is_hidden or user.has_perm("community.read_hidden_post", post)


def get_post(user: AnyUser, pk: int, perm: str | None = None) -> Post:
    """A post this person may read (in a thread they may see), and ``perm`` on it (403)."""
    require_taking_part(user)
    post = (Post.objects.select_related("thread__space", "author", "hidden_by")
            .filter(pk=pk).first())
    if post is None or not user.has_perm("community.view_thread", post.thread) \
            or not may_read(user, post):
        raise Http404("No such post")
    if perm and not user.has_perm(perm, post):
        raise PermissionDenied
    return post


def get_listed_profile(user: AnyUser, pk: int) -> Profile:
    require_taking_part(user)
    profile = Profile.objects.select_related("school", "partnership").filter(
        pk=pk, listed=True).first()
    if profile is None:
        raise Http404("No such entry")
    return profile


def get_school_to_edit(user: AnyUser, pk: int) -> School:
    """A school's own entry: its leaders write it; others who take part get 403."""
    require_taking_part(user)
    school = School.objects.filter(pk=pk).first()
    if school is None:
        raise Http404("No such school")
    if not user.has_perm("community.edit_school_profile", school):
        raise PermissionDenied
    return school


def get_partnership_to_edit(user: AnyUser, slug: str) -> Partnership:
    """A partnership's own entry: its lead writes it; its members get 403, others 404."""
    require_taking_part(user)
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None or not user.has_perm("partnerships.view_partnership", partnership):
        raise Http404("No such partnership")
    if not user.has_perm("community.edit_partnership_profile", partnership):
        raise PermissionDenied
    return partnership
