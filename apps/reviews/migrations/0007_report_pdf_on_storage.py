"""Report PDFs move from a database column to Django's file storage (ADR 0005). Forwards:
each PDF is saved to storage and the column emptied. Backwards: the bytes are read back into
the column and the stored file deleted. The old ``pdf`` column is kept as ``pdf_bytes`` until
a later release removes it."""

from django.db import migrations, models

import apps.reviews.models
from apps.core.storage import bytes_to_storage, storage_to_bytes


def to_storage(apps, schema_editor):
    bytes_to_storage(apps.get_model("reviews", "Report"), "pdf_bytes", "pdf",
                     lambda row: f"report-v{row.number}.pdf")


def to_database(apps, schema_editor):
    storage_to_bytes(apps.get_model("reviews", "Report"), "pdf_bytes", "pdf")


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0006_reviewfile_file_on_storage"),
    ]

    operations = [
        migrations.RenameField(model_name="report", old_name="pdf", new_name="pdf_bytes"),
        migrations.AlterField(
            model_name="report",
            name="pdf_bytes",
            field=models.BinaryField(blank=True, editable=False, null=True,
                                     help_text="Before PDFs moved to storage; always empty now"),
        ),
        migrations.AddField(
            model_name="report",
            name="pdf",
            field=models.FileField(blank=True, max_length=255,
                                   upload_to=apps.reviews.models.report_pdf_path),
        ),
        migrations.RunPython(to_storage, to_database),
    ]
