"""Review files move from a database column to Django's file storage (ADR 0005). Forwards:
each file's bytes are saved to storage and the column emptied. Backwards: the bytes are read
back into the column and the stored file deleted."""

from django.db import migrations, models

from apps.core.storage import bytes_to_storage, storage_to_bytes
from apps.reviews.models import review_file_path


def to_storage(apps, schema_editor):
    # One row's bytes in memory at a time (a query for the ids, then each row); the name
    # comes from the field's upload_to, review_file_path.
    bytes_to_storage(apps.get_model("reviews", "ReviewFile"), "content", "file",
                     lambda row: row.filename)


def to_database(apps, schema_editor):
    storage_to_bytes(apps.get_model("reviews", "ReviewFile"), "content", "file")


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0005_one_live_review_per_school"),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewfile",
            name="file",
            field=models.FileField(blank=True, max_length=255, upload_to=review_file_path),
        ),
        migrations.AlterField(
            model_name="reviewfile",
            name="content",
            field=models.BinaryField(blank=True, editable=False, null=True,
                                     help_text="Before files moved to storage; always empty now"),
        ),
        migrations.RunPython(to_storage, to_database),
    ]
