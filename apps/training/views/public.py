"""Registration for open events by people whose school is not in the programme: no account,
a confirmation email (double opt-in) and an unsubscribe link. The token in the confirm and
unsubscribe links is the registrant's only credential."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .. import public
from ..models import Booking
from ..public_forms import HONEYPOT, RegistrationForm, UnsubscribeForm


def _registrant(token: str):
    registrant = public.registrant_for_token(token)
    if registrant is None:
        raise Http404("No such registration")
    return registrant


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def register(request, pk):
    session = public.open_session(pk)
    if session is None:
        raise Http404("No such event open for registration")
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if request.POST.get(HONEYPOT, "").strip():
            # A bot: it is told what a person would be told, and nothing is kept or sent.
            return render(request, "training/public_register_done.html", {
                "session": session, "email": request.POST.get("email", "")[:254]})
        if form.is_valid():
            d = form.cleaned_data
            refusal = public.rate_limit(request, d["email"])
            if refusal:
                form.add_error(None, refusal)
                status = 429
            else:
                try:
                    public.register(session, full_name=d["full_name"], email=d["email"],
                                    school_name=d["school_name"])
                except ValidationError as e:
                    form.add_error(None, " ".join(e.messages))
                else:
                    return render(request, "training/public_register_done.html", {
                        "session": session, "email": d["email"]})
    return render(request, "training/public_register.html", {
        "session": session, "form": form, "parts": session.parts.all()}, status=status)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button and changes nothing (mail scanners follow links); POST confirms."""
    registrant = _registrant(token)
    if request.method == "POST":
        public.confirm(registrant)
        messages.success(request, _("Thank you: your email address is confirmed."))
        return redirect("training:confirm", token=registrant.token)
    bookings = public.upcoming(registrant)
    pending = [b for b in bookings if b.status == Booking.State.PENDING]
    return render(request, "training/public_confirm.html", {
        "registrant": registrant, "bookings": bookings, "pending": pending,
        "pending_labels": ", ".join(b.session.label for b in pending)})


@login_not_required
@never_cache
@csrf_exempt  # one-click unsubscribe (RFC 8058): mail clients POST without a CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    registrant = _registrant(token)
    form = UnsubscribeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        cancelled = public.unsubscribe(registrant,
                                       cancel_places=form.cleaned_data["cancel_places"])
        text = _("You have unsubscribed: we will not email you again.")
        if cancelled:
            text += " " + _("Cancelled: %(labels)s.") % {
                "labels": ", ".join(b.session.label for b in cancelled)}
        messages.success(request, text)
        return redirect("training:unsubscribe", token=registrant.token)
    bookings = public.upcoming(registrant)
    return render(request, "training/public_unsubscribe.html", {
        "registrant": registrant, "form": form, "bookings": bookings,
        "places": [b for b in bookings if b.status == Booking.State.BOOKED]})

