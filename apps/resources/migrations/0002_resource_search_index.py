from django.db import migrations

CREATE = ("CREATE VIRTUAL TABLE IF NOT EXISTS resources_resource_fts USING fts5("
          "obj_id UNINDEXED, title, summary, tokenize = 'porter unicode61')")


def forwards(apps, schema_editor):
    # SQLite only: PostgreSQL searches the resource table itself (apps/core/search.py).
    if schema_editor.connection.vendor == "sqlite":
        try:
            schema_editor.execute(CREATE)
        except Exception:  # noqa: BLE001 - SQLite without FTS5: search degrades, said on page
            pass


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS resources_resource_fts")


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
