"""The training catalogue and bookings: courses by audience, sessions, booking (for yourself
or, as a school leader, for staff of your school), the waiting list with time-limited offers,
and the organiser's pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Min, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST, require_safe

from apps.accounts.models import User
from apps.accounts.roles import school_ids_for
from apps.training.rules import course_audiences

from . import services
from .forms import CancelSessionForm, CourseForm, MoveForm, SessionForm, StaffBookingForm
from .models import HOLDING, LIVE, Booking, Course, Session


def _pk(value) -> int | None:
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) < 2**31 \
        else None


def get_course_for_user(user, pk: int) -> Course:
    course = Course.objects.filter(pk=pk).first() if 0 < pk < 2**31 else None
    if course is None or not user.has_perm("training.view_course", course):
        raise Http404("No such course")
    return course


def get_session_for_user(user, pk: int, perm: str | None = None) -> Session:
    session = Session.objects.select_related("course").filter(pk=pk).first() \
        if 0 < pk < 2**31 else None
    if session is None or not (user.has_perm("training.view_course", session.course)
                               or user.has_perm("training.take_register", session)):
        raise Http404("No such session")
    if perm and not user.has_perm(perm, session):
        raise PermissionDenied
    return session


def get_booking_for_user(user, pk: int) -> Booking:
    booking = Booking.objects.select_related("session__course", "user").filter(pk=pk).first() \
        if 0 < pk < 2**31 else None
    if booking is None:
        raise Http404("No such booking")
    mine = booking.user_id == user.pk or booking.booked_by_id == user.pk
    if not (mine or user.has_perm("training.manage")):
        raise Http404("No such booking")
    return booking


@login_not_required
@require_GET
def catalogue(request):
    audiences = course_audiences(request.user)
    now = timezone.now()
    # Only the sessions still to come are read, each with its first start in the same query:
    # the page's queries do not grow with the sessions held in the past.
    upcoming = (Session.objects.filter(cancelled_at__isnull=True)
                .annotate(starts=Min("parts__starts_at"))
                .filter(Q(starts__gte=now) | Q(starts__isnull=True))
                .order_by(F("starts").asc(nulls_last=True), "pk"))
    courses = Course.objects.filter(audience__in=audiences).prefetch_related(
        Prefetch("sessions", queryset=upcoming, to_attr="upcoming"))
    rows = [{"course": course, "sessions": course.upcoming} for course in courses]
    return render(request, "training/catalogue.html", {
        "rows": rows, "can_manage": request.user.has_perm("training.manage")})


@login_not_required
@require_GET
def course(request, pk):
    course = get_course_for_user(request.user, pk)
    return render(request, "training/course.html", {
        "course": course, "sessions": course.sessions.prefetch_related("parts"),
        "can_manage": request.user.has_perm("training.manage")})


@login_not_required
@require_safe
def session(request, pk):
    session = get_session_for_user(request.user, pk)
    user = request.user
    mine = session.bookings.filter(user=user, status__in=LIVE).first() \
        if user.is_authenticated else None
    ahead = None
    if mine and mine.status == Booking.State.WAITING:
        ahead = session.bookings.filter(status=Booking.State.WAITING,
                                        position__lt=mine.position).count()
    return render(request, "training/session.html", {
        "session": session, "parts": session.parts.all(), "mine": mine, "ahead": ahead,
        "places_left": services.places_left(session),
        "waiting_count": session.bookings.filter(status=Booking.State.WAITING).count(),
        "can_book": user.has_perm("training.book", session.course) and not session.cancelled_at
        and timezone.now() <= session.booking_deadline,
        "can_book_for_staff": user.has_perm("training.book_for_staff")
        and user.has_perm("training.book", session.course),
        "can_manage": user.has_perm("training.manage"),
        "is_trainer": user.has_perm("training.take_register", session),
        "booked_by_me": session.bookings.filter(booked_by=user, status__in=LIVE)
        .exclude(user=user).select_related("user") if user.is_authenticated else []})


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
            messages.success(request, "Booked. A calendar invitation is on its way.")
        else:
            messages.success(request, "The session is full: you are on the waiting list. If "
                                      "a place frees you will be offered it.")
    return redirect("training:session", pk=session.pk)


def book_for_staff(request, pk):
    session = get_session_for_user(request.user, pk)
    if not (request.user.has_perm("training.book_for_staff")
            and request.user.has_perm("training.book", session.course)):
        raise PermissionDenied
    schools = school_ids_for(request.user, {"headteacher", "school_leader"})
    people = User.objects.filter(is_active=True, roles__school_id__in=schools,
                                 roles__ended_at__isnull=True).exclude(
        pk=request.user.pk).distinct().order_by("full_name")
    form = StaffBookingForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        if not person.has_perm("training.book", session.course):
            form.add_error("person", f"{person.display_name} is not in this course's audience")
        else:
            try:
                booking = services.book(session, user=person, by=request.user)
            except ValidationError as e:
                form.add_error("person", " ".join(e.messages))
            else:
                messages.success(request, f"{person.display_name}: "
                                          f"{booking.get_status_display().lower()}.")
                return redirect("training:session", pk=session.pk)
    return render(request, "training/form_page.html", {
        "form": form, "heading": f"Book a place for someone at your school: {session.label}",
        "button": "Book", "back": session})


@require_POST
def booking_cancel(request, pk):
    booking = get_booking_for_user(request.user, pk)
    try:
        services.cancel(booking, by=request.user)
        messages.success(request, "Cancelled.")
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
        messages.success(request, "Booked: the place is yours." if accept
                         else "Declined: the place goes to the next person.")
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("training:session", pk=booking.session_id)


@require_GET
def my_bookings(request):
    bookings = (Booking.objects.filter(user=request.user).select_related("session__course")
                .prefetch_related("session__parts").order_by("-created_at"))
    return render(request, "training/my_bookings.html", {"bookings": bookings})


# Organiser (core team) -----------------------------------------------------------------------

def course_new(request):
    if not request.user.has_perm("training.manage"):
        raise PermissionDenied
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        course = services.create_course(by=request.user, **form.cleaned_data)
        messages.success(request, "Course added. Add its sessions.")
        return redirect("training:course", pk=course.pk)
    return render(request, "training/form_page.html", {"form": form, "heading": "Add a course",
                                                       "button": "Add the course"})


def course_edit(request, pk):
    course = get_course_for_user(request.user, pk)
    if not request.user.has_perm("training.manage"):
        raise PermissionDenied
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        services.update_course(Course.objects.get(pk=course.pk), by=request.user,
                               **form.cleaned_data)
        messages.success(request, "Course saved. Certificates already issued keep their "
                                  "dates; the new validity applies from now on.")
        return redirect("training:course", pk=course.pk)
    return render(request, "training/form_page.html", {
        "form": form, "heading": f"Change {course.title}", "button": "Save the course"})


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
        trainers = User.objects.filter(pk__in=[_pk(x) for x in request.POST.getlist("trainers")
                                               if _pk(x)])
        try:
            session = services.create_session(course, by=request.user, parts=d["parts"],
                                              trainers=trainers, **_session_fields(d))
        except ValidationError as e:
            for m in e.messages:
                form.add_error(None, m)
        else:
            messages.success(request, "Session added.")
            return redirect("training:session", pk=session.pk)
    return render(request, "training/form_page.html", {
        "form": form, "heading": f"Add a session of {course}", "button": "Add the session",
        "trainer_choices": User.objects.filter(is_active=True).order_by("full_name")[:500]})


def session_edit(request, pk):
    session = get_session_for_user(request.user, pk)
    if not request.user.has_perm("training.manage"):
        raise PermissionDenied
    parts = list(session.parts.all())
    initial = {"title": session.title, "mode": session.mode,
               "joining_link": session.joining_link, "venue": session.venue,
               "address": session.address, "accessibility": session.accessibility,
               "capacity": session.capacity, "offer_hours": session.offer_hours,
               "deadline_day": timezone.localtime(session.booking_deadline).date()}
    for i, part in enumerate(parts[:3], 1):
        start, end = timezone.localtime(part.starts_at), timezone.localtime(part.ends_at)
        initial.update({f"day_{i}": start.date(), f"start_{i}": start.time(),
                        f"end_{i}": end.time()})
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.update_session(session, by=request.user, parts=d["parts"],
                                    **_session_fields(d))
        except ValidationError as e:
            for m in e.messages:
                form.add_error(None, m)
        else:
            messages.success(request, "Saved. People booked get an updated invitation.")
            return redirect("training:session", pk=session.pk)
    return render(request, "training/form_page.html", {
        "form": form, "heading": f"Change {session.label}", "button": "Save", "back": session})


def session_cancel(request, pk):
    session = get_session_for_user(request.user, pk)
    if not request.user.has_perm("training.manage"):
        raise PermissionDenied
    form = CancelSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.cancel_session(session, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, "Session cancelled; everyone booked has been told.")
        return redirect("training:course", pk=session.course_id)
    return render(request, "training/form_page.html", {
        "form": form, "heading": f"Cancel {session.label}?", "button": "Cancel the session",
        "warning": True, "back": session})


def waiting_list(request, pk):
    session = get_session_for_user(request.user, pk)
    if not request.user.has_perm("training.manage"):
        raise PermissionDenied
    form = MoveForm(request.POST or None)
    if request.method == "POST":
        booking_id = _pk(request.POST.get("booking"))
        booking = session.bookings.filter(pk=booking_id).first() if booking_id else None
        if booking is None:
            raise Http404
        try:
            if request.POST.get("do") == "give":
                services.give_place(booking, by=request.user)
                messages.success(request, f"{booking.person_name} has a place.")
            elif form.is_valid():
                services.move_on_waiting_list(booking, by=request.user,
                                              to_position=form.cleaned_data["position"])
                messages.success(request, "Waiting list reordered.")
            else:
                messages.error(request, "Choose a place to move them to")
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        return redirect("training:waiting_list", pk=session.pk)
    return render(request, "training/waiting_list.html", {
        "session": session, "places_left": services.places_left(session),
        "holding": session.bookings.filter(status__in=HOLDING).select_related(
            "user", "registrant"),
        "waiting": session.bookings.filter(status=Booking.State.WAITING).select_related(
            "user", "registrant").order_by("position", "created_at")})
