"""The training catalogue: courses by audience, a course, a session, my bookings."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db.models import F, Min, Prefetch, Q
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_safe

from apps.core.paging import page_of
from apps.training.rules import MEETING_AUDIENCE_WORDS, course_audiences

from .. import services
from ..access import get_course_for_user, get_session_for_user
from ..models import LIVE, Booking, Course, CourseKind, MeetingMaterials, Session

SESSIONS_PAGE_SIZE = 20  # sessions to come, or held, a page of a course shows
BOOKINGS_PAGE_SIZE = 25  # bookings a page of "Your bookings" shows


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
    # Sessions to come (soonest first) and those held (latest first), a page of each: a
    # national course holds hundreds over the years.
    sessions = (course.sessions.annotate(starts=Min("parts__starts_at"))
                .prefetch_related("parts"))
    to_come = Q(starts__gte=timezone.now()) | Q(starts__isnull=True)
    return render(request, "training/course.html", {
        "course": course,
        "upcoming": page_of(request, sessions.filter(to_come).order_by(
            F("starts").asc(nulls_last=True), "pk"), SESSIONS_PAGE_SIZE),
        "past": page_of(request, sessions.exclude(to_come).order_by("-starts", "-pk"),
                        SESSIONS_PAGE_SIZE, param="past_page"),
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
    meeting = session.course.kind == CourseKind.NATIONAL_MEETING
    materials = MeetingMaterials.objects.filter(session=session).first() if meeting else None
    return render(request, "training/session.html", {
        "session": session, "parts": session.parts.all(), "mine": mine, "ahead": ahead,
        "meeting": meeting, "audience_words": MEETING_AUDIENCE_WORDS.get(
            session.course.audience, "") if session.course.series_id else "",
        # The recording and slides: only for the meeting's materials audience (rules.py).
        "materials": materials if materials and user.has_perm("training.view_materials",
                                                                session) else None,
        "materials_kept_back": bool(materials) and not user.has_perm(
            "training.view_materials", session),
        "can_publish": meeting and user.has_perm("training.publish_materials", session),
        "places_left": services.places_left(session),
        "waiting_count": session.bookings.filter(status=Booking.State.WAITING).count(),
        "can_book": user.has_perm("training.book", session.course) and not session.cancelled_at
        and timezone.now() <= session.booking_deadline,
        "can_book_for_staff": user.has_perm("training.book_for_staff")
        and user.has_perm("training.book", session.course),
        "can_manage": user.has_perm("training.manage"),
        # Someone who booked a course that is no longer for them sees the session, not the
        # course: the way back goes to their bookings instead.
        "can_view_course": user.has_perm("training.view_course", session.course),
        "is_trainer": user.has_perm("training.take_register", session),
        "booked_by_me": session.bookings.filter(booked_by=user, status__in=LIVE)
        .exclude(user=user).select_related("user") if user.is_authenticated else []})


@require_GET
def my_bookings(request):
    bookings = (Booking.objects.filter(user=request.user).select_related("session__course")
                .prefetch_related("session__parts").order_by("-created_at", "-pk"))
    return render(request, "training/my_bookings.html",
                  page_of(request, bookings, BOOKINGS_PAGE_SIZE))
