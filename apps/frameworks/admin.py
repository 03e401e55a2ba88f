from django.contrib import admin

from .models import Framework, FrameworkVersion


class VersionInline(admin.TabularInline):
    model = FrameworkVersion
    fields = ("number", "title", "status", "published_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    """Frameworks are edited in the platform's own pages, which keep versions immutable."""

    list_display = ("slug", "kind")
    inlines = [VersionInline]

    def has_delete_permission(self, request, obj=None):
        return False
