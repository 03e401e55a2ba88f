from django.contrib import admin

from .models import Membership, Organisation, Partnership, PhaseChange


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ("school",)
    extra = 0


class PhaseChangeInline(admin.TabularInline):
    model = PhaseChange
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "phase")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline, PhaseChangeInline]


admin.site.register(Organisation)
