"""Safeguarding concerns: raising one on a review, and the record itself."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from apps.core import audit
from apps.core.access import require_write

from .. import services
from ..access import get_concern_for_user, get_review_for_user
from ..forms import ConcernForm
from ._common import _review_context


def safeguarding(request, pk):
    review = get_review_for_user(request.user, pk, "reviews.raise_safeguarding")
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.raise_concern(review, by=request.user, **form.cleaned_data)
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


def safeguarding_detail(request, concern_id):
    concern = get_concern_for_user(request.user, concern_id)
    require_write(request, "reviews.acknowledge_safeguarding_concern", concern)
    if request.method == "POST":
        services.acknowledge_concern(concern, by=request.user)
        messages.success(request, gettext("Marked as seen."))
        return redirect("reviews:safeguarding_detail", concern_id=concern.pk)
    # Audited on the concern itself, so the host's disclosure log does not reveal a record
    # about the headteacher.
    audit.record("safeguarding.viewed", actor=request.user, obj=concern)
    return render(request, "reviews/safeguarding_detail.html", {"concern": concern})
