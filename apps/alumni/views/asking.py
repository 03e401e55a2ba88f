"""Asking to join, asking to renew, and withdrawing a request."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.core.forms import add_service_errors

from .. import selectors, services
from ..access import get_membership_for_user
from ..forms import RenewForm, RequestForm
from ._common import day, me

SENT = gettext_lazy("Request sent. The programme team will decide and you will be told; "
                    "you can withdraw it until then.")


def request_join(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("alumni.request"):
        raise PermissionDenied
    schools = list(selectors.requestable_schools(user))
    partnerships = list(selectors.requestable_partnerships(user))
    form = RequestForm(request.POST or None, schools=schools, partnerships=partnerships)
    if request.method == "POST" and (schools or partnerships) and form.is_valid():
        try:
            membership = services.request_membership(
                by=me(request), reason=form.cleaned_data["reason"], **form.chosen())
        except ValidationError as e:
            add_service_errors(form, e, "applicant")
        else:
            messages.success(request, SENT)
            return redirect("alumni:detail", pk=membership.pk)
    return render(request, "alumni/request.html", {
        "form": form, "eligible": bool(schools or partnerships)})


def renew(request: HttpRequest, pk: Any) -> HttpResponse:
    membership = get_membership_for_user(request, pk, "alumni.act_for_applicant")
    if not selectors.can_renew(membership):
        messages.info(request, _("This membership cannot be renewed now: renewals open "
                                 "%(days)s days before it ends, and one renewal may be asked "
                                 "for at a time.") % {"days": selectors.RENEWAL_WINDOW.days})
        return redirect("alumni:detail", pk=membership.pk)
    form = RenewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            renewal = services.request_renewal(membership, by=me(request),
                                               reason=form.cleaned_data["reason"])
        except ValidationError as e:
            add_service_errors(form, e, "reason")
        else:
            messages.success(request, SENT)
            return redirect("alumni:detail", pk=renewal.pk)
    return render(request, "alumni/form_page.html", {
        "form": form, "membership": membership,
        "heading": _("Renew %(name)s's alumni membership") % {"name": membership.applicant_name},
        "intro": _("The membership ends on %(day)s. The programme team decides on renewals and "
                   "sets the new dates.") % {"day": day(membership.ends_on)},
        "button": _("Send the renewal request"),
        "back": reverse("alumni:detail", args=[membership.pk])})


@require_POST
def withdraw(request: HttpRequest, pk: Any) -> HttpResponse:
    membership = get_membership_for_user(request, pk, write_perm="alumni.act_for_applicant")
    try:
        services.withdraw(membership, by=me(request))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Request withdrawn. You can ask again at any time."))
    return redirect("alumni:detail", pk=membership.pk)
