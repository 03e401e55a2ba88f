from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.frameworks.areas import Area
from apps.reviews.forms import DATE


class RunForm(forms.Form):
    pool = forms.ChoiceField(label=_("Who can be proposed"), widget=forms.RadioSelect,
                             initial="cycle", choices=[("cycle", "")], required=False)
    team_size = forms.TypedChoiceField(label=_("Team size (lead included)"), coerce=int,
                                       choices=[(3, "3"), (4, "4")], initial=3,
                                       widget=forms.RadioSelect)
    assign_champion = forms.BooleanField(label=_("Also propose each review's Improvement "
                                                 "Champion"), required=False, initial=True)
    max_travel_km = forms.IntegerField(label=_("Furthest a reviewer travels (km)"), min_value=1,
                                       max_value=500, required=False, initial=40,
                                       help_text=_("Leave empty for no limit; virtual reviews "
                                                   "have none"),
                                       widget=forms.NumberInput(attrs={
                                           "class": "govuk-input--width-4"}))
    balance_tolerance = forms.IntegerField(
        label=_("Balance between giving and receiving"), min_value=0, max_value=10,
        required=False, initial=1,
        help_text=_("Each school gives within this many reviewer places of what it receives. "
                    "Leave empty for no balance rule"),
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-2"}))
    time_limit = forms.IntegerField(label=_("Time the optimiser may take (seconds)"),
                                    min_value=5, max_value=600, initial=60,
                                    widget=forms.NumberInput(attrs={
                                        "class": "govuk-input--width-4"}))


    def __init__(self, *args, cycle, authority=("", []), **kwargs):
        super().__init__(*args, **kwargs)
        own = cycle.partnership.name
        label = (gettext("Leaders of %(partnership)s and its partner partnerships")
                 if cycle.cross_partnership else gettext("Leaders of %(partnership)s")) % {
            "partnership": own}
        choices = [("cycle", label)]
        la, partnerships = authority
        if len(partnerships) > 1:
            choices.append((
                "authority",
                gettext("Leaders of every partnership in %(authority)s (%(count)s partnerships): "
                        "this widens the cycle's pool to all of them, so their leaders can also "
                        "be invited by hand. A county-wide pool takes longer: allow a few "
                        "minutes, and watch the best allocation so far and its bound while it "
                        "runs") % {"authority": la, "count": len(partnerships)}))
        self.fields["pool"].choices = choices

    def clean_pool(self):
        return self.cleaned_data["pool"] or "cycle"


class ProfileForm(forms.Form):
    strengths = forms.MultipleChoiceField(label=_("Your strengths"), choices=Area.choices,
                                          required=False, widget=forms.CheckboxSelectMultiple,
                                          help_text=_("Used to match you to reviews that look "
                                                      "at these areas"))
    max_reviews = forms.IntegerField(label=_("Most reviews you will take on in a year"),
                                     min_value=0, max_value=10, initial=2,
                                     widget=forms.NumberInput(attrs={
                                         "class": "govuk-input--width-2"}))
    unavailable = forms.CharField(
        label=_("Dates you cannot review"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One date per line, as 2026-11-03 or 3/11/2026"))
    add_date = forms.DateField(label=_("Add a date"), required=False, widget=DATE)

    def clean_unavailable(self):
        from datetime import date, datetime

        out = []
        for n, line in enumerate(self.cleaned_data["unavailable"].splitlines(), 1):
            text = line.strip()
            if not text:
                continue
            for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
                try:
                    out.append(datetime.strptime(text, fmt).date())  # noqa: DTZ007
                    break
                except ValueError:
                    continue
            else:
                raise forms.ValidationError(
                    gettext("Line %(line)s (“%(text)s”) is not a date: write it as 2026-11-03")
                    % {"line": n, "text": text[:20]})
        return [d for d in out if isinstance(d, date)]
