"""One history row per (article, version), enforced by a unique constraint (issue 12).

Services always wrote one row per version; only django-simple-history's admin revert could write a
second row with a number already taken. A database where that happened is not changed behind the
operator's back: the migration stops and names the rows (docs/versions.md, "Duplicate versions").
"""

from django.db import migrations, models
from django.db.models import Count


def refuse_duplicate_versions(apps, schema_editor):
    historical = apps.get_model("articles", "HistoricalArticle")
    duplicates = list(
        historical.objects.values("id", "version")
        .annotate(rows=Count("history_id"))
        .filter(rows__gt=1)
        .order_by("id", "version")[:20]
    )
    if duplicates:
        listed = ", ".join(f"article {d['id']} v{d['version']} ({d['rows']} rows)" for d in duplicates)
        raise RuntimeError(
            "Some versions have more than one history row, so the unique (article, version) "
            f"constraint cannot be added: {listed}. See docs/versions.md, 'Duplicate versions'."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(refuse_duplicate_versions, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="historicalarticle",
            constraint=models.UniqueConstraint(fields=("id", "version"), name="articles_one_row_per_version"),
        ),
    ]
