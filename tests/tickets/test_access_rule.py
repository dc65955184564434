"""Tickets, the home page and the import/export commands ask kb.articles.access who edits and who
sees drafts (issue 12 §6): change the answer there and every one of them follows."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kb.articles import access
from kb.lib import ui
from kb.lib.errors import NotFound
from kb.tickets import selectors, services


@pytest.fixture
def nobody_edits(monkeypatch):
    """Call it once the data is set up (making articles needs an editor)."""

    def deny() -> None:
        monkeypatch.setattr(access, "is_editor", lambda user: False)
        monkeypatch.setattr(access, "can_see_drafts", lambda user: False)

    return deny


def test_flag_queue_and_closing_follow_the_access_module(web, specialist, lead, make_article, nobody_edits):
    from kb.articles.models import Article

    article = make_article()
    Article.objects.filter(pk=article.pk).update(owner=specialist)  # the lead neither owns nor raised it
    flag = services.raise_flag(actor=specialist, article=article.pk, reason="unclear", comment="Step 2?")
    nobody_edits()
    assert lead.is_editor  # the role says yes; access says no, and access decides
    assert not selectors.visible_flags(lead).exists()
    assert not services.can_close_flag(lead, flag)
    assert "Step 2?" not in web(lead).get("/flags/?mine=0").content.decode()
    with pytest.raises(NotFound):
        services.close_flag(actor=lead, flag=flag.pk, resolution="fixed")


def test_flags_nav_item_follows_the_access_module(lead, nobody_edits):
    nobody_edits()
    item = ui._nav["flags"]
    assert not item.visible(lead)


def test_home_overdue_reviews_follow_the_access_module(web, lead, make_article, nobody_edits):
    from datetime import timedelta

    from django.utils import timezone

    from kb.articles.models import Article

    article = make_article()
    Article.objects.filter(pk=article.pk).update(
        owner=lead, review_interval_days=1, published_at=timezone.now() - timedelta(days=3)
    )
    nobody_edits()
    response = web(lead).get("/")
    assert response.status_code == 200
    assert list(response.context["stale"]) == []


def test_templates_get_the_role_answers_from_the_access_module(web, lead, nobody_edits):
    nobody_edits()
    response = web(lead).get("/flags/")
    assert response.context["user_is_editor"] is False
    assert response.context["user_sees_drafts"] is False


def test_export_as_user_asks_the_access_module(tmp_path, lead, make_article, nobody_edits):
    make_article()
    nobody_edits()
    with pytest.raises(CommandError, match="needs a lead, trainer or admin"):
        call_command("kb_export", str(tmp_path / "out"), "--as-user", lead.username, stdout=StringIO())


def test_import_owner_asks_the_access_module(tmp_path, lead, nobody_edits):
    nobody_edits()
    with pytest.raises(CommandError, match="imports need a lead or an admin"):
        call_command("kb_import", str(tmp_path), "--owner", lead.username, stdout=StringIO())


@pytest.mark.parametrize(
    ("path", "editor_only"),
    [
        ("/articles/", 'href="/articles/new/"'),
        ("/search/synonyms/", 'id="syn-terms"'),
    ],
)
def test_pages_show_editor_actions_only_when_the_access_module_says_so(
    web, lead, nobody_edits, path, editor_only
):
    assert editor_only in web(lead).get(path).content.decode()
    nobody_edits()
    assert editor_only not in web(lead).get(path).content.decode()
