"""The report: compiling, the host's factual-accuracy check, agreeing, the PDF."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from apps.core.converters import parse_id
from apps.core.downloads import stream_download
from apps.core.jobs import JobState

from .. import language, services, workflow
from ..access import get_child_for_user, get_review_for_request, get_review_for_user
from ..forms import CommentForm, ReportForm, ResolveForm
from ..models import Report, ReportComment, Status
from ._common import _conflict_message, _errors_to_form, _review_context, _warn_language


def _report_or_404(review, number=None):
    reports = review.reports.prefetch_related(Prefetch(
        "comments", queryset=ReportComment.objects.select_related("author")))
    report = reports.filter(number=number).first() if number else reports.first()
    if number and report is None:
        raise Http404
    return report


def report(request, pk, number=None):
    review = get_review_for_request(request, pk, "reviews.view_report",
                                    write="reviews.compile_report")
    user = request.user
    content_ok = user.has_perm("reviews.view_content", review)
    report = _report_or_404(review, number)
    if not content_ok:
        report = _agreed_only(review, report)
    can_compile = user.has_perm("reviews.compile_report", review)
    form = None
    compiling = review.status in (Status.FEEDBACK_GIVEN, Status.REPORT_AGREED, Status.ACTING,
                                  Status.CLOSED)
    # A write reaching here has passed compile_report (the access helper); what is left to
    # check is the state: a report still being written.
    if (can_compile or request.method == "POST") and compiling and (
            report is None or not report.is_locked or number is None):
        form, saved = _summary_form(request, review, report)
        if saved is not None:
            return saved
    elif request.method == "POST":
        raise PermissionDenied
    if report is not None and not request.headers.get("HX-Request"):  # polls are not looks
        services.record_disclosure(review, "report_viewed", by=user, version=report.number,
                                   shared=not content_ok)
    comments = list(report.comments.select_related("author")) if report else []
    for c in comments:  # an answer typed but not yet saved is shown again, never dropped
        c.typed = request.POST.get(f"response-{c.pk}", "")
    return render(request, "reviews/report.html", _review_context(
        request, review, "report", report=report, form=form, can_compile=can_compile,
        comments=comments,
        can_check=user.has_perm("reviews.check_report", review),
        comment_form=CommentForm(), resolve_form=ResolveForm(), content_ok=content_ok,
        versions=review.reports.all() if content_ok else [],
        judgement=language.judgement_warnings(
            report.summary, *[s.get("working_well", "") + " " + s.get("explore_further", "")
                              for s in report.sections]) if report else []))


def _agreed_only(review, report):
    """Shared beyond the review: the agreed version only."""
    agreed = review.reports.filter(status=Report.State.AGREED).first()
    if report is None or report.status != Report.State.AGREED:
        report = agreed
    if report is None:
        raise Http404
    return report


def _summary_form(request, review, report):
    """The lead reviewer's summary form for the report being written, and, for a POST, the
    redirect once it is saved (None while the form has a problem to show)."""
    open_report = review.reports.exclude(
        status__in=[Report.State.AGREED, Report.State.SUPERSEDED]).first()
    form = ReportForm(request.POST or None, initial={
        "summary": (open_report or report).summary if (open_report or report) else "",
        "lock_version": open_report.lock_version if open_report else 0})
    if request.method == "POST" and form.is_valid():
        try:
            report = services.compile_report(
                review, by=request.user, summary=form.cleaned_data["summary"],
                expected_version=form.cleaned_data["lock_version"],
                base=form.cleaned_data["base"])
        except services.EditConflict as e:
            form.add_error(None, _conflict_message("the summary")(e.current))
            form.show_conflict(e.current)
        except ValidationError as e:
            _errors_to_form(form, e)
        else:
            _warn_language(request, language.judgement_warnings(form.cleaned_data["summary"]))
            messages.success(request, f"Report version {report.number} saved with the "
                                      "current findings.")
            return form, redirect("reviews:report", pk=review.pk)
    return form, None


def _summary_changed(request, review) -> bool:
    """The lead reviewer's page is one form (the comment answers and "Send for the check"
    post it to their own addresses): True when the summary posted with them differs from
    the one the page showed, so it must be saved rather than dropped."""
    if "summary" not in request.POST:
        return False
    form = ReportForm(request.POST)
    return form.is_valid() and form.typed_a_change


def _save_summary_first(request, review):
    """Save a changed summary through the report page; a response to show instead (a
    conflict, an error) or None when it was saved or had not changed."""
    if not _summary_changed(request, review):
        return None
    response = report(request, review.pk)
    return None if response.status_code == 302 else response


@require_POST
def report_submit(request, pk):
    review = get_review_for_user(request.user, pk, "reviews.compile_report")
    shown = _save_summary_first(request, review)
    if shown is not None:
        return shown
    report = review.reports.filter(status=Report.State.DRAFT).first()
    if report is None:
        messages.error(request, gettext("There is no draft to send"))
    else:
        try:
            services.submit_report(report, by=request.user)
            messages.success(request, gettext("Sent to the host headteacher for a factual-accuracy "
                                      "check."))
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
    return redirect("reviews:report", pk=review.pk)


@require_POST
def report_comment(request, pk):
    review = get_review_for_user(request.user, pk, "reviews.check_report")
    report = review.reports.filter(status=Report.State.CHECKING).first()
    form = CommentForm(request.POST)
    if report is None:
        messages.error(request, gettext("There is no report waiting for your check"))
    elif not form.is_valid():
        messages.error(request, gettext("Enter your comment"))
    else:
        try:
            services.comment_on_report(report, by=request.user, text=form.cleaned_data["text"])
            messages.success(request, gettext("Comment sent to the lead reviewer."))
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
    return redirect("reviews:report", pk=review.pk)


@require_POST
def report_resolve(request, pk, comment_id):
    review = get_review_for_user(request.user, pk, "reviews.compile_report")
    comment = get_child_for_user(request.user, ReportComment, comment_id, review)
    shown = _save_summary_first(request, review)
    if shown is not None:
        return shown
    # One form for the whole page: each comment's answer has its own field.
    form = ResolveForm({"response": request.POST.get(f"response-{comment.pk}",
                                                     request.POST.get("response", ""))})
    if not form.is_valid():
        messages.error(request, gettext("Say what you changed, or why the text stands"))
    else:
        try:
            services.resolve_comment(comment, by=request.user,
                                     response=form.cleaned_data["response"])
            messages.success(request, gettext("Answer saved."))
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
    return redirect("reviews:report", pk=review.pk)


@require_POST
def report_accept(request, pk):
    review = get_review_for_user(request.user, pk, "reviews.check_report")
    report = review.reports.filter(status=Report.State.CHECKING).first()
    typed = (request.POST.get("text") or "").strip()
    if report is not None and typed:
        # A comment typed and then "Accept" pressed: the comment is sent, not lost, and the
        # report waits for the lead reviewer's answer.
        try:
            services.comment_on_report(report, by=request.user, text=typed)
            messages.warning(request, gettext("Your comment was sent to the lead reviewer, so the "
                                      "report is not accepted yet. Accept it once they have "
                                      "answered."))
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
    elif report is None:
        messages.error(request, gettext("There is no report waiting for your check"))
    else:
        try:
            services.accept_report(report, by=request.user,
                                   expected_version=parse_id(request.POST.get("version") or "")
                                   if request.POST.get("version") != "0" else 0)
            messages.success(request, f"Report version {report.number} agreed and locked. The "
                                      "PDF is being prepared.")
        except services.EditConflict:
            messages.error(request,
                gettext("The lead reviewer changed the report after you opened it. "
                                    "Read it again before accepting."))
        except workflow.TransitionRefused as e:
            for reason in e.reasons:
                messages.error(request, reason)
    return redirect("reviews:report", pk=review.pk)


@require_GET
def report_pdf(request, pk, number):
    review = get_review_for_user(request.user, pk, "reviews.view_report")
    report = _report_or_404(review, number)
    if report.status != Report.State.AGREED and not (
            report.status == Report.State.SUPERSEDED
            and request.user.has_perm("reviews.view_content", review)):
        raise Http404
    if report.pdf_status != JobState.DONE:
        if request.headers.get("HX-Request"):
            return HttpResponse(status=204)
        return render(request, "reviews/pdf_waiting.html", _review_context(
            request, review, "report", report=report), status=202)
    services.record_disclosure(review, "report_downloaded", by=request.user,
                               version=report.number)
    return stream_download(report.pdf, "application/pdf",
                           f"peer-review-report-{review.host.urn}-v{report.number}.pdf")
