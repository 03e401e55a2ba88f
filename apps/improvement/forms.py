from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.reviews.forms import DATE, TIME, SharedTextForm, read_review_upload
from apps.reviews.models import Finding

from .models import Action, Area, Workshop
from .services import ACTION_TEXTS


class WorkshopForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE, error_messages={
        "required": _("Enter the workshop's date"), "invalid": _("Enter the date as a real date, "
        "for example 27 March 2027")})
    starts_at = forms.TimeField(label=_("Start time"), widget=TIME, error_messages={
        "required": _("Enter the start time, for example 15:30"),
        "invalid": _("Enter the start time as hours and minutes, for example 15:30")})
    mode = forms.ChoiceField(label=_("How it runs"), choices=Workshop.Mode.choices,
                             widget=forms.RadioSelect)
    place = forms.CharField(label=_("Place or online link"), max_length=500,
                            help_text=_("A room at the school, or the link to join online"),
                            error_messages={"required": _("Enter the room at the school, or the "
                                                        "link to join online")})
    attendees = forms.ModelMultipleChoiceField(label=_("Who attends from the school"),
                                               queryset=User.objects.none(), required=False,
                                               widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = people


class StageForm(SharedTextForm):
    """The notes of one stage of the workshop (``stage``); the version is the workshop's."""

    text_fields = ("notes",)

    def __init__(self, *args, stage="revisit", **kwargs):
        self.stage = stage
        super().__init__(*args, **kwargs)

    def saved_values(self, current) -> dict:
        return {"notes": current.stage_notes(self.stage)}

    notes = forms.CharField(label=_("Notes"), required=False, max_length=20000,
                            widget=forms.Textarea(attrs={"rows": 8}))


class ActionForm(SharedTextForm):
    text_fields = ACTION_TEXTS
    title = forms.CharField(label=_("What"), max_length=300)
    findings = forms.ModelMultipleChoiceField(
        label=_("Which findings it answers"), queryset=Finding.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Link the action to at least one finding it answers")})
    why = forms.CharField(label=_("Why"), required=False, max_length=5000,
                          widget=forms.Textarea(attrs={"rows": 3}))
    area = forms.ChoiceField(label=_("Area"), choices=Area.choices,
                             help_text=_("Used only to count actions by area across the "
                                       "partnership"))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(),
                                   help_text=_("A person at the school who leads it"))
    starts_on = forms.DateField(label=_("Start"), widget=DATE, initial=timezone.localdate)
    due_on = forms.DateField(label=_("Due"), widget=DATE)
    success_criteria = forms.CharField(label=_("Success criteria"), max_length=5000,
                                       widget=forms.Textarea(attrs={"rows": 3}),
                                       help_text=_("What will be different, and how it will "
                                                 "be seen"))
    resources = forms.CharField(label=_("Resources"), required=False, max_length=5000,
                                widget=forms.Textarea(attrs={"rows": 2}))
    support_wanted = forms.CharField(label=_("Support wanted from partner schools"),
                                     required=False, max_length=5000,
                                     widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, review=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["findings"].queryset = review.findings.select_related("line")
        self.fields["findings"].label_from_instance = _finding_label
        self.fields["owner"].queryset = people

    def clean(self):
        d = super().clean()
        if d.get("starts_on") and d.get("due_on") and d["due_on"] < d["starts_on"]:
            self.add_error("due_on", _("The due date must be on or after the start date"))
        return d


def _finding_label(f) -> str:
    where = f"Line {f.line.position}" if f.line else "Key question"
    text = (f.explore_further or f.working_well or "").strip().replace("\n", " ")
    return f"{where}: {text[:120]}{'…' if len(text) > 120 else ''}"


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("What has happened"), max_length=10000,
                           widget=forms.Textarea(attrs={"rows": 4}))
    status = forms.ChoiceField(label=_("Status now"), choices=Action.State.choices,
                               widget=forms.RadioSelect)
    dropped_reason = forms.CharField(label=_("If dropped: why"), required=False, max_length=2000,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("Evidence (optional)"), required=False)

    def clean_file(self):
        f = self.cleaned_data.get("file")
        return read_review_upload(f) if f else None

    def clean(self):
        d = super().clean()
        if d.get("status") == Action.State.DROPPED and not d.get("dropped_reason", "").strip():
            self.add_error("dropped_reason", _("Say why the action is dropped"))
        return d


class ImpactForm(SharedTextForm):
    """The impact of one action; not required here, as the check-back page posts every
    action's form (``services.record_impact`` asks for it when something was typed)."""

    text_fields = ("impact_seen", "evidence", "next_steps")
    impact_seen = forms.CharField(label=_("Impact seen"), max_length=10000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(label=_("Evidence of it"), required=False, max_length=10000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    next_steps = forms.CharField(label=_("What next"), required=False, max_length=10000,
                                 widget=forms.Textarea(attrs={"rows": 2}))


class CompleteCheckBackForm(forms.Form):
    summary = forms.CharField(label=_("Overall"), required=False, max_length=10000,
                              widget=forms.Textarea(attrs={"rows": 3}))
