from django.db import migrations

CREATE = ("CREATE VIRTUAL TABLE IF NOT EXISTS frameworks_question_fts USING fts5("
          "obj_id UNINDEXED, text, prompts_text, tokenize = 'porter unicode61')")


def forwards(apps, schema_editor):
    # SQLite only: PostgreSQL searches the question table itself (apps/core/search.py).
    if schema_editor.connection.vendor == "sqlite":
        try:
            schema_editor.execute(CREATE)
        except Exception:  # noqa: BLE001 - SQLite without FTS5: search degrades, said on page
            pass


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS frameworks_question_fts")


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
