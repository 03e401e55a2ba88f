"""The core team's list of requests and memberships (filtered, a page at a time), and
putting a membership's dates right or ending it early."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from apps.core.forms import add_service_errors
from apps.core.paging import page_of
from apps.partnerships.models import AlumniMembership

from .. import selectors, services
from ..access import get_membership_for_user
from ..forms import DatesForm, EndForm, FilterForm
from ._common import day, labelled, me

PER_PAGE = 25
State = AlumniMembership.State


def _shown(show: str) -> Q:
    today = timezone.localdate()
    return {
        "waiting": Q(status=State.REQUESTED),
        "current": Q(status=State.APPROVED, starts_on__lte=today, ends_on__gte=today),
        "due": selectors.renewal_due_q(today),
        "ended": Q(status=State.APPROVED, ends_on__lt=today),
        "declined": Q(status=State.DECLINED),
        "withdrawn": Q(status=State.WITHDRAWN),
    }.get(show, Q())


@require_safe
def memberships(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("alumni.manage"):
        raise PermissionDenied
    form = FilterForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {"show": "", "kind": "", "q": ""}
    qs = AlumniMembership.objects.filter(_shown(d["show"]))
    if d["kind"] == "school":
        qs = qs.filter(school__isnull=False)
    elif d["kind"] == "partnership":
        qs = qs.filter(partnership__isnull=False)
    if d["q"]:
        qs = qs.filter(Q(school__name__icontains=d["q"]) | Q(partnership__name__icontains=d["q"]))
    today = timezone.localdate()
    counts = AlumniMembership.objects.aggregate(
        waiting=Count("pk", filter=_shown("waiting")),
        current=Count("pk", filter=_shown("current")),
        due=Count("pk", filter=selectors.renewal_due_q(today)))
    paged = page_of(request, qs.select_related("school", "partnership")
                    .order_by("status", "ends_on", "-requested_at", "pk"), PER_PAGE)
    paged["page"].object_list = labelled(paged["page"].object_list)
    return render(request, "alumni/memberships.html", {
        "form": form, "counts": counts, "renewal_days": selectors.RENEWAL_WINDOW.days, **paged})


def _stale_or(form: Any, membership: AlumniMembership, e: ValidationError) -> None:
    if isinstance(e, services.StaleEdit):
        form.add_error(None, e.messages[0])
        form.data = form.data.copy()
        form.data.update({"starts_on": membership.starts_on, "ends_on": membership.ends_on,
                          "version": membership.lock_version})
    else:
        add_service_errors(form, e)


def change_dates(request: HttpRequest, pk: Any) -> HttpResponse:
    membership = get_membership_for_user(request, pk, "alumni.manage",
                                         write_perm="alumni.manage")
    if membership.status != State.APPROVED:
        messages.info(request, _("Only an approved membership has dates to change."))
        return redirect("alumni:detail", pk=membership.pk)
    form = DatesForm(request.POST or None, initial={
        "starts_on": membership.starts_on, "ends_on": membership.ends_on,
        "version": membership.lock_version})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.change_dates(membership, by=me(request), starts_on=d["starts_on"],
                                  ends_on=d["ends_on"], expected_version=d["version"])
        except ValidationError as e:
            membership.refresh_from_db()
            _stale_or(form, membership, e)
        else:
            messages.success(request, _("Membership dates changed."))
            return redirect("alumni:detail", pk=membership.pk)
    return render(request, "alumni/form_page.html", {
        "form": form, "membership": membership,
        "heading": _("Change the dates of %(name)s's alumni membership")
        % {"name": membership.applicant_name},
        "button": _("Save the dates"), "back": reverse("alumni:detail", args=[membership.pk])})


def end(request: HttpRequest, pk: Any) -> HttpResponse:
    membership = get_membership_for_user(request, pk, "alumni.manage",
                                         write_perm="alumni.manage")
    if membership.status != State.APPROVED:
        messages.info(request, _("Only an approved membership can be ended."))
        return redirect("alumni:detail", pk=membership.pk)
    form = EndForm(request.POST or None, initial={
        "on": timezone.localdate(), "version": membership.lock_version})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.end_membership(membership, by=me(request), on=d["on"], note=d["note"],
                                    expected_version=d["version"])
        except ValidationError as e:
            membership.refresh_from_db()
            if isinstance(e, services.StaleEdit):
                form.add_error(None, e.messages[0])
            else:
                add_service_errors(form, e, "on")
        else:
            messages.success(request, _("Membership ended: its last day is %(day)s. You can "
                                        "change its dates to undo this.")
                             % {"day": date_format(d["on"], "j F Y")})
            return redirect("alumni:detail", pk=membership.pk)
    return render(request, "alumni/form_page.html", {
        "form": form, "membership": membership, "warning": True,
        "heading": _("End %(name)s's alumni membership early")
        % {"name": membership.applicant_name},
        "intro": _("It runs from %(start)s to %(end)s. Its people keep their training record "
                   "either way; after the last day the membership no longer gives alumni "
                   "access.") % {"start": day(membership.starts_on),
                                 "end": day(membership.ends_on)},
        "button": _("End the membership"), "back": reverse("alumni:detail", args=[membership.pk])})
