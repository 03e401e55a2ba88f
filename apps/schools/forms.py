from django import forms
from django.conf import settings

FSM_BANDS = {
    "0-10": (0, 10), "10-20": (10, 20), "20-30": (20, 30), "30-40": (30, 40),
    "40+": (40, 101),
}


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label="Name, town, postcode or URN", required=False, max_length=100)
    la = forms.ChoiceField(label="Local authority", required=False)
    phase = forms.ChoiceField(label="Phase", required=False)
    fsm = forms.ChoiceField(
        label="% free school meals", required=False,
        choices=[("", "Any")] + [(k, f"{k}%" if k != "40+" else "40% or more")
                                 for k in FSM_BANDS])
    partnership = forms.ChoiceField(label="Partnership", required=False)
    status = forms.ChoiceField(label="Status", required=False,
                               choices=[("open", "Open"), ("closed", "Closed"), ("", "Any")],
                               initial="open")

    def __init__(self, *args, la_choices=(), phase_choices=(), partnership_choices=(),
                 show_unpartnered=False, **kw):
        super().__init__(*args, **kw)
        self.fields["la"].choices = [("", "Any")] + list(la_choices)
        self.fields["phase"].choices = [("", "Any")] + [(p, p) for p in phase_choices]
        extra = [("none", "Not in a partnership")] if show_unpartnered else []
        self.fields["partnership"].choices = [("", "Any"), *extra] + [
            (p.slug, p.name) for p in partnership_choices]


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Register file (CSV)",
        help_text="The CSV export from Get Information about Schools: a search-results "
                  "download or the national file edubasealldata…csv.")

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV file")
        if f.size > settings.SCHOOL_IMPORT_MAX_BYTES:
            limit = settings.SCHOOL_IMPORT_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"The selected file must be smaller than {limit} MB")
        if f.size == 0:
            raise forms.ValidationError("The selected file is empty")
        return f
