from django.contrib import admin

from .audit import shown_details
from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is never edited."""

    list_display = ("created_at", "actor_label", "action", "object_label", "ip_address")
    list_filter = ("action",)
    search_fields = ("actor_label", "object_label", "action")
    # The details as the audit page shows them: file names of review content are left out.
    exclude = ("details",)
    readonly_fields = ("details_shown",)

    @admin.display(description="details")
    def details_shown(self, obj):
        return shown_details(obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
