"""Action files and plan PDFs move from database columns to Django's file storage (ADR 0005).
Forwards: each row's bytes are saved to storage and the column emptied. Backwards: the bytes
are read back into the column and the stored file deleted. The old ``pdf`` column is kept as
``pdf_bytes`` (and ``content`` as it is) until a later release removes them."""

from django.db import migrations, models

import apps.improvement.models
from apps.core.storage import bytes_to_storage, storage_to_bytes


def to_storage(apps, schema_editor):
    bytes_to_storage(apps.get_model("improvement", "ActionFile"), "content", "file",
                     lambda row: row.filename)
    bytes_to_storage(apps.get_model("improvement", "PlanExport"), "pdf_bytes", "pdf",
                     lambda row: "action-plan.pdf")


def to_database(apps, schema_editor):
    storage_to_bytes(apps.get_model("improvement", "ActionFile"), "content", "file")
    storage_to_bytes(apps.get_model("improvement", "PlanExport"), "pdf_bytes", "pdf")


class Migration(migrations.Migration):

    dependencies = [
        ("improvement", "0002_impact_lock_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="actionfile",
            name="file",
            field=models.FileField(blank=True, max_length=255,
                                   upload_to=apps.improvement.models.action_file_path),
        ),
        migrations.AlterField(
            model_name="actionfile",
            name="content",
            field=models.BinaryField(blank=True, editable=False, null=True,
                                     help_text="Before files moved to storage; always empty now"),
        ),
        migrations.RenameField(model_name="planexport", old_name="pdf", new_name="pdf_bytes"),
        migrations.AlterField(
            model_name="planexport",
            name="pdf_bytes",
            field=models.BinaryField(blank=True, editable=False, null=True,
                                     help_text="Before PDFs moved to storage; always empty now"),
        ),
        migrations.AddField(
            model_name="planexport",
            name="pdf",
            field=models.FileField(blank=True, max_length=255,
                                   upload_to=apps.improvement.models.plan_pdf_path),
        ),
        migrations.RunPython(to_storage, to_database),
    ]
