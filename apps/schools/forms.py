from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

FSM_BANDS = {
    "0-10": (0, 10), "10-20": (10, 20), "20-30": (20, 30), "30-40": (30, 40),
    "40+": (40, 101),
}


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, town, postcode or URN"), required=False, max_length=100)
    la = forms.ChoiceField(label=_("Local authority"), required=False)
    phase = forms.ChoiceField(label=_("Phase"), required=False)
    fsm = forms.ChoiceField(
        # xgettext:no-python-format
        label=_("% free school meals"), required=False,
        choices=[("", _("Any"))] + [(k, f"{k}%" if k != "40+" else
                                     # xgettext:no-python-format
                                     _("40% or more"))
                                 for k in FSM_BANDS])
    partnership = forms.ChoiceField(label=_("Partnership"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("open", _("Open")), ("closed", _("Closed")),
                                        ("", _("Any"))],
                               initial="open")

    def __init__(self, *args, la_choices=(), phase_choices=(), partnership_choices=(),
                 show_unpartnered=False, **kw):
        super().__init__(*args, **kw)
        self.fields["la"].choices = [("", _("Any"))] + list(la_choices)
        self.fields["phase"].choices = [("", _("Any"))] + [(p, p) for p in phase_choices]
        extra = [("none", _("Not in a partnership"))] if show_unpartnered else []
        self.fields["partnership"].choices = [("", _("Any")), *extra] + [
            (p.slug, p.name) for p in partnership_choices]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Register file (CSV)"),
        help_text=_("The CSV export from Get Information about Schools: a search-results "
                  "download or the national file edubasealldata…csv."))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("The selected file must be a CSV file"))
        if f.size > settings.SCHOOL_IMPORT_MAX_BYTES:
            limit = settings.SCHOOL_IMPORT_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(_("The selected file must be smaller than %(limit)s MB")
                                        % {"limit": limit})
        if f.size == 0:
            raise forms.ValidationError(_("The selected file is empty"))
        return f
