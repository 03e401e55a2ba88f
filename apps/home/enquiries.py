"""Get in touch: schools new to the programme send an enquiry; the core team's inbox shows
each with its status (new, contacted, joined, closed).

Spam: a honeypot field and allauth's rate limiter (per connection, keyed by a keyed hash so
the address is not kept), as for public event registration."""

from __future__ import annotations

from typing import Any

from allauth.core.internal import ratelimit
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from apps.accounts.models import Role, User, current_role_lookup
from apps.core import audit
from apps.core.converters import is_id
from apps.core.paging import page_of
from apps.notifications import services as notifications

from .models import Enquiry

HONEYPOT = "website"
RATES = {"enquiry_connection": "5/1h/key"}
PER_PAGE = 25


class EnquiryForm(forms.ModelForm):
    plain_names = {"full_name": gettext_lazy("your full name"),
                   "school_name": gettext_lazy("the name of your school"),
                   "message": gettext_lazy("your message")}
    website = forms.CharField(label=gettext_lazy("Leave this empty"), required=False)

    class Meta:
        model = Enquiry
        fields = ["full_name", "email", "school_name", "job_title", "message"]
        labels = {"full_name": gettext_lazy("Full name"),
                  "email": gettext_lazy("Email address"),
                  "school_name": gettext_lazy("School"),
                  "job_title": gettext_lazy("Your role (optional)"),
                  "message": gettext_lazy("What would you like to know?")}
        help_texts = {"email": gettext_lazy("We only use this to reply to you"),
                      "message": gettext_lazy("For example, how partnerships are formed, what "
                                              "it costs, or when the next national meeting is")}
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}


class HandleForm(forms.ModelForm):
    class Meta:
        model = Enquiry
        fields = ["status", "note"]
        labels = {"status": gettext_lazy("Status"),
                  "note": gettext_lazy("Notes for the programme team")}
        widgets = {"status": forms.RadioSelect, "note": forms.Textarea(attrs={"rows": 4})}


def _allowed(request: HttpRequest) -> bool:
    key = salted_hmac("home.enquiry.rate", ratelimit.get_ip(request) or "unknown").hexdigest()
    return ratelimit.consume(request, app="home", action="enquiry_connection", config=RATES,
                             key=key) is not None


def _core_team() -> list[User]:
    return list(User.objects.filter(is_active=True, roles__role=Role.CORE_TEAM,
                                    **current_role_lookup("roles__")).distinct())


@login_not_required
def get_in_touch(request: HttpRequest) -> HttpResponse:
    form = EnquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.get(HONEYPOT):
            # A robot filled the hidden field: thank it, keep nothing.
            messages.success(request, _("Thank you: your message has been sent."))
            return redirect("enquiries:get_in_touch")
        if not _allowed(request):
            form.add_error(None, _("There have been too many messages from your connection "
                                   "in the last hour. Try again in an hour."))
        else:
            with transaction.atomic():
                enquiry = form.save()
                audit.record("enquiry.received", obj=enquiry)
                notifications.notify(
                    _core_team(), kind="enquiry.new",
                    subject=f"A school asks about the programme: {enquiry.school_name}",
                    message=f"{enquiry.full_name} of {enquiry.school_name} has got in touch.",
                    url=reverse("enquiries:detail", args=[enquiry.pk]))
            messages.success(request, _("Thank you: your message has been sent. The programme "
                                        "team will reply to %(email)s within 5 working days.")
                             % {"email": enquiry.email})
            return redirect("enquiries:get_in_touch")
    return render(request, "home/get_in_touch.html", {"form": form})


def _require_core(request: HttpRequest) -> None:
    if not request.user.has_perm("home.manage_enquiries"):
        raise PermissionDenied


@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    _require_core(request)
    status = request.GET.get("status", "")
    enquiries = Enquiry.objects.all()
    if status in Enquiry.State.values:
        enquiries = enquiries.filter(status=status)
    else:
        status = ""
    counts = dict(Enquiry.objects.values_list("status").annotate(n=Count("pk")))
    return render(request, "home/enquiries.html", {
        "status": status, "states": [(s.value, s.label, counts.get(s.value, 0))
                                     for s in Enquiry.State],
        **page_of(request, enquiries, PER_PAGE)})


def enquiry_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    enquiry = Enquiry.objects.select_related("handled_by").filter(pk=pk).first() \
        if is_id(pk) else None
    if enquiry is None or not request.user.has_perm("home.manage_enquiries"):
        raise Http404("No such enquiry")
    form = HandleForm(request.POST or None, instance=enquiry)
    if request.method == "POST" and form.is_valid():
        enquiry = form.save(commit=False)
        enquiry.handled_by, enquiry.handled_at = request.user, timezone.now()
        enquiry.save()
        audit.record("enquiry.updated", actor=request.user, obj=enquiry, status=enquiry.status)
        messages.success(request, _("Saved: %(status)s.")
                         % {"status": enquiry.get_status_display().lower()})
        return redirect("enquiries:inbox")
    return render(request, "home/enquiry.html", {"enquiry": enquiry, "form": form})
