"""One access helper per object type. Outsiders get 404; insiders without the right, 403."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Partnership

if TYPE_CHECKING:
    from apps.accounts.types import AnyUser


def get_partnership_for_user(user: AnyUser, slug: str, perm: str | None = None) -> Partnership:
    """The partnership if the person may see it (else 404); if ``perm`` is given and the
    person lacks it, 403."""
    partnership = Partnership.objects.filter(slug=slug).select_related("organisation").first()
    if partnership is None or not user.has_perm("partnerships.view_partnership", partnership):
        raise Http404("No such partnership")
    if perm and not user.has_perm(perm, partnership):
        raise PermissionDenied
    return partnership
