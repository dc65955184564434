"""kb_import of an untrusted folder: nothing is read outside PATH, hostile files fail alone, work is bounded.

Every test builds a folder that an attacker (or a careless export) could hand to an operator, runs the
real command and checks three things: the bad file is named with its reason, the good file still
imports, and nothing from outside PATH reached an article.
"""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from kb.articles import services
from kb.articles.models import Article, Category
from kb.articles.services import content as rendering

SECRET = "TOP-SECRET-OUTSIDE-THE-FOLDER"


@pytest.fixture(autouse=True)
def _patient_renderer(settings):
    settings.KB_MARKDOWN_TIMEOUT_SECONDS = 15


def run_import(root: Path) -> tuple[list[str], int]:
    out = StringIO()
    code = 0
    try:
        call_command("kb_import", str(root), stdout=out)
    except SystemExit as exc:
        code = int(exc.code or 0)
    return out.getvalue().strip().splitlines(), code


def write(root: Path, rel: str, text: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """PATH with one good page; ``tmp_path/outside`` holds a secret beside it."""
    write(tmp_path, "outside/secret.md", f"{SECRET}\n")
    root = tmp_path / "site"
    write(root, "good.md", "# Good\n\nFine.\n")
    return root


def failure_reason(lines: list[str], rel: str) -> str:
    prefix = f"failed: {rel}: "
    found = [line[len(prefix) :] for line in lines if line.startswith(prefix)]
    assert found, f"no failure line for {rel!r} in {lines}"
    return found[0]


def assert_nothing_leaked() -> None:
    for article in Article.objects.all():
        assert SECRET not in article.body and SECRET not in article.title, article.source_path
        assert "root:x:0:0" not in article.body, article.source_path


# ---------------------------------------------------------------------------------------------
# symbolic links and special files (finding 1)


def test_symlink_to_a_system_file_is_refused_and_not_read(admin_user, site):
    (site / "passwd.md").symlink_to("/etc/passwd")
    lines, code = run_import(site)
    assert code == 1
    assert "symbolic link" in failure_reason(lines, "passwd.md")
    assert lines[-1] == "imported: 1 created, 0 updated, 0 unchanged, 1 failed"
    assert list(Article.objects.values_list("source_path", flat=True)) == ["good.md"]
    assert_nothing_leaked()


def test_symlink_to_a_file_inside_the_folder_is_refused_too(admin_user, site):
    (site / "alias.md").symlink_to(site / "good.md")
    lines, code = run_import(site)
    assert code == 1
    assert "symbolic link" in failure_reason(lines, "alias.md")
    assert list(Article.objects.values_list("source_path", flat=True)) == ["good.md"]


def test_symlinked_folder_is_not_followed_and_is_reported(admin_user, site):
    (site / "linked").symlink_to(site.parent / "outside", target_is_directory=True)
    lines, code = run_import(site)
    assert code == 1
    assert "symbolic link" in failure_reason(lines, "linked")
    assert list(Article.objects.values_list("source_path", flat=True)) == ["good.md"]
    assert_nothing_leaked()


def test_a_fifo_named_like_markdown_is_refused_without_blocking(admin_user, site):
    os.mkfifo(site / "pipe.md")
    lines, code = run_import(site)
    assert code == 1
    assert "not a regular file" in failure_reason(lines, "pipe.md")


# ---------------------------------------------------------------------------------------------
# reusables (finding 2)


def test_reusable_that_is_a_symlink_out_of_the_folder_is_not_inlined(admin_user, site):
    (site / "data/reusables/policies").mkdir(parents=True)
    (site / "data/reusables/policies/secret.md").symlink_to(site.parent / "outside/secret.md")
    write(site, "content/page.md", "# Page\n\nBefore {% data reusables.policies.secret %} after.\n")
    lines, code = run_import(site)
    assert code == 1
    assert "symbolic link" in failure_reason(lines, "content/page.md")
    assert_nothing_leaked()


def test_reusable_reached_through_a_symlinked_folder_is_not_inlined(admin_user, site):
    (site / "data/reusables").mkdir(parents=True)
    (site / "data/reusables/shared").symlink_to(site.parent / "outside", target_is_directory=True)
    write(site, "content/page.md", "# Page\n\n{% data reusables.shared.secret %}\n")
    lines, code = run_import(site)
    assert code == 1
    assert "symbolic link" in failure_reason(lines, "content/page.md")
    assert_nothing_leaked()


def test_reusable_with_an_absolute_path_is_refused(admin_user, site):
    target = (site.parent / "outside" / "secret").as_posix()
    assert "." not in target, "the test needs a path without dots"
    write(site, "content/page.md", f"# Page\n\n{{% data reusables.{target} %}}\n")
    lines, code = run_import(site)
    assert code == 1
    assert "outside the folder" in failure_reason(lines, "content/page.md")
    assert_nothing_leaked()


def test_reusables_inside_the_folder_still_inline_through_nested_references(admin_user, site):
    write(site, "data/reusables/a/outer.md", "Outer {% data reusables.a.inner %}.")
    write(site, "data/reusables/a/inner.md", "inner text")
    write(site, "content/page.md", "# Page\n\n{% data reusables.a.outer %}\n")
    lines, code = run_import(site)
    assert code == 0, lines
    assert Article.objects.get(source_path="content/page.md").body.strip() == "Outer inner text."


def test_a_binary_reusable_fails_the_page_that_inlines_it(admin_user, site):
    write(site, "data/reusables/x/blob.md", b"text\x00more")
    write(site, "content/page.md", "# Page\n\n{% data reusables.x.blob %}\n")
    lines, code = run_import(site)
    assert code == 1
    assert "binary content" in failure_reason(lines, "content/page.md")
    assert not Article.objects.filter(source_path="content/page.md").exists()


def test_reusables_that_multiply_are_stopped_at_the_expansion_limit(admin_user, site):
    write(site, "data/reusables/x/big.md", "word " * 20_000)  # 100 kB
    write(site, "data/reusables/x/fan.md", "{% data reusables.x.big %}\n" * 20)
    write(site, "content/page.md", "# Page\n\n" + "{% data reusables.x.fan %}\n" * 20)
    lines, code = run_import(site)
    assert code == 1
    assert "shared text expands past" in failure_reason(lines, "content/page.md")
    assert Article.objects.filter(source_path="good.md").exists()


# ---------------------------------------------------------------------------------------------
# front matter (finding 3)

BILLION_LAUGHS = (
    "---\n"
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
    "tags: *i\n"
    "---\n"
    "Body\n"
)


def test_billion_laughs_front_matter_fails_alone(admin_user, site):
    assert len(BILLION_LAUGHS.encode()) < 500
    write(site, "laughs.md", BILLION_LAUGHS)
    lines, code = run_import(site)
    assert code == 1
    assert "alias" in failure_reason(lines, "laughs.md")
    assert lines[-1] == "imported: 1 created, 0 updated, 0 unchanged, 1 failed"


def test_a_single_yaml_anchor_is_refused(admin_user, site):
    write(site, "anchor.md", "---\ntitle: &t Anchored\nsummary: *t\n---\nBody\n")
    lines, code = run_import(site)
    assert code == 1
    assert "anchors and aliases are not allowed" in failure_reason(lines, "anchor.md")


def test_front_matter_over_the_size_limit_is_refused(admin_user, site):
    write(site, "big.md", "---\ntitle: Big\nsummary: " + "x" * 70_000 + "\n---\nBody\n")
    lines, code = run_import(site)
    assert code == 1
    assert "front matter is larger than 64 KiB" in failure_reason(lines, "big.md")


def test_deeply_nested_front_matter_fails_alone(admin_user, site):
    write(site, "deep.md", "---\ntitle: Deep\nx: " + "[" * 5_000 + "]" * 5_000 + "\n---\nBody\n")
    write(site, "deep-toml.md", "+++\ntitle = 'Deep'\nx = " + "[" * 5_000 + "]" * 5_000 + "\n+++\nBody\n")
    lines, code = run_import(site)
    assert code == 1
    assert "nested" in failure_reason(lines, "deep.md")
    assert failure_reason(lines, "deep-toml.md")
    assert lines[-1] == "imported: 1 created, 0 updated, 0 unchanged, 2 failed"


def test_an_impossible_date_in_front_matter_fails_alone(admin_user, site):
    write(site, "date.md", "---\ntitle: Dated\ndate: 2020-02-30\n---\nBody\n")
    lines, code = run_import(site)
    assert code == 1
    assert "front matter" in failure_reason(lines, "date.md")
    assert lines[-1] == "imported: 1 created, 0 updated, 0 unchanged, 1 failed"


# ---------------------------------------------------------------------------------------------
# size (finding 4)


def test_a_file_over_the_size_limit_is_refused_without_reading_it(admin_user, site):
    with open(site / "sparse.md", "wb") as handle:
        handle.truncate(5 * 2**30)  # 5 GiB, sparse: reading it whole would exhaust memory
    write(site, "large.md", "# Large\n\n" + "word " * 500_000)
    lines, code = run_import(site)
    assert code == 1
    assert failure_reason(lines, "sparse.md") == "file is larger than 2 MiB (5,368,709,120 bytes)"
    assert failure_reason(lines, "large.md").startswith("file is larger than 2 MiB")
    assert lines[-1] == "imported: 1 created, 0 updated, 0 unchanged, 2 failed"


# ---------------------------------------------------------------------------------------------
# one bad file among good ones (finding 5)


def test_undecodable_and_binary_files_are_named_and_the_rest_import(admin_user, site):
    write(site, "latin1.md", "# Caf\xe9\n".encode("latin-1"))
    write(site, "nul.md", b"# Title\n\nText\x00with a NUL\n")
    write(site, "image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(site, "surrogate.md", b"# Encoded surrogate \xed\xa0\x80\n")
    write(site, "escape.md", '---\ntitle: "Lone \\ud800 surrogate"\n---\nBody\n')
    lines, code = run_import(site)
    assert code == 1
    assert failure_reason(lines, "latin1.md") == "not UTF-8 text (byte 5)"
    assert failure_reason(lines, "nul.md") == "binary content (NUL byte at offset 13)"
    assert failure_reason(lines, "image.md").startswith("not UTF-8 text")
    assert failure_reason(lines, "surrogate.md").startswith("not UTF-8 text")
    assert "surrogate" in failure_reason(lines, "escape.md")
    assert lines[-1] == "imported: 1 created, 0 updated, 0 unchanged, 5 failed"
    assert list(Article.objects.values_list("source_path", flat=True)) == ["good.md"]


def test_file_names_that_are_not_text_are_named_escaped(admin_user, site):
    os.close(os.open(os.fsencode(site) + b"/caf\xe9.md", os.O_CREAT | os.O_WRONLY, 0o644))
    write(site, "two\nimported: 99 created, 0 updated, 0 unchanged, 0 failed.md", "# Two\n")
    lines, code = run_import(site)
    assert code == 1
    assert "file name" in failure_reason(lines, "caf\\xe9.md")
    assert "file name" in failure_reason(
        lines, "two\\nimported: 99 created, 0 updated, 0 unchanged, 0 failed.md"
    )
    assert lines[-1] == "imported: 1 created, 0 updated, 0 unchanged, 2 failed"
    assert not any(line.startswith("imported: 99") for line in lines)


def test_an_error_while_rendering_one_file_rolls_it_back_and_the_rest_import(admin_user, site, monkeypatch):
    real = rendering.render_markdown

    def refusing(text: str):
        if "RENDER-BOOM" in text:
            raise RuntimeError("renderer crashed")
        return real(text)

    monkeypatch.setattr(rendering, "render_markdown", refusing)
    write(site, "boom.md", "---\ntitle: Boom\ncategories: [FRESH.CODE]\n---\nRENDER-BOOM\n")
    write(site, "later.md", "# Later\n\nStill imported.\n")
    lines, code = run_import(site)
    assert code == 1
    assert "renderer crashed" in failure_reason(lines, "boom.md")
    assert lines[-1] == "imported: 2 created, 0 updated, 0 unchanged, 1 failed"
    assert sorted(Article.objects.values_list("source_path", flat=True)) == ["good.md", "later.md"]
    assert not Category.objects.exists()


def test_a_file_deleted_while_importing_is_named(admin_user, site, monkeypatch):
    write(site, "z-later.md", "# Later\n")
    real = services.create_article

    def deleting(**kwargs):
        (site / "z-later.md").unlink(missing_ok=True)
        return real(**kwargs)

    monkeypatch.setattr(services, "create_article", deleting)
    lines, code = run_import(site)
    assert code == 1
    assert failure_reason(lines, "z-later.md") == "the file disappeared while importing"
    assert lines[-1] == "imported: 1 created, 0 updated, 0 unchanged, 1 failed"


def test_each_folder_is_listed_when_the_walk_reaches_it_not_all_up_front(admin_user, site, monkeypatch):
    """The walk holds one folder listing at a time: a page added to a later folder while an earlier
    one imports is found, which an up-front list of the whole tree would have missed."""
    write(site, "a/first.md", "# First\n")
    write(site, "z/last.md", "# Last\n")
    real = services.create_article

    def adding(**kwargs):
        write(site, "z/added.md", "# Added\n")
        return real(**kwargs)

    monkeypatch.setattr(services, "create_article", adding)
    lines, code = run_import(site)
    assert code == 0, lines
    assert "z/added.md" in set(Article.objects.values_list("source_path", flat=True))
