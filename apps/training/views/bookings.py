"""Booking a place (for yourself or, as a school leader, for staff of your school),
cancelling, and answering a waiting-list offer."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.models import User, current_role_lookup
from apps.accounts.roles import leader_school_ids

from .. import services
from ..access import get_booking_for_user, get_session_for_user
from ..forms import StaffBookingForm
from ..models import Booking


@require_POST
def book(request, pk):
    session = get_session_for_user(request.user, pk)
    if not request.user.has_perm("training.book", session.course):
        raise PermissionDenied
    try:
        booking = services.book(session, user=request.user, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        if booking.status == Booking.State.BOOKED:
            messages.success(request, _("Booked. A calendar invitation is on its way."))
        else:
            messages.success(request, _("The session is full: you are on the waiting list. "
                                        "If a place frees you will be offered it."))
    return redirect("training:session", pk=session.pk)


def book_for_staff(request, pk):
    session = get_session_for_user(request.user, pk)
    if not (request.user.has_perm("training.book_for_staff")
            and request.user.has_perm("training.book", session.course)):
        raise PermissionDenied
    schools = leader_school_ids(request.user)
    people = User.objects.filter(is_active=True, roles__school_id__in=schools,
                                 **current_role_lookup("roles__")).exclude(
        pk=request.user.pk).distinct().order_by("full_name")
    form = StaffBookingForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        if not person.has_perm("training.book", session.course):
            form.add_error("person", _("%(name)s is not in this course's audience") % {
                "name": person.display_name})
        else:
            try:
                booking = services.book(session, user=person, by=request.user)
            except ValidationError as e:
                form.add_error("person", " ".join(e.messages))
            else:
                messages.success(request, _("%(name)s: %(status)s.") % {
                    "name": person.display_name,
                    "status": booking.get_status_display().lower()})
                return redirect("training:session", pk=session.pk)
    return render(request, "training/form_page.html", {
        "form": form, "heading": _("Book a place for someone at your school: %(label)s") % {
            "label": session.label},
        "button": _("Book"), "back": session})


@require_POST
def booking_cancel(request, pk):
    booking = get_booking_for_user(request.user, pk)
    try:
        services.cancel(booking, by=request.user)
        messages.success(request, _("Cancelled."))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("training:session", pk=booking.session_id)


@require_POST
def booking_offer(request, pk):
    booking = get_booking_for_user(request.user, pk)
    if booking.user_id != request.user.pk:
        raise PermissionDenied
    accept = request.POST.get("answer") == "accept"
    try:
        services.respond_to_offer(booking, by=request.user, accept=accept)
        messages.success(request, _("Booked: the place is yours.") if accept
                         else _("Declined: the place goes to the next person."))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("training:session", pk=booking.session_id)
