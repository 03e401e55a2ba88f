"""The core team's decision on a request, checked on a confirmation page before it is sent,
and reopening a request declined by mistake."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.forms import add_service_errors
from apps.partnerships.models import AlumniMembership

from .. import selectors, services
from ..access import get_membership_for_user
from ..forms import DecideForm
from ._common import me


def decide(request: HttpRequest, pk: Any) -> HttpResponse:
    membership = get_membership_for_user(request, pk, "alumni.manage",
                                         write_perm="alumni.manage")
    if membership.status != AlumniMembership.State.REQUESTED:
        messages.info(request, _("This request has already been decided or withdrawn."))
        return redirect("alumni:detail", pk=membership.pk)
    starts, ends = selectors.default_dates(membership)
    form = DecideForm(request.POST or None, initial={"starts_on": starts, "ends_on": ends})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        approve = d["decision"] == "approve"
        if request.POST.get("confirmed") == "yes":
            try:
                services.decide(membership, by=me(request), approve=approve,
                                starts_on=d["starts_on"], ends_on=d["ends_on"],
                                note=d["note"])
            except ValidationError as e:
                add_service_errors(form, e, "decision")
            else:
                messages.success(request, (
                    _("%(name)s is now in the alumni programme. The person who asked has been "
                      "told.") if approve else
                    _("Request from %(name)s declined. The person who asked has been told."))
                    % {"name": membership.applicant_name})
                return redirect("alumni:detail", pk=membership.pk)
        elif request.POST.get("change") != "yes":
            return render(request, "alumni/confirm_decision.html", {
                "m": membership, "form": form, "approve": approve, "d": d})
    return render(request, "alumni/decide.html", {"m": membership, "form": form})


@require_POST
def reopen(request: HttpRequest, pk: Any) -> HttpResponse:
    membership = get_membership_for_user(request, pk, write_perm="alumni.manage")
    try:
        services.reopen(membership, by=me(request))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The request is waiting for a decision again."))
    return redirect("alumni:detail", pk=membership.pk)
