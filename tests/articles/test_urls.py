"""article_url() is reverse() without the resolver: the same URL for every slug, or the same refusal."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from kb.articles.models import article_url

SLUGS = ["reset-2fa", "如何重置用户密码", "a b", "100%-sure", "q?x#y", "emoji-🙂", "tilde~:@", "ünïcode"]


@pytest.mark.parametrize("slug", SLUGS)
def test_article_url_is_what_reverse_gives(slug):
    assert article_url(slug) == reverse("articles:detail", args=[slug])


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize(
    ("name", "args"), [("articles:version", (3,)), ("articles:version", (12,)), ("articles:diff", ())]
)
def test_the_version_and_diff_urls_are_what_reverse_gives(slug, name, args):
    assert article_url(slug, name, *args) == reverse(name, args=[slug, *args])


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
