"""Every Markdown render is bounded: rendered, or refused with a message naming the body (issue 12 §3).

These tests assert outcomes, never time. The hard limit is shown by shrinking the timeout: a shape
that only a time limit can stop must then be refused, which proves it went through the limit.
"""

from __future__ import annotations

import pytest

from kb.lib.errors import InvalidInput
from kb.lib.markdown import render_markdown
from tests.conftest import CORPUS


def _refusal(text: str) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        render_markdown(text)
    assert caught.value.field == "body"
    return caught.value


def test_five_thousand_atx_headings_are_refused_with_a_count():
    error = _refusal("# a\n" * 5_000)
    assert "5,000 headings" in error.message


def test_ten_thousand_setext_lines_are_refused_as_headings():
    error = _refusal("a\n=\n" * 5_000 + "b\n-\n" * 5_000)
    assert "headings" in error.message


def test_fifty_thousand_brackets_are_refused_by_name():
    error = _refusal("[" * 50_000)
    assert "square brackets" in error.message


def test_deep_blockquote_nesting_is_refused_by_name():
    error = _refusal(">" * 5_000 + " x")
    assert "nested" in error.message


def test_a_definition_list_that_overflows_the_parser_is_a_refusal_not_a_crash():
    # Python-Markdown recurses once per definition: this raised RecursionError (a 500) in-process.
    error = _refusal("a\n: b\n" * 3_000)
    assert "could not be rendered" in error.message or "in time" in error.message


def test_a_lone_surrogate_in_the_body_is_refused_not_a_crash():
    error = _refusal("hello \ud800 world")
    assert "character" in error.message


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("[ a\n" * 380 + "b" * 15_000, id="unclosed-brackets-before-long-text"),
        pytest.param("# a\n" * 900, id="many-headings-under-the-count"),
        pytest.param("a\n=\n" * 900, id="many-setext-under-the-count"),
        pytest.param("*a" * 9_000, id="emphasis-run"),
        pytest.param(("".join("  " * i + "- x\n" for i in range(30)) + "\n") * 10, id="nested-lists"),
        pytest.param("~#" * 9_000, id="tilde-run"),
    ],
)
def test_every_shape_past_the_small_inline_envelope_runs_under_the_hard_limit(settings, text):
    """With a near-zero time limit these must be refused: none of them is rendered without the limit."""
    settings.KB_MARKDOWN_TIMEOUT_SECONDS = 0.001
    error = _refusal(text)
    assert "in time" in error.message


def test_a_small_ordinary_body_still_renders(settings):
    settings.KB_MARKDOWN_TIMEOUT_SECONDS = 0.001
    rendered = render_markdown(
        "# Reset 2FA\n\n1. Verify identity.\n2. Reset the [factor](https://x.test/).\n"
    )
    assert '<h1 id="h-reset-2fa">Reset 2FA</h1>' in rendered.html
    assert '<a href="https://x.test/" rel="noopener noreferrer">factor</a>' in rendered.html


def test_tabs_and_newlines_in_a_body_are_not_refused():
    rendered = render_markdown("Step\tone\r\nStep two\n\n\tcode\n")
    assert "Step" in rendered.html and "<code>code" in rendered.html


def test_every_corpus_article_renders():
    files = sorted(CORPUS.rglob("*.md"))
    if not files:
        pytest.skip("no corpus next to this checkout")
    refused = []
    for path in files:
        try:
            render_markdown(path.read_text(encoding="utf-8", errors="replace"))
        except InvalidInput as exc:
            refused.append(f"{path.relative_to(CORPUS)}: {exc.message}")
    assert refused == []
