"""The action plan board, its CSV and PDF exports, and sharing it with the partnership."""

from __future__ import annotations

import csv
from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from apps.core.downloads import private_download, stream_download
from apps.core.jobs import JobState
from apps.core.spreadsheets import safe_cell
from apps.reviews.services import record_disclosure

from .. import services
from ..access import get_export_for_user, get_review_for_user
from ..models import Action
from ..selectors import DUE_SOON_DAYS
from ._common import _context


def _column(actions, state):
    return [a for a in actions if a.status == state]


@require_GET
def plan(request, pk):
    review = get_review_for_user(request.user, pk, "improvement.view_plan")
    actions = list(review.actions.select_related("owner").prefetch_related("findings__line"))
    today = timezone.localdate()
    record_disclosure(review, "plan_viewed", by=request.user)
    return render(request, "improvement/plan.html", _context(
        request, review, "plan", actions=actions, today=today,
        columns=[(label, _column(actions, value)) for value, label in Action.State.choices],
        overdue=[a for a in actions if a.is_overdue(today)],
        due_soon=[a for a in actions if a.is_open and today <= a.due_on
                  <= today + timedelta(days=DUE_SOON_DAYS)],
        can_edit=request.user.has_perm("improvement.edit_plan", review)
        and review.status in services.PLAN_OPEN,
        can_share=request.user.has_perm("improvement.share_plan", review),
        shared=review.plan_shares.filter(withdrawn_at__isnull=True).first(),
        can_check_back=request.user.has_perm("improvement.check_back", review),
        exports=review.plan_exports.defer("pdf_bytes")[:3]))


@require_GET
def plan_csv(request, pk):
    review = get_review_for_user(request.user, pk, "improvement.view_plan")
    record_disclosure(review, "plan_exported", by=request.user, format="csv")
    response = private_download(
        "", "text/csv; charset=utf-8",
        f"action-plan-{review.host.urn}-{review.cycle.label.replace('/', '-')}.csv")
    writer = csv.writer(response)
    writer.writerow(["Action", "Why", "Findings it answers", "Area", "Owner", "Start", "Due",
                     "Success criteria", "Resources", "Support wanted", "Status",
                     "Dropped because", "Last update"])
    for a in review.actions.select_related("owner").prefetch_related("findings__line"):
        answers = "; ".join(f"line {f.line.position}" if f.line else "key question"
                            for f in a.findings.all())
        writer.writerow([safe_cell(v) for v in (
            a.title, a.why, answers, a.get_area_display(), a.owner.display_name, a.starts_on,
            a.due_on, a.success_criteria, a.resources, a.support_wanted,
            a.get_status_display(), a.dropped_reason, a.last_update_at.date())])
    return response


@require_POST
def plan_pdf(request, pk):
    review = get_review_for_user(request.user, pk, "improvement.view_plan")
    export = services.request_plan_pdf(review, by=request.user)
    return redirect("improvement:plan_export", pk=review.pk, export_id=export.pk)


@require_GET
def plan_export(request, pk, export_id):
    export = get_export_for_user(request.user, pk, export_id)
    review = export.review
    if export.status != JobState.DONE:
        return render(request, "improvement/export_waiting.html", _context(
            request, review, "plan", export=export), status=202)
    record_disclosure(review, "plan_downloaded", by=request.user, format="pdf")
    return stream_download(export.pdf, "application/pdf", f"action-plan-{review.host.urn}.pdf")


@require_POST
def share(request, pk):
    review = get_review_for_user(request.user, pk, "improvement.share_plan")
    if request.POST.get("withdraw"):
        services.withdraw_plan_share(review, by=request.user)
        messages.success(request, gettext("The plan is no longer shared with the partnership."))
    else:
        services.share_plan(review, by=request.user)
        messages.success(request,
            gettext("The plan is shared with the partnership's school leaders, "
                                  "partnership lead and associate."))
    return redirect("improvement:plan", pk=review.pk)
