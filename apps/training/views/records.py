"""The register, certificates, a person's training record and its public verification."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from apps.core.downloads import private_download
from apps.core.jobs import JobState
from apps.core.spreadsheets import safe_cell

from .. import records
from ..access import get_session_for_user
from ..models import Booking
from ..records_forms import RegisterForm


def register_attendance(request, pk):
    session = get_session_for_user(request.user, pk, "training.take_register")
    bookings = list(records.register_bookings(session))
    form = RegisterForm(request.POST or None, bookings=bookings)
    closed = records.register_open(session)
    if request.method == "POST":
        if closed:
            messages.error(request, closed)
            return redirect("training:register_attendance", pk=session.pk)
        if form.is_valid():
            try:
                done = records.take_register(session, form.marks(), by=request.user)
            except ValidationError as e:
                for m in e.messages:
                    form.add_error(None, m)
            else:
                messages.success(request, ngettext(
                    "Register saved. %(count)s person completed the course and can download "
                    "a certificate.",
                    "Register saved. %(count)s people completed the course and can download "
                    "a certificate.", len(done)) % {"count": len(done)} if done
                    else _("Register saved."))
                return redirect("training:register_attendance", pk=session.pk)
    return render(request, "training/records_register.html", {
        "session": session, "form": form, "closed": closed,
        "completed": [b for b in bookings if b.completed_at]})


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    return private_download(content, "application/pdf", filename)


def _pdf_or_waiting(request, state, *, filename: str, heading: str, back_url: str,
                    back_label: str):
    """The PDF when it is made; otherwise the waiting page (which checks by itself). The
    page's own check (an htmx request) gets the page back with a link, not the PDF."""
    if state.status == JobState.DONE and not request.headers.get("HX-Request"):
        return _pdf_response(state.content, filename)
    return render(request, "training/records_pdf_waiting.html", {
        "state": state.status, "heading": heading, "back_url": back_url,
        "back_label": back_label}, status=200 if state.status == JobState.DONE else 202)


@require_GET
def certificate(request, pk):
    user = request.user
    booking = Booking.objects.select_related("session__course", "user", "registrant").filter(
        pk=pk).first()
    if booking is None or not (booking.user_id == user.pk
                               or user.has_perm("training.manage")):
        raise Http404("No such booking")
    if not booking.completed_at:
        return render(request, "training/records_certificate.html", {"booking": booking})
    state = records.pdf_for(booking, records.certificate_html(booking), document="certificate",
                            by=user, retry="retry" in request.GET)
    return _pdf_or_waiting(
        request, state, filename=f"certificate-{booking.certificate_number}.pdf",
        heading=_("Certificate: %(course)s") % {"course": booking.session.course.title},
        back_url=reverse("training:session", args=[booking.session_id]),
        back_label=booking.session.label)


@require_GET
def my_record(request):
    return render(request, "training/records_mine.html", records.record_for(request.user))


@require_GET
def my_record_pdf(request):
    state = records.pdf_for(request.user, records.record_html(request.user),
                            document="record", by=request.user,
                            retry="retry" in request.GET)
    return _pdf_or_waiting(request, state, filename="training-record.pdf",
                           heading=_("Your training and review record"),
                           back_url=reverse("training:my_record"),
                           back_label=_("Your training record"))



@require_GET
def my_record_csv(request):
    data = records.record_for(request.user)
    response = private_download("", "text/csv; charset=utf-8", "training-record.csv")
    writer = csv.writer(response)
    writer.writerow(["Record", "What", "Date", "Certificate number", "Valid until", "Role"])
    for t in data["trainings"]:
        writer.writerow([safe_cell(v) for v in (
            "Training completed", t.course.title, t.completed_on.isoformat(),
            t.certificate_number, t.valid_until.isoformat() if t.valid_until else "", "")])
    for m in data["reviews"]:
        review = m.review
        writer.writerow([safe_cell(v) for v in (
            "Review", f"{review.host.name} ({review.cycle.label})",
            review.review_starts_on.isoformat() if review.review_starts_on else "", "", "",
            m.get_role_display())])
    for w in data["workshops"]:
        writer.writerow([safe_cell(v) for v in (
            "Improvement Workshop led", f"{w.review.host.name} ({w.review.cycle.label})",
            w.held_on.isoformat(), "", "", "Improvement Champion")])
    writer.writerow([safe_cell(v) for v in ("Verify at", data["verify_url"], "", "", "", "")])
    return response


@login_not_required
@require_GET
def verify(request, code):
    person = records.person_for_code(code)
    if person is None:
        raise Http404("No such record")
    response = render(request, "training/records_verify.html", {
        # The name only: never the email address that display_name falls back to.
        "person_name": person.full_name.strip() or "Name not recorded",
        "trainings": records.certified_trainings(person),
        "service": records.review_service(person),
        "reviewer_until": person.reviewer_trained_until,
        "champion_until": person.champion_trained_until,
        "today": timezone.localdate()})
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response
