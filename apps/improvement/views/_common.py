"""Helpers shared by the improvement pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from apps.reviews import language
from apps.reviews.presenters import review_navigation

DUE_SOON_DAYS = 14


def _errors(form, error: ValidationError):
    for m in error.messages:
        form.add_error(None, m)


def _context(request, review, section, **extra):
    return {**review_navigation(request, review, section),
            "judgement_map": language.as_json(), **extra}


def support_given(user, actions) -> dict[int, list]:
    """Support delivered for these actions, by action, that this person may see (a match is
    seen by the two schools and the partnership lead who brokered it, not by everyone who
    reads the plan). Read through the actions' relations, so this app imports no support
    code."""
    given: dict[int, list] = {}
    for action in actions:
        for r in action.support_requests.all():
            for m in r.matches.all():
                if m.status == "delivered" and user.has_perm("support.view_match", m):
                    given.setdefault(action.pk, []).append(m)
    return given
