"""Versioning, publishing and conflict rules, through the services."""

from __future__ import annotations

import pytest

from kb.articles import services
from kb.articles.models import Status
from kb.lib.errors import Conflict, InvalidInput, NotAllowed, VersionConflict


def test_create_makes_version_one_draft_with_note_and_author(make_article, lead):
    article = make_article(published=False)
    assert (article.version, article.status, article.published_version) == (1, Status.DRAFT, None)
    record = article.history.get()
    assert record.history_change_reason == "First draft"
    assert record.history_user == lead


def test_edit_on_top_of_published_keeps_readers_on_published_version(make_article, lead):
    article = make_article()
    edited = services.update_article(
        actor=lead,
        article=article,
        base_version=1,
        change_note="typo",
        title="Reset a creator's two-factor authentication",
    )
    assert (edited.version, edited.published_version, edited.status) == (2, 1, Status.DRAFT)
    assert edited.published_record.title == "Reset a creator's 2FA"
    # The row shows what readers see; the draft lives in the history until it is published.
    assert edited.title == "Reset a creator's 2FA"
    assert services.latest_record(edited).title == "Reset a creator's two-factor authentication"
    published = services.publish_article(actor=lead, article=edited, material=False)
    assert published.title == "Reset a creator's two-factor authentication"


def test_never_published_article_row_shows_its_latest_version(make_article, lead):
    article = make_article(published=False)
    edited = services.update_article(
        actor=lead, article=article, base_version=1, change_note="t", title="New"
    )
    assert (edited.title, edited.version, edited.history.count()) == ("New", 2, 2)


def test_workflow_saves_add_no_version(make_article, lead):
    article = make_article(published=False)
    services.submit_article(actor=lead, article=article)
    services.approve_article(actor=lead, article=article)
    article = services.publish_article(actor=lead, article=article, material=True)
    services.mark_reviewed(actor=lead, article=article)
    services.archive_article(actor=lead, article=article)
    assert article.history.count() == 1


def test_stale_base_version_is_a_conflict_and_saves_nothing(make_article, lead, other_lead):
    article = make_article()
    services.update_article(actor=lead, article=article, base_version=1, change_note="a", body="A")
    with pytest.raises(VersionConflict) as caught:
        services.update_article(actor=other_lead, article=article, base_version=1, change_note="b", body="B")
    assert caught.value.current_version == 2
    article.refresh_from_db()
    assert (article.version, services.latest_record(article).body) == (2, "A")


def test_revert_creates_new_version_with_old_content(make_article, lead):
    article = make_article()
    services.update_article(actor=lead, article=article, base_version=1, change_note="a", body="changed")
    reverted = services.revert_article(actor=lead, article=article, version=1)
    assert reverted.version == 3
    assert services.latest_record(reverted).body == article.history.get(version=1).body
    assert reverted.history.get(version=3).history_change_reason == "Reverted to version 1"


def test_specialist_cannot_edit(make_article, specialist):
    article = make_article()
    with pytest.raises(NotAllowed):
        services.update_article(actor=specialist, article=article, base_version=1, change_note="x", body="y")


def test_second_approval_requires_another_lead(make_article, lead, other_lead, settings):
    settings.KB_REQUIRE_SECOND_APPROVAL = True
    article = make_article(published=False)
    services.submit_article(actor=lead, article=article)
    with pytest.raises(Conflict):
        services.approve_article(actor=lead, article=article)
    with pytest.raises(Conflict):
        services.publish_article(actor=lead, article=article, material=False)
    services.approve_article(actor=other_lead, article=article)
    published = services.publish_article(actor=lead, article=article, material=False)
    assert published.status == Status.PUBLISHED


def test_publish_requires_material_flag(make_article, lead):
    article = make_article(published=False)
    with pytest.raises(InvalidInput):
        services.publish_article(actor=lead, article=article, material=None)


def test_pathological_markdown_is_refused_quickly(make_article, lead):
    article = make_article()
    with pytest.raises(InvalidInput) as refused:
        services.update_article(
            actor=lead, article=article, base_version=1, change_note="x", body="[" * 16000
        )
    # The refusal names the field and says why; the time bound itself is the renderer's timeout
    # (tests/lib), so nothing here depends on how busy the machine is.
    assert refused.value.field == "body"
    assert "Markdown renderer" in refused.value.message
    article.refresh_from_db()
    assert article.version == 1
    assert article.history.count() == 1


def test_unicode_titles_get_unique_non_empty_slugs(lead, category_tree):
    slugs = set()
    for title in [
        "如何重置用户密码",
        "如何重置用户密码",
        "パスワードをリセットする方法",
        "비밀번호를 재설정하는 방법",
        "วิธีรีเซ็ตรหัสผ่าน",
        "كيفية إعادة تعيين كلمة المرور",
        "!!!",
    ]:
        article = services.create_article(actor=lead, title=title, change_note="n")
        assert article.slug
        slugs.add(article.slug)
    assert len(slugs) == 7


def test_an_edit_that_keeps_the_body_keeps_its_html_without_rendering_again(make_article, lead, monkeypatch):
    article = make_article("Payout holds", body="# Holds\n\nCheck the [hold list](https://example.com).")
    first = services.latest_record(article)

    def must_not_render(text: str) -> None:
        raise AssertionError("rendered an unchanged body again")

    monkeypatch.setattr(services, "render_markdown", must_not_render)
    article = services.update_article(
        actor=lead, article=article, base_version=article.version, change_note="summary", summary="Shorter."
    )
    second = services.latest_record(article)
    assert second.version == first.version + 1
    assert (second.body_html, second.toc_html) == (first.body_html, first.toc_html)
    monkeypatch.undo()

    article = services.update_article(
        actor=lead,
        article=article,
        base_version=article.version,
        change_note="body",
        body="# Holds\n\nNone now.",
    )
    assert "None now." in services.latest_record(article).body_html
