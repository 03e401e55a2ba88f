from __future__ import annotations

from typing import Any, cast

from django import forms

from apps.partnerships.models import DeliveryScope

DATE = forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"},
                       format="%Y-%m-%d")
SCOPE_HELP = {
    DeliveryScope.TRAINING: "Training the partnership's reviewers and Improvement Champions",
    DeliveryScope.SUPPORT: "Supporting schools with their action plans and Improvement "
                           "Workshops; sees the partnership's progress counts",
    DeliveryScope.REVIEWS: "Supporting the review cycle; sees its schedule and each review's "
                           "status, like the associate, never a review's content",
}
SCOPE_CHOICES = [(s.value, f"{s.label}: {SCOPE_HELP[s]}") for s in DeliveryScope]


class FindForm(forms.Form):
    q = forms.CharField(label="Name contains", required=False, max_length=100)


class NominateForm(forms.Form):
    plain_names = {"reason": "why you are nominating this person"}
    reason = forms.CharField(
        label="Why are you nominating this person?", max_length=3000,
        help_text="For example, the reviews you have seen them lead and how they support "
                  "other schools. The core team and the person nominated read it",
        widget=forms.Textarea(attrs={"rows": 6}))


class DecideForm(forms.Form):
    plain_names = {"decision": "whether to approve or decline",
                   "starts_on": "the date the delivery partnership starts",
                   "ends_on": "the date the delivery partnership ends",
                   "note": "the reason for declining"}
    decision = forms.ChoiceField(label="Decision", widget=forms.RadioSelect, choices=[
        ("approve", "Approve: the person becomes a delivery partner"),
        ("decline", "Decline")])
    starts_on = forms.DateField(label="Delivery partnership starts", required=False,
                                widget=DATE, help_text="Needed to approve")
    ends_on = forms.DateField(label="Delivery partnership ends", required=False, widget=DATE,
                              help_text="Its last day. Needed to approve")
    note = forms.CharField(label="Reason for declining, or a note", required=False,
                           max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text="Needed to decline. The person nominated and the "
                                     "associate read it")

    def clean(self) -> dict[str, Any]:
        super().clean()
        d = self.cleaned_data
        if d.get("decision") == "approve":
            if not d.get("starts_on") and "starts_on" not in self.errors:
                self.add_error("starts_on", "Enter the date the delivery partnership starts")
            if not d.get("ends_on") and "ends_on" not in self.errors:
                self.add_error("ends_on", "Enter the date the delivery partnership ends")
            if d.get("starts_on") and d.get("ends_on") and d["ends_on"] < d["starts_on"]:
                self.add_error("ends_on", "The end date must be the same as or after the "
                                          "start date")
        elif d.get("decision") == "decline" and not (d.get("note") or "").strip():
            self.add_error("note", "Enter the reason for declining the nomination")
        return d


class DatesForm(forms.Form):
    plain_names = {"starts_on": "the date the delivery partnership starts",
                   "ends_on": "the date the delivery partnership ends"}
    starts_on = forms.DateField(label="Delivery partnership starts", widget=DATE)
    ends_on = forms.DateField(label="Delivery partnership ends", widget=DATE,
                              help_text="Its last day")
    version = forms.IntegerField(widget=forms.HiddenInput)


class EndForm(forms.Form):
    plain_names = {"on": "the delivery partnership's last day", "note": "why it ends early"}
    on = forms.DateField(label="Last day as a delivery partner", widget=DATE)
    note = forms.CharField(label="Why does it end early? (optional)", required=False,
                           max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput)


class AttachmentForm(forms.Form):
    plain_names = {"partnership": "the partnership", "scope": "what they will do",
                   "starts_on": "the date the attachment starts",
                   "ends_on": "the date the attachment ends"}
    partnership = forms.ChoiceField(label="Partnership")
    scope = forms.ChoiceField(label="What will they do for the partnership?",
                              widget=forms.RadioSelect, choices=SCOPE_CHOICES)
    starts_on = forms.DateField(label="Starts", widget=DATE)
    ends_on = forms.DateField(label="Ends", widget=DATE,
                              help_text="The last day. Their access to the partnership stops "
                                        "after it")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, partnerships: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if partnerships is None:
            del self.fields["partnership"]
        else:
            self.options = {str(p.pk): p for p in partnerships}
            cast(forms.ChoiceField, self.fields["partnership"]).choices = [
                ("", "Choose a partnership")] + [(str(p.pk), p.name) for p in partnerships]

    def clean(self) -> dict[str, Any]:
        super().clean()
        d = self.cleaned_data
        if d.get("starts_on") and d.get("ends_on") and d["ends_on"] < d["starts_on"]:
            self.add_error("ends_on", "The end date must be the same as or after the start "
                                      "date")
        return d


class ActivityForm(forms.Form):
    plain_names = {"on": "the date it was delivered", "summary": "what was delivered"}
    on = forms.DateField(label="Date delivered", widget=DATE)
    summary = forms.CharField(label="What was delivered?", max_length=300,
                              help_text="For example, reviewer training for six leaders, or "
                                        "a coaching visit on evidence plans")


SHOW = [("", "All"), ("waiting", "Waiting for a decision"), ("current", "Delivery partners now"),
        ("ended", "Ended"), ("declined", "Declined"), ("withdrawn", "Withdrawn")]


class ShowForm(forms.Form):
    show = forms.ChoiceField(label="Show", choices=SHOW, required=False)
