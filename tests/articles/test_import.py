"""kb_import: the shared corpus, idempotency, changed files, failures, dry runs, and the conversions."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kb.articles import importing
from kb.articles.models import Article, Category, Publication, Status
from tests.conftest import CORPUS

CORPUS_FILES = 248
LEFTOVERS = ("{%", "%}", "{{", "}}", ":::", "\x02", "&lt;!--", "!!!", "```", "&lt;Tab")


@pytest.fixture(autouse=True)
def _patient_renderer(settings):
    """The render time bound is tested on its own; here a loaded CI machine must not turn a slow fork
    into a spurious failure, so the child gets more time."""
    settings.KB_MARKDOWN_TIMEOUT_SECONDS = 15


def run_import(*args: str) -> tuple[str, int]:
    out = StringIO()
    try:
        call_command("kb_import", *args, stdout=out)
    except SystemExit as exc:
        return out.getvalue(), int(exc.code or 0)
    return out.getvalue(), 0


def prose_html(html: str) -> str:
    """The rendered body without code: template syntax inside code samples is legitimate content."""
    return re.sub(r"<pre>.*?</pre>|<code>.*?</code>", "", html, flags=re.S)


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# the shared corpus (one test: the import of 248 files is the expensive part)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside the repository")
def test_corpus_imports_readably_and_reimport_changes_nothing(admin_user):
    out, code = run_import(str(CORPUS))
    assert code == 0, out
    assert (
        out.strip().splitlines()[-1] == f"imported: {CORPUS_FILES} created, 0 updated, 0 unchanged, 0 failed"
    )
    articles = list(Article.objects.all())
    assert len(articles) == CORPUS_FILES
    assert all(a.status == Status.PUBLISHED and a.published_version == 1 for a in articles)
    assert len({a.slug for a in articles}) == CORPUS_FILES

    for article in articles:
        assert article.title.strip(), article.source_path
        assert article.source_path and "\\" not in article.source_path
        html = prose_html(article.body_html)
        found = [s for s in LEFTOVERS if s in html]
        if "admin_faq.md" in article.source_path:  # the page itself talks about "(```)"
            found = [s for s in found if s != "```"]
        assert not found, f"{article.source_path}: template syntax left in {found}"
        assert not re.search(r"\{\{[<%]|[>%]\}\}", article.body), article.source_path

    by_path = {a.source_path: a for a in articles}
    recover = by_path[
        "github-docs/content/authentication/securing-your-account-with-two-factor-authentication-2fa/"
        "recovering-your-account-if-you-lose-your-2fa-credentials.md"
    ]
    assert recover.title == "Recovering your account if you lose your 2FA credentials"
    assert recover.summary.startswith("If you lose access to your two-factor authentication credentials")
    assert 'class="admonition warning"' in recover.body_html
    assert "GitHub Support may not be able to restore access" in recover.body_html  # reusable inlined
    assert "your GitHub password" in recover.body  # {% data variables.product.product_name %}
    assert "2fa" in recover.tag_names  # topics → tags

    # Hugo callouts, confkeys and sitevars (YAML and TOML front matter)
    mod = by_path["yagpdb-docs/content/docs/moderation/moderation-tools.md"]
    assert mod.title == "Moderation Tools"
    assert '!!! danger "Danger: Template Execution Errors"' in mod.body
    smtp = by_path["authelia-docs/docs/content/configuration/notifications/smtp.md"]
    assert "admin@example.com" in smtp.body and "sitevar" not in smtp.body
    assert "*Type: string" in smtp.body
    assert '<code class="language-yaml">' in smtp.body_html
    # Docusaurus :::note and MDX imports/tabs
    rich = by_path["bluesky-docs/docs/advanced-guides/post-richtext.md"]
    assert 'class="admonition note"' in rich.body_html
    assert "import Tabs" not in rich.body and "<TabItem" not in rich.body
    assert "**Typescript**" in rich.body
    # MkDocs admonition kept as it is kb's own syntax
    running = by_path["nodebb-docs/src/docs/configuring/running.md"]
    assert 'class="admonition note"' in running.body_html
    # mdBook: no front matter, the first heading is the title and leaves the body
    for path, article in by_path.items():
        if path.startswith("synapse-docs/"):
            assert not article.body.lstrip().startswith(f"# {article.title}\n"), path
    # translated pages keep their script in title and slug
    ja = next(a for p, a in by_path.items() if "/ja-JP/" in p and "2fa" in p)
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", ja.title) and re.search(r"[\u3040-\u30ff]", ja.slug)
    # reusable fragments have no title: the file name made readable (or their first heading)
    abuse = by_path["github-docs/data/reusables/policies/abuse.md"]
    assert abuse.title == "Abuse"
    # site policy pages are policies
    assert by_path["github-docs/content/github/site-policy/github-terms-of-service.md"].kind == "policy"

    versions_before = {a.pk: a.version for a in articles}
    out, code = run_import(str(CORPUS))
    assert code == 0
    assert (
        out.strip().splitlines()[-1] == f"imported: 0 created, 0 updated, {CORPUS_FILES} unchanged, 0 failed"
    )
    assert {a.pk: a.version for a in Article.objects.all()} == versions_before
    assert Publication.objects.count() == CORPUS_FILES


# ---------------------------------------------------------------------------------------------
# idempotency and updates


def test_changed_file_becomes_a_new_published_version_with_the_import_note(admin_user, tmp_path):
    page = write(tmp_path, "guides/payout-delay.md", "---\ntitle: Payout delay\n---\nFirst text.\n")
    assert run_import(str(tmp_path))[0].strip().endswith("1 created, 0 updated, 0 unchanged, 0 failed")
    page.write_text("---\ntitle: Payout delay\n---\nSecond text.\n", encoding="utf-8")
    out, code = run_import(str(tmp_path))
    assert code == 0
    assert out.strip().endswith("0 created, 1 updated, 0 unchanged, 0 failed")
    article = Article.objects.get(source_path="guides/payout-delay.md")
    assert article.version == 2 and article.published_version == 2 and article.status == Status.PUBLISHED
    assert article.body == "Second text.\n"
    latest = article.history.get(version=2)
    assert latest.history_change_reason == "Imported from guides/payout-delay.md"
    assert Publication.objects.get(article=article, version=2).material is False


def test_other_import_options_count_as_a_change(admin_user, tmp_path):
    write(tmp_path, "a.md", "# Alpha\n\nBody.\n")
    run_import(str(tmp_path), "--status", "draft")
    assert Article.objects.get().status == Status.DRAFT
    out, _ = run_import(str(tmp_path), "--status", "draft")
    assert out.strip().endswith("0 created, 0 updated, 1 unchanged, 0 failed")
    out, _ = run_import(str(tmp_path), "--status", "published")
    assert out.strip().endswith("0 created, 1 updated, 0 unchanged, 0 failed")
    article = Article.objects.get()
    assert article.status == Status.PUBLISHED and article.version == 1


def test_reimport_keeps_categories_a_lead_added_when_the_file_has_none(admin_user, lead, tmp_path):
    from kb.articles import services

    page = write(tmp_path, "a.md", "# Alpha\n\nBody.\n")
    run_import(str(tmp_path))
    services.create_category(actor=lead, code="PAYOUTS", name="Payouts")
    article = Article.objects.get()
    services.update_article(
        actor=lead, article=article, base_version=1, change_note="file it", categories=["PAYOUTS"]
    )
    page.write_text("# Alpha\n\nBody, corrected.\n", encoding="utf-8")
    run_import(str(tmp_path))
    article.refresh_from_db()
    assert article.body == "Body, corrected.\n" and article.category_codes == ["PAYOUTS"]


# ---------------------------------------------------------------------------------------------
# failures, dry runs, owners


def test_a_broken_file_is_named_with_its_reason_and_the_others_import(admin_user, tmp_path):
    write(tmp_path, "good.md", "# Good\n\nFine.\n")
    write(tmp_path, "bad/broken.md", "---\ntitle: [unclosed\n---\nBody\n")
    write(tmp_path, "huge.md", "# Huge\n\n" + "x" * 250_000)
    write(tmp_path, "notes.txt", "not markdown")
    out, code = run_import(str(tmp_path))
    lines = out.strip().splitlines()
    assert code == 1
    assert lines[-1] == "imported: 1 created, 0 updated, 0 unchanged, 2 failed"
    assert any(line.startswith("failed: bad/broken.md: front matter is not valid YAML") for line in lines)
    assert any(line.startswith("failed: huge.md: body: At most 200,000 characters") for line in lines)
    assert list(Article.objects.values_list("source_path", flat=True)) == ["good.md"]


def test_a_file_failing_after_its_categories_were_created_leaves_nothing(admin_user, tmp_path):
    write(
        tmp_path,
        "a.md",
        "---\ntitle: A\nkind: sop\ncategories: [NEW.CHILD]\nreview_interval_days: 99999\n---\nBody\n",
    )
    out, code = run_import(str(tmp_path))
    assert code == 1 and "review_interval_days" in out
    assert not Category.objects.exists() and not Article.objects.exists()


def test_dry_run_reports_but_saves_nothing(admin_user, tmp_path):
    write(tmp_path, "a.md", "# Alpha\n\nBody.\n")
    write(tmp_path, "b.markdown", "# Beta\n\nBody.\n")
    out, code = run_import(str(tmp_path), "--dry-run")
    assert code == 0
    assert out.strip().splitlines()[-1] == "imported: 2 created, 0 updated, 0 unchanged, 0 failed"
    assert not Article.objects.exists()


def test_without_any_admin_or_lead_the_command_says_what_to_do(db, tmp_path):
    write(tmp_path, "a.md", "# Alpha\n")
    with pytest.raises(CommandError, match="no admin or lead"):
        call_command("kb_import", str(tmp_path), stdout=StringIO())


def test_owner_must_be_an_editor(specialist, tmp_path):
    with pytest.raises(CommandError, match="lead or an admin"):
        call_command("kb_import", str(tmp_path), "--owner", specialist.username, stdout=StringIO())


def test_owner_option_attributes_the_articles(lead, admin_user, tmp_path):
    write(tmp_path, "a.md", "# Alpha\n")
    run_import(str(tmp_path), "--owner", lead.username)
    article = Article.objects.get()
    assert article.owner == lead
    assert article.history.get(version=1).history_user == lead


# ---------------------------------------------------------------------------------------------
# conversions (pure functions)


def convert(text: str) -> str:
    return importing.to_kb_markdown(text)


def test_liquid_notes_become_admonitions_and_conditionals_keep_the_dotcom_branch():
    text = (
        "{% ifversion fpt or ghec %}\n{% note %}\n\n**Note**: Shown on "
        "{% data variables.product.prodname_dotcom %}.\n\n{% endnote %}\n"
        "{% else %}Enterprise only.{% endif %}\n"
        "{% ifversion ghes %}Server text{% endif %}{% raw %}{{ secrets.X }}{% endraw %}"
    )
    out = convert(text)
    assert "!!! note\n    **Note**: Shown on GitHub." in out
    assert "Enterprise only" not in out and "Server text" not in out
    assert "{{ secrets.X }}" in out


def test_enterprise_only_fragment_keeps_all_branches_rather_than_become_empty():
    out = convert("{% ifversion ghes %}Only on the server.{% endif %}")
    assert out.strip() == "Only on the server."


def test_missing_reusable_is_a_readable_step_placeholder():
    out = convert("{% data reusables.user_settings.access_settings %}\n2. Click **Emails**.\n")
    assert out.startswith("1. *(shared step: User settings › Access settings)*\n2. Click")


def test_reusable_found_in_the_folder_is_inlined(tmp_path):
    write(
        tmp_path,
        "data/reusables/two_fa/warn.md",
        "Keep your {% data variables.product.product_name %} codes.",
    )
    page = write(tmp_path, "content/a.md", "Before. {% data reusables.two_fa.warn %}")
    finder = importing.reusable_finder(tmp_path, page)
    assert importing.to_kb_markdown(page.read_text(), finder).strip() == "Before. Keep your GitHub codes."


def test_hugo_shortcodes_become_markdown():
    text = (
        '{{< callout context="caution" title="Careful" icon="x" >}}\nMind the gap.\n{{< /callout >}}\n\n'
        '[Terms]({{< ref "terms.md" >}}) at {{< sitevar name="domain" nojs="example.com" >}}\n\n'
        "{{% notice tip %}}\nA tip.\n{{% /notice %}}\n{{< unknown-thing >}}\n"
    )
    out = convert(text)
    assert '!!! caution "Careful"\n    Mind the gap.' in out
    assert "[Terms](terms.md) at example.com" in out
    assert "!!! tip\n    A tip." in out
    assert "{{" not in out


def test_docusaurus_admonitions_and_comments():
    out = convert(":::warning[Rate limits]\nSlow down.\n:::\n\n<!-- hidden -->\nVisible\n")
    assert '!!! warning "Rate limits"\n    Slow down.' in out
    assert "hidden" not in out and "Visible" in out


def test_template_syntax_inside_code_is_left_alone():
    text = "```go\n{{ .Reason }}\n```\n\nUse `{{ .User }}` here and {{ page.title }} there."
    out = convert(text)
    assert "{{ .Reason }}" in out and "`{{ .User }}`" in out
    assert "page.title" not in out


def test_fence_info_strings_are_reduced_to_the_language():
    out = convert('```yaml {title="configuration.yml"}\na: 1\n```\n')
    assert out.startswith("```yaml\na: 1\n```")


@pytest.mark.parametrize(
    "path,text,title,body_start",
    [
        ("x/recovering-your-account.md", "Just text.\n", "Recovering your account", "Just text."),
        ("x/page.md", "# The Heading\n\nText.\n", "The Heading", "Text."),
        ("x/page.md", "Intro.\n\n## Later heading\n", "Later heading", "Intro."),
        ("x/page.md", "Admin Functions\n====\n\nText.\n", "Admin Functions", "Text."),
        ("x/guide/_index.md", "", "Guide", ""),
        ("x/page.md", '+++\ntitle = "From TOML"\n+++\n# From TOML\n\nText.\n', "From TOML", "Text."),
    ],
)
def test_title_fallbacks(path, text, title, body_start):
    doc = importing.parse_document(text.encode(), source_path=path)
    assert doc.title == title
    assert doc.body.strip().startswith(body_start)


def test_front_matter_mapping():
    text = (
        "---\ntitle: T\ndescription: The *short* summary.\nkeywords: [Payout, Delay]\n"
        "categories: [PAYOUTS.DELAY, news]\nteams: [Jakarta Live Safety]\nreview_interval_days: 30\n"
        "draft: true\nunknown_key: 1\n---\nBody\n"
    )
    doc = importing.parse_document(text.encode(), source_path="a.md")
    assert doc.summary == "The short summary."
    assert doc.tags == ["payout", "delay", "news"]
    assert doc.categories == ["PAYOUTS.DELAY"]
    assert doc.teams == ["Jakarta Live Safety"]
    assert doc.review_interval_days == 30
    assert doc.status == Status.DRAFT
    assert doc.kind == "troubleshooting"


def test_summary_falls_back_to_the_first_paragraph_cut_near_200_characters():
    words = " ".join(["word"] * 100)
    doc = importing.parse_document(
        f"# T\n\n![img](x.png)\n\nA [linked]({words}) **bold** {words}".encode(), source_path="a.md"
    )
    assert doc.summary.startswith("A linked bold word")
    assert len(doc.summary) <= 201 and doc.summary.endswith("…")


def test_kb_export_files_are_taken_verbatim():
    body = "{% raw %} stays {{ x }}\n<!-- kept -->\n:::note\n"
    text = f"---\ntitle: T\nkind: macro\nstatus: in_review\nsummary: ''\n---\n{body}"
    doc = importing.parse_document(text.encode(), source_path="t.md")
    assert doc.native and doc.body == body and doc.summary == "" and doc.status == Status.IN_REVIEW


def test_an_unclosed_liquid_tag_does_not_swallow_the_next_tag():
    out = convert("Intro {% if\n\n{% note %}\nKeep this.\n{% endnote %}\n")
    assert "!!! note\n    Keep this." in out


def test_a_stray_liquid_output_opener_does_not_swallow_the_words_up_to_the_next_tag():
    out = convert("Use {{ and {{ variables.product.product_name }} here.")
    assert "and GitHub here." in out
