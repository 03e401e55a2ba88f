from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Audience, ForPhase, ForRole, Resource

# extension -> (content type, signatures its first bytes may start with)
ZIP = (b"PK\x03\x04",)
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
ALLOWED_FILES = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ZIP),
    "doc": ("application/msword", OLE),
    "xls": ("application/vnd.ms-excel", OLE),
    "ppt": ("application/vnd.ms-powerpoint", OLE),
    "odt": ("application/vnd.oasis.opendocument.text", ZIP),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", ZIP),
    "odp": ("application/vnd.oasis.opendocument.presentation", ZIP),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
KINDS_OF_FILE = "a PDF, Word, Excel, PowerPoint, OpenDocument, PNG or JPEG file"


def read_upload(upload, *, allowed=None, kinds: str = KINDS_OF_FILE,
                limit: int | None = None) -> tuple[str, str, bytes]:
    """(filename, content type, bytes) of an acceptable upload, else ValidationError with a
    reason a person can act on. ``allowed`` maps extensions to (content type, signatures);
    a signature of ``(offset, bytes)`` is looked for at that offset."""
    allowed = allowed or ALLOWED_FILES
    limit = limit or settings.RESOURCE_MAX_BYTES
    name = upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if len(name) > 200:  # keep the extension when shortening a long name
        name = f"{name[: 190 - len(ext)]}.{ext}" if ext else name[:200]
    if ext not in allowed:
        raise forms.ValidationError(f"The selected file must be {kinds}")
    if upload.size == 0:
        raise forms.ValidationError("The selected file is empty")
    if upload.size > limit:
        raise forms.ValidationError(
            f"The selected file must be smaller than {limit // (1024 * 1024)} MB")
    content = upload.read()
    content_type, signatures = allowed[ext]
    if not any(content[sig[0]:].startswith(sig[1]) if isinstance(sig, tuple)
               else content.startswith(sig) for sig in signatures):
        raise forms.ValidationError(
            f"The selected file is not really a .{ext} file: its contents are of another "
            "kind. Save it again in the right format")
    return name, content_type, content


class ResourceForm(forms.Form):
    plain_names = {
        "kind": "the kind of resource",
    }
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("What it is and when it helps: this is what search "
                                        "reads"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Resource.Kind.choices,
                             widget=forms.RadioSelect)
    audience = forms.ChoiceField(label=_("Who can see it"), choices=Audience.choices,
                                 widget=forms.RadioSelect)
    for_roles = forms.MultipleChoiceField(label=_("Who it is for"), choices=ForRole.choices,
                                          required=False, widget=forms.CheckboxSelectMultiple)
    for_phases = forms.MultipleChoiceField(label=_("Programme phase"), choices=ForPhase.choices,
                                           required=False,
                                           widget=forms.CheckboxSelectMultiple,
                                           help_text=_("Leave all unticked for every phase"))
    themes = forms.CharField(label=_("Themes"), required=False, max_length=300,
                             help_text=_("Separate themes with commas, for example: "
                                       "self-review, pupil voice"))
    url = forms.URLField(label=_("Web address"), required=False, max_length=500,
                         assume_scheme="https",
                         help_text=_("For a link: the recording, webinar or page"))
    version_label = forms.CharField(label=_("Version"), required=False, max_length=40,
                                    widget=forms.TextInput(attrs={
                                        "class": "govuk-input--width-10"}))
    published_on = forms.DateField(label=_("Date"), initial=timezone.localdate,
                                   widget=forms.DateInput(attrs={
                                       "type": "date", "class": "govuk-input--width-10"},
                                       format="%Y-%m-%d"))
    file = forms.FileField(label=_("File"), required=False,
                           help_text=f"For a document or template: {KINDS_OF_FILE}, up to "
                                     f"{settings.RESOURCE_MAX_BYTES // (1024 * 1024)} MB")

    def __init__(self, *args, editing: Resource | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing is not None:
            del self.fields["file"]  # replacing a file has its own page, to keep versions
            self.fields["kind"].disabled = True

    def clean_themes(self):
        return [t.strip() for t in self.cleaned_data["themes"].split(",") if t.strip()][:12]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        return read_upload(upload) if upload else None

    def clean(self):
        data = super().clean()
        kind = data.get("kind") or (self.editing.kind if self.editing else None)
        if kind == Resource.Kind.LINK and not data.get("url") and "url" not in self.errors:
            self.add_error("url", _("Enter the web address of the link"))
        if kind in (Resource.Kind.FILE, Resource.Kind.TEMPLATE) and self.editing is None \
                and not data.get("file") and "file" not in self.errors:
            self.add_error("file", _("Select a file"))
        return data


class ReplaceFileForm(forms.Form):
    file = forms.FileField(label=_("New file"),
                           help_text=f"{KINDS_OF_FILE[0].upper()}{KINDS_OF_FILE[1:]}. The "
                                     "current file is kept as an earlier version.")
    note = forms.CharField(label=_("What changed"), max_length=255)
    version_label = forms.CharField(label=_("Version"), required=False, max_length=40,
                                    help_text=_("For example 2.0. Leave blank to keep the current "
                                              "label"),
                                    widget=forms.TextInput(attrs={
                                        "class": "govuk-input--width-10"}))

    def clean_file(self):
        return read_upload(self.cleaned_data["file"])


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label=_("Search titles and summaries"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("Any")), *Resource.Kind.choices])
    role = forms.ChoiceField(label=_("For"), required=False,
                             choices=[("", _("Anyone")), *ForRole.choices])
    phase = forms.ChoiceField(label=_("Programme phase"), required=False,
                              choices=[("", _("Any")), *ForPhase.choices])
