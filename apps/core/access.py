"""The write half of every access check, shared by the apps' access helpers.

A page that shows a form and takes it back on the same URL needs two permissions: one to
read it and one to write through it. The access helpers take both, so the write permission
is checked where the object is fetched (and reached by the permission matrix's POST rows),
never as an ``if`` inside a view's POST branch.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def is_write(request: HttpRequest) -> bool:
    return request.method in WRITE_METHODS


def require_write(request: HttpRequest, perm: str | None, obj: Model | None = None) -> None:
    """For a write, ``perm`` on ``obj`` (403 without it); reads pass untouched."""
    if perm and is_write(request) and not request.user.has_perm(perm, obj):
        raise PermissionDenied
