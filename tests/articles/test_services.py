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


def test_pathological_markdown_is_refused_and_nothing_is_saved(make_article, lead):
    article = make_article()
    with pytest.raises(InvalidInput) as refused:
        services.update_article(
            actor=lead, article=article, base_version=1, change_note="x", body="[" * 16000
        )
    # The refusal names the field and says why; the time bound itself is the renderer's timeout
    # (tests/lib), so nothing here depends on how busy the machine is.
    assert refused.value.field == "body"
    assert "simplify" in refused.value.message
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

    monkeypatch.setattr("kb.articles.services.content.render_markdown", must_not_render)
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


# --- existence oracles: slugs and category deletion never depend on hidden articles ---------------


def test_a_hidden_article_never_takes_the_plain_slug_of_a_new_one(make_article, lead, category_tree):
    from tests.conftest import make_user

    jakarta_admin = make_user("jay", "admin", ("Jakarta Live Safety",))
    hidden = services.create_article(
        actor=jakarta_admin, title="Payout holds", change_note="new", teams=["Jakarta Live Safety"]
    )
    assert hidden.slug != "payout-holds"
    mine = services.create_article(actor=lead, title="Payout holds", change_note="new")
    assert mine.slug == "payout-holds"
    # A visible article still holds its slug: the next one gets -2, as before.
    again = services.create_article(actor=lead, title="Payout holds", change_note="new")
    assert again.slug == "payout-holds-2"


def test_restricted_slugs_carry_an_unguessable_suffix(lead, category_tree):
    a = services.create_article(
        actor=lead, title="Team playbook", change_note="n", teams=["SG Creator Support"]
    )
    b = services.create_article(
        actor=lead, title="Team playbook", change_note="n", teams=["SG Creator Support"]
    )
    for article in (a, b):
        base, _, suffix = article.slug.rpartition("-")
        assert base == "team-playbook" and len(suffix) >= 12 and not suffix.isdigit()
    assert a.slug != b.slug


def test_an_article_restricted_later_is_reslugged_and_frees_its_plain_slug(make_article, lead):
    article = make_article("Escalate a payout")
    assert article.slug == "escalate-a-payout"
    restricted = services.set_article_teams(actor=lead, article=article, teams=["SG Creator Support"])
    restricted.refresh_from_db()
    assert restricted.slug.startswith("escalate-a-payout-") and restricted.slug != "escalate-a-payout"
    public = services.create_article(actor=lead, title="Escalate a payout", change_note="n")
    assert public.slug == "escalate-a-payout"
    # Opened to everyone again: a plain slug, next to the one now taken.
    opened = services.set_article_teams(actor=lead, article=restricted, teams=[])
    opened.refresh_from_db()
    assert opened.slug == "escalate-a-payout-2"


def test_deleting_a_category_depends_only_on_the_articles_the_caller_sees(category_tree, lead):
    from tests.conftest import make_user

    jakarta_admin = make_user("jay", "admin", ("Jakarta Live Safety",))
    hidden = services.create_article(
        actor=jakarta_admin,
        title="Minor safety escalation",
        change_note="new",
        categories=["SAFETY.MINORS"],
        teams=["Jakarta Live Safety"],
    )
    services.publish_article(actor=jakarta_admin, article=hidden, material=False)
    services.delete_category(actor=lead, category=category_tree["SAFETY.MINORS"])
    hidden.refresh_from_db()
    # Nothing lost: the hidden article is filed under the parent, with a version saying why.
    assert list(hidden.categories.values_list("code", flat=True)) == ["SAFETY"]
    latest = services.latest_record(hidden)
    assert latest.category_codes == ["SAFETY"]
    assert "SAFETY.MINORS" in latest.history_change_reason
    assert hidden.history.filter(version=1).get().category_codes == ["SAFETY.MINORS"]


def test_deleting_a_category_with_articles_the_caller_sees_is_a_conflict(category_tree, make_article, lead):
    make_article("Reset 2FA", categories=["ACCOUNT.LOGIN.2FA"], teams=["SG Creator Support"])
    with pytest.raises(Conflict):
        services.delete_category(actor=lead, category=category_tree["ACCOUNT.LOGIN.2FA"])
    assert category_tree["ACCOUNT.LOGIN.2FA"].__class__.objects.filter(code="ACCOUNT.LOGIN.2FA").exists()


def test_a_category_parent_always_agrees_with_its_code_prefix(category_tree, lead):
    delay = services.create_category(actor=lead, code="PAYOUTS.DELAY", name="Delays")
    assert delay.parent == category_tree["PAYOUTS"]
    for code, parent in (("PAYOUTS.LATE", "ACCOUNT"), ("NEWROOT", "ACCOUNT"), ("MISSING.CHILD", None)):
        with pytest.raises(InvalidInput) as exc:
            services.create_category(actor=lead, code=code, name="x", parent=parent)
        assert exc.value.field == "parent"
    for parent in (None, "ACCOUNT", "ACCOUNT.LOGIN.2FA"):
        with pytest.raises(InvalidInput):
            services.update_category(actor=lead, category=delay, parent=parent)
    delay.refresh_from_db()
    assert delay.parent == category_tree["PAYOUTS"]
