from datetime import datetime

from django import forms
from django.utils import timezone

from apps.accounts.models import User
from apps.reviews.forms import DATE, TIME

from .models import Audience, Course, CourseKind, Grants, Session

MAX_PARTS = 3


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ["kind", "title", "summary", "audience", "grants", "validity_months"]
        widgets = {"audience": forms.RadioSelect, "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = CourseKind.choices
        self.fields["audience"].choices = Audience.choices
        self.fields["grants"].choices = Grants.choices


def local_datetime(day, at) -> datetime:
    """A date and a wall-clock time in Europe/London as an aware datetime (correct on both
    sides of a clock change)."""
    return timezone.make_aware(datetime.combine(day, at), timezone.get_default_timezone())


class SessionForm(forms.Form):
    title = forms.CharField(label="Name of this session (optional)", required=False,
                            max_length=200)
    mode = forms.ChoiceField(label="Where", choices=Session.Mode.choices,
                             widget=forms.RadioSelect, initial=Session.Mode.ONLINE)
    joining_link = forms.URLField(label="Joining link", required=False, max_length=500,
                                  assume_scheme="https",
                                  help_text="Shown only to people with a place")
    venue = forms.CharField(label="Venue", required=False, max_length=200)
    address = forms.CharField(label="Address", required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    accessibility = forms.CharField(label="Accessibility notes", required=False,
                                    max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    capacity = forms.IntegerField(label="Places", min_value=1, max_value=2000,
                                  widget=forms.NumberInput(attrs={
                                      "class": "govuk-input--width-4"}))
    deadline_day = forms.DateField(label="Booking closes on", widget=DATE)
    offer_hours = forms.IntegerField(label="Waiting-list offers last (hours)", min_value=1,
                                     max_value=336, initial=48,
                                     widget=forms.NumberInput(attrs={
                                         "class": "govuk-input--width-3"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, MAX_PARTS + 1):
            label = "Day" if i == 1 else f"Day {i} (optional)"
            self.fields[f"day_{i}"] = forms.DateField(label=label, required=i == 1,
                                                      widget=DATE)
            self.fields[f"start_{i}"] = forms.TimeField(label="Starts", required=i == 1,
                                                        widget=TIME)
            self.fields[f"end_{i}"] = forms.TimeField(label="Ends", required=i == 1,
                                                      widget=TIME)

    def clean(self):
        d = super().clean()
        parts = []
        for i in range(1, MAX_PARTS + 1):
            day, start, end = d.get(f"day_{i}"), d.get(f"start_{i}"), d.get(f"end_{i}")
            if not (day or start or end):
                continue
            if not (day and start and end):
                self.add_error(f"day_{i}", f"Give the day, start and end of part {i}")
                continue
            if end <= start:
                self.add_error(f"end_{i}", "The end must be after the start")
                continue
            parts.append((local_datetime(day, start), local_datetime(day, end)))
        if d.get("mode") == Session.Mode.VENUE and not d.get("venue"):
            self.add_error("venue", "Give the venue")
        if d.get("mode") == Session.Mode.ONLINE and not d.get("joining_link"):
            self.add_error("joining_link", "Give the joining link for an online session")
        d["parts"] = sorted(parts)
        if parts and d.get("deadline_day"):
            from datetime import time

            deadline = local_datetime(d["deadline_day"], time(23, 59))
            if deadline >= d["parts"][0][0]:
                self.add_error("deadline_day", "Booking must close before the first day")
            d["booking_deadline"] = deadline
        return d


class StaffBookingForm(forms.Form):
    person = forms.ModelChoiceField(label="Who to book", queryset=User.objects.none(),
                                    empty_label="Choose a person")

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class MoveForm(forms.Form):
    booking = forms.IntegerField(widget=forms.HiddenInput)
    position = forms.IntegerField(label="Move to place", min_value=1,
                                  widget=forms.NumberInput(attrs={
                                      "class": "govuk-input--width-2"}))


class CancelSessionForm(forms.Form):
    reason = forms.CharField(label="Reason (sent to everyone booked)", max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}))
