"""The impact check-back: impact recorded per action, and completing it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from apps.reviews.forms import bind_if_posted, save_sections
from apps.reviews.models import Status

from .. import services
from ..access import get_review_for_user
from ..forms import CompleteCheckBackForm, ImpactForm
from ..models import ActionImpact, CheckBack
from ._common import _context, _errors, support_given


def checkback(request, pk):
    review = get_review_for_user(request.user, pk, "improvement.check_back")
    actions = {a.pk: a for a in review.actions.select_related("owner")}
    # One form for every action and the summary: a save keeps what was typed elsewhere.
    forms = {a_pk: _impact_form(request, a) for a_pk, a in actions.items()}
    complete_form = CompleteCheckBackForm(request.POST or None)
    if request.method == "POST":
        saved, problems = save_sections(
            forms, lambda a_pk, d: services.record_impact(
                actions[a_pk], by=request.user, impact_seen=d["impact_seen"],
                evidence=d["evidence"], next_steps=d["next_steps"],
                expected_version=d["lock_version"], base=d["base"]),
            lambda current: f"{current.recorded_by or 'Someone else'} recorded this impact "
                            "while you were editing, so your changes were not saved. Your "
                            "text is still in the boxes and theirs is shown beside it: "
                            "combine them and save again")
        if saved:
            messages.success(request, "Impact recorded for " + ", ".join(
                f"“{actions[a_pk].title}”" for a_pk in saved) + ".")
        if not problems and request.POST.get("do") == "complete" and complete_form.is_valid():
            try:
                services.complete_checkback(review, by=request.user,
                                            summary=complete_form.cleaned_data["summary"])
            except ValidationError as e:
                _errors(complete_form, e)
            else:
                messages.success(request, gettext("Check-back complete. The review can now be "
                                          "closed; next year's self-review starts from it."))
                return redirect("improvement:checkback", pk=review.pk)
        elif not problems and not complete_form["summary"].value():
            active = request.POST.get("action", "")
            return redirect(reverse("improvement:checkback", args=[review.pk])
                            + (f"#action-{active}" if active.isdigit() else ""))
        for a_pk in set(forms) - set(problems):  # saved or untouched: show what is stored
            forms[a_pk] = _impact_form(request, actions[a_pk], bound=False)
    given = support_given(request.user, actions.values())
    rows = [(a, forms[a.pk], getattr(a, "impact", None), given.get(a.pk, []))
            for a in actions.values()]
    return render(request, "improvement/checkback.html", _context(
        request, review, "checkback", rows=rows,
        checkback=CheckBack.objects.filter(review=review).first(),
        complete_form=complete_form, open_for_impact=review.status == Status.ACTING))


def _impact_form(request, action, bound=True):
    impact = ActionImpact.objects.filter(action=action).first()
    initial = {"impact_seen": impact.impact_seen if impact else "",
               "evidence": impact.evidence if impact else "",
               "next_steps": impact.next_steps if impact else "",
               "lock_version": impact.lock_version if impact else 0}
    return bind_if_posted(request, ImpactForm, f"a{action.pk}", initial=initial) if bound \
        else ImpactForm(prefix=f"a{action.pk}", initial=initial)
