from django.contrib import admin

from .models import Invitation, RoleAssignment, User


class ReadOnlyAdmin(admin.ModelAdmin):
    """People, roles and invitations change only through the platform's pages, which audit
    every change; the admin shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    fields = ("role", "partnership", "school", "granted_at", "granted_by", "ended_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ("email", "full_name", "is_active", "reviewer_trained_until",
                    "champion_trained_until")
    search_fields = ("email", "full_name")
    exclude = ("password", "user_permissions", "groups", "is_superuser")
    inlines = [RoleInline]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("email", "role", "partnership", "school", "created_at", "accepted_at")
    exclude = ("token",)
