from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Phase, Prompt, Theme


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search questions and prompts"), required=False, max_length=200,
                        help_text=_("For example: phonics, SEND, attendance, curriculum"))
    framework = forms.ChoiceField(label=_("Framework"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    phase = forms.ChoiceField(label=_("Phase"), required=False,
                              choices=[("", _("Any phase")), *Phase.choices])

    def __init__(self, *args, frameworks=(), themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        # ``frameworks``: published versions (their titles name the frameworks).
        self.fields["framework"].choices = [("", _("All frameworks"))] + [
            (v.framework.slug, v.title) for v in frameworks]
        self.fields["theme"].choices = [("", _("All themes"))] + [(t, t) for t in themes]


class VersionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    change_note = forms.CharField(label=_("What changed in this version"), max_length=255,
                                  required=False)


class ThemeForm(forms.Form):
    title = forms.CharField(label=_("Theme title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    position = forms.IntegerField(label=_("Position"), min_value=1, max_value=1000, required=False,
                                  help_text=_("1 puts it first"),
                                  widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}))


PROMPT_HELP = _("One prompt a line.")


class QuestionForm(forms.Form):
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.none(),
                                   empty_label=None)
    text = forms.CharField(label=_("Enquiry question"), widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Ask, do not judge: begin with “To what extent”, “How” "
                                     "or “In what ways”."))
    phases = forms.MultipleChoiceField(label=_("Phases it suits"), required=False,
                                       choices=Phase.choices,
                                       widget=forms.CheckboxSelectMultiple,
                                       help_text=_("Leave all unticked for every phase."))
    evidence = forms.CharField(label=Prompt.Kind.EVIDENCE.label, required=False,
                               widget=forms.Textarea(attrs={"rows": 3}), help_text=PROMPT_HELP)
    people = forms.CharField(label=Prompt.Kind.PEOPLE.label, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}), help_text=PROMPT_HELP)
    look_for = forms.CharField(label=Prompt.Kind.LOOK_FOR.label, required=False,
                               widget=forms.Textarea(attrs={"rows": 3}), help_text=PROMPT_HELP)

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = version.themes.all()

    def clean_text(self):
        text = " ".join(self.cleaned_data["text"].split())
        if not text.endswith("?"):
            raise forms.ValidationError(_("Enter the question as a question, ending with “?”"))
        return text

    def prompts(self) -> list[tuple[str, str]]:
        out = []
        for kind in ("evidence", "people", "look_for"):
            for line in self.cleaned_data.get(kind, "").splitlines():
                if line.strip():
                    out.append((kind, line.strip()))
        return out

    def clean(self):
        data = super().clean()
        if not self.errors and not self.prompts():
            raise forms.ValidationError(_("Add at least one prompt"))
        return data
