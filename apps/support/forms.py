"""Forms for school-to-school support. The rules for an offer and for a record of support
given live in ``services.py``; the forms show the same problems, all at once."""

from django import forms

from apps.frameworks.areas import Area
from apps.schools.models import School

from . import services
from .models import SupportOffer


def _add_problems(form, problems: dict) -> None:
    for field, message in problems.items():
        if field not in form.errors:
            form.add_error(field, message)


DATE = forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"},
                       format="%Y-%m-%d")
HOURS = forms.NumberInput(attrs={"class": "govuk-input--width-4"})


def _text(label, rows=3, help_text="", max_length=5000, required=False):
    return forms.CharField(label=label, required=required, max_length=max_length,
                           help_text=help_text, widget=forms.Textarea(attrs={"rows": rows}))


def _hours(label, help_text=""):
    return forms.IntegerField(label=label, required=False, min_value=1, max_value=1000,
                              help_text=help_text, widget=HOURS)


class OfferForm(forms.Form):
    where = forms.ChoiceField(label="Offered by", widget=forms.RadioSelect, error_messages={
        "required": "Choose the school the offer is from"})
    area = forms.ChoiceField(label="Area of strength", required=False,
                             choices=[("", "Choose an area"), *Area.choices])
    title = forms.CharField(label="What you can offer", required=False, max_length=200,
                            help_text="For example: coaching in early reading for Key Stage 1 "
                                      "teachers")
    details = _text("More about it (optional)", rows=4,
                    help_text="What the support could look like, and what has worked here")
    people = _text("Who would help", rows=2,
                   help_text="Names or roles, for example: our English lead and a Year 2 "
                             "teacher")
    hours = _hours("Time available (hours)", help_text="Roughly, over this school year")
    share_across = forms.BooleanField(
        label="Also suggest this offer to schools across the programme that ask for support",
        required=False,
        help_text="Only if your school is listed in the community directory: schools outside "
                  "your partnership may then see your school's name and what you offer.")

    def __init__(self, *args, places=(), **kwargs):
        """``places``: (school, partnership) pairs the person may offer within. With only one
        there is nothing to choose."""
        super().__init__(*args, **kwargs)
        self.places = {f"{s.pk}-{p.pk}": (s, p) for s, p in places}
        if len(self.places) > 1:
            self.fields["where"].choices = [(key, f"{s.name}, in {p}")
                                            for key, (s, p) in self.places.items()]
        else:
            del self.fields["where"]

    def clean(self):
        d = super().clean()
        _add_problems(self, services.offer_problems(
            area=d.get("area"), title=d.get("title"), people=d.get("people"),
            hours=d.get("hours")))
        return d

    def place(self):
        if "where" not in self.fields:
            return next(iter(self.places.values()))
        return self.places[self.cleaned_data["where"]]


class RequestForm(forms.Form):
    need = _text("The support you would like", rows=5, max_length=10000,
                 help_text="The partnership lead and the school that helps will read this. "
                           "Write only what you are happy for them to see: the action itself "
                           "stays with your school unless you share the plan")
    hours_wanted = _hours("Time wanted (hours, optional)")


class _SchoolChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class _OfferChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} – {obj.school.name}, {obj.hours} hours"


class BrokerForm(forms.Form):
    provider = _SchoolChoice(
        label="School to give the support", required=False, queryset=School.objects.none(),
        empty_label="Choose a school", error_messages={
            "invalid_choice": "Choose another school of the partnership than the one asking"})
    offer = _OfferChoice(
        label="Its offer (optional)", required=False, queryset=SupportOffer.objects.none(),
        empty_label="No particular offer", help_text="Offers in the same area as the request",
        error_messages={"invalid_choice": "Choose one of the open offers listed"})

    def __init__(self, *args, support_request=None, **kwargs):
        kwargs.setdefault("prefix", f"r{support_request.pk}")
        super().__init__(*args, **kwargs)
        partnership = support_request.partnership
        self.fields["provider"].queryset = partnership.current_schools().exclude(
            pk=support_request.school_id).order_by("name")
        self.fields["offer"].queryset = partnership.support_offers.filter(
            withdrawn_at__isnull=True, area=support_request.action.area).exclude(
            school_id=support_request.school_id).select_related("school").order_by(
            "school__name", "title")


class ReasonForm(forms.Form):
    reason = _text("Reason")

    def __init__(self, *args, label="Reason", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label


class DeliveryForm(forms.Form):
    delivered_from = forms.DateField(label="First day", required=False, widget=DATE)
    delivered_to = forms.DateField(label="Last day", required=False, widget=DATE,
                                   help_text="The same as the first day for a single visit")
    hours_given = _hours("Hours given")
    people = _text("Who gave the support", rows=2)
    outcome = _text("What difference it made", rows=5, max_length=10000,
                    help_text="What changed at the school that asked, and how you know")

    def clean(self):
        d = super().clean()
        _add_problems(self, services.delivery_problems(**{
            f: d.get(f) for f in ("delivered_from", "delivered_to", "hours_given", "people",
                                  "outcome")}))
        return d
