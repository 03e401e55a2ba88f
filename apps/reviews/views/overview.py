"""One review's overview: its page, dates, settings and status changes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from apps.core import dates

from .. import schedule, services, workflow
from ..access import get_review_for_user
from ..forms import ReasonForm, ReviewSettingsForm, ScheduleForm
from ..models import LIVE_PLACES, STEPS, Report, TeamMember
from ._common import _errors_to_form, _review_context

# Steps that change the plan rather than move the review on: never listed under "What
# happens next", but offered at the foot of the page (Postpone only when there are dates to
# put off; Cancel as a link to its confirmation page).
CHANGE_OF_PLAN = ("postpone", "cancel")


@require_GET
def detail(request, pk):
    review = get_review_for_user(request.user, pk)
    user = request.user
    available, upcoming = workflow.available(review, user), workflow.upcoming(review)
    mine = {t.name: (t, missing) for t, missing in available}
    # While the impact check-back is not done (the improvement app's guard on "close"), the
    # next step is the check-back, not closing the review.
    close = workflow.TRANSITIONS["close"]
    checkback_due = close.guard(review) if review.status in close.sources else []
    hidden = set(CHANGE_OF_PLAN) | ({"close"} if checkback_due else set())
    actions = [(t, missing) for t, missing in available if t.name not in hidden]
    has_dates = any(getattr(review, f) for f, _ in STEPS)
    postpone = mine.get("postpone") if has_dates else None
    cancel = mine.get("cancel")
    return render(request, "reviews/detail.html", _review_context(
        request, review, "overview",
        steps=[(label, getattr(review, f), schedule.step_state(review, f))
               for f, label in review.steps],
        state_labels=schedule.STATE_LABELS, state_tags=schedule.STATE_TAGS,
        actions=actions,
        upcoming=[t for t in upcoming if t.name not in hidden],
        # The main steps someone else takes next, beside the ones this person can take.
        others_next=[t for t in upcoming if t.name not in mine and t.name not in hidden],
        checkback_due=checkback_due,
        can_check_back=bool(checkback_due) and user.has_perm("improvement.check_back", review),
        postpone=postpone[0] if postpone and not postpone[1] else None,
        cancel=cancel[0] if cancel and not cancel[1] else None,
        history=review.history.select_related("by"),
        team=review.team.filter(status__in=LIVE_PLACES).select_related(
            "user", "school"),
        can_edit_schedule=user.has_perm("reviews.edit_schedule", review),
        can_edit_settings=user.has_perm("reviews.edit_settings", review),
        can_raise=user.has_perm("reviews.raise_safeguarding", review),
        my_invitation=review.team.filter(user=user, status=TeamMember.State.INVITED).first()))


def edit_schedule(request, pk):
    review = get_review_for_user(request.user, pk, "reviews.edit_schedule")
    initial = {f: getattr(review, f) for f, _ in STEPS}
    initial.update(review_days=review.review_days, lock_version=review.lock_version)
    form = ScheduleForm(request.POST or None, initial=initial, rapid=review.is_rapid)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        expected = d.pop("lock_version")
        filled = schedule.fill_rapid_dates(d, d.get("review_starts_on")) \
            if review.is_rapid else []
        try:
            changed = services.update_schedule(review, by=request.user,
                                               expected_version=expected, **d)
        except services.EditConflict as e:
            form.add_error(None, gettext(
                "Someone else changed these dates while you were editing, so yours were not "
                "saved. Your dates are still in the form and the saved ones are shown above "
                "it: check them and save again"))
            form.show_conflict(e.current)
        except ValidationError as e:
            _errors_to_form(form, e)
        else:
            if changed:
                _say_dates_saved(request, review, d, filled)
                return redirect("reviews:detail", pk=review.pk)
            # Nothing to save is not a success: stay on the form and say what to do.
            if not any(d.get(f) for f, _ in STEPS):
                form.add_error("review_starts_on", gettext(
                    "Enter at least the first review day") if not review.is_rapid else gettext(
                    "Enter at least the day of the virtual review activities"))
            else:
                form.add_error(None, gettext(
                    "You have not changed any dates. Change a date and save, or go back to "
                    "the review"))
    return render(request, "reviews/form_page.html", _review_context(
        request, review, "overview", form=form,
        heading=gettext("Dates for the review of %(school)s (%(cycle)s)")
        % {"school": review.host.name, "cycle": review.cycle.label},
        button=gettext("Save dates"), back=reverse("reviews:detail", args=[review.pk]),
        back_label=str(review),
        intro=(gettext("This is a Rapid Response review: set the day of its online activities "
                       "and the other dates can be left blank to follow the shorter "
                       "timeline.") + " " if review.is_rapid else "")
        + gettext("Warnings about term dates, clashes and order show on the cycle page.")))


def _say_dates_saved(request, review, d, filled) -> None:
    messages.success(request, gettext("Dates saved. Calendar invitations have been updated."))
    if filled:
        labels = dict(review.steps)
        messages.info(request, gettext(
            "Dates left blank were filled from the Rapid Response timeline: %(dates)s")
            % {"dates": "; ".join(f"{labels[f]}: {date_format(d[f], 'j F Y')}"
                                  for f in filled)})


def edit_settings(request, pk):
    review = get_review_for_user(request.user, pk, "reviews.edit_settings")
    form = ReviewSettingsForm(request.POST or None, initial={
        "framework_version": review.framework_version, "mode": review.mode,
        "meeting_link": review.meeting_link, "focus_areas": review.focus_areas})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_review_settings(review, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            _errors_to_form(form, e)
        else:
            messages.success(request, gettext("Saved."))
            return redirect("reviews:detail", pk=review.pk)
    return render(request, "reviews/form_page.html", _review_context(
        request, review, "overview", form=form, heading="Framework and how the review runs",
        button="Save", back=reverse("reviews:detail", args=[review.pk]),
        back_label=str(review)))


def _what_is_confirmed(request, review, name: str) -> list[dict]:
    """What a step commits to, shown on its confirmation page: for agreeing the enquiry the
    question, the lines of enquiry and the visit plan (to those who may read them); for
    scheduling the days, how the review runs and the team; for accepting the report, the
    version."""
    sections: list[dict] = []
    if name == "agree_enquiry" and request.user.has_perm("reviews.view_content", review):
        sections.append({"heading": "The enquiry", "rows": [
            ("Key enquiry question", review.key_question or "Not written yet"),
            *[(f"Line of enquiry {line.position}", line.text)
              for line in review.lines.order_by("position")]]})
        sections.append({"heading": "The visit plan", "rows": [
            (f"{dates.date_text(a.on)}, {dates.time_range_text(a.starts_at, a.ends_at)}",
             f"{a.get_kind_display()}" + (f" – {a.place}" if a.place else ""))
            for a in review.activities.order_by("on", "starts_at")]})
    if name == "schedule":
        team = review.team.filter(status=TeamMember.State.ACCEPTED).select_related("user")
        sections.append({"heading": "The review", "rows": [
            ("Review day", f"{review.review_starts_on:%-d %B %Y}"
             if review.review_starts_on else "Not set"),
            ("How it runs", review.get_mode_display()),
            *[(m.get_role_display(), m.user.display_name) for m in team]]})
    if name in ("cancel", "postpone"):
        team = review.team.filter(status__in=LIVE_PLACES).select_related("user")
        sections.append({"heading": gettext("The review"), "rows": [
            (gettext("School"), review.host.name),
            (gettext("Cycle"), review.cycle.label),
            (gettext("Status now"), review.get_status_display()),
            *[(label, date_format(getattr(review, f), "l j F Y"))
              for f, label in review.steps if getattr(review, f)],
            (gettext("Team"), ", ".join(m.user.display_name for m in team)
             or gettext("Nobody yet"))]})
        sections.append({"heading": gettext("What happens"), "rows": [
            (gettext("Who is told"), gettext(
                "The host school's leaders, the review team and the partnership lead")),
            (gettext("Calendars"), gettext("Invitations to the review's dates are withdrawn")),
            (gettext("Afterwards"), gettext(
                "The review can be resumed: its dates and work are kept") if name == "postpone"
             else gettext("The review cannot be reopened. Its records are kept"))]})
    if name == "agree_report":
        report = review.reports.filter(status=Report.State.CHECKING).first()
        if report is not None:
            sections.append({"heading": "The report", "rows": [
                ("Version", f"Version {report.number}, sent for checking "
                            f"{(report.submitted_at or report.created_at):%-d %B %Y}"),
                ("Comments", f"{report.comments.count()} factual-accuracy comment"
                             f"{'' if report.comments.count() == 1 else 's'}, all answered")]})
    return sections


def change_status(request, pk, name):
    review = get_review_for_user(request.user, pk)
    t = workflow.TRANSITIONS.get(name)
    if t is None:
        raise Http404
    if not t.who.test(request.user, review):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if t.needs_reason:
        form.fields["reason"].required = True
        form.fields["reason"].error_messages["required"] = "Give a reason"
    if request.method == "POST" and form.is_valid():
        try:
            workflow.transition(review, name, by=request.user,
                                reason=form.cleaned_data["reason"])
        except workflow.TransitionRefused as e:
            for reason in e.reasons:
                messages.error(request, reason)
        else:
            messages.success(request, t.done)
        return redirect("reviews:detail", pk=review.pk)
    return render(request, "reviews/confirm_status.html", _review_context(
        request, review, "overview", form=form, transition=t,
        confirming=_what_is_confirmed(request, review, name),
        missing=t.guard(review) if review.status in t.sources else
        [f"Not possible while the review is {review.get_status_display().lower()}"]))
