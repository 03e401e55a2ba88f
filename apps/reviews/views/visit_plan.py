"""The evidence-gathering (visit) plan and its activities."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from .. import services
from ..access import get_child_for_user, get_review_for_request, get_review_for_user
from ..forms import ActivityForm
from ..models import Activity
from ._common import _conflict_message, _errors_to_form, _review_context


def plan(request, pk):
    review = get_review_for_request(request, pk, "reviews.view_content",
                                    write="reviews.edit_plan")
    # Once the review has started the plan is the record of what was planned: no changes
    # offered, and a change posted anyway is refused (403), as for the enquiry.
    editable = review.status in services.ACTIVITY_STATUSES
    can_edit = editable and request.user.has_perm("reviews.edit_plan", review)
    form = ActivityForm(request.POST or None, review=review,
                        initial={"on": review.review_starts_on})
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.save_activity(review, by=request.user, **form.values())
            except ValidationError as e:
                _errors_to_form(form, e)
            else:
                messages.success(request, gettext("Activity added to the plan."))
                return redirect("reviews:plan", pk=review.pk)
    services.record_disclosure(review, "visit_plan_viewed", by=request.user)
    return render(request, "reviews/plan.html", _review_context(
        request, review, "visit_plan", form=form, can_edit=can_edit,
        activities=review.activities.all()))


def _open_plan(request, pk, activity_id):
    """The review and activity, for a change to the plan: 403 once the review started."""
    review = get_review_for_user(request.user, pk, "reviews.edit_plan")
    activity = get_child_for_user(request.user, Activity, activity_id, review)
    if review.status not in services.ACTIVITY_STATUSES:
        raise PermissionDenied
    return review, activity


def activity_edit(request, pk, activity_id):
    review, activity = _open_plan(request, pk, activity_id)
    form = ActivityForm(request.POST or None, instance=activity, review=review)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_activity(review, by=request.user, activity=activity,
                                   expected_version=form.cleaned_data["lock_version"],
                                   base=form.cleaned_data["base"], **form.values())
        except services.EditConflict as e:
            form.add_error(None, _conflict_message("this activity")(e.current))
            form.show_conflict(e.current)
        except ValidationError as e:
            _errors_to_form(form, e)
        else:
            messages.success(request, gettext("Activity saved."))
            return redirect("reviews:plan", pk=review.pk)
    return render(request, "reviews/form_page.html", _review_context(
        request, review, "visit_plan", form=form, heading="Change an activity", button="Save",
        back=reverse("reviews:plan", args=[review.pk]), back_label="Evidence-gathering plan"))


@require_POST
def activity_remove(request, pk, activity_id):
    review, activity = _open_plan(request, pk, activity_id)
    try:
        services.remove_activity(activity, by=request.user)
        messages.success(request, gettext("Activity removed."))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("reviews:plan", pk=review.pk)
