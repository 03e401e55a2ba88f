"""Register uploads waiting for import move from a database column to Django's file storage
(ADR 0005). Forwards: the bytes of each job that still has them are saved to storage and the
column emptied. Backwards: the bytes are read back into the column and the stored file
deleted."""

from django.db import migrations, models

import apps.schools.models
from apps.core.storage import bytes_to_storage, storage_to_bytes


def to_storage(apps, schema_editor):
    bytes_to_storage(apps.get_model("schools", "ImportJob"), "content", "file",
                     lambda row: row.filename or "register.csv")


def to_database(apps, schema_editor):
    storage_to_bytes(apps.get_model("schools", "ImportJob"), "content", "file")


class Migration(migrations.Migration):

    dependencies = [
        ("schools", "0003_school_register_row_hash"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="file",
            field=models.FileField(blank=True, max_length=255,
                                   upload_to=apps.schools.models.register_upload_path),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="content",
            field=models.BinaryField(blank=True, default=b"", editable=False,
                                     help_text="Before uploads moved to storage; always empty now"),
        ),
        migrations.RunPython(to_storage, to_database),
    ]
