"""A GIN index on the unstemmed vector for the PostgreSQL backend; nothing to do on other databases.

Typo correction counts, for each typed word and its candidates, the documents the caller may see
that hold it (``exact @@ …``). Without this index every count read every document's vector: 4–6 ms
of the database per search, the largest share of its work under load (docs/reliability.md §7).
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS search_doc_exact_gin ON search_searchdocument USING GIN (exact)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS search_doc_exact_gin")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_searchlog_visibility")]
    operations = [migrations.RunPython(create, drop)]
