"""Review files move from a database column to Django's file storage (ADR 0005). Forwards:
each file's bytes are saved to storage and the column emptied. Backwards: the bytes are read
back into the column and the stored file deleted."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import migrations, models

from apps.reviews.models import review_file_path


def to_storage(apps, schema_editor):
    ReviewFile = apps.get_model("reviews", "ReviewFile")
    for row in ReviewFile.objects.filter(file="").exclude(content=None).iterator():
        name = review_file_path(row, row.filename)
        row.file.name = default_storage.save(name, ContentFile(bytes(row.content)))
        row.content = None
        row.save(update_fields=["file", "content"])


def to_database(apps, schema_editor):
    ReviewFile = apps.get_model("reviews", "ReviewFile")
    for row in ReviewFile.objects.exclude(file="").iterator():
        with default_storage.open(row.file.name, "rb") as stored:
            row.content = stored.read()
        default_storage.delete(row.file.name)
        row.file.name = ""
        row.save(update_fields=["file", "content"])


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
