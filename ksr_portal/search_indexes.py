"""Trigram indexes for the admin's case-insensitive "contains" search, on PostgreSQL.

Django's icontains is UPPER(column) LIKE UPPER('%…%'); a GIN trigram index on UPPER(column) serves
exactly that expression. Other databases search without them.
"""

from django.db import migrations


def trigram_indexes(table, columns):
    """A migration operation creating (and on reversal dropping) the indexes `<table>_<column>_trgm`."""
    names = {column: f"{table}_{column}_trgm" for column in columns}

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column, name in names.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER({column}) gin_trgm_ops)"
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in names.values():
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop)
