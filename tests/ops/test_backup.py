"""Backup and restore really round-trip the database and uploads (SQLite here; PostgreSQL in its CI run)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from kb.articles.models import Article

_spec = importlib.util.spec_from_file_location(
    "kb_backup_script", Path(settings.BASE_DIR) / "scripts" / "backup.py"
)
assert _spec and _spec.loader
backup_script = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(backup_script)


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_brings_back_articles_and_uploads(make_article, lead, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    Path(settings.MEDIA_ROOT).mkdir()
    (Path(settings.MEDIA_ROOT) / "screenshot.png").write_bytes(b"\x89PNG fake")
    kept = make_article(title="Payout delay checklist")
    archive = backup_script.backup(tmp_path / "backups", database=connection.settings_dict)
    assert archive.exists()

    # Disaster: the article is deleted and the upload is lost.
    Article.objects.filter(pk=kept.pk).delete()
    (Path(settings.MEDIA_ROOT) / "screenshot.png").unlink()
    connection.close()

    backup_script.restore(archive, database=connection.settings_dict, rebuild_index=False)
    connection.close()
    restored = Article.objects.get(pk=kept.pk)
    assert restored.title == "Payout delay checklist"
    assert restored.history.count() == 1
    assert (Path(settings.MEDIA_ROOT) / "screenshot.png").read_bytes() == b"\x89PNG fake"
