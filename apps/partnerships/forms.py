from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.schools.models import School

from .models import Organisation, Phase


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "govuk-input--width-10", **(attrs or {})},
                         format="%Y-%m-%d")


class PartnershipForm(forms.Form):
    plain_names = {
        "started_on": "the date the phase starts",
    }
    name = forms.CharField(label=_("Partnership name"), max_length=200)
    organisation = forms.ModelChoiceField(
        label=_("Commissioning organisation"), queryset=Organisation.objects.all(), required=False,
        empty_label=_("None yet"))
    phase = forms.ChoiceField(label=_("Starting phase"), choices=Phase.choices,
                              widget=forms.RadioSelect)
    started_on = forms.DateField(label=_("Phase starts on"), widget=DateInput(),
                                 initial=timezone.localdate)


class AddSchoolForm(forms.Form):
    """One or several schools at once: URNs or names, one on each line (a column pasted from
    a spreadsheet works); every line must find exactly one open school, or nothing is
    added and each line that did not is named with what to do."""

    plain_names = {
        "schools": "each school's URN or name",
        "joined_on": "the date the schools joined",
    }
    schools = forms.CharField(
        label=_("Schools"), max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Each school's URN or name, one on each line. You can paste a column of "
                    "URNs from a spreadsheet, or separate them with commas"))
    joined_on = forms.DateField(label=_("Joined on"), widget=DateInput(),
                                initial=timezone.localdate)

    def clean_schools(self) -> list[School]:
        found: dict[int, School] = {}
        problems = []
        for line in _lines(self.cleaned_data["schools"]):
            school, problem = _find_school(line)
            if problem:
                problems.append(problem)
            elif school is not None:
                found.setdefault(school.pk, school)
        if problems:
            raise forms.ValidationError(problems)
        if not found:
            raise forms.ValidationError(_("Enter each school's URN or name, one on each line"))
        return list(found.values())


def _lines(text: str) -> list[str]:
    """Lines, and comma-separated URNs within a line, without blanks or repeats."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip().strip("\t")
        parts = [p.strip() for p in line.split(",")]
        out += parts if all(p.isdigit() for p in parts if p) else [line]
    return list(dict.fromkeys(x for x in out if x))


def _find_school(line: str) -> tuple[School | None, str | None]:
    """The one open school ``line`` names (a URN, or a full or partial name), or why not."""
    if line.isdigit():
        school = School.objects.filter(urn=int(line)).first()
        if school is None:
            return None, gettext("No school in the register has the URN %(urn)s") % {
                "urn": line}
        if not school.is_open:
            return None, gettext("%(school)s (URN %(urn)s) is closed") % {
                "school": school.name, "urn": line}
        return school, None
    open_schools = School.objects.open()
    exact = list(open_schools.filter(name__iexact=line)[:6])
    matches = exact or list(open_schools.filter(name__icontains=line)
                            .order_by("name")[:6])
    if len(matches) == 1:
        return matches[0], None
    if not matches:
        return None, gettext("No open school is called “%(name)s”: check the spelling, or "
                             "enter its URN from the school directory") % {"name": line}
    examples = "; ".join(gettext("%(school)s, %(town)s (URN %(urn)s)") % {
        "school": s.name, "town": s.town or gettext("no town given"), "urn": s.urn}
        for s in matches[:3])
    more = gettext("more than 5") if len(matches) > 5 else str(len(matches))
    return None, gettext("“%(name)s” matches %(more)s schools, for example %(examples)s: "
                         "enter the URN of the one you mean") % {
        "name": line, "more": more, "examples": examples}


class PhaseForm(forms.Form):
    plain_names = {
        "started_on": "the date the new phase starts",
    }
    phase = forms.ChoiceField(label=_("New phase"), choices=Phase.choices, widget=forms.RadioSelect)
    started_on = forms.DateField(label=_("Starts on"), widget=DateInput(),
                                 initial=timezone.localdate)
    note = forms.CharField(label=_("Note (optional)"), max_length=255, required=False)


class LeaveForm(forms.Form):
    plain_names = {
        "left_on": "the date the school leaves",
    }
    left_on = forms.DateField(label=_("Left on"), widget=DateInput(), initial=timezone.localdate,
                              help_text=_("The school's history in the partnership is kept"))
