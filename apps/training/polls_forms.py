"""Forms for live polls (trainers ask, people with a place answer) and session feedback."""

from __future__ import annotations

from django import forms

from .models import Poll

MIN_OPTIONS, MAX_OPTIONS = 2, 10
MAX_OPTION_LENGTH = 200


def split_options(text: str) -> list[str]:
    """One option a line; blank lines and surrounding spaces ignored."""
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


class PollForm(forms.Form):
    question = forms.CharField(label="Question", max_length=300)
    kind = forms.ChoiceField(label="How many answers may each person choose?",
                             choices=[(Poll.Kind.SINGLE, "One"),
                                      (Poll.Kind.MULTIPLE, "As many as apply")],
                             widget=forms.RadioSelect, initial=Poll.Kind.SINGLE)
    options = forms.CharField(
        label="Answers to choose from",
        help_text=f"One a line, {MIN_OPTIONS} to {MAX_OPTIONS} answers",
        max_length=MAX_OPTIONS * (MAX_OPTION_LENGTH + 2),
        widget=forms.Textarea(attrs={"rows": 6}))
    open_now = forms.BooleanField(label="Open the poll now", required=False)

    def clean_question(self):
        return " ".join(self.cleaned_data["question"].split())

    def clean_options(self):
        options = split_options(self.cleaned_data["options"])
        if len(options) < MIN_OPTIONS:
            raise forms.ValidationError(f"Give at least {MIN_OPTIONS} answers, one a line")
        if len(options) > MAX_OPTIONS:
            raise forms.ValidationError(f"Give at most {MAX_OPTIONS} answers")
        if any(len(o) > MAX_OPTION_LENGTH for o in options):
            raise forms.ValidationError(
                f"Each answer must be {MAX_OPTION_LENGTH} characters or fewer")
        if len({o.casefold() for o in options}) < len(options):
            raise forms.ValidationError("Each answer must be different")
        return options


class AnswerForm(forms.Form):
    """Radios for a one-choice poll, checkboxes when several may be chosen. The values are
    indexes into the poll's options."""

    def __init__(self, *args, poll: Poll, **kwargs):
        super().__init__(*args, **kwargs)
        self.poll = poll
        choices = [(str(i), text) for i, text in enumerate(poll.options)]
        if poll.kind == Poll.Kind.MULTIPLE:
            self.fields["choices"] = forms.MultipleChoiceField(
                label=poll.question, choices=choices, widget=forms.CheckboxSelectMultiple,
                help_text="Choose all that apply",
                error_messages={"required": "Choose at least one answer"})
        else:
            self.fields["choices"] = forms.ChoiceField(
                label=poll.question, choices=choices, widget=forms.RadioSelect,
                error_messages={"required": "Choose an answer"})

    def clean_choices(self):
        value = self.cleaned_data["choices"]
        values = value if isinstance(value, list) else [value]
        return sorted({int(v) for v in values})


RATINGS = [("5", "5 – Excellent"), ("4", "4 – Good"), ("3", "3 – Satisfactory"),
           ("2", "2 – Poor"), ("1", "1 – Very poor")]


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(label="Overall, how would you rate this session?",
                                    choices=RATINGS, coerce=int, widget=forms.RadioSelect,
                                    error_messages={"required": "Choose a rating from 1 to 5"})
    comments = forms.CharField(label="Comments (optional)", required=False, max_length=5000,
                               help_text="What worked well, and what would make it better?",
                               widget=forms.Textarea(attrs={"rows": 5}))
