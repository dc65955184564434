"""One row per (article, version), held by the database itself (issue 12): a second writer that
bypasses the services (simple-history's revert did) cannot make two rows claim the same version."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from kb.articles import services
from kb.articles.models import HistoricalArticle

pytestmark = pytest.mark.django_db


def _copy(record, **changes):
    fields = {
        f.attname: getattr(record, f.attname)
        for f in HistoricalArticle._meta.concrete_fields
        if f.attname != "history_id"
    }
    fields.update(history_date=timezone.now(), **changes)
    return HistoricalArticle(**fields)


def test_second_row_with_the_same_article_and_version_is_refused(make_article):
    article = make_article("Escalate a locked payout")
    record = HistoricalArticle.objects.get(id=article.pk, version=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        _copy(record, body="a rewritten version 1").save()
    assert HistoricalArticle.objects.filter(id=article.pk).count() == 1


def test_the_same_version_number_of_another_article_is_allowed(make_article):
    first = make_article("Escalate a locked payout")
    second = make_article("Escalate a frozen payout")
    versions = HistoricalArticle.objects.filter(id__in=[first.pk, second.pk]).values_list("id", "version")
    assert sorted(versions) == sorted([(first.pk, 1), (second.pk, 1)])


def test_editing_after_many_versions_still_writes_one_row_per_version(lead, make_article):
    article = make_article("Escalate a locked payout")
    for n in range(2, 5):
        article = services.update_article(
            actor=lead, article=article, base_version=n - 1, change_note=f"v{n}", body=f"Body {n}"
        )
    versions = list(
        HistoricalArticle.objects.filter(id=article.pk).order_by("version").values_list("version", flat=True)
    )
    assert versions == [1, 2, 3, 4]
