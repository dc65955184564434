"""The category tree is walked in one place, from the codes, so no two surfaces disagree on it."""

from __future__ import annotations

import pytest

from kb.articles import selectors
from kb.articles.models import Category
from kb.search.documents import _Categories, documents_for

pytestmark = pytest.mark.django_db


def test_every_tree_walk_follows_the_code_even_where_an_old_row_disagrees(
    api, lead, category_tree, make_article
):
    article = make_article("Minor safety escalation", categories=["SAFETY.MINORS"])
    # A row written before the services enforced the rule: SAFETY.MINORS claims ACCOUNT as parent.
    Category.objects.filter(code="SAFETY.MINORS").update(parent=category_tree["ACCOUNT"])
    minors = Category.objects.get(code="SAFETY.MINORS")

    assert selectors.category_path(minors) == ["SAFETY", "SAFETY.MINORS"]
    assert minors.pk in selectors.descendant_ids(category_tree["SAFETY"])
    assert minors.pk not in selectors.descendant_ids(category_tree["ACCOUNT"])
    assert _Categories().ancestors("SAFETY.MINORS") == ["SAFETY.MINORS", "SAFETY"]
    totals = selectors.category_total_counts(lead)
    assert (totals.get(category_tree["SAFETY"].pk), totals.get(category_tree["ACCOUNT"].pk)) == (1, None)
    (doc,), _gone = documents_for([article.pk])
    assert doc.category_paths == ["SAFETY.MINORS", "SAFETY"]
    body = api(lead).get("/api/v1/categories/SAFETY.MINORS/").json()
    assert (body["parent"], body["path"]) == ("SAFETY", ["SAFETY", "SAFETY.MINORS"])
    listed = api(lead).get("/api/v1/articles/", {"category": "SAFETY"}).json()
    assert [a["id"] for a in listed["results"]] == [article.pk]
    assert api(lead).get("/api/v1/articles/", {"category": "ACCOUNT"}).json()["count"] == 0


def test_ancestors_and_parents_come_from_the_code():
    assert selectors.ancestor_codes("A.B_C.D") == ["A", "A.B_C", "A.B_C.D"]
    assert (selectors.parent_code("A.B_C.D"), selectors.parent_code("A")) == ("A.B_C", None)


def test_the_category_tree_groups_by_the_code_prefix(category_tree):
    Category.objects.filter(code="SAFETY.MINORS").update(parent=category_tree["ACCOUNT"])
    tree = selectors.category_tree()
    assert [c.code for c in tree[category_tree["SAFETY"].pk]] == ["SAFETY.MINORS"]
    assert [c.code for c in tree[category_tree["ACCOUNT"].pk]] == ["ACCOUNT.LOGIN"]
