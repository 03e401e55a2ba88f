"""Safeguarding concerns: raising one on a review, the list of those a person may read, and
the record itself (marking it as seen, recording what was done, reopening it)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from apps.accounts.models import User
from apps.core import audit
from apps.core.access import require_write
from apps.core.paging import page_of

from .. import selectors, services
from ..access import get_concern_for_user, get_review_for_user
from ..forms import ConcernForm, ConcernOutcomeForm
from ._common import _conflict_message, _errors_to_form, _review_context


def safeguarding(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for_user(request.user, pk, "reviews.raise_safeguarding")
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.raise_concern(review, by=_me(request), **form.cleaned_data)
        if form.cleaned_data["about_headteacher"] and not services.safeguarding_officers():
            messages.warning(request,
                gettext("The concern is recorded, but no programme safeguarding "
                                      "officer is set up to read it yet; the programme team has "
                                      "been asked to appoint one. If a child may be at risk, "
                                      "contact the local authority designated officer (LADO) "
                                      "now."))
        else:
            messages.success(request,
                gettext("The concern has been recorded and passed on. It is not "
                                      "part of the review notes or report."))
        return redirect("reviews:detail", pk=review.pk)
    return render(request, "reviews/safeguarding.html", _review_context(
        request, review, "overview", form=form))


PAGE_SIZE = 25  # concerns in each list of the list page


def _me(request: HttpRequest) -> User:
    """The signed-in person (pages here are only for people signed in)."""
    return cast(User, request.user)


@require_safe
def safeguarding_list(request: HttpRequest) -> HttpResponse:
    """The concerns this person may read: those not seen yet, then those seen (open or
    closed), newest first, each list a page at a time."""
    if not request.user.has_perm("reviews.list_safeguarding_concerns"):
        raise PermissionDenied
    concerns = selectors.readable_concerns(request.user).select_related(
        "review__host", "raised_by").order_by("-raised_at", "-pk")
    waiting = page_of(request, concerns.filter(acknowledged_at__isnull=True), PAGE_SIZE,
                      param="new")
    today = timezone.localdate()
    for concern in waiting["page"]:
        concern.days_unseen = selectors.working_days_unseen(concern, today)
        concern.overdue = selectors.concern_is_overdue(concern, today)
    seen = page_of(request, concerns.filter(acknowledged_at__isnull=False), PAGE_SIZE,
                   param="seen")
    return render(request, "reviews/safeguarding_list.html",
                  {"waiting": waiting, "seen": seen})


def safeguarding_detail(request: HttpRequest, concern_id: int) -> HttpResponse:
    concern = get_concern_for_user(request.user, concern_id)
    require_write(request, "reviews.acknowledge_safeguarding_concern", concern)
    if request.method == "POST":
        already = concern.acknowledged_at is not None
        told = services.acknowledge_concern(concern, by=_me(request))
        if already:
            messages.info(request, gettext("This concern was already marked as seen."))
        else:
            day = date_format(timezone.localtime(concern.acknowledged_at), "l j F Y")
            text = gettext("You marked this concern as seen on %(day)s.") % {"day": day}
            if told:
                raiser = cast(User, concern.raised_by)  # told: so there is one
                text += " " + gettext("%(name)s has been told.") % {
                    "name": raiser.display_name}
            messages.success(request, text)
        return redirect("reviews:safeguarding_detail", concern_id=concern.pk)
    # Audited on the concern itself, so the host's disclosure log does not reveal a record
    # about the headteacher.
    audit.record("safeguarding.viewed", actor=request.user, obj=concern)
    return render(request, "reviews/safeguarding_detail.html", {
        "concern": concern, "overdue": selectors.concern_is_overdue(concern),
        "days_unseen": selectors.working_days_unseen(concern)})


def safeguarding_outcome(request: HttpRequest, concern_id: int) -> HttpResponse:
    """Record what was done about the concern, or correct it; saving closes the concern."""
    concern = get_concern_for_user(request.user, concern_id)
    require_write(request, "reviews.record_safeguarding_outcome", concern)
    form = ConcernOutcomeForm(request.POST or None, initial={
        "outcome": concern.outcome, "lock_version": concern.lock_version})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_concern_outcome(
                concern, by=_me(request), outcome=form.cleaned_data["outcome"],
                expected_version=form.cleaned_data["lock_version"],
                base=form.cleaned_data["base"])
        except services.EditConflict as e:
            form.add_error(None, _conflict_message("what was done")(e.current))
            form.show_conflict(e.current)
        except ValidationError as e:
            _errors_to_form(form, e)
        else:
            messages.success(request, gettext(
                "You recorded what was done. The concern is closed; you can change what you "
                "recorded or reopen the concern from this page."))
            return redirect("reviews:safeguarding_detail", concern_id=concern.pk)
    return render(request, "reviews/safeguarding_outcome.html",
                  {"concern": concern, "form": form})


@require_POST
def safeguarding_reopen(request: HttpRequest, concern_id: int) -> HttpResponse:
    concern = get_concern_for_user(request.user, concern_id)
    require_write(request, "reviews.record_safeguarding_outcome", concern)
    services.reopen_concern(concern, by=_me(request))
    messages.success(request, gettext(
        "The concern is open again. Record what was done when you have acted on it."))
    return redirect("reviews:safeguarding_detail", concern_id=concern.pk)
