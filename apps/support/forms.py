"""Forms for school-to-school support. The rules for an offer and for a record of support
given live in ``services.py``; the forms show the same problems, all at once."""

from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

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
    where = forms.ChoiceField(label=_("Offered by"), widget=forms.RadioSelect, error_messages={
        "required": _("Choose the school the offer is from")})
    area = forms.ChoiceField(label=_("Area of strength"), required=False,
                             choices=[("", _("Choose an area")), *Area.choices])
    title = forms.CharField(label=_("What you can offer"), required=False, max_length=200,
                            help_text=_("For example: coaching in early reading for Key Stage 1 "
                                        "teachers"))
    details = _text(_("More about it (optional)"), rows=4,
                    help_text=_("What the support could look like, and what has worked here"))
    people = _text(_("Who would help"), rows=2,
                   help_text=_("Names or roles, for example: our English lead and a Year 2 "
                               "teacher"))
    hours = _hours(_("Time available (hours)"), help_text=_("Roughly, over this school year"))
    share_across = forms.BooleanField(
        label=_("Also suggest this offer to schools across the programme that ask for support"),
        required=False,
        help_text=_("Only if your school is listed in the community directory: schools outside "
                    "your partnership may then see your school's name and what you offer."))

    def __init__(self, *args, places=(), **kwargs):
        """``places``: (school, partnership) pairs the person may offer within. With only one
        there is nothing to choose."""
        super().__init__(*args, **kwargs)
        self.places = {f"{s.pk}-{p.pk}": (s, p) for s, p in places}
        if len(self.places) > 1:
            self.fields["where"].choices = [
                (key, gettext("%(school)s, in %(partnership)s") % {"school": s.name,
                                                                   "partnership": p})
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
    need = _text(_("The support you would like"), rows=5, max_length=10000,
                 help_text=_("The partnership lead and the school that helps will read this. "
                             "Write only what you are happy for them to see: the action itself "
                             "stays with your school unless you share the plan"))
    hours_wanted = _hours(_("Time wanted (hours, optional)"))


class _SchoolChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class _OfferChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return ngettext("%(title)s – %(school)s, %(hours)s hour",
                        "%(title)s – %(school)s, %(hours)s hours", obj.hours) % {
            "title": obj.title, "school": obj.school.name, "hours": obj.hours}


class BrokerForm(forms.Form):
    provider = _SchoolChoice(
        label=_("School to give the support"), required=False,
        queryset=School.objects.none(), empty_label=_("Choose a school"), error_messages={
            "invalid_choice": _("Choose another school of the partnership than the one asking")})
    offer = _OfferChoice(
        label=_("Its offer (optional)"), required=False, queryset=SupportOffer.objects.none(),
        empty_label=_("No particular offer"),
        help_text=_("Offers in the same area as the request"),
        error_messages={"invalid_choice": _("Choose one of the open offers listed")})

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
    reason = _text(_("Reason"))

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label is not None:
            self.fields["reason"].label = label


class DeliveryForm(forms.Form):
    # The browser's date picker has no typed format to show, so the message only names the
    # field (no "for example 27 3 2027").
    delivered_from = forms.DateField(label=_("First day"), required=False, widget=DATE,
                                     error_messages={
                                         "invalid": _("The first day must be a real date")})
    delivered_to = forms.DateField(label=_("Last day"), required=False, widget=DATE,
                                   help_text=_("The same as the first day for a single visit"),
                                   error_messages={
                                       "invalid": _("The last day must be a real date")})
    hours_given = _hours(_("Hours given"))
    people = _text(_("Who gave the support"), rows=2)
    outcome = _text(_("What difference it made"), rows=5, max_length=10000,
                    help_text=_("What changed at the school that asked, and how you know"))

    def clean(self):
        d = super().clean()
        _add_problems(self, services.delivery_problems(**{
            f: d.get(f) for f in ("delivered_from", "delivered_to", "hours_given", "people",
                                  "outcome")}))
        return d
