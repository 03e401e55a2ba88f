"""Forms of the national community. The rules live in ``services.py``; forms show the same
problems by field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.reviews.forms import SharedTextForm

from .models import ModerationEvent
from .selectors import KINDS

ROWS = {"rows": 6}


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        help_text=_("A name, or words from what they work on or offer"))
    kind = forms.ChoiceField(label=_("Show"), required=False, choices=KINDS)
    phase = forms.ChoiceField(label=_("Phase"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args, phases=(), regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [("", _("Any"))] + [(p, p) for p in phases]
        self.fields["region"].choices = [("", _("Any"))] + [(r, r) for r in regions]


class ProfileForm(SharedTextForm):
    text_fields = ("working_on", "strengths")
    listed = forms.BooleanField(
        label=_("List us in the community directory"), required=False,
        help_text=_("Our name is shown to people of programme schools and partnerships, with "
                  "only the parts ticked below."))
    working_on = forms.CharField(
        label=_("What we are working on"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: improving reading fluency in Key Stage 2"))
    share_working_on = forms.BooleanField(label=_("Show what we are working on"), required=False)
    strengths = forms.CharField(
        label=_("Strengths we can offer"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: coaching in phonics; a well-established pupil voice group"))
    share_strengths = forms.BooleanField(label=_("Show the strengths we offer"), required=False)
    share_phase = forms.BooleanField(label=_("Show our phase"), required=False)
    share_region = forms.BooleanField(label=_("Show our region"), required=False)
    # A school's only: consent to be suggested as a partner from its reviews and results.
    share_working_well = forms.BooleanField(
        label=_("Suggest us to schools asking for support, from what reviewers found working "
              "well in our agreed review reports"), required=False,
        help_text=_("Schools across the programme asking for help may see a short quote from "
                  "it, with our name. Draft reports and the rest of a report are never used."))
    share_results = forms.BooleanField(
        label=_("Suggest us to schools asking for support, from our actions completed with "
              "impact"), required=False,
        help_text=_("They may see how many such actions we completed and the words they share "
                  "with their request, never the actions themselves."))

    def __init__(self, *args, is_school: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_school:
            del self.fields["share_working_well"]
            del self.fields["share_results"]


class SpaceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120,
                            error_messages={"required": _("Enter a title for the space")})
    description = forms.CharField(label=_("What the space is for (optional)"), required=False,
                                  max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150,
                            error_messages={"required": _("Enter a title for your thread")})
    body = forms.CharField(label=_("Your message"), max_length=10_000,
                           widget=forms.Textarea(attrs=ROWS),
                           error_messages={"required": _("Enter your message")})


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), max_length=10_000,
                           widget=forms.Textarea(attrs=ROWS),
                           error_messages={"required": _("Enter your reply")})


class EditPostForm(SharedTextForm):
    text_fields = ("body",)
    body = forms.CharField(label=_("Your message"), max_length=10_000,
                           widget=forms.Textarea(attrs=ROWS),
                           error_messages={"required": _("Enter your message")})


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this post?"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The core team reads every report. The author is not told who reported it."),
        error_messages={"required": _("Say what is wrong with the post")})


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(label=_("What do you want to do with this post?"),
                                 widget=forms.RadioSelect,
                                 error_messages={"required": _("Choose what to do with the post")})
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The author is told this reason when a post is hidden or restored."),
        error_messages={"required": _("Give the reason for your decision")})

    def __init__(self, *args, hidden: bool, **kwargs):
        super().__init__(*args, **kwargs)
        D = ModerationEvent.Decision
        options = [D.RESTORED] if hidden else [D.HIDDEN]
        self.fields["decision"].choices = [  # type: ignore[attr-defined]
            (d.value, {D.HIDDEN: _("Hide the post"), D.RESTORED: _("Restore the post"),
                       D.KEPT: _("Keep it as it is and close the reports")}[d])
            for d in [*options, D.KEPT]]
