"""kb_demo: loads a believable knowledge base into an empty database, and only into an empty one.

Loading the whole demo takes a few seconds, so only two tests load it in full (``--if-empty`` into an
empty database, and ``--reset`` over existing data); the rest check the guards without loading.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Role, Team, User
from kb.articles.access import visible_articles
from kb.articles.models import Article, Category, HistoricalArticle, Publication, Status
from kb.demo import loader
from kb.demo.content import ARTICLES, CATEGORIES, ROLE_LOGINS, USERS
from kb.demo.loader import DemoContentError, _apply_edits
from kb.demo.specs import Revision
from kb.search.models import SearchOutbox

REQUIRED_CODES = {
    "ACCOUNT",
    "ACCOUNT.LOGIN",
    "ACCOUNT.LOGIN.2FA",
    "ACCOUNT.HIJACK",
    "ACCOUNT.DELETION",
    "PAYOUTS",
    "PAYOUTS.DELAY",
    "PAYOUTS.TAX",
    "GIFTS.REFUND",
    "CONTENT.REMOVAL.APPEAL",
    "LIVE.BAN",
    "SAFETY.HARASSMENT",
    "SAFETY.IMPERSONATION",
    "SAFETY.MINORS",
    "SAFETY.SELF_HARM",
    "LEGAL.COPYRIGHT",
    "LEGAL.LE_REQUEST",
    "SPAM",
}


def run(*args: str) -> str:
    out = StringIO()
    call_command("kb_demo", *args, stdout=out)
    return out.getvalue()


def by_key(key: str) -> Article:
    """The article loaded from the demo entry ``key`` (its latest title)."""
    spec = next(spec for spec in ARTICLES if spec.key == key)
    titles = [spec.title, *(rev.title for rev in spec.revisions if rev.title)]
    return Article.objects.get(title=titles[-1])


def user(username: str) -> User:
    return User.objects.get(username=username)


@pytest.mark.django_db
def test_if_empty_loads_the_whole_demo_into_an_empty_database(web, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as after_commit:
        loaded = run("--if-empty")
    # A bulk change: every article is in the outbox, applied by the worker/rebuild, not after commit.
    assert SearchOutbox.objects.filter(article_id=by_key("hijack-recovery").pk).exists()
    assert after_commit == []
    out = run("--logins")  # `make run` prints them last, after building the index

    assert "Demo loaded" in loaded and "demo-2026" not in loaded
    # One login per role, printed with its password, and each password really signs in.
    for login in ROLE_LOGINS:
        assert re.search(rf"{login.username}\s+{re.escape(login.password)}\s+{login.role}", out)
        signed_in = authenticate(username=login.username, password=login.password)
        assert signed_in is not None and signed_in.role == login.role
    assert {u.role for u in User.objects.all()} == set(Role.values)
    assert User.objects.count() == len(USERS)
    assert set(Team.objects.values_list("name", flat=True)) == {
        "SG Creator Support",
        "Jakarta Live Safety",
        "Minor Safety Escalations",
        "Legal Response",
    }

    # The ticket-category tree, parents linked.
    codes = set(Category.objects.values_list("code", flat=True))
    assert codes >= REQUIRED_CODES and len(codes) == len(CATEGORIES)
    assert Category.objects.get(code="ACCOUNT.LOGIN.2FA").parent.code == "ACCOUNT.LOGIN"

    # Enough real procedures, macros and policies, all published for readers.
    published = Article.objects.filter(status=Status.PUBLISHED)
    assert published.filter(kind__in=["sop", "troubleshooting"]).count() >= 25
    assert published.filter(kind="macro").count() >= 4
    assert published.filter(kind="policy").count() >= 3
    for article in Article.objects.filter(kind__in=["sop", "troubleshooting", "policy"], status="published"):
        if article.title.isascii():
            words = len(re.findall(r"[\w'’-]+", article.body))
            assert 150 <= words <= 600, (article.title, words)
        assert "<h2" in article.body_html, article.title  # rendered once, stored

    # Restricted procedures do not exist for people outside their team.
    minors = by_key("minor-safety-escalation")
    legal = by_key("le-data-request")
    assert [t.name for t in minors.teams.all()] == ["Minor Safety Escalations"]
    assert [t.name for t in legal.teams.all()] == ["Legal Response"]
    assert not visible_articles(user("specialist")).filter(pk__in=[minors.pk, legal.pk]).exists()
    assert visible_articles(user("farah")).filter(pk=minors.pk).exists()
    assert not visible_articles(user("lead")).filter(pk=legal.pk).exists()
    assert visible_articles(user("admin")).filter(pk=legal.pk).exists()
    client = web(user("specialist"))
    assert client.get(minors.get_absolute_url()).status_code == 404
    assert client.get(by_key("hijack-recovery").get_absolute_url()).status_code == 200

    # History worth looking at: several articles with 3+ versions, dated in order, with notes.
    multi = [a for a in Article.objects.all() if a.version >= 3]
    assert len(multi) >= 4
    hijack = by_key("hijack-recovery")
    rows = list(HistoricalArticle.objects.filter(id=hijack.pk).order_by("version"))
    assert [r.version for r in rows] == [1, 2, 3, 4]
    assert all(r.history_change_reason for r in rows)
    assert [r.history_date for r in rows] == sorted(r.history_date for r in rows)
    assert rows[0].history_date < rows[-1].history_date
    assert "48 hours" in hijack.published_record.body and "72 hours" in rows[0].body
    assert Publication.objects.filter(material=True).exists()
    assert Publication.objects.filter(material=False).exists()

    # Every workflow state is represented.
    two_fa = by_key("2fa-reset")
    assert (two_fa.status, two_fa.version, two_fa.published_version) == (Status.DRAFT, 5, 4)
    latest = HistoricalArticle.objects.get(id=two_fa.pk, version=two_fa.version)
    assert "Passkeys" in latest.body
    assert "Passkeys" not in two_fa.published_record.body
    assert by_key("live-ban-appeal").status == Status.IN_REVIEW
    assert by_key("cheque-payouts").status == Status.ARCHIVED
    assert by_key("macro-username-wait").published_version is None

    # Freshness: a couple of stale articles on purpose, the rest within their review interval.
    stale = {
        a.title for a in Article.objects.exclude(status=Status.ARCHIVED) if a.published_version and a.is_stale
    }
    assert stale == {by_key("username-change").title, by_key("live-lag").title}
    assert by_key("username-change").owner.username == "lead"
    assert by_key("username-change").last_reviewed_by.username == "lead"

    # Titles in five scripts get distinct, non-empty, non-ASCII slugs that open.
    for key in (
        "zh-password-reset",
        "ja-password-reset",
        "ko-password-reset",
        "th-impersonation",
        "ar-scam-report",
    ):
        article = by_key(key)
        assert article.slug and not article.slug.isascii()
        assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_plain_kb_demo_refuses_a_database_with_data(lead):
    with pytest.raises(CommandError, match="kb_demo --reset") as caught:
        run()
    assert caught.value.returncode == 1
    assert Article.objects.count() == 0
    assert list(User.objects.values_list("username", flat=True)) == ["lee"]


@pytest.mark.django_db
def test_if_empty_is_a_no_op_on_a_database_with_data(make_article):
    article = make_article()
    before = (User.objects.count(), Category.objects.count(), Article.objects.count())

    out = run("--if-empty")

    assert out.strip() == "database not empty: demo not loaded"
    assert (User.objects.count(), Category.objects.count(), Article.objects.count()) == before
    article.refresh_from_db()
    assert article.version == 1


@pytest.mark.django_db
def test_reset_wipes_everything_and_loads_the_demo(make_article, monkeypatch):
    # The full load (with tickets and training) is tested above; a small one keeps this quick.
    monkeypatch.setattr(loader, "ARTICLES", ARTICLES[:3])
    monkeypatch.setattr(loader.activity, "load_activity", lambda ctx: None)
    monkeypatch.setattr(loader.training, "load_training", lambda ctx: None)
    mine = make_article(title="Someone's own SOP")

    out = run("--reset")

    assert "Deleted all data" in out and "specialist-demo-2026" in out
    assert not Article.objects.filter(pk=mine.pk, title="Someone's own SOP").exists()
    assert not User.objects.filter(username="lee").exists()
    assert User.objects.count() == len(USERS)
    assert Article.objects.count() == 3
    assert Category.objects.count() == len(CATEGORIES)
    assert Category.objects.filter(code="SAFETY.MINORS", name="Minor safety").exists()


@pytest.mark.django_db
def test_logins_prints_the_logins_and_loads_nothing():
    out = run("--logins")

    for login in ROLE_LOGINS:
        assert login.username in out and login.password in out
    assert "not loaded in this database" in out
    assert User.objects.count() == 0 and Article.objects.count() == 0


@pytest.mark.django_db
def test_plain_kb_demo_loads_an_empty_database_once(monkeypatch):
    calls = []
    monkeypatch.setattr("kb.demo.management.commands.kb_demo.load_demo", lambda **kw: calls.append(kw))

    out = run()

    assert len(calls) == 1
    assert "Demo loaded" in out and "admin-demo-2026" in out


@pytest.mark.django_db
def test_a_failing_extension_hook_leaves_the_database_empty(monkeypatch):
    """load_demo is one transaction: tickets or training failing rolls back the articles too."""
    monkeypatch.setattr(loader, "ARTICLES", ARTICLES[:2])

    def broken(ctx):
        assert ctx.articles and ctx.users["lead"].role == "lead"
        raise RuntimeError("training demo broke")

    monkeypatch.setattr(loader.activity, "load_activity", lambda ctx: None)
    monkeypatch.setattr(loader.training, "load_training", broken)
    with pytest.raises(RuntimeError, match="training demo broke"):
        run()
    assert User.objects.count() == 0 and Article.objects.count() == 0
    assert loader.database_is_empty()


def test_an_edit_that_does_not_match_exactly_once_is_refused():
    rev = Revision(author="lead", note="n", days_ago=1, edits=(("missing text", "new"),))
    with pytest.raises(DemoContentError, match="matches 0 times"):
        _apply_edits("k", "some body", rev)
    twice = Revision(author="lead", note="n", days_ago=1, edits=(("a", "b"),))
    with pytest.raises(DemoContentError, match="matches 2 times"):
        _apply_edits("k", "a a", twice)
    assert (
        _apply_edits("k", "x y", Revision(author="lead", note="n", days_ago=1, edits=(("y", "z"),))) == "x z"
    )


def test_every_article_owner_and_reviser_is_an_editor_and_every_code_exists():
    editors = {u.username for u in USERS if u.role in ("lead", "admin")}
    codes = {c.code for c in CATEGORIES}
    keys = [spec.key for spec in ARTICLES]
    assert len(keys) == len(set(keys))
    for spec in ARTICLES:
        assert spec.owner in editors, spec.key
        assert all(rev.author in editors for rev in spec.revisions), spec.key
        assert set(spec.categories) <= codes, spec.key
