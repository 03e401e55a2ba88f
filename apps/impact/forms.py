from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.partnerships.models import Partnership

from .estimate import DEFAULT_MATCHING, VARIABLE_LABELS
from .models import SurveyItem
from .outcomes import MEASURES, OUTCOME_MEASURES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class OutcomeUploadForm(forms.Form):
    # The form's metaclass moves declared fields into base_fields, so this never shadows
    # BaseForm.files (the uploaded files), as the stubs fear.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Performance tables files (CSV)"),
        help_text=_("Key stage 2 files from the DfE's school performance tables, for example "
                  "2018-2019_850_ks2final.csv. You can choose several at once, and add a "
                  "register file from Get Information about Schools for predecessor links."),
        error_messages={"required": _("Select at least one CSV file")})

    def clean_files(self):
        files = self.cleaned_data["files"]
        for f in files:
            if not f.name.lower().endswith(".csv"):
                raise forms.ValidationError(_("%(name)s must be a CSV file") % {"name": f.name})
            if f.size == 0:
                raise forms.ValidationError(_("%(name)s is empty") % {"name": f.name})
            if f.size > settings.SCHOOL_IMPORT_MAX_BYTES:
                limit = settings.SCHOOL_IMPORT_MAX_BYTES // (1024 * 1024)
                raise forms.ValidationError(_("%(name)s must be smaller than %(limit)s MB")
                                            % {"name": f.name, "limit": limit})
        return files


MATCHING_CHOICES = [(v, VARIABLE_LABELS[v]) for v in
                    ["TKS1AVERAGE", "PTFSM6CLA1A", "TELIG", "outcome_pre", "outcome_trend"]]


class AnalysisForm(forms.Form):
    name = forms.CharField(label=_("Name of the analysis"), max_length=120,
                           error_messages={"required": _("Enter a name for the analysis")})
    partnerships = forms.ModelMultipleChoiceField(
        label=_("Partnerships whose schools are the treated group"), queryset=Partnership.objects
        .order_by("name"), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select at least one partnership")})
    start_year = forms.IntegerField(
        label=_("First school year in the programme"), min_value=2000, max_value=2100,
        help_text=_("The year the school year starts, for example 2017 for 2017 to 2018. "
                  "Schools that were members that year are treated."),
        error_messages={"required": _("Enter the first school year, for example 2017")})
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[(m, MEASURES[m])
                                                          for m in OUTCOME_MEASURES])
    pre_year = forms.IntegerField(
        label=_("Pre year"), min_value=2000, max_value=2100,
        help_text=_("Summer of the school year before the programme, for example 2017"),
        error_messages={"required": _("Enter the pre year, for example 2017")})
    post_year = forms.IntegerField(
        label=_("Post year"), min_value=2000, max_value=2100,
        help_text=_("Summer of the school year after it, for example 2019"),
        error_messages={"required": _("Enter the post year, for example 2019")})
    matching = forms.MultipleChoiceField(
        label=_("Match on"), choices=MATCHING_CHOICES, initial=DEFAULT_MATCHING,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Matching on the pre-period trend is safer than on its level alone (Daw and "
                  "Hatfield 2018), but then the placebo check says less."),
        error_messages={"required": _("Select at least one variable to match on")})
    same_la = forms.BooleanField(label=_("Only match within the same local authority"),
                                 required=False)
    k = forms.IntegerField(label=_("Comparison schools per treated school"), min_value=1,
                           max_value=10, initial=1)
    replacement = forms.TypedChoiceField(
        label=_("May a comparison school be matched more than once?"), coerce=lambda v: v == "yes",
        choices=[("yes", _("Yes (with replacement)")), ("no", _("No (without replacement)"))],
        initial="yes", widget=forms.RadioSelect)
    caliper = forms.DecimalField(
        label=_("Caliper (standard deviations)"), min_value=0, max_value=5, decimal_places=2,
        initial=0.5, required=False,
        help_text=_("The furthest a comparison school may be. Leave empty for no limit."))
    seed = forms.IntegerField(label=_("Random seed"), min_value=0, max_value=2**31 - 1,
                              initial=20260901,
                              help_text=_("Keep it to get exactly the same result again"))
    sd = forms.DecimalField(
        label=_("Standard deviation for the effect size (optional)"), required=False,
        min_value=0.01, max_value=1000, decimal_places=3,
        help_text=_("A pupil-level standard deviation of the outcome, if you know one. Leave "
                  "empty to use the spread between schools in the files, which makes the "
                  "effect size look larger than a pupil-level one."))
    sd_source = forms.CharField(label=_("Where that standard deviation comes from"),
                                required=False, max_length=300)

    def clean(self):
        data = super().clean()
        if data.get("pre_year") and data.get("post_year") and \
                data["pre_year"] >= data["post_year"]:
            self.add_error("post_year", _("The post year must be after the pre year"))
        if data.get("sd") and not (data.get("sd_source") or "").strip():
            self.add_error("sd_source", _("Enter where the standard deviation comes from"))
        return data

    def spec(self) -> dict:
        d = self.cleaned_data
        return {"outcome": d["outcome"], "pre_year": d["pre_year"], "post_year": d["post_year"],
                "start_year": d["start_year"], "matching": list(d["matching"]),
                "same_la": d["same_la"], "k": d["k"], "replacement": d["replacement"],
                "caliper": float(d["caliper"]) if d["caliper"] else None, "seed": d["seed"],
                "sd": float(d["sd"]) if d["sd"] else None,
                "sd_source": d["sd_source"].strip() if d["sd"] else ""}


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200,
                            error_messages={"required": _("Enter a title for the survey")})
    items = forms.CharField(
        label=_("Items"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One statement per line, starting with its level and a colon: partnership, "
                  "leadership, staff or pupil. People answer from strongly disagree to "
                  "strongly agree. End a line with [comment] to ask for free text instead."),
        error_messages={"required": _("Enter at least one item")})

    def clean_items(self):
        from .surveys import parse_items

        return parse_items(self.cleaned_data["items"])


class WaveForm(forms.Form):
    kind = forms.ChoiceField(label=_("Wave"), choices=[])
    partnerships = forms.ModelMultipleChoiceField(
        label=_("Partnerships"), queryset=Partnership.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select at least one partnership")})
    roles = forms.MultipleChoiceField(
        label=_("Who is asked"), widget=forms.CheckboxSelectMultiple, choices=[
            ("headteacher", _("Headteachers")), ("school_leader", _("School leaders")),
            ("partnership_lead", _("Partnership leads")), ("staff", _("Staff"))],
        error_messages={"required": _("Select who is asked")})
    min_group = forms.IntegerField(
        label=_("Smallest group shown"), min_value=3, max_value=50, initial=5,
        help_text=_("No figure is shown for fewer respondents than this (never below 3). It "
                  "cannot change once anyone has answered."),
        error_messages={"min_value": _("The smallest group shown must be 3 or more")})

    def __init__(self, *args, survey=None, **kwargs):
        from .models import Wave

        super().__init__(*args, **kwargs)
        used = set(survey.waves.values_list("kind", flat=True)) if survey else set()
        self.fields["kind"].choices = [c for c in Wave.Kind.choices if c[0] not in used]


class ThresholdForm(forms.Form):
    min_group = forms.IntegerField(
        label=_("Smallest group shown"), min_value=3, max_value=50,
        error_messages={"min_value": _("The smallest group shown must be 3 or more"),
                        "required": _("Enter the smallest group shown")})


def answer_form(items, data=None):
    """A form with one field per item."""
    from .surveys import LIKERT

    form = forms.Form(data)
    for item in items:
        if item.kind == SurveyItem.Kind.LIKERT:
            form.fields[f"item_{item.pk}"] = forms.TypedChoiceField(
                label=item.text, choices=LIKERT, coerce=int, widget=forms.RadioSelect,
                required=False)
        else:
            form.fields[f"item_{item.pk}"] = forms.CharField(
                label=item.text, required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Do not name yourself or others."))
    return form
