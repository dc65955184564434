"""Remember each logged search's visibility keys, so reports can show it only to viewers who hold them.

Existing rows get the keys their user has now (the best the log knows); rows whose user is gone get
a key no viewer holds, so only the operator's report (``kb_report``) still counts them.
"""

from django.db import migrations, models

UNKNOWN = "unknown"


def backfill(apps, schema_editor):
    SearchLog = apps.get_model("search", "SearchLog")
    User = apps.get_model("accounts", "User")
    teams: dict[int, list[str]] = {}
    for user_id, team_id in User.teams.through.objects.values_list("user_id", "team_id"):
        teams.setdefault(user_id, []).append(f"team:{team_id}")
    for user_id in SearchLog.objects.values_list("user_id", flat=True).distinct():
        keys = ["public", *sorted(teams.get(user_id, []))] if user_id is not None else [UNKNOWN]
        SearchLog.objects.filter(user_id=user_id).update(visibility=keys)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("search", "0003_postgres_search_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchlog",
            name="visibility",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
