"""Forms for national meeting series and their recording and slides. The rules live in
``meetings.py``; these forms check what a person typed and say how to put it right."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from apps.resources.forms import ALLOWED_FILES, read_upload
from apps.reviews.forms import DATE, TIME

from .forms import local_datetime
from .meetings import TERMS, MeetingPlan
from .models import Session

SLIDE_FILES = {ext: ALLOWED_FILES[ext] for ext in ("pdf", "pptx", "ppt", "odp")}
SLIDE_KINDS = "a PDF, PowerPoint or OpenDocument presentation"


class SeriesForm(forms.Form):
    plain_names = {
        "start_year": "the year the school year starts",
        "mode": "where the meetings take place",
        "capacity": "the number of places",
        **{f"{t.lower()}_{part}": f"the {t.lower()} meeting's {label}"
           for t in TERMS for part, label in (("day", "date"), ("start", "start time"),
                                              ("end", "end time"))},
    }
    title = forms.CharField(label="Name of the series", max_length=150,
                            help_text="For example, “National meetings 2026 to 2027”",
                            error_messages={"required": "Enter the name of the series"})
    start_year = forms.IntegerField(
        label="School year starts in", min_value=2000, max_value=2100,
        help_text="For example, 2026 for the 2026 to 2027 school year",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}))
    summary = forms.CharField(label="What the meetings are about (optional)", required=False,
                              max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    mode = forms.ChoiceField(label="Where", choices=Session.Mode.choices,
                             widget=forms.RadioSelect)
    joining_link = forms.URLField(label="Joining link", required=False, max_length=500,
                                  assume_scheme="https",
                                  help_text="Shown only to people with a place")
    venue = forms.CharField(label="Venue", required=False, max_length=200)
    address = forms.CharField(label="Address", required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    capacity = forms.IntegerField(label="Places at each meeting", min_value=1, max_value=5000,
                                  widget=forms.NumberInput(attrs={
                                      "class": "govuk-input--width-4"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for term in TERMS:
            key = term.lower()
            self.fields[f"{key}_day"] = forms.DateField(
                label=f"{term} term meeting: date", required=False, widget=DATE,
                help_text="Leave the date and times empty if there is no meeting this term")
            self.fields[f"{key}_start"] = forms.TimeField(label="Starts", required=False,
                                                          widget=TIME)
            self.fields[f"{key}_end"] = forms.TimeField(label="Ends", required=False,
                                                        widget=TIME)

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        plans = []
        now = timezone.now()
        for term in TERMS:
            key = term.lower()
            day, start, end = d.get(f"{key}_day"), d.get(f"{key}_start"), d.get(f"{key}_end")
            if not (day or start or end) and not self.has_error(f"{key}_day"):
                continue
            if not day:
                if not self.has_error(f"{key}_day"):
                    self.add_error(f"{key}_day", f"Enter the date of the {key} term meeting")
                continue
            if not start:
                self.add_error(f"{key}_start", f"Enter the time the {key} term meeting starts")
                continue
            if not end:
                self.add_error(f"{key}_end", f"Enter the time the {key} term meeting ends")
                continue
            if end <= start:
                self.add_error(f"{key}_end", f"The {key} term meeting must end after it starts")
                continue
            starts = local_datetime(day, start)
            if starts < now:
                self.add_error(f"{key}_day", f"The {key} term meeting must be in the future")
                continue
            plans.append(MeetingPlan(term, starts, local_datetime(day, end)))
        if not plans and not any(self.has_error(f"{t.lower()}_{p}") for t in TERMS
                                 for p in ("day", "start", "end")):
            self.add_error("autumn_day", "Enter the date of at least one meeting")
        if d.get("mode") == Session.Mode.VENUE and not d.get("venue"):
            self.add_error("venue", "Enter the venue")
        if d.get("mode") == Session.Mode.ONLINE and not d.get("joining_link"):
            self.add_error("joining_link", "Enter the joining link for online meetings")
        d["meetings"] = plans
        return d


class MaterialsForm(forms.Form):
    plain_names = {"recording_url": "the recording link"}
    recording_url = forms.URLField(
        label="Recording link (optional)", required=False, max_length=500,
        assume_scheme="https",
        help_text="The address of the recording, like https://video.example/meeting",
        error_messages={"invalid": "Enter the recording link as a full web address, like "
                                   "https://video.example/meeting"})
    slides_title = forms.CharField(label="Title of the slides (optional)", required=False,
                                   max_length=200)
    slides = forms.FileField(label="Slides (optional)", required=False,
                             help_text=f"{SLIDE_KINDS}; a new file replaces the one "
                                       "published")
    remove_slides = forms.BooleanField(label="Remove the slides published now",
                                       required=False)
    recording_to_registrants = forms.BooleanField(
        label="Email the recording link to people from schools outside the programme who "
              "registered without an account",
        required=False,
        help_text="Only for an open meeting. They get the link once; the slides stay with "
                  "schools in the programme and alumni")

    def __init__(self, *args: Any, has_slides: bool = False, open_meeting: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_slides = has_slides
        if not has_slides:
            del self.fields["remove_slides"]
        if not open_meeting:
            del self.fields["recording_to_registrants"]

    def clean_slides(self) -> tuple[str, str, bytes] | None:
        upload = self.cleaned_data.get("slides")
        return read_upload(upload, allowed=SLIDE_FILES, kinds=SLIDE_KINDS) if upload else None

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        keeps_slides = d.get("slides") or (self.has_slides and not d.get("remove_slides"))
        if not d.get("recording_url") and not keeps_slides and not self.errors:
            self.add_error("recording_url", "Enter the recording link or choose the slides, "
                                            "or both")
        if d.get("recording_to_registrants") and not d.get("recording_url"):
            self.add_error("recording_url", "Enter the recording link to email it to people "
                                            "registered without an account")
        return d


class SeriesChangeForm(forms.Form):
    title = forms.CharField(label="Name of the series", max_length=150,
                            error_messages={"required": "Enter the name of the series"})
    summary = forms.CharField(label="What the meetings are about (optional)", required=False,
                              max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
