"""The training catalogue: courses by audience, a course, a session, my bookings."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db.models import F, Min, OuterRef, Prefetch, Q, Subquery
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe

from apps.core.paging import page_of
from apps.training.rules import MEETING_AUDIENCE_WORDS, course_audiences, trains_session

from .. import services
from ..access import get_course_for_user, get_session_for_user
from ..models import LIVE, Booking, Course, CourseKind, MeetingMaterials, Session
from ..people import ATTENDED, session_people

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
    # A course with nothing to come reads as held, with the date of its last session (an
    # autumn meeting in December is held, not "no dates yet"): one subquery, not a query each.
    held = (Session.objects.filter(course=OuterRef("pk"), cancelled_at__isnull=True)
            .annotate(starts=Min("parts__starts_at")).filter(starts__lt=now)
            .order_by("-starts", "-pk"))
    courses = Course.objects.filter(audience__in=audiences).annotate(
        last_held_pk=Subquery(held.values("pk")[:1]),
        last_held_on=Subquery(held.values("starts")[:1])).prefetch_related(
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
    parts = list(session.parts.all())
    now = timezone.now()
    # Started: nothing is booked, cancelled, joined or left any more; held: it is over.
    started = bool(parts) and parts[0].starts_at <= now
    held = bool(parts) and max(p.ends_at for p in parts) <= now
    # Their booking: the live one, or (once the session has started) the place they held.
    mine = session.bookings.filter(user=user, status__in=LIVE).first() \
        if user.is_authenticated else None
    trainer = trains_session(user, session)
    my_outcome = _outcome(mine, held) if mine and started else ""
    can_view_people = user.has_perm("training.view_people", session)
    ahead = None
    if mine and mine.status == Booking.State.WAITING:
        ahead = session.bookings.filter(status=Booking.State.WAITING,
                                        position__lt=mine.position).count()
    meeting = session.course.kind == CourseKind.NATIONAL_MEETING
    materials = MeetingMaterials.objects.filter(session=session).first() if meeting else None
    return render(request, "training/session.html", {
        "session": session, "parts": parts, "mine": mine, "ahead": ahead,
        "started": started, "held": held, "trains": trainer, "my_outcome": my_outcome,
        "attended_count": session.bookings.filter(attendance__in=ATTENDED).count()
        if held else 0,
        "people": session_people(session) if can_view_people else None,
        "meeting": meeting, "audience_words": _(MEETING_AUDIENCE_WORDS[session.course.audience])
        if session.course.series_id and session.course.audience in MEETING_AUDIENCE_WORDS
        else "",
        # The recording and slides: only for the meeting's materials audience (rules.py).
        "materials": materials if materials and user.has_perm("training.view_materials",
                                                                session) else None,
        "materials_kept_back": bool(materials) and not user.has_perm(
            "training.view_materials", session),
        "can_publish": meeting and user.has_perm("training.publish_materials", session),
        "places_left": services.places_left(session),
        "waiting_count": session.bookings.filter(status=Booking.State.WAITING).count(),
        # A trainer of the session is not offered a place on it.
        "can_book": user.has_perm("training.book", session.course) and not session.cancelled_at
        and now <= session.booking_deadline and not started and not trainer,
        "can_book_for_staff": user.has_perm("training.book_for_staff")
        and user.has_perm("training.book", session.course) and not started
        and not session.cancelled_at,
        "can_manage": user.has_perm("training.manage"),
        "can_change": user.has_perm("training.change_session", session),
        # Someone who booked a course that is no longer for them sees the session, not the
        # course: the way back goes to their bookings instead.
        "can_view_course": user.has_perm("training.view_course", session.course),
        "is_trainer": user.has_perm("training.take_register", session),
        "booked_by_me": session.bookings.filter(booked_by=user, status__in=LIVE)
        .exclude(user=user).select_related("user") if user.is_authenticated else []})


def _outcome(mine: Booking, held: bool) -> str:
    """What became of the person's booking on a session that has started."""
    if mine.status != Booking.State.BOOKED:
        return _("You were on the waiting list; no place came free before the session.")
    if mine.completed_at:
        if mine.certificate_number:
            return _("You attended: certificate %(number)s.") % {
                "number": mine.certificate_number}
        return _("You attended.")
    if mine.attendance == Booking.Attendance.ABSENT:
        return _("You had a place and were marked absent.")
    if mine.attendance:
        return _("You attended (%(attendance)s).") % {
            "attendance": mine.get_attendance_display().lower()}
    return _("You have a place; the register has not been taken yet.") if held \
        else _("You have a place.")


@require_GET
def my_bookings(request):
    bookings = (Booking.objects.filter(user=request.user).select_related("session__course")
                .prefetch_related("session__parts").order_by("-created_at", "-pk"))
    return render(request, "training/my_bookings.html",
                  page_of(request, bookings, BOOKINGS_PAGE_SIZE))
