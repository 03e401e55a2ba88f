"""The evidence-gathering (visit) plan and its activities."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import services
from ..access import get_child_for_user, get_review_for_request, get_review_for_user
from ..forms import ActivityForm
from ..models import Activity
from ._common import _conflict_message, _errors_to_form, _review_context


def plan(request, pk):
    review = get_review_for_request(request, pk, "reviews.view_content",
                                    write="reviews.edit_plan")
    can_edit = request.user.has_perm("reviews.edit_plan", review)
    form = ActivityForm(request.POST or None, review=review,
                        initial={"on": review.review_starts_on})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_activity(review, by=request.user, **form.values())
            except ValidationError as e:
                _errors_to_form(form, e)
            else:
                messages.success(request, "Activity added to the plan.")
                return redirect("reviews:plan", pk=review.pk)
    services.record_disclosure(review, "visit_plan_viewed", by=request.user)
    return render(request, "reviews/plan.html", _review_context(
        request, review, "visit_plan", form=form, can_edit=can_edit,
        activities=review.activities.all()))


def activity_edit(request, pk, activity_id):
    review = get_review_for_user(request.user, pk, "reviews.edit_plan")
    activity = get_child_for_user(request.user, Activity, activity_id, review)
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
            messages.success(request, "Activity saved.")
            return redirect("reviews:plan", pk=review.pk)
    return render(request, "reviews/form_page.html", _review_context(
        request, review, "visit_plan", form=form, heading="Change an activity", button="Save",
        back=reverse("reviews:plan", args=[review.pk]), back_label="Evidence-gathering plan"))


@require_POST
def activity_remove(request, pk, activity_id):
    review = get_review_for_user(request.user, pk, "reviews.edit_plan")
    activity = get_child_for_user(request.user, Activity, activity_id, review)
    try:
        services.remove_activity(activity, by=request.user)
        messages.success(request, "Activity removed.")
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("reviews:plan", pk=review.pk)
