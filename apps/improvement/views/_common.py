"""Helpers shared by the improvement pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest

from apps.core.forms import add_service_errors
from apps.reviews import language
from apps.reviews.models import Review
from apps.reviews.presenters import review_navigation

from ..models import Action

if TYPE_CHECKING:
    from apps.accounts.types import AnyUser


def _errors(form: Form, error: ValidationError) -> None:
    add_service_errors(form, error)


def _context(request: HttpRequest, review: Review, section: str, **extra: Any) -> dict[str, Any]:
    return {**review_navigation(request, review, section),
            "judgement_map": language.as_json(), **extra}


def support_given(user: AnyUser, actions: Iterable[Action]) -> dict[int, list[Any]]:
    """Support delivered for these actions, by action, that this person may see (a match is
    seen by the two schools and the partnership lead who brokered it, not by everyone who
    reads the plan). Read through the actions' relations, so this app imports no support
    code."""
    given: dict[int, list] = {}
    for action in actions:
        for r in action.support_requests.all():
            for m in r.matches.all():
                # The match's own choices: improvement sits below support and imports none of it.
                if m.status == type(m).State.DELIVERED and user.has_perm("support.view_match", m):
                    given.setdefault(action.pk, []).append(m)
    return given
