"""Sharing the agreed report, and the log of who read what."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from apps.core.converters import parse_id

from .. import disclosures, services
from ..access import get_child_for_user, get_review_for_request
from ..forms import ShareForm
from ..models import Report, ReportShare
from ._common import _errors_to_form, _review_context


def sharing(request, pk):
    review = get_review_for_request(request, pk, "reviews.view_disclosures",
                                    write="reviews.share_report")
    can_share = request.user.has_perm("reviews.share_report", review)
    form = ShareForm(request.POST or None)
    if request.method == "POST":
        withdraw = parse_id(request.POST.get("withdraw"))
        if withdraw:
            share = get_child_for_user(request.user, ReportShare, withdraw, review)
            services.withdraw_share(share, by=request.user)
            messages.success(request, gettext("Sharing withdrawn."))
            return redirect("reviews:sharing", pk=review.pk)
        if form.is_valid():
            try:
                services.share_report(review, form.cleaned_data["audience"], by=request.user)
            except ValidationError as e:
                _errors_to_form(form, e)
            else:
                messages.success(request, gettext("The agreed report is shared."))
                return redirect("reviews:sharing", pk=review.pk)
    who = request.GET.get("who", "")
    what = request.GET.get("what", "")
    who, what = (who if who in disclosures.WHO else ""), (what if what in disclosures.WHAT
                                                          else "")
    page = disclosures.history(review, who=who, what=what, page=request.GET.get("page", 1))
    query = urlencode({k: v for k, v in (("who", who), ("what", what)) if v})
    return render(request, "reviews/sharing.html", _review_context(
        request, review, "sharing", form=form, can_share=can_share, page=page, query=query,
        who=who, what=what, who_choices=disclosures.WHO.items(),
        what_choices=[(k, label) for k, (label, _) in disclosures.WHAT.items()],
        shares=review.shares.select_related("shared_by", "withdrawn_by"),
        has_agreed=review.reports.filter(status=Report.State.AGREED).exists()))
