"""What requests and memberships are called on screen."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from apps.partnerships.models import AlumniMembership


def state_label(m: AlumniMembership, today: date) -> tuple[Any, str]:
    """What to call a request or membership on screen, with its tag colour."""
    if m.status == AlumniMembership.State.APPROVED:
        assert m.starts_on is not None and m.ends_on is not None
        if m.ends_on < today:
            return _("Ended"), "grey"
        if m.starts_on > today:
            return _("Starts later"), "blue"
        return _("Member"), "green"
    colours: dict[str, str] = {AlumniMembership.State.REQUESTED: "yellow",
                               AlumniMembership.State.DECLINED: "red"}
    colour = colours.get(m.status, "grey")
    return m.get_status_display(), colour
