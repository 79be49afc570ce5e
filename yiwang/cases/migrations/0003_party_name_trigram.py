"""On PostgreSQL, a trigram index makes "name contains …" searches use an index at any table size."""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS cases_party_name_trgm ON cases_party USING gin (name gin_trgm_ops)",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS cases_party_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_case_invariants")]
    operations = [migrations.RunPython(forwards, backwards)]
