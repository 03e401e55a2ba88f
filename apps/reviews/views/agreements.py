"""Cross-partnership reviews as an agreement between two partnerships' leads: the asked
partnership's lead reads what is being asked and agrees or declines."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from .. import services
from ..access import get_agreement_for_request
from ._common import _errors_to_form


class AnswerForm(forms.Form):
    plain_names = {"answer": "whether your partnership agrees"}
    answer = forms.ChoiceField(
        label="Will your partnership share its trained reviewers with this cycle?",
        choices=[("agree", "Yes, our trained reviewers may be invited"),
                 ("decline", "No, not this year")], widget=forms.RadioSelect)
    reason = forms.CharField(label="If not, why not (the other lead sees this)",
                             required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}))


def agreement(request, pk):
    agreement = get_agreement_for_request(request, pk)
    can_answer = request.user.has_perm("reviews.answer_partner_request", agreement)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        agree = form.cleaned_data["answer"] == "agree"
        try:
            services.answer_partner_request(agreement, by=request.user, agree=agree,
                                            reason=form.cleaned_data["reason"])
        except ValidationError as e:
            _errors_to_form(form, e)
        else:
            messages.success(request, f"{agreement.cycle.partnership.name} has been told: "
                             + ("you agreed." if agree else "you declined."))
            return redirect("reviews:agreement", pk=agreement.pk)
    return render(request, "reviews/agreement.html", {
        "agreement": agreement, "form": form, "can_answer": can_answer,
        "cycle": agreement.cycle})
