from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    """One sensitive action: who did what to which object, when and from where.

    Written only through ``apps.core.audit.record`` from service functions (never signals
    on models), so every entry names a deliberate action with a namespaced code such as
    ``invitation.sent`` or ``schools.import.completed``.

    Actions repeated many times a day (looks at review content, ``disclosure.*``, and
    autosaves of evidence notes and workshop notes, through
    ``apps.core.audit.record_counted``) are kept compactly: one row per person, object,
    action (with its details, such as the report version, the file or the note) and day,
    whose ``count`` says how many times, from ``created_at`` (the first) to ``last_at`` (the
    last). Every other entry is one action: ``count`` 1 and ``last_at`` equal to
    ``created_at``.
    """

    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    last_at = models.DateTimeField(default=timezone.now, editable=False,
                                   help_text="The last time, for an entry that counts repeats")
    count = models.PositiveIntegerField(default=1, help_text="How many times, from created_at "
                                                             "to last_at")
    view_key = models.CharField(max_length=32, null=True, blank=True, editable=False,
                                help_text="For an entry that counts repeats: a digest of the "
                                          "person, object, action, details and day")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=254, blank=True,
                                   help_text="The actor's email when the action happened")
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_label = models.CharField(max_length=255, blank=True)
    details = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]
        constraints = [models.UniqueConstraint(fields=["view_key"], name="audit_view_key_unique")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label or 'system'} {self.action}"
