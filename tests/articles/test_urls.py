"""article_url() is reverse() without the resolver: the same URL for every slug, or the same refusal."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from kb.articles.models import article_url

SLUGS = ["reset-2fa", "如何重置用户密码", "a b", "100%-sure", "q?x#y", "emoji-🙂", "tilde~:@", "ünïcode"]


@pytest.mark.parametrize("slug", SLUGS)
def test_article_url_is_what_reverse_gives(slug):
    assert article_url(slug) == reverse("articles:detail", args=[slug])


def test_article_url_follows_the_script_prefix():
    try:
        set_script_prefix("/kb/")
        assert (
            article_url("reset-2fa")
            == reverse("articles:detail", args=["reset-2fa"])
            == "/kb/articles/reset-2fa/"
        )
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize("slug", ["", "a/b"])
def test_article_url_refuses_what_reverse_refuses(slug):
    with pytest.raises(NoReverseMatch):
        article_url(slug)
