"""The resources library: programme materials (files, links, templates) with audience rules.

A file resource keeps every version ever uploaded (``ResourceFile``); the newest is current.
File bytes are stored in the database so that any app server can serve them without shared
file storage (see docs/adr/0003 for the same choice for register uploads).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.search import SearchIndex


class Audience(models.TextChoices):
    PUBLIC = "public", _("Everyone, including people not signed in")
    PROGRAMME = "programme", _("Schools in the programme (alumni schools keep access)")
    ALUMNI = "alumni", _("Alumni schools")
    CORE = "core", _("Core team only")


class ForRole(models.TextChoices):
    REVIEWER = "reviewer", _("Peer reviewers")
    CHAMPION = "champion", _("Improvement Champions")
    PARTNERSHIP_LEAD = "partnership_lead", _("Partnership leads")
    HEADTEACHER = "headteacher", _("Headteachers")
    STAFF = "staff", _("School staff")


class ForPhase(models.TextChoices):
    BUILD = "build", _("Build")
    EMBED = "embed", _("Embed")
    SUSTAIN = "sustain", _("Sustain")


class Resource(models.Model):
    class Kind(models.TextChoices):
        FILE = "file", _("Document")
        TEMPLATE = "template", _("Template")
        LINK = "link", _("Link (recording, webinar, web page)")

    title = models.CharField(max_length=200)
    summary = models.TextField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    for_roles = models.JSONField(default=list, blank=True)
    for_phases = models.JSONField(default=list, blank=True)
    themes = models.JSONField(default=list, blank=True)
    url = models.URLField(max_length=500, blank=True)
    version_label = models.CharField("version", max_length=40, blank=True)
    published_on = models.DateField("date")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(help_text="When its content last changed (new file, "
                                                "new link or new text)")
    download_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-changed_at", "title"]
        indexes = [models.Index(fields=["audience", "-changed_at"], name="resource_aud_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_file(self) -> bool:
        return self.kind in (self.Kind.FILE, self.Kind.TEMPLATE)

    def current_file(self):
        return self.files.defer("content").order_by("-number").first()

    def role_labels(self) -> list[str]:
        labels = dict(ForRole.choices)
        return [str(labels.get(r, r)) for r in self.for_roles]

    def phase_labels(self) -> list[str]:
        labels = dict(ForPhase.choices)
        return [str(labels.get(p, p)) for p in self.for_phases]


def resource_file_path(instance, filename: str) -> str:
    """A random name in the file storage (the name people see is ``filename``)."""
    import uuid

    extension = filename.rsplit(".", 1)[-1].lower()[:10] if "." in filename else "bin"
    return f"resources/{uuid.uuid4().hex}.{extension}"


class ResourceFile(models.Model):
    """One uploaded version of a file resource. Replacing a file adds a version. The bytes
    are in Django's file storage (``file``; docs/adr/0005-files-on-django-storage.md);
    ``content`` is emptied by migration 0003 and will be removed in a later release."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="files")
    number = models.PositiveIntegerField()
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size_bytes = models.PositiveIntegerField()
    file = models.FileField(upload_to=resource_file_path, max_length=255, blank=True)
    content = models.BinaryField(null=True, blank=True, editable=False,
                                 help_text="Before files moved to storage; always empty now")
    note = models.CharField(max_length=255, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    download_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["resource", "-number"]
        constraints = [models.UniqueConstraint(fields=["resource", "number"],
                                               name="one_number_per_resource_file")]

    def __str__(self) -> str:
        return f"{self.filename} (version {self.number})"

    @property
    def extension(self) -> str:
        return self.filename.rsplit(".", 1)[-1].upper() if "." in self.filename else "File"


class LibraryVisit(models.Model):
    """When a person last looked at the library, for "new since your last visit"."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="library_visit")
    previous_visit_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user} last saw the library at {self.last_seen_at:%Y-%m-%d %H:%M}"


RESOURCE_INDEX = SearchIndex(
    table="resources_resource_fts",
    model_label="resources.Resource",
    fields=(("title", "A"), ("summary", "B")),
)
