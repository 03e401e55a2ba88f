from django.contrib import admin

from .models import ImportJob, School


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("urn", "name", "phase", "la_name", "status", "pupils", "percentage_fsm")
    list_filter = ("status", "phase", "la_name")
    search_fields = ("name", "=urn", "postcode", "town")


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("filename", "status", "created_by", "created_at", "finished_at")
    exclude = ("content", "file")  # uploads go through the import page; the file is private
    readonly_fields = ("summary", "error")
