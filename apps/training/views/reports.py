"""The training report page and its CSV: bookings, waiting lists and attendance per course,
per partnership and per school (``reports.py`` decides what each person may see)."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from apps.core import audit
from apps.core.downloads import private_download
from apps.core.paging import page_of
from apps.core.spreadsheets import safe_cell

from .. import reports
from ..rules import course_audiences

SCHOOLS_PAGE_SIZE = 50  # rows of the by-school table a page shows
PEOPLE_PAGE_SIZE = 100  # bookings of the people table a page shows
PAGE_PARAMS = ("schools_page", "people_page")


def _filtered(request):
    """(form, report) for the request's filters. A filter the person may not use (another
    partnership, a course that does not exist) is an error on the form, and nothing is shown
    until it is put right."""
    form = reports.filters_for(request.user, request.GET)
    if form.is_bound and not form.is_valid():
        return form, None
    data = form.cleaned_data if form.is_bound else {}
    report = reports.build(request.user, course=data.get("course"),
                           partnership=data.get("partnership"))
    return form, report


def _details(form) -> dict:
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return {"course": data["course"].pk if data.get("course") else None,
            "partnership": data["partnership"].slug if data.get("partnership") else None}


@require_GET
def reports_page(request):
    form, report = _filtered(request)
    if report is not None:
        audit.record("training.report_viewed", actor=request.user, **_details(form))
    filters = request.GET.copy()
    for param in PAGE_PARAMS:
        filters.pop(param, None)
    return render(request, "training/reports_index.html", {
        "form": form, "report": report, "columns": [gettext(h) for _, h in reports.COLUMNS],
        "query": filters.urlencode(),
        # The two tables with a row per school and per booking come a page at a time.
        "schools": page_of(request, report.schools if report else [], SCHOOLS_PAGE_SIZE,
                           param="schools_page"),
        "people": page_of(request, report.lines if report else [], PEOPLE_PAGE_SIZE,
                          param="people_page"),
        # A session links to its page only for readers in its course's audience (others 404).
        "audiences": course_audiences(request.user),
        "show_people": bool(form.is_bound and form.is_valid()
                            and form.cleaned_data.get("course"))})



@require_GET
def reports_csv(request):
    form, report = _filtered(request)
    if report is None:
        errors = "; ".join(e for errs in form.errors.values() for e in errs)
        return HttpResponse(f"Check the filters: {errors}", status=400,
                            content_type="text/plain; charset=utf-8")
    audit.record("training.report_exported", actor=request.user, format="csv",
                 **_details(form))
    response = private_download("", "text/csv; charset=utf-8",
                                f"training-bookings-{timezone.localdate():%Y-%m-%d}.csv")
    writer = csv.writer(response)
    writer.writerow(["Course", "Session", "Starts (UK time)", "Person", "Schools",
                     "Partnerships", "Status", "Place on the waiting list", "Attendance",
                     "Booked on"])
    for line in report.lines:
        b = line.booking
        named = bool(line.name)
        writer.writerow([safe_cell(v) for v in (
            b.session.course.title, b.session.title,
            f"{timezone.localtime(line.starts_at):%Y-%m-%d %H:%M}" if line.starts_at else "",
            line.name or reports.OUTSIDE, "; ".join(line.schools),
            "; ".join(line.partnerships), b.get_status_display(), line.waiting_place or "",
            b.get_attendance_display() if b.attendance else "",
            f"{timezone.localtime(b.created_at):%Y-%m-%d}" if named else "")])
    return response
