"""Delivery partners' pages: the list, nominating someone (with the evidence), one delivery
partner, the core team's decision (checked on a confirmation page), dates and ending, and
attachments to partnerships with what was delivered under them."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from apps.accounts.models import User
from apps.core.converters import is_id
from apps.core.forms import add_service_errors
from apps.core.paging import page_of
from apps.partnerships.models import DeliveryAttachment, DeliveryPartner

from . import selectors, services
from .access import get_activity, get_attachment, get_delivery_partner
from .forms import (
    ActivityForm,
    AttachmentForm,
    DatesForm,
    DecideForm,
    EndForm,
    FindForm,
    NominateForm,
    ShowForm,
)

PER_PAGE = 25
State = DeliveryPartner.State


def me(request: HttpRequest) -> User:
    return cast(User, request.user)


def _shown(show: str) -> Q:
    today = timezone.localdate()
    return {
        "waiting": Q(status=State.NOMINATED),
        "current": Q(status=State.APPROVED, ends_on__gte=today),
        "ended": Q(status=State.APPROVED, ends_on__lt=today),
        "declined": Q(status=State.DECLINED),
        "withdrawn": Q(status=State.WITHDRAWN),
    }.get(show, Q())


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("delivery.view_index"):
        raise PermissionDenied
    form = ShowForm(request.GET or None)
    show = form.cleaned_data["show"] if form.is_valid() else ""
    visible = selectors.visible_delivery_partners(user)
    counts = visible.aggregate(waiting=Count("pk", filter=_shown("waiting")),
                               current=Count("pk", filter=_shown("current")))
    paged = page_of(request, visible.filter(_shown(show))
                    .order_by("status", "person__full_name", "-nominated_at", "pk"), PER_PAGE)
    paged["page"].object_list = selectors.labelled(paged["page"].object_list)
    return render(request, "delivery/index.html", {
        "form": form, "counts": counts,
        "can_nominate": user.has_perm("delivery.nominate"),
        "manages": user.has_perm("delivery.manage"), **paged})


@require_safe
def nominate(request: HttpRequest) -> HttpResponse:
    """Find the person to nominate: the headteachers and school leaders the person may
    nominate (an associate's partnerships' schools; any school for the core team)."""
    if not request.user.has_perm("delivery.nominate"):
        raise PermissionDenied
    form = FindForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    roles = selectors.nominable_roles(request.user).select_related("user", "school")
    if q:
        roles = roles.filter(user__full_name__icontains=q)
    paged = page_of(request, roles.order_by("user__full_name", "user_id", "school__name"),
                    PER_PAGE)
    return render(request, "delivery/nominate.html", {
        "form": form, "q": q, "today": timezone.localdate(), **paged})


def nominate_person(request: HttpRequest, user_id: Any) -> HttpResponse:
    if not request.user.has_perm("delivery.nominate"):
        raise PermissionDenied
    person = selectors.nominable_person(request.user, user_id) if is_id(user_id) else None
    if person is None:
        raise Http404("No such person")
    form = NominateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dp = services.nominate(person, by=me(request), reason=form.cleaned_data["reason"])
        except ValidationError as e:
            add_service_errors(form, e, "reason")
        else:
            messages.success(request, _("%(name)s is nominated. The core team will decide, "
                                        "and they have been told.")
                             % {"name": person.display_name})
            return redirect("delivery:detail", pk=dp.pk)
    return render(request, "delivery/nominate_person.html", {
        "person": person, "form": form, "evidence": selectors.evidence_for(person)})


@require_safe
def detail(request: HttpRequest, pk: Any) -> HttpResponse:
    dp = selectors.labelled([get_delivery_partner(request, pk)])[0]
    user = request.user
    manages = user.has_perm("delivery.manage")
    waiting = dp.status == State.NOMINATED
    approved_live = dp.status == State.APPROVED and not dp.has_ended
    attachments = selectors.labelled_attachments(
        selectors.visible_attachments(user, dp).annotate(activity_count=Count("activities")))
    return render(request, "delivery/detail.html", {
        "dp": dp, "manages": manages, "evidence": selectors.evidence_for(dp.person),
        "can_decide": manages and waiting,
        "can_withdraw": waiting and user.has_perm("delivery.withdraw", dp),
        "can_reopen": manages and dp.status == State.DECLINED,
        "can_change_dates": manages and dp.status == State.APPROVED,
        "can_end": manages and approved_live,
        "can_attach": approved_live and user.has_perm("delivery.attach")
        and selectors.attachable_partnerships(user).exists(),
        "attachments": attachments})


@require_POST
def withdraw(request: HttpRequest, pk: Any) -> HttpResponse:
    dp = get_delivery_partner(request, pk, write_perm="delivery.withdraw")
    try:
        services.withdraw(dp, by=me(request))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The nomination is withdrawn."))
    return redirect("delivery:detail", pk=dp.pk)


def decide(request: HttpRequest, pk: Any) -> HttpResponse:
    dp = get_delivery_partner(request, pk, "delivery.manage", write_perm="delivery.manage")
    if dp.status != State.NOMINATED:
        messages.info(request, _("This nomination has already been decided or withdrawn."))
        return redirect("delivery:detail", pk=dp.pk)
    today = timezone.localdate()
    # By default two school years: to the end of August the year after next.
    form = DecideForm(request.POST or None, initial={
        "starts_on": today, "ends_on": date(today.year + (2 if today.month >= 9 else 1), 8, 31)})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        approve = d["decision"] == "approve"
        if request.POST.get("confirmed") == "yes":
            try:
                services.decide(dp, by=me(request), approve=approve, starts_on=d["starts_on"],
                                ends_on=d["ends_on"], note=d["note"])
            except ValidationError as e:
                add_service_errors(form, e, "decision")
            else:
                messages.success(request, (
                    _("%(name)s is now a delivery partner. They and the associate who "
                      "nominated them have been told.") if approve
                    else _("The nomination of %(name)s is declined. They and the associate "
                           "who nominated them have been told."))
                    % {"name": dp.person.display_name})
                return redirect("delivery:detail", pk=dp.pk)
        elif request.POST.get("change") != "yes":
            return render(request, "delivery/confirm_decision.html", {
                "dp": dp, "form": form, "approve": approve, "d": d})
    return render(request, "delivery/decide.html", {
        "dp": dp, "form": form, "evidence": selectors.evidence_for(dp.person)})


@require_POST
def reopen(request: HttpRequest, pk: Any) -> HttpResponse:
    dp = get_delivery_partner(request, pk, write_perm="delivery.manage")
    try:
        services.reopen(dp, by=me(request))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The nomination is waiting for a decision again."))
    return redirect("delivery:detail", pk=dp.pk)


def _stale_or(form: Any, e: ValidationError, saved: dict[str, Any]) -> None:
    if isinstance(e, services.StaleEdit):
        form.add_error(None, e.messages[0])
        form.data = form.data.copy()
        form.data.update(saved)
    else:
        add_service_errors(form, e)


def _form_page(request: HttpRequest, form: Any, *, heading: str, button: str, back: str,
               back_label: str, intro: str = "", warning: bool = False) -> HttpResponse:
    return render(request, "forms/form_page.html", {
        "form": form, "heading": heading, "button": button, "back": back,
        "back_label": back_label, "intro": intro, "warning": warning})


def change_dates(request: HttpRequest, pk: Any) -> HttpResponse:
    dp = get_delivery_partner(request, pk, "delivery.manage", write_perm="delivery.manage")
    back = reverse("delivery:detail", args=[dp.pk])
    if dp.status != State.APPROVED:
        messages.info(request, _("Only an approved delivery partner has dates to change."))
        return redirect("delivery:detail", pk=dp.pk)
    form = DatesForm(request.POST or None, initial={
        "starts_on": dp.starts_on, "ends_on": dp.ends_on, "version": dp.lock_version})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.change_dates(dp, by=me(request), starts_on=d["starts_on"],
                                  ends_on=d["ends_on"], expected_version=d["version"])
        except ValidationError as e:
            fresh = DeliveryPartner.objects.get(pk=dp.pk)
            _stale_or(form, e, {"starts_on": fresh.starts_on, "ends_on": fresh.ends_on,
                                "version": fresh.lock_version})
        else:
            messages.success(request, _("The delivery partnership's dates are changed."))
            return redirect("delivery:detail", pk=dp.pk)
    return _form_page(request, form,
                      heading=_("Change the dates: %(name)s") % {"name": dp.person.display_name},
                      button=_("Save the dates"), back=back,
                      back_label=_("Back to the delivery partner"),
                      intro=_("Attachments to partnerships stop when the delivery partnership "
                              "ends."))


def end(request: HttpRequest, pk: Any) -> HttpResponse:
    dp = get_delivery_partner(request, pk, "delivery.manage", write_perm="delivery.manage")
    back = reverse("delivery:detail", args=[dp.pk])
    if dp.status != State.APPROVED or dp.has_ended:
        messages.info(request, _("This delivery partnership has no end to bring forward."))
        return redirect("delivery:detail", pk=dp.pk)
    form = EndForm(request.POST or None, initial={"on": timezone.localdate(),
                                                  "version": dp.lock_version})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.end(dp, by=me(request), on=d["on"], note=d["note"],
                         expected_version=d["version"])
        except ValidationError as e:
            _stale_or(form, e, {"version": DeliveryPartner.objects.get(pk=dp.pk).lock_version})
        else:
            messages.success(request, _("%(name)s's delivery partnership ends on %(day)s. "
                                        "They have been told.")
                             % {"name": dp.person.display_name,
                                "day": date_format(d["on"], "j F Y")})
            return redirect("delivery:detail", pk=dp.pk)
    return _form_page(
        request, form,
        heading=_("End the delivery partnership: %(name)s") % {"name": dp.person.display_name},
        button=_("End the delivery partnership"), warning=True, back=back,
        back_label=_("Back to the delivery partner"),
        intro=_("Their attachments to partnerships stop after the last day, and so does their "
                "access. Put a mistake right later by changing the dates."))


def attach(request: HttpRequest, pk: Any) -> HttpResponse:
    dp = get_delivery_partner(request, pk, "delivery.attach", write_perm="delivery.attach")
    partnerships = list(selectors.attachable_partnerships(request.user))
    if dp.status != State.APPROVED or dp.has_ended or not partnerships:
        messages.info(request, _("Only an approved delivery partner who has not ended can "
                                 "be attached to a partnership you support."))
        return redirect("delivery:detail", pk=dp.pk)
    today = timezone.localdate()
    form = AttachmentForm(request.POST or None, partnerships=partnerships, initial={
        "starts_on": max(today, dp.starts_on or today), "ends_on": dp.ends_on})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            att = services.attach(dp, by=me(request), partnership=form.options[d["partnership"]],
                                  scope=d["scope"], starts_on=d["starts_on"],
                                  ends_on=d["ends_on"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("%(name)s is attached to %(partnership)s. They have "
                                        "been told.") % {"name": dp.person.display_name,
                                                         "partnership": att.partnership.name})
            return redirect("delivery:attachment", pk=att.pk)
    return _form_page(request, form,
                      heading=_("Attach %(name)s to a partnership")
                      % {"name": dp.person.display_name},
                      button=_("Attach"), back=reverse("delivery:detail", args=[dp.pk]),
                      back_label=_("Back to the delivery partner"),
                      intro=_("While attached, they can see the partnership and the part of it "
                              "their scope opens, until the end date."))


@require_safe
def attachment(request: HttpRequest, pk: Any) -> HttpResponse:
    att = selectors.labelled_attachments([get_attachment(request, pk)])[0]
    user = request.user
    activities = list(att.activities.select_related("recorded_by"))
    for a in activities:
        a.can_remove = user.has_perm("delivery.remove_activity", a)
    return render(request, "delivery/attachment.html", {
        "att": att, "activities": activities,
        "can_see_partner": user.has_perm("delivery.view", att.delivery_partner),
        "can_change": user.has_perm("delivery.change_attachment", att),
        "can_record": user.has_perm("delivery.record_activity", att)})


def change_attachment(request: HttpRequest, pk: Any) -> HttpResponse:
    att = get_attachment(request, pk, "delivery.change_attachment",
                         write_perm="delivery.change_attachment")
    form = AttachmentForm(request.POST or None, initial={
        "scope": att.scope, "starts_on": att.starts_on, "ends_on": att.ends_on,
        "version": att.lock_version})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.change_attachment(att, by=me(request), scope=d["scope"],
                                       starts_on=d["starts_on"], ends_on=d["ends_on"],
                                       expected_version=d["version"] or 0)
        except ValidationError as e:
            fresh = DeliveryAttachment.objects.get(pk=att.pk)
            _stale_or(form, e, {"scope": fresh.scope, "starts_on": fresh.starts_on,
                                "ends_on": fresh.ends_on, "version": fresh.lock_version})
        else:
            messages.success(request, _("The attachment is changed."))
            return redirect("delivery:attachment", pk=att.pk)
    return _form_page(
        request, form,
        heading=_("Change the attachment to %(name)s") % {"name": att.partnership.name},
        button=_("Save the attachment"), back=reverse("delivery:attachment", args=[att.pk]),
        back_label=_("Back to the attachment"),
        intro=_("%(name)s's access stops after the end date: to end the attachment now, set "
                "the end date to today.") % {"name": att.delivery_partner.person.display_name})


def record_activity(request: HttpRequest, pk: Any) -> HttpResponse:
    att = get_attachment(request, pk, "delivery.record_activity",
                         write_perm="delivery.record_activity")
    form = ActivityForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.record_activity(att, by=me(request), on=d["on"], summary=d["summary"])
        except ValidationError as e:
            add_service_errors(form, e, "summary")
        else:
            messages.success(request, _("Recorded. It counts in the partnership's fidelity."))
            return redirect("delivery:attachment", pk=att.pk)
    return _form_page(
        request, form,
        heading=_("Record what was delivered for %(name)s") % {"name": att.partnership.name},
        button=_("Record it"), back=reverse("delivery:attachment", args=[att.pk]),
        back_label=_("Back to the attachment"),
        intro=_("%(scope)s, %(start)s to %(end)s.") % {
            "scope": att.get_scope_display(), "start": date_format(att.starts_on, "j F Y"),
            "end": date_format(att.ends_on, "j F Y")})


@require_POST
def remove_activity(request: HttpRequest, pk: Any) -> HttpResponse:
    activity = get_activity(request, pk, write_perm="delivery.remove_activity")
    att_pk = activity.attachment_id
    services.remove_activity(activity, by=me(request))
    messages.success(request, _("The record is removed."))
    return redirect("delivery:attachment", pk=att_pk)
