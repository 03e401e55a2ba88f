from datetime import datetime

from django import forms
from django.utils import timezone

from apps.accounts.models import User
from apps.reviews.forms import DATE, TIME

from .models import Audience, Course, CourseKind, Grants, Session

MAX_PARTS = 3


class CourseForm(forms.ModelForm):
    plain_names = {
        "kind": "the kind of course",
        "validity_months": "the number of months the training is valid for",
    }
    class Meta:
        model = Course
        fields = ["kind", "title", "summary", "audience", "grants", "validity_months"]
        widgets = {"audience": forms.RadioSelect, "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = CourseKind.choices
        self.fields["audience"].choices = Audience.choices
        self.fields["grants"].choices = Grants.choices
        if self.instance.series_id:
            # A meeting's audience follows from its place in its series (rules.py).
            del self.fields["audience"]


def local_datetime(day, at) -> datetime:
    """A date and a wall-clock time in Europe/London as an aware datetime (correct on both
    sides of a clock change)."""
    return timezone.make_aware(datetime.combine(day, at), timezone.get_default_timezone())


class SessionForm(forms.Form):
    plain_names = {
        "mode": "where the session takes place",
        "capacity": "the number of places",
        "deadline_day": "the day booking closes",
        "offer_hours": "the number of hours a waiting-list offer lasts",
        "start_1": "the start time",
        "start_2": "the start time",
        "start_3": "the start time",
        "end_1": "the end time",
        "end_2": "the end time",
        "end_3": "the end time",
    }
    title = forms.CharField(label="Name of this session (optional)", required=False,
                            max_length=200)
    mode = forms.ChoiceField(label="Where", choices=Session.Mode.choices,
                             widget=forms.RadioSelect)
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
    trainers = forms.CharField(
        label="Trainers (optional)", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text="Each trainer's email address or full name, one on each line, for example "
                  "sam.jones@school.example")

    def clean_trainers(self) -> list[User]:
        """Each line names one person with an account, by email address or full name."""
        people: list[User] = []
        problems = []
        for line in dict.fromkeys(x.strip() for x in self.cleaned_data["trainers"].splitlines()):
            if not line:
                continue
            lookup = {"email__iexact": line} if "@" in line else {"full_name__iexact": line}
            found = list(User.objects.filter(is_active=True, **lookup)[:2])
            if not found:
                problems.append(f"Nobody with an account is {'at' if '@' in line else 'called'} "
                                f"“{line}”: check the spelling, or enter their email address")
            elif len(found) > 1:
                problems.append(f"More than one person is called “{line}”: enter their email "
                                "address instead")
            else:
                people.append(found[0])
        if problems:
            raise forms.ValidationError(problems)
        return people

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
    plain_names = {
        "position": "the place on the waiting list to move to",
    }
    booking = forms.IntegerField(widget=forms.HiddenInput)
    position = forms.IntegerField(label="Move to place", min_value=1,
                                  widget=forms.NumberInput(attrs={
                                      "class": "govuk-input--width-2"}))


class CancelSessionForm(forms.Form):
    reason = forms.CharField(label="Reason (sent to everyone booked)", max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}))
