import datetime
from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.frameworks.areas import Area
from apps.frameworks.models import FrameworkVersion
from apps.partnerships.models import Partnership
from apps.partnerships.selectors import reviewing_partnerships
from apps.resources.forms import ALLOWED_FILES, read_upload
from apps.schools.models import School

from .models import (
    RAPID_STEP_LABELS,
    STEPS,
    Activity,
    ActivityKind,
    Mode,
    ShareAudience,
    TeamMember,
)
from .services import ACTIVITY_FIELDS, EditConflict, text_digest

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE = forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"},
                       format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time", "class": "govuk-input--width-5"},
                       format="%H:%M")

REVIEW_FILES = {**ALLOWED_FILES,
                "mp3": ("audio/mpeg", (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")),
                "m4a": ("audio/mp4", ((4, b"ftyp"),)),
                "mp4": ("video/mp4", ((4, b"ftyp"),))}
REVIEW_KINDS = ("a PDF, Word, Excel, PowerPoint, OpenDocument, PNG or JPEG file, or a recording "
                "(MP3, M4A or MP4)")


def read_review_upload(upload):
    return read_upload(upload, allowed=REVIEW_FILES, kinds=REVIEW_KINDS,
                       limit=settings.REVIEW_FILE_MAX_BYTES)


def _mb() -> int:
    return settings.REVIEW_FILE_MAX_BYTES // (1024 * 1024)


class CycleForm(forms.Form):
    plain_names = {
        "start_year": "the year the academic year starts in",
    }
    partnership = forms.ModelChoiceField(label=_("Partnership"),
                                         queryset=Partnership.objects.none(), empty_label=None)
    start_year = forms.IntegerField(label=_("Academic year starting in"), min_value=2020,
                                    max_value=2100,
                                    help_text=_("For example 2026 for the 2026/27 school year"),
                                    widget=forms.NumberInput(attrs={
                                        "class": "govuk-input--width-4"}))

    def __init__(self, *args, partnerships=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships
        if partnerships is not None and partnerships.count() > 1:
            # Several to choose from: no silent first choice.
            self.fields["partnership"].empty_label = "---------"
        today = timezone.localdate()
        self.fields["start_year"].initial = today.year if today.month >= 7 else today.year - 1


class CycleSettingsForm(forms.Form):
    trust_conflicts = forms.BooleanField(
        label=_("Nobody reviews a school of their own trust or federation"), required=False)
    cross_partnership = forms.BooleanField(
        label=_("Allow reviewers from partner partnerships (cross-partnership reviews)"),
        required=False)
    partner_partnerships = forms.ModelMultipleChoiceField(
        label=_("Partner partnerships"), queryset=Partnership.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, cycle=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Alumni partnerships in the alumni programme still review and lend reviewers.
        self.fields["partner_partnerships"].queryset = reviewing_partnerships().exclude(
            pk=cycle.partnership_id)


class TermForm(forms.Form):
    plain_names = {
        "name": "the term's name",
        "starts_on": "the term's first day",
        "ends_on": "the term's last day",
    }
    name = forms.CharField(label=_("Term"), max_length=60,
                           help_text=_("For example: Autumn 2026"))
    starts_on = forms.DateField(label=_("First day"), widget=DATE)
    ends_on = forms.DateField(label=_("Last day"), widget=DATE)

    def clean(self):
        d = super().clean()
        if d.get("starts_on") and d.get("ends_on") and d["ends_on"] < d["starts_on"]:
            self.add_error("ends_on", _("The last day must be on or after the first day"))
        return d


def published_versions():
    return FrameworkVersion.objects.filter(status=FrameworkVersion.Status.PUBLISHED) \
        .select_related("framework")


LINK_FORMAT = _("Enter the meeting link as a secure web address starting https://, like "
               "https://meet.example.org/abc")
MODE_HINT = _("Rapid Response is a shorter review held online: a pre-review call, focused "
             "online review activities and an online Improvement Workshop, with reviewers "
             "from any partnership that has agreed to share them")


class AddReviewForm(forms.Form):
    host = forms.ModelChoiceField(label=_("Host school"), queryset=School.objects.none())
    framework_version = forms.ModelChoiceField(
        label=_("Enquiry framework"), queryset=FrameworkVersion.objects.none(), required=False,
        empty_label=_("Choose later"), help_text=_("The host school can choose or change it until "
                                              "the enquiry is agreed"))
    mode = forms.ChoiceField(label=_("How the review runs"), choices=Mode.choices,
                             widget=forms.RadioSelect, help_text=MODE_HINT)

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = schools
        self.fields["host"].help_text = _("Schools that already have a review in this cycle are "
                                         "not listed")
        self.fields["host"].error_messages["invalid_choice"] = _(
            "Choose a school of the partnership that has no review in this cycle yet")
        self.fields["framework_version"].queryset = published_versions()


class ReviewSettingsForm(forms.Form):
    framework_version = forms.ModelChoiceField(
        label=_("Enquiry framework"), queryset=FrameworkVersion.objects.none(), required=False,
        empty_label=_("Not chosen yet"))
    mode = forms.ChoiceField(label=_("How the review runs"), choices=Mode.choices,
                             widget=forms.RadioSelect, help_text=MODE_HINT)
    meeting_link = forms.URLField(
        label=_("Online meeting link"), required=False, max_length=500, assume_scheme="https",
        help_text=_("For virtual, blended and Rapid Response reviews: the link reviewers join "
                  "meetings by"))
    focus_areas = forms.MultipleChoiceField(
        label=_("Areas the review will look at"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Used to propose reviewers whose strengths match"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework_version"].queryset = published_versions()
        self.fields["focus_areas"].choices = Area.choices

    def clean(self):
        d = super().clean()
        if d.get("mode") in (Mode.VIRTUAL, Mode.BLENDED, Mode.RAPID) and \
                not d.get("meeting_link"):
            self.add_error("meeting_link", _("Enter the online meeting link for a virtual, "
                                           "blended or Rapid Response review"))
        return d


class ScheduleForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    conflict = None
    review_days = forms.TypedChoiceField(label=_("Length of the review"), coerce=int,
                                         choices=[(1, _("1 day")), (2, _("2 days"))],
                                         widget=forms.RadioSelect,
                                         help_text=_("Larger schools usually need two days"))

    def __init__(self, *args, rapid: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {**(RAPID_STEP_LABELS if rapid else dict(STEPS)),
                  # Labels that say which date is asked for, not a bare noun ("Data sharing").
                  "data_sharing_on": (_("Date documents are shared online") if rapid
                                      else _("Date data is shared")),
                  "review_starts_on": (_("Day of the virtual review activities") if rapid
                                       else _("First review day"))}
        for field, _label in STEPS:
            label: StrOrPromise = labels[field]
            # The browser's date picker has no "for example 27 3 2027" format to follow, so
            # the message only names the field.
            self.fields[field] = forms.DateField(
                label=label, required=False, widget=DATE, error_messages={
                    "invalid": gettext("%(field)s must be a real date") % {"field": label}})
        if rapid:
            self.fields["review_starts_on"].help_text = _(
                "Leave the other dates blank to fill them from the Rapid Response timeline: "
                "documents a week before, the pre-review call three school days before, "
                "feedback the same day, the online workshop within a week, the check-back six "
                "school weeks later")
            self.fields["review_days"].help_text = _(
                "A Rapid Response review usually needs one day of focused online activities")

    def show_conflict(self, current):
        """Keep the dates typed; show the saved ones beside them (``conflict_texts``) and
        count the next save from the saved version."""
        self.conflict = current
        self.data = self.data.copy()
        self.data["lock_version"] = current.lock_version

    @property
    def conflict_texts(self) -> list[tuple[str, str]]:
        if self.conflict is None:
            return []
        days = [("Length of the review", self.conflict.get_review_days_display())]
        return days + [(self.fields[f].label, date_format(getattr(self.conflict, f), "j F Y")
                        if getattr(self.conflict, f) else "") for f, _ in STEPS]


class SharedTextForm(forms.Form):
    """A form for text several people may edit at once. It carries the version read (0 when
    nothing was saved yet) and ``base``, a digest of ``text_fields`` as read, so the service
    can tell "changed here" from "changed by someone else" (``services.check_version``).

    After an ``EditConflict`` call ``show_conflict(current)``: the typed text stays in the
    boxes, ``conflict`` holds what is saved (the template shows it beside), and the next save
    counts from the saved version."""

    text_fields: tuple = ()
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    base = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    conflict = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.initial.get("lock_version") is None:  # 0: nothing saved yet
            self.initial["lock_version"] = getattr(getattr(self, "instance", None),
                                                   "lock_version", 0)
        if "base" not in self.initial:
            self.initial["base"] = self.digest_of(self.initial)

    def digest_of(self, values) -> str:
        return text_digest(*[str(values.get(f) or "") for f in self.text_fields])

    @property
    def typed_a_change(self) -> bool:
        """Whether the text posted differs from the text the page showed."""
        return self.digest_of(self.cleaned_data) != self.cleaned_data.get("base")

    def values(self) -> dict:
        """What was entered, without the version and digest."""
        return {k: v for k, v in self.cleaned_data.items() if k not in ("lock_version", "base")}

    def saved_values(self, current) -> dict:
        """The stored texts of ``current`` by field name (overridden where they differ)."""
        return {f: getattr(current, f) for f in self.text_fields}

    def version_of(self, current) -> int:
        return current.lock_version

    @property
    def conflict_texts(self) -> list[tuple[str, str]]:
        """(label, saved text) of each text field, for the conflict box."""
        if self.conflict is None:
            return []
        saved = self.saved_values(self.conflict)
        return [(self.fields[f].label, saved[f]) for f in self.text_fields]

    def show_conflict(self, current):
        self.conflict = current
        self.data = self.data.copy()
        self.data[self.add_prefix("lock_version")] = self.version_of(current)
        self.data[self.add_prefix("base")] = self.digest_of(self.saved_values(current))


def bind_if_posted(request, form_class, prefix, **kwargs):
    """A section's form, bound to the submission only when the submission carried that
    section (a page posts every section; an old or partial post leaves the rest alone)."""
    posted = request.method == "POST" and any(k.startswith(f"{prefix}-") for k in request.POST)
    return form_class(request.POST if posted else None, prefix=prefix, **kwargs)


def save_sections(section_forms: dict, save, conflict_message) -> tuple[list, list]:
    """Save every section of a one-form page whose text the person changed, each with its
    own conflict check: ``save(key, cleaned_data)`` writes one section,
    ``conflict_message(current)`` words a conflict. Returns (keys saved, keys with a
    problem); a section with a problem keeps what was typed and shows the saved text."""
    saved, problems = [], []
    for key, form in section_forms.items():
        if not form.is_bound:
            continue
        if not form.is_valid():
            problems.append(key)
        elif form.typed_a_change:
            try:
                save(key, form.cleaned_data)
            except EditConflict as e:
                form.add_error(None, conflict_message(e.current))
                form.show_conflict(e.current)
                problems.append(key)
            except forms.ValidationError as e:
                for message in e.messages:
                    form.add_error(None, message)
                problems.append(key)
            else:
                saved.append(key)
    return saved, problems


class SelfReviewForm(SharedTextForm):
    text_fields = ("strengths", "areas_to_develop")
    strengths = forms.CharField(label=_("Strengths"), required=False, max_length=20000,
                                widget=forms.Textarea(attrs={"rows": 5}),
                                help_text=_("What is working well, and how you know"))
    areas_to_develop = forms.CharField(label=_("Areas to develop"), required=False,
                                       max_length=20000,
                                       widget=forms.Textarea(attrs={"rows": 5}),
                                       help_text=_("What you want to understand better or "
                                                 "improve. No grades"))


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Supporting document"))

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["file"].label = label
        self.fields["file"].help_text = f"{REVIEW_KINDS[0].upper()}{REVIEW_KINDS[1:]}, up " \
                                        f"to {_mb()} MB"

    def clean_file(self):
        return read_review_upload(self.cleaned_data["file"])


class EnquiryForm(SharedTextForm):
    """The key question and lines of enquiry; its version is the review's
    ``enquiry_version``."""

    text_fields = ("key_question", "line_1", "line_2", "line_3")

    def values(self) -> dict:
        """What was entered, without the version and digest."""
        return {k: v for k, v in self.cleaned_data.items() if k not in ("lock_version", "base")}

    def saved_values(self, current) -> dict:
        from .services import enquiry_texts

        return dict(zip(self.text_fields, enquiry_texts(current), strict=True))

    def version_of(self, current) -> int:
        return current.enquiry_version

    key_question = forms.CharField(label=_("Key enquiry question"), max_length=2000,
                                   widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text=_("One question the review sets out to explore"))
    key_question_ref = forms.UUIDField(required=False, widget=forms.HiddenInput)
    line_1 = forms.CharField(label=_("Line of enquiry 1"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    line_2 = forms.CharField(label=_("Line of enquiry 2"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    line_3 = forms.CharField(label=_("Line of enquiry 3"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Up to three supporting lines of enquiry"))


class ActivityForm(SharedTextForm, forms.ModelForm):
    """An activity of the plan; changing one carries its version and ``base`` (a digest of
    the fields as shown)."""

    plain_names = {
        "kind": "the kind of activity",
        "on": "the activity's day",
    }

    text_fields = tuple(ACTIVITY_FIELDS)
    meeting_link = forms.URLField(
        label=_("Online meeting link"), required=False, max_length=500, assume_scheme="https",
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "url"}),
        help_text=_("The link everyone joins this activity by, starting https://. Only the "
                  "review team and the host school see it"),
        error_messages={"invalid": LINK_FORMAT,
                        "max_length": _("The meeting link must be 500 characters or fewer")})

    class Meta:
        model = Activity
        fields = ["kind", "on", "starts_at", "ends_at", "place", "meeting_link", "people"]
        widgets = {"on": DATE, "starts_at": TIME, "ends_at": TIME,
                   "kind": forms.Select}
        help_texts = {"place": _("A room, or where the activity happens"),
                      "people": _("For example: Year 5 teachers; the SENCo; six pupils from "
                                "Year 6")}

    def __init__(self, *args, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ActivityKind.choices
        self.review = review
        if review is not None and review.is_rapid:
            self.fields["meeting_link"].help_text = (
                "Every activity of a Rapid Response review is online: enter the link "
                "everyone joins it by, starting https://. Only the review team and the host "
                "school see it")

    def clean_meeting_link(self) -> str:
        link = (self.cleaned_data.get("meeting_link") or "").strip()
        if link and not link.lower().startswith("https://"):
            raise forms.ValidationError(LINK_FORMAT)
        if not link and self.review is not None and self.review.is_rapid:
            raise forms.ValidationError(_("Enter the meeting link for this activity: every "
                                        "activity of a Rapid Response review is online"))
        return link

    @property
    def conflict_texts(self) -> list[tuple[str, str]]:
        """The saved activity in words: its kind's label and dates as people write them."""
        texts = []
        for label, value in super().conflict_texts:
            if label == self.fields["kind"].label:
                value = dict(ActivityKind.choices).get(value, value)
            elif isinstance(value, datetime.date):
                value = date_format(value, "j F Y")
            elif isinstance(value, datetime.time):
                value = value.strftime("%H:%M")
            texts.append((label, value))
        return texts

    def clean(self):
        d = super().clean()
        if d.get("starts_at") and d.get("ends_at") and d["ends_at"] <= d["starts_at"]:
            self.add_error("ends_at", _("The end time must be after the start time"))
        return d


class InviteForm(forms.Form):
    user = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(choices=TeamMember.Role.choices, widget=forms.HiddenInput)


class RespondForm(forms.Form):
    answer = forms.ChoiceField(label=_("Can you take part?"), widget=forms.RadioSelect,
                               choices=[("accept", _("Yes, I accept")),
                                        ("decline", _("No, I have to decline"))])
    reason = forms.CharField(label=_("Reason (if you decline)"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("The partnership lead sees this"))

    def clean(self):
        d = super().clean()
        if d.get("answer") == "decline" and not d.get("reason", "").strip():
            self.add_error("reason", _("Say why you cannot take part"))
        return d


class EvidenceForm(forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    line = forms.TypedChoiceField(label=_("Line of enquiry"), coerce=int, empty_value=None,
                                  required=False)
    activity = forms.TypedChoiceField(label=_("Activity"), coerce=int, empty_value=None,
                                      required=False)
    text = forms.CharField(label=_("What you saw and heard"), max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=_("Low-inference notes: what was said and done, not a "
                                     "verdict"))
    tags = forms.CharField(label=_("Tags"), required=False, max_length=400,
                           help_text=_("Separate tags with commas, for example: Year 4, reading"))
    file = forms.FileField(label=_("Attach a photo or document (optional)"), required=False)

    def __init__(self, *args, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [("", "Key enquiry question")] + [
            (line.pk, f"{line.position}. {line.text[:90]}") for line in review.lines.all()]
        self.fields["activity"].choices = [("", "Not linked to an activity")] + [
            (a.pk, str(a)) for a in review.activities.all()]
        self.fields["file"].help_text = f"{REVIEW_KINDS[0].upper()}{REVIEW_KINDS[1:]}, up to " \
                                        f"{_mb()} MB"

    def clean_file(self):
        f = self.cleaned_data.get("file")
        return read_review_upload(f) if f else None


class FindingForm(SharedTextForm):
    text_fields = ("working_well", "explore_further", "workshop_questions")
    working_well = forms.CharField(label=_("What is working well"), required=False,
                                   max_length=20000, widget=forms.Textarea(attrs={"rows": 4}))
    explore_further = forms.CharField(label=_("What the evidence suggests exploring further"),
                                      required=False, max_length=20000,
                                      widget=forms.Textarea(attrs={"rows": 4}))
    workshop_questions = forms.CharField(label=_("Questions for the Improvement Workshop"),
                                         required=False, max_length=20000,
                                         widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(SharedTextForm):
    text_fields = ("summary",)
    summary = forms.CharField(label=_("Summary"), max_length=20000,
                              widget=forms.Textarea(attrs={"rows": 8}),
                              help_text=_("The overall picture in the team's words. The findings "
                                        "for each line of enquiry are added from the findings "
                                        "page"))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Factual-accuracy comment"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("Point to anything that is factually wrong and say what "
                                     "is right"))


class ResolveForm(forms.Form):
    response = forms.CharField(label=_("Your answer"), max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 3}))


class ShareForm(forms.Form):
    plain_names = {
        "audience": "who to share the agreed report with",
    }
    audience = forms.ChoiceField(label=_("Share the agreed report with"),
                                 choices=ShareAudience.choices, widget=forms.RadioSelect)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))


class ConcernForm(forms.Form):
    text = forms.CharField(label=_("Describe the concern"), max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("What you saw or heard, when and who was involved. This "
                                     "is kept apart from review notes and the report"))
    about_headteacher = forms.BooleanField(
        label=_("The concern is about the headteacher"), required=False,
        help_text=_("It then goes only to the programme's safeguarding officer"))


class ConcernOutcomeForm(SharedTextForm):
    """What was done about a safeguarding concern (several readers may write it)."""

    text_fields = ("outcome",)
    plain_names = {"outcome": "what was done about the concern"}
    outcome = forms.CharField(
        label=_("What was done"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("For example, who you referred it to and when, the advice you were given, "
                    "or why no further action was needed. Only the people who may read the "
                    "concern see this"),
        error_messages={"required": _("Enter what was done about the concern")})
