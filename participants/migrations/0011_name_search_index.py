"""Trigram indexes for searching people by name (the admin's case-insensitive "contains"), on PostgreSQL.

Django's icontains is UPPER(column) LIKE UPPER('%…%'); these indexes serve exactly that expression.
Other databases search without them.
"""

from django.db import migrations

COLUMNS = ["last_name", "first_name"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS participant_{column}_trgm "
            f"ON participants_participant USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS participant_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("participants", "0010_contract_goals")]

    operations = [migrations.RunPython(create, drop)]
