"""Training fixtures: articles with several published versions, made through the article services."""

from __future__ import annotations

import datetime as dt

import pytest

from kb.articles import services as article_services
from kb.articles.models import Article
from kb.training.selectors import training_today


def new_version(lead, article: Article, *, material: bool, body: str | None = None) -> Article:
    """Edit the body and publish the result as a material or minor change."""
    article.refresh_from_db()
    article = article_services.update_article(
        actor=lead,
        article=article,
        base_version=article.version,
        change_note="edit",
        body=body or f"{article.body}\n\nStep added in v{article.version + 1}.\n",
    )
    return article_services.publish_article(actor=lead, article=article, material=material)


@pytest.fixture
def republish(lead):
    """republish(article, material=…) → the article with a new published version."""

    def do(article: Article, *, material: bool, body: str | None = None) -> Article:
        return new_version(lead, article, material=material, body=body)

    return do


@pytest.fixture
def today() -> dt.date:
    return training_today()
