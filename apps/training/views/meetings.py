"""National meeting series: the list and a series' page (open to all, each meeting shown to
its audience), creating a series with its termly dates (core team), the recording and slides
of a meeting (published by the core team, downloaded by the meeting's materials audience),
and putting a cancelled meeting back on."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.models import User
from apps.core.converters import is_id

from .. import meetings, services
from ..access import get_session_for_user
from ..meetings_forms import MaterialsForm, SeriesChangeForm, SeriesForm
from ..models import HOLDING, Audience, Booking, MeetingMaterials, MeetingSeries, Session
from ..rules import MEETING_AUDIENCE_WORDS, course_audiences


@login_not_required
@require_GET
def series_list(request: HttpRequest) -> HttpResponse:
    return render(request, "training/series_list.html", {
        "series": MeetingSeries.objects.all(),
        "can_manage": request.user.has_perm("training.manage")})


@login_not_required
@require_GET
def series(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(MeetingSeries, pk=pk) if is_id(pk) else None
    if found is None:
        raise Http404("No such series")
    can_manage = request.user.has_perm("training.manage")
    sessions = meetings.series_meetings(found, course_audiences(request.user))
    if can_manage:
        sessions = sessions.annotate(
            places=Count("bookings", filter=Q(bookings__status__in=HOLDING)),
            waiting=Count("bookings", filter=Q(bookings__status=Booking.State.WAITING)),
            registrants=Count("bookings", filter=Q(bookings__status__in=HOLDING,
                                                   bookings__registrant__isnull=False)))
    now = timezone.now()
    rows = []
    for session in sessions:
        start = min((p.starts_at for p in session.parts.all()), default=None)
        rows.append({"session": session, "starts": start,
                     "past": start is not None and start <= now,
                     "audience": gettext(MEETING_AUDIENCE_WORDS[session.course.audience])
                     if session.course.audience in MEETING_AUDIENCE_WORDS else "",
                     "has_materials": _materials(session) is not None})
    return render(request, "training/series.html", {
        "series": found, "rows": rows, "can_manage": can_manage,
        "hidden": not can_manage and found.meetings.exclude(
            audience__in=course_audiences(request.user)).exists()})


def _materials(session: Session) -> MeetingMaterials | None:
    try:
        return session.materials
    except MeetingMaterials.DoesNotExist:
        return None


def _me(request: HttpRequest) -> User:
    """The person signed in (the core team's pages need sign-in)."""
    return cast(User, request.user)


def series_new(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("training.manage"):
        raise PermissionDenied
    form = SeriesForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            created = meetings.create_series(
                by=_me(request), title=d["title"], start_year=d["start_year"],
                summary=d["summary"], meetings=d["meetings"], mode=d["mode"],
                joining_link=d["joining_link"], venue=d["venue"], address=d["address"],
                capacity=d["capacity"])
        except ValidationError as e:
            for m in e.messages:
                form.add_error(None, m)
        else:
            messages.success(request, ngettext(
                "“%(title)s” added with %(count)s meeting.",
                "“%(title)s” added with %(count)s meetings.", count := created.meetings.count())
                % {"title": created.title, "count": count})
            return redirect("training:series", pk=created.pk)
    terms = [{"name": t, "day": form[f"{t.lower()}_day"], "start": form[f"{t.lower()}_start"],
              "end": form[f"{t.lower()}_end"]} for t in meetings.TERMS]
    return render(request, "training/series_form.html", {"form": form, "terms": terms})


def series_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(MeetingSeries, pk=pk)
    if not request.user.has_perm("training.manage"):
        raise PermissionDenied
    form = SeriesChangeForm(request.POST if request.method == "POST" else None,
                            initial={"title": found.title, "summary": found.summary})
    if request.method == "POST" and form.is_valid():
        meetings.update_series(found, by=_me(request), title=form.cleaned_data["title"],
                               summary=form.cleaned_data["summary"])
        messages.success(request, _("Series saved. Its meetings carry the new name."))
        return redirect("training:series", pk=found.pk)
    return render(request, "training/form_page.html", {
        "form": form, "heading": _("Change %(title)s") % {"title": found.title},
        "button": _("Save the series")})


def materials(request: HttpRequest, pk: int) -> HttpResponse:
    """The core team publishes, corrects or withdraws a meeting's recording and slides."""
    session = get_session_for_user(request.user, pk, "training.publish_materials")
    if not meetings.is_meeting(session):
        raise Http404("Only national meetings have a recording and slides")
    current = _materials(session)
    posted = request.method == "POST"
    form = MaterialsForm(request.POST if posted else None, request.FILES if posted else None,
                         has_slides=bool(current and current.slides),
                         open_meeting=session.course.audience == Audience.EVERYONE,
                         initial={"recording_url": current.recording_url,
                                  "slides_title": current.slides_title,
                                  "recording_to_registrants": current.recording_to_registrants}
                         if current else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            done = meetings.publish_materials(
                session, by=_me(request), recording_url=d["recording_url"],
                slides_title=d["slides_title"], upload=d["slides"],
                remove_slides=d.get("remove_slides", False),
                recording_to_registrants=d.get("recording_to_registrants", False))
        except ValidationError as e:
            for m in e.messages:
                form.add_error(None, m)
        else:
            return render(request, "training/materials_done.html", {
                "session": session, "materials": done, "first": current is None})
    return render(request, "training/materials_form.html", {
        "session": session, "form": form, "current": current})


@require_POST
def materials_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk, "training.publish_materials")
    try:
        meetings.withdraw_materials(session, by=_me(request))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The recording and slides are withdrawn. Publish them "
                                    "again to put them back."))
    return redirect("training:session", pk=session.pk)


@require_GET
def slides(request: HttpRequest, pk: int) -> HttpResponseBase:
    session = get_session_for_user(request.user, pk, "training.view_materials")
    found = _materials(session)
    if found is None or not found.slides:
        raise Http404("No slides")
    # Streamed from storage in blocks, never read whole into memory.
    response = FileResponse(found.slides.open("rb"), content_type=found.slides_content_type,
                            as_attachment=True, filename=found.slides_filename)
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def session_reinstate(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk, "training.manage")
    try:
        restored = services.reinstate_session(session, by=_me(request))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, ngettext(
            "%(session)s is back on. %(count)s booking restored; people with a place have "
            "been told.",
            "%(session)s is back on. %(count)s bookings restored; people with a place have "
            "been told.", restored) % {"session": session.label, "count": restored})
    return redirect("training:session", pk=session.pk)
