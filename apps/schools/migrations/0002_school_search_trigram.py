"""Trigram indexes for the school search on PostgreSQL.

The directory and the API search with ``name__icontains`` / ``town__icontains`` (and a
postcode by its start), which
PostgreSQL runs as ``UPPER(name::text) LIKE UPPER('%word%')``. A B-tree cannot serve a
leading wildcard; a GIN trigram index on the same expression can (pg_trgm). SQLite has no
such index and scans the table, which is fine at its sizes, so on other databases this
migration does nothing.

Creating the extension needs a role allowed to (the database owner on PostgreSQL 13+, as
pg_trgm is a trusted extension); see docs/deploy.md.
"""

from django.db import migrations

COLUMNS = ("name", "town", "postcode")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS school_{column}_trgm ON schools_school "
            f"USING gin ((UPPER(({column})::text)) gin_trgm_ops)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS school_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
