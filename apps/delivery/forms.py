from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from apps.partnerships.models import DeliveryScope

DATE = forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"},
                       format="%Y-%m-%d")
SCOPE_HELP = {
    DeliveryScope.TRAINING: _("Training the partnership's reviewers and Improvement Champions"),
    DeliveryScope.SUPPORT: _("Supporting schools with their action plans and Improvement "
                             "Workshops; sees the partnership's progress counts"),
    DeliveryScope.REVIEWS: _("Supporting the review cycle; sees its schedule and each review's "
                             "status, like the associate, never a review's content"),
}


def _scope_choice(scope: DeliveryScope) -> str:
    return _("%(scope)s: %(what)s") % {"scope": scope.label, "what": SCOPE_HELP[scope]}


SCOPE_CHOICES = [(s.value, lazy(_scope_choice, str)(s)) for s in DeliveryScope]


class FindForm(forms.Form):
    q = forms.CharField(label=_("Name contains"), required=False, max_length=100)


class NominateForm(forms.Form):
    plain_names = {"reason": "why you are nominating this person"}
    reason = forms.CharField(
        label=_("Why are you nominating this person?"), max_length=3000,
        help_text=_("For example, the reviews you have seen them lead and how they support "
                  "other schools. The core team and the person nominated read it"),
        widget=forms.Textarea(attrs={"rows": 6}))


class DecideForm(forms.Form):
    plain_names = {"decision": "whether to approve or decline",
                   "starts_on": "the date the delivery partnership starts",
                   "ends_on": "the date the delivery partnership ends",
                   "note": "the reason for declining"}
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        ("approve", _("Approve: the person becomes a delivery partner")),
        ("decline", _("Decline"))])
    starts_on = forms.DateField(label=_("Delivery partnership starts"), required=False,
                                widget=DATE, help_text=_("Needed to approve"))
    ends_on = forms.DateField(label=_("Delivery partnership ends"), required=False, widget=DATE,
                              help_text=_("Its last day. Needed to approve"))
    note = forms.CharField(label=_("Reason for declining, or a note"), required=False,
                           max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("Needed to decline. The person nominated and the "
                                     "associate read it"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        d = self.cleaned_data
        if d.get("decision") == "approve":
            if not d.get("starts_on") and "starts_on" not in self.errors:
                self.add_error("starts_on", _("Enter the date the delivery partnership starts"))
            if not d.get("ends_on") and "ends_on" not in self.errors:
                self.add_error("ends_on", _("Enter the date the delivery partnership ends"))
            if d.get("starts_on") and d.get("ends_on") and d["ends_on"] < d["starts_on"]:
                self.add_error("ends_on", _("The end date must be the same as or after the "
                                          "start date"))
        elif d.get("decision") == "decline" and not (d.get("note") or "").strip():
            self.add_error("note", _("Enter the reason for declining the nomination"))
        return d


class DatesForm(forms.Form):
    plain_names = {"starts_on": "the date the delivery partnership starts",
                   "ends_on": "the date the delivery partnership ends"}
    starts_on = forms.DateField(label=_("Delivery partnership starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Delivery partnership ends"), widget=DATE,
                              help_text=_("Its last day"))
    version = forms.IntegerField(widget=forms.HiddenInput)


class EndForm(forms.Form):
    plain_names = {"on": "the delivery partnership's last day", "note": "why it ends early"}
    on = forms.DateField(label=_("Last day as a delivery partner"), widget=DATE)
    note = forms.CharField(label=_("Why does it end early? (optional)"), required=False,
                           max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput)


class AttachmentForm(forms.Form):
    plain_names = {"partnership": "the partnership", "scope": "what they will do",
                   "starts_on": "the date the attachment starts",
                   "ends_on": "the date the attachment ends"}
    partnership = forms.ChoiceField(label=_("Partnership"))
    scope = forms.ChoiceField(label=_("What will they do for the partnership?"),
                              widget=forms.RadioSelect, choices=SCOPE_CHOICES)
    starts_on = forms.DateField(label=_("Starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends"), widget=DATE,
                              help_text=_("The last day. Their access to the partnership stops "
                                        "after it"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, partnerships: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if partnerships is None:
            del self.fields["partnership"]
        else:
            self.options = {str(p.pk): p for p in partnerships}
            cast(forms.ChoiceField, self.fields["partnership"]).choices = [
                ("", _("Choose a partnership"))] + [(str(p.pk), p.name) for p in partnerships]

    def clean(self) -> dict[str, Any]:
        super().clean()
        d = self.cleaned_data
        if d.get("starts_on") and d.get("ends_on") and d["ends_on"] < d["starts_on"]:
            self.add_error("ends_on", _("The end date must be the same as or after the start "
                                      "date"))
        return d


class ActivityForm(forms.Form):
    plain_names = {"on": "the date it was delivered", "summary": "what was delivered"}
    on = forms.DateField(label=_("Date delivered"), widget=DATE)
    summary = forms.CharField(label=_("What was delivered?"), max_length=300,
                              help_text=_("For example, reviewer training for six leaders, or "
                                        "a coaching visit on evidence plans"))


SHOW = [("", _("All")), ("waiting", _("Waiting for a decision")),
        ("current", _("Delivery partners now")), ("ended", _("Ended")),
        ("declined", _("Declined")), ("withdrawn", _("Withdrawn"))]


class ShowForm(forms.Form):
    show = forms.ChoiceField(label=_("Show"), choices=SHOW, required=False)
