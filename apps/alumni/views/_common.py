from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format

from apps.accounts.models import User
from apps.partnerships.models import AlumniMembership

from ..presenters import state_label


def labelled(memberships: Any) -> list[AlumniMembership]:
    """Each with ``label`` and ``colour`` for its tag."""
    today = timezone.localdate()
    rows = list(memberships)
    for m in rows:
        m.label, m.colour = state_label(m, today)  # type: ignore[attr-defined]
    return rows


def me(request: HttpRequest) -> User:
    """The person signed in (every page here needs sign-in)."""
    return cast(User, request.user)


def day(value: date | None) -> str:
    """A date as words in the page's language ("7 Rhagfyr 2026" in Welsh)."""
    return date_format(value, "j F Y") if value else ""
