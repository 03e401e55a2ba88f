"""Helpers shared by the review pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest

from apps.core.forms import add_service_errors

from .. import language, services
from ..models import Review
from ..presenters import review_navigation


def _errors_to_form(form: Form, error: ValidationError, field: str | None = None) -> None:
    add_service_errors(form, error, field)


def _review_context(request: HttpRequest, review: Review, section: str,
                    **extra: Any) -> dict[str, Any]:
    return {**review_navigation(request, review, section),
            "judgement_map": language.as_json(), **extra}


def _remove_and_say(request, file) -> None:
    try:
        services.remove_file(file, by=request.user)
        messages.success(request, f"{file.filename} removed.")
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))


def _warn_language(request, warnings):
    if warnings:
        words = "; ".join(f"“{w}”: {s}" for w, s in warnings)
        messages.warning(request, "Saved, but some words sound like inspection grades. Peer "
                                  f"review describes and asks. Consider: {words}.")


def _conflict_message(what: str):
    """The message above a section someone else saved first (``forms.save_sections``)."""
    def message(current) -> str:
        by = getattr(current, "updated_by", None)
        who = by.display_name if by else "Someone else"
        return (f"{who} saved {what} while you were editing, so your changes were not saved. "
                "Your text is still in the boxes and theirs is shown beside it: combine them "
                "and save again")
    return message
