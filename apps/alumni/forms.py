from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"},
                       format="%Y-%m-%d")
REASON_HELP = _("For example, how your schools keep reviewing each other and what you hope "
                "to get from the alumni community")


class RequestForm(forms.Form):
    """Ask to join: for which school or partnership (only those the person may ask for), and
    why."""

    plain_names = {"applicant": "the school or partnership", "reason": "why you want to join"}
    applicant = forms.ChoiceField(label=_("Who is asking to join?"), widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Why do you want to join the alumni programme?"),
                             help_text=REASON_HELP, max_length=3000,
                             widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, schools: Any = (), partnerships: Any = (),
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options = {f"partnership-{p.pk}": p for p in partnerships}
        self.options |= {f"school-{s.pk}": s for s in schools}
        cast(forms.ChoiceField, self.fields["applicant"]).choices = (
            [(f"partnership-{p.pk}", _("%(name)s (the partnership)") % {"name": p.name})
             for p in partnerships]
            + [(f"school-{s.pk}", s.name) for s in schools])
        if len(self.options) == 1:
            self.fields["applicant"].initial = next(iter(self.options))

    def chosen(self) -> dict[str, Any]:
        key = self.cleaned_data["applicant"]
        kind = "partnership" if key.startswith("partnership-") else "school"
        return {kind: self.options[key]}


class RenewForm(forms.Form):
    plain_names = {"reason": "why you want to renew"}
    reason = forms.CharField(label=_("Why do you want to renew the membership?"),
                             help_text=_("For example, what your schools did with the alumni "
                                       "community this year"),
                             max_length=3000, widget=forms.Textarea(attrs={"rows": 5}))


class DecideForm(forms.Form):
    plain_names = {"decision": "whether to approve or decline",
                   "starts_on": "the date the membership starts",
                   "ends_on": "the date the membership ends",
                   "note": "the reason for declining"}
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        ("approve", _("Approve: the school or partnership joins the alumni programme")),
        ("decline", _("Decline"))])
    starts_on = forms.DateField(label=_("Membership starts"), required=False, widget=DATE,
                                help_text=_("Needed to approve"))
    ends_on = forms.DateField(label=_("Membership ends"), required=False, widget=DATE,
                              help_text=_("Its last day. Needed to approve"))
    note = forms.CharField(label=_("Reason for declining"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("Needed to decline. The person who asked reads it"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        d = self.cleaned_data
        if d.get("decision") == "approve":
            if not d.get("starts_on") and "starts_on" not in self.errors:
                self.add_error("starts_on", _("Enter the date the membership starts"))
            if not d.get("ends_on") and "ends_on" not in self.errors:
                self.add_error("ends_on", _("Enter the date the membership ends"))
            if d.get("starts_on") and d.get("ends_on") and d["ends_on"] < d["starts_on"]:
                self.add_error("ends_on", _("The end date must be the same as or after the "
                                            "start date"))
        elif d.get("decision") == "decline" and not (d.get("note") or "").strip():
            self.add_error("note", _("Enter the reason for declining the request"))
        return d


class DatesForm(forms.Form):
    plain_names = {"starts_on": "the date the membership starts",
                   "ends_on": "the date the membership ends"}
    starts_on = forms.DateField(label=_("Membership starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Membership ends"), widget=DATE, help_text=_("Its last day"))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        super().clean()
        d = self.cleaned_data
        if d.get("starts_on") and d.get("ends_on") and d["ends_on"] < d["starts_on"]:
            self.add_error("ends_on", _("The end date must be the same as or after the "
                                        "start date"))
        return d


class EndForm(forms.Form):
    plain_names = {"on": "the membership's last day", "note": "why it ends early"}
    on = forms.DateField(label=_("Last day of membership"), widget=DATE)
    note = forms.CharField(label=_("Why does it end early? (optional)"), required=False,
                           max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput)


SHOW = [("", _("All")), ("waiting", _("Waiting for a decision")), ("current", _("Members now")),
        ("due", _("Renewal due")), ("ended", _("Ended")), ("declined", _("Declined")),
        ("withdrawn", _("Withdrawn"))]
KINDS = [("", _("Schools and partnerships")), ("school", _("Schools")),
         ("partnership", _("Partnerships"))]


class FilterForm(forms.Form):
    show = forms.ChoiceField(label=_("Show"), choices=SHOW, required=False)
    kind = forms.ChoiceField(label=_("Who"), choices=KINDS, required=False)
    q = forms.CharField(label=_("Name contains"), required=False, max_length=100)
