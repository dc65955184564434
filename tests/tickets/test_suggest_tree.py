"""Suggestions for a ticket's category include the articles of its parent categories, nearest first,
walked with the category tree of kb.articles.selectors (one tree walk in one place)."""

from __future__ import annotations

import pytest

from kb.tickets import selectors


def test_parent_and_grandparent_articles_are_suggested_with_weight_by_depth(specialist, make_article):
    exact = make_article("Reset 2FA with identity check", categories=["ACCOUNT.LOGIN.2FA", "ACCOUNT"])
    parent = make_article("Login troubleshooting basics", categories=["ACCOUNT.LOGIN"])
    root = make_article("Account basics", categories=["ACCOUNT"])
    make_article("Payout delays", categories=["PAYOUTS"])
    got = {
        s.article.pk: s
        for s in selectors.suggest_articles(specialist, category="ACCOUNT.LOGIN.2FA", limit=10)
    }
    assert set(got) == {exact.pk, parent.pk, root.pk}
    assert got[exact.pk].reasons == ["Filed under ACCOUNT.LOGIN.2FA"]
    assert got[exact.pk].score == pytest.approx(selectors.W_CATEGORY)
    assert got[parent.pk].reasons == ["Filed under the parent category ACCOUNT.LOGIN"]
    assert got[parent.pk].score == pytest.approx(selectors.W_PARENT)
    assert got[root.pk].reasons == ["Filed under the parent category ACCOUNT"]
    assert got[root.pk].score == pytest.approx(selectors.W_PARENT / 2)


def test_a_top_level_category_has_no_parent_suggestions(specialist, make_article):
    root = make_article("Account basics", categories=["ACCOUNT"])
    make_article("Login troubleshooting basics", categories=["ACCOUNT.LOGIN"])
    got = selectors.suggest_articles(specialist, category="ACCOUNT", limit=10)
    assert [(s.article.pk, s.reasons) for s in got] == [(root.pk, ["Filed under ACCOUNT"])]


def test_the_walk_uses_the_category_tree_of_the_articles_app(specialist, make_article, monkeypatch):
    from kb.articles import selectors as tree

    parent = make_article("Login troubleshooting basics", categories=["ACCOUNT.LOGIN"])
    monkeypatch.setattr(tree, "ancestor_codes", lambda code: [code])  # a tree without parents
    got = selectors.suggest_articles(specialist, category="ACCOUNT.LOGIN.2FA", limit=10)
    assert parent.pk not in {s.article.pk for s in got}
