"""The organiser's pages: courses and sessions, cancelling a session, the waiting list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.converters import parse_id

from .. import services
from ..access import get_course_for_user, get_session_for_request, get_session_for_user
from ..forms import CancelSessionForm, CourseForm, MoveForm, SessionForm
from ..models import HOLDING, Booking, Course


def course_new(request):
    if not request.user.has_perm("training.manage"):
        raise PermissionDenied
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        course = services.create_course(by=request.user, **form.cleaned_data)
        messages.success(request, _("Course added. Add its sessions."))
        return redirect("training:course", pk=course.pk)
    return render(request, "training/form_page.html", {"form": form, "heading": _("Add a course"),
                                                       "button": _("Add the course")})


def course_edit(request, pk):
    course = get_course_for_user(request.user, pk)
    if not request.user.has_perm("training.manage"):
        raise PermissionDenied
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        services.update_course(Course.objects.get(pk=course.pk), by=request.user,
                               **form.cleaned_data)
        messages.success(request, _("Course saved. Certificates already issued keep their "
                                    "dates; the new validity applies from now on."))
        return redirect("training:course", pk=course.pk)
    return render(request, "training/form_page.html", {
        "form": form, "heading": _("Change %(title)s") % {"title": course.title},
        "button": _("Save the course")})


def _session_fields(d):
    return {k: d[k] for k in ("title", "mode", "joining_link", "venue", "address",
                              "accessibility", "capacity", "offer_hours", "booking_deadline")}


def session_new(request, pk):
    course = get_course_for_user(request.user, pk)
    if not request.user.has_perm("training.manage"):
        raise PermissionDenied
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            session = services.create_session(course, by=request.user, parts=d["parts"],
                                              trainers=d["trainers"], **_session_fields(d))
        except ValidationError as e:
            for m in e.messages:
                form.add_error(None, m)
        else:
            messages.success(request, _("Session added."))
            return redirect("training:session", pk=session.pk)
    return render(request, "training/form_page.html", {
        "form": form, "heading": _("Add a session of %(course)s") % {"course": course},
        "button": _("Add the session")})


def session_edit(request, pk):
    # Once the session has started it is kept as it was: 403 (the page offers no change).
    session = get_session_for_user(request.user, pk, "training.change_session")
    parts = list(session.parts.all())
    initial = {"title": session.title, "mode": session.mode,
               "joining_link": session.joining_link, "venue": session.venue,
               "address": session.address, "accessibility": session.accessibility,
               "capacity": session.capacity, "offer_hours": session.offer_hours,
               "deadline_day": timezone.localtime(session.booking_deadline).date(),
               "trainers": "\n".join(session.trainers.order_by("full_name")
                                      .values_list("email", flat=True))}
    for i, part in enumerate(parts[:3], 1):
        start, end = timezone.localtime(part.starts_at), timezone.localtime(part.ends_at)
        initial.update({f"day_{i}": start.date(), f"start_{i}": start.time(),
                        f"end_{i}": end.time()})
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.update_session(session, by=request.user, parts=d["parts"],
                                    trainers=d["trainers"], **_session_fields(d))
        except ValidationError as e:
            for m in e.messages:
                form.add_error(None, m)
        else:
            messages.success(request, _("Saved. People booked get an updated invitation."))
            return redirect("training:session", pk=session.pk)
    return render(request, "training/form_page.html", {
        "form": form, "heading": _("Change %(title)s") % {"title": session.label},
        "button": _("Save"), "back": session})


def session_cancel(request, pk):
    session = get_session_for_user(request.user, pk, "training.change_session")
    form = CancelSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.cancel_session(session, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Session cancelled; everyone booked has been told."))
        return redirect("training:course", pk=session.course_id)
    return render(request, "training/form_page.html", {
        "form": form, "heading": _("Cancel %(session)s?") % {"session": session.label},
        "button": _("Cancel the session"),
        "warning": True, "back": session})


def waiting_list(request, pk):
    # The list is read by the core team; moving it or giving places ends when it starts.
    session = get_session_for_request(request, pk, "training.manage",
                                      write="training.change_session")
    form = MoveForm(request.POST or None)
    if request.method == "POST":
        booking_id = parse_id(request.POST.get("booking"))
        booking = session.bookings.filter(pk=booking_id).first() if booking_id else None
        if booking is None:
            raise Http404
        try:
            if request.POST.get("do") == "give":
                services.give_place(booking, by=request.user)
                messages.success(request,
                                 _("%(name)s has a place.") % {"name": booking.person_name})
            elif form.is_valid():
                services.move_on_waiting_list(booking, by=request.user,
                                              to_position=form.cleaned_data["position"])
                messages.success(request, _("Waiting list reordered."))
            else:
                messages.error(request, _("Choose a place to move them to"))
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        return redirect("training:waiting_list", pk=session.pk)
    return render(request, "training/waiting_list.html", {
        "session": session, "places_left": services.places_left(session),
        "started": session.has_started(),
        "holding": session.bookings.filter(status__in=HOLDING).select_related(
            "user", "registrant"),
        "waiting": session.bookings.filter(status=Booking.State.WAITING).select_related(
            "user", "registrant").order_by("position", "created_at")})
