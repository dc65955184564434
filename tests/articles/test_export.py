"""kb_export: the file format, safe file names, and the round trip export → empty database → import."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from accounts.models import Team
from kb.articles import services
from kb.articles.exporting import MAX_NAME_BYTES, export_filename
from kb.articles.models import Article, Category, HistoricalArticle, Publication, Status, Tag
from kb.articles.services import latest_record

TRICKY_BODY = (
    '# Steps\n\n{% raw %}{{ literal }}{% endraw %} and {{< ref "x" >}}\n\n<!-- a comment kept -->\n\n'
    ':::note\nnot an admonition in kb\n:::\n\n!!! warning "Careful"\n    Indented.\n\n'
    "```go\n{{ .Reason }}\n```\n"
)


@pytest.fixture(autouse=True)
def _patient_renderer(settings):
    """The render time bound is tested on its own; here a loaded CI machine must not turn a slow fork
    into a spurious failure, so the child gets more time."""
    settings.KB_MARKDOWN_TIMEOUT_SECONDS = 15


def snapshot() -> list[dict]:
    """Each article's latest version (what kb_export writes), with its workflow fields."""
    rows = []
    for a in Article.objects.order_by("slug").prefetch_related("teams"):
        latest = latest_record(a)
        rows.append(
            {
                "title": latest.title,
                "slug": a.slug,
                "body": latest.body,
                "summary": latest.summary,
                "kind": latest.kind,
                "tags": list(latest.tag_names),
                "categories": list(latest.category_codes),
                "teams": sorted(t.name for t in a.teams.all()),
                "status": a.status,
                "owner": a.owner.username,
                "review_interval_days": a.review_interval_days,
            }
        )
    return rows


def wipe_articles() -> None:
    Publication.objects.all().delete()
    Article.objects.all().delete()
    HistoricalArticle.objects.all().delete()
    Category.objects.all().update(parent=None)
    Category.objects.all().delete()
    Tag.objects.all().delete()
    Team.objects.filter(members__isnull=True).delete()


@pytest.fixture
def library(lead, other_lead, outsider, make_article):
    """Articles in every status, restricted ones, unicode titles, tricky bodies."""
    published = make_article("Reset a creator's 2FA", teams=["SG Creator Support"], summary="Identity first.")
    services.update_article(
        actor=lead, article=published, base_version=1, change_note="wip", body="Draft on top of v1."
    )
    make_article("Payout delay", categories=("PAYOUTS",), kind="troubleshooting", tags=("payout", "delay"))
    review = make_article("ライブ配信の停止", published=False, body=TRICKY_BODY, kind="macro", tags=())
    services.submit_article(actor=lead, article=review)
    archived = make_article("Old appeal process", categories=("SAFETY.MINORS", "ACCOUNT"))
    services.archive_article(actor=lead, article=archived)
    make_article("บัญชีถูกแฮ็ก", published=False, teams=["Jakarta Live Safety"], summary="")
    owned = make_article("<b>Escaped</b> title", kind="policy")
    services.update_article(
        actor=lead, article=owned, base_version=owned.version, change_note="hand over", owner=other_lead
    )
    return snapshot()


def test_export_writes_one_file_per_article_with_the_front_matter(library, tmp_path):
    out = StringIO()
    call_command("kb_export", str(tmp_path / "out"), stdout=out)
    files = sorted((tmp_path / "out").glob("*.md"))
    assert len(files) == len(library) == 6
    assert out.getvalue().strip() == f"exported: 6 articles to {tmp_path / 'out'}"
    article = Article.objects.get(title="Reset a creator's 2FA")
    text = (tmp_path / "out" / f"{article.slug}.md").read_text("utf-8")
    assert text.startswith("---\n")
    meta = yaml.safe_load(text.split("---\n")[1])
    assert list(meta) == [
        "title", "slug", "kind", "status", "summary", "tags", "categories", "teams", "owner",
        "review_interval_days",
    ]  # fmt: skip
    assert meta["status"] == "draft"  # the latest version is a draft on top of the published one
    assert meta["teams"] == ["SG Creator Support"]
    assert text.endswith("---\nDraft on top of v1.")


def test_round_trip_into_an_empty_database_gives_the_same_articles(library, admin_user, tmp_path):
    call_command("kb_export", str(tmp_path), stdout=StringIO())
    wipe_articles()
    assert not Article.objects.exists() and not Category.objects.exists()
    out = StringIO()
    call_command("kb_import", str(tmp_path), stdout=out)
    assert out.getvalue().strip().splitlines()[-1] == "imported: 6 created, 0 updated, 0 unchanged, 0 failed"
    assert snapshot() == library
    review = Article.objects.get(title="ライブ配信の停止")
    assert review.body == TRICKY_BODY and review.status == Status.IN_REVIEW
    assert Article.objects.get(title="Old appeal process").status == Status.ARCHIVED
    assert set(Category.objects.values_list("code", flat=True)) >= {"SAFETY", "SAFETY.MINORS", "PAYOUTS"}
    assert Category.objects.get(code="SAFETY.MINORS").parent.code == "SAFETY"
    # and a second export of the imported database is byte-identical
    call_command("kb_export", str(tmp_path / "again"), stdout=StringIO())
    first = {p.name: p.read_bytes() for p in tmp_path.glob("*.md")}
    second = {p.name: p.read_bytes() for p in (tmp_path / "again").glob("*.md")}
    assert first == second


def test_export_as_user_leaves_out_other_teams_restricted_articles(library, lead, tmp_path):
    call_command("kb_export", str(tmp_path), "--as-user", lead.username, stdout=StringIO())
    titles = {yaml.safe_load(p.read_text("utf-8").split("---\n")[1])["title"] for p in tmp_path.glob("*.md")}
    assert "บัญชีถูกแฮ็ก" not in titles and "Payout delay" in titles and len(titles) == 5


def test_export_as_a_specialist_is_refused(library, specialist, tmp_path):
    with pytest.raises(CommandError, match="drafts"):
        call_command("kb_export", str(tmp_path), "--as-user", specialist.username, stdout=StringIO())


@pytest.mark.parametrize(
    "slug",
    ["reset-2fa", "ライブ配信の停止", "บัญชีถูกแฮ็ก", "../../etc/passwd", "a/b\\c:d*e?f", "ค" * 120, "", "."],
)
def test_export_file_names_are_safe(slug, tmp_path):
    name = export_filename(slug)
    assert name.endswith(".md") and "/" not in name and "\\" not in name and not name.startswith(".")
    assert len(name.encode()) <= MAX_NAME_BYTES + 3
    path = Path(tmp_path / name)
    path.write_text("x")
    assert path.parent == tmp_path


def test_export_never_writes_through_a_link_planted_in_the_folder(lead, make_article, tmp_path):
    article = make_article("Payout delay")
    outside = tmp_path / "outside.txt"
    outside.write_text("untouched", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / f".{article.slug}.md.tmp").symlink_to(outside)
    call_command("kb_export", str(out), stdout=StringIO())
    assert outside.read_text("utf-8") == "untouched"
    exported = out / f"{article.slug}.md"
    assert not exported.is_symlink() and "title: Payout delay" in exported.read_text("utf-8")
