from django import forms
from django.utils import timezone

from apps.schools.models import School

from .models import Organisation, Phase


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "govuk-input--width-10", **(attrs or {})},
                         format="%Y-%m-%d")


class PartnershipForm(forms.Form):
    name = forms.CharField(label="Partnership name", max_length=200)
    organisation = forms.ModelChoiceField(
        label="Commissioning organisation", queryset=Organisation.objects.all(), required=False,
        empty_label="None yet")
    phase = forms.ChoiceField(label="Starting phase", choices=Phase.choices,
                              widget=forms.RadioSelect, initial=Phase.BUILD)
    started_on = forms.DateField(label="Phase starts on", widget=DateInput(),
                                 initial=timezone.localdate)


class AddSchoolForm(forms.Form):
    urn = forms.IntegerField(label="School URN", min_value=1,
                             help_text="The school's unique reference number from the register",
                             widget=forms.NumberInput(attrs={"class": "govuk-input--width-10"}))
    joined_on = forms.DateField(label="Joined on", widget=DateInput(),
                                initial=timezone.localdate)

    def clean_urn(self):
        urn = self.cleaned_data["urn"]
        school = School.objects.filter(urn=urn).first()
        if school is None:
            raise forms.ValidationError("No school in the register has this URN")
        if not school.is_open:
            raise forms.ValidationError(f"{school.name} is closed")
        self.school = school
        return urn


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(label="New phase", choices=Phase.choices, widget=forms.RadioSelect)
    started_on = forms.DateField(label="Starts on", widget=DateInput(),
                                 initial=timezone.localdate)
    note = forms.CharField(label="Note (optional)", max_length=255, required=False)


class LeaveForm(forms.Form):
    left_on = forms.DateField(label="Left on", widget=DateInput(), initial=timezone.localdate,
                              help_text="The school's history in the partnership is kept")
