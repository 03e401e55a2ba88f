"""Library files move from a database column to Django's file storage (ADR 0005). Forwards:
each file's bytes are saved to storage and the column emptied. Backwards: the bytes are read
back into the column and the stored file deleted."""

from django.db import migrations, models

from apps.core.storage import bytes_to_storage, storage_to_bytes
from apps.resources.models import resource_file_path


def to_storage(apps, schema_editor):
    # One row's bytes in memory at a time (a query for the ids, then each row); the name
    # comes from the field's upload_to, resource_file_path.
    bytes_to_storage(apps.get_model("resources", "ResourceFile"), "content", "file",
                     lambda row: row.filename)


def to_database(apps, schema_editor):
    storage_to_bytes(apps.get_model("resources", "ResourceFile"), "content", "file")


class Migration(migrations.Migration):

    dependencies = [
        ("resources", "0002_resource_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="resourcefile",
            name="file",
            field=models.FileField(blank=True, max_length=255,
                                   upload_to=resource_file_path),
        ),
        migrations.AlterField(
            model_name="resourcefile",
            name="content",
            field=models.BinaryField(blank=True, editable=False, null=True,
                                     help_text="Before files moved to storage; always empty now"),
        ),
        migrations.RunPython(to_storage, to_database),
    ]
