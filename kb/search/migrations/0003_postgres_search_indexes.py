"""GIN indexes for the PostgreSQL backend; nothing to do on other databases."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS search_doc_vector_gin ON search_searchdocument USING GIN (vector)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS search_doc_visibility_gin ON search_searchdocument USING GIN "
        "((visibility::jsonb))"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS search_doc_vector_gin")
    schema_editor.execute("DROP INDEX IF EXISTS search_doc_visibility_gin")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_search_document_exact_vector")]
    operations = [migrations.RunPython(create, drop)]
