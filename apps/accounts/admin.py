from django.contrib import admin

from .models import Invitation, RoleAssignment, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    raw_id_fields = ("school", "partnership", "granted_by")
    extra = 0


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("email", "full_name", "is_active", "reviewer_trained_until",
                    "champion_trained_until")
    search_fields = ("email", "full_name")
    exclude = ("password", "user_permissions", "groups", "is_superuser")
    readonly_fields = ("last_login", "date_joined", "is_staff")
    inlines = [RoleInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "role", "partnership", "school", "created_at", "accepted_at")
    exclude = ("token",)
    raw_id_fields = ("school",)
