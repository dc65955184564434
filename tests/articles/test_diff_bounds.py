"""The word diff is correct and bounded on any pair of versions (issue 12 §3, CONTRACT §7).

Correct: the equal+insert ops spell the new text, the equal+delete ops the old one. Bounded: no
alignment ever compares more than ``KB_DIFF_MAX_CELLS`` token pairs, whatever the texts are.
"""

from __future__ import annotations

import itertools

import pytest

from kb.articles import diff
from kb.articles.diff import diff_records, word_ops
from kb.articles.models import HistoricalArticle
from tests.conftest import CORPUS


def _sides(ops: list[list[str]]) -> tuple[str, str]:
    old = "".join(text for op, text in ops if op in {"equal", "delete"})
    new = "".join(text for op, text in ops if op in {"equal", "insert"})
    return old, new


def _assert_spells_both(old: str, new: str) -> list[list[str]]:
    ops = word_ops(old, new)
    assert _sides(ops) == (old, new)
    assert all(op in {"equal", "insert", "delete"} and text for op, text in ops)
    return ops


HOSTILE_PAIRS = {
    "many-equal-lines": ("x\n" * 100_000, "y\n" + "x\n" * 99_999),
    "alternating-lines": ("a\nb\n" * 50_000, "b\na\n" * 50_000),
    "blank-lines-between-changes": ("a\n\n" * 40_000, "b\n\n" * 40_000),
    "one-long-line-of-equal-words": ("a " * 50_000, "a " * 49_999 + "b "),
    "shifted-words": ("a b " * 20_000, "b a " * 20_000),
    "cjk": ("密碼重設" * 5_000, "密码重设" * 5_000),
    "empty-to-long": ("", "word " * 20_000),
}


@pytest.mark.parametrize("pair", HOSTILE_PAIRS)
def test_hostile_pairs_diff_into_ops_that_spell_both_versions(pair):
    _assert_spells_both(*HOSTILE_PAIRS[pair])


@pytest.mark.parametrize("pair", HOSTILE_PAIRS)
def test_no_alignment_compares_more_than_the_cell_cap(monkeypatch, settings, pair):
    settings.KB_DIFF_MAX_CELLS = 1_000_000
    sizes: list[int] = []
    real = diff._opcodes

    def measured(a, b):
        sizes.append(len(a) * len(b))
        return real(a, b)

    monkeypatch.setattr(diff, "_opcodes", measured)
    _assert_spells_both(*HOSTILE_PAIRS[pair])
    assert max(sizes, default=0) <= settings.KB_DIFF_MAX_CELLS


def test_a_small_edit_stays_a_word_level_change():
    ops = word_ops("Verify the creator's identity.\n", "Verify the creator's email.\n")
    assert ops == [
        ["equal", "Verify the creator's "],
        ["delete", "identity"],
        ["insert", "email"],
        ["equal", ".\n"],
    ]


def test_a_word_edit_in_a_long_body_stays_word_level():
    lines = [f"Step {i}: check the ticket queue and reply.\n" for i in range(5_000)]
    edited = list(lines)
    edited[2_500] = "Step 2500: check the appeal queue and reply.\n"
    ops = _assert_spells_both("".join(lines), "".join(edited))
    assert ["delete", "ticket"] in ops and ["insert", "appeal"] in ops


def test_corpus_pairs_diff_into_ops_that_spell_both_versions():
    files = sorted(CORPUS.rglob("*.md"))[:60]
    if len(files) < 2:
        pytest.skip("no corpus next to this checkout")
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    for old, new in itertools.pairwise(texts):
        _assert_spells_both(old, new)
    for text in texts[:20]:
        edited = text.replace("the ", "a ", 3).replace("\n\n", "\n\nNew paragraph.\n\n", 1)
        _assert_spells_both(text, edited)


def _record(history_id: int | None, body: str) -> HistoricalArticle:
    record = HistoricalArticle(id=7, version=history_id or 0, title="T", summary="", body=body)
    record.history_id = history_id
    record.category_codes, record.tag_names = [], []
    return record


def test_a_version_pair_is_diffed_once_then_served_from_the_cache(monkeypatch):
    calls: list[tuple[str, str]] = []
    real = diff.word_ops

    def counted(old, new):
        calls.append((old, new))
        return real(old, new)

    monkeypatch.setattr(diff, "word_ops", counted)
    old, new = _record(101, "one two"), _record(102, "one three")
    first = diff_records(old, new)
    after_first = len(calls)
    assert diff_records(old, new) == first
    assert len(calls) == after_first  # served from the cache
    diff_records(old, _record(103, "one four"))
    assert len(calls) > after_first  # another pair is computed


def test_unsaved_text_is_never_cached(monkeypatch):
    old = _record(201, "one two")
    assert diff_records(old, _record(None, "one three"))[2]["ops"][-1] == ["insert", "three"]
    assert diff_records(old, _record(None, "one four"))[2]["ops"][-1] == ["insert", "four"]


@pytest.mark.django_db
def test_api_diff_of_two_long_versions_with_many_equal_lines_spells_both(api, lead, make_article):
    from kb.articles import services

    old_body = "Check the queue.\n\n" * 1_000
    new_body = "Check the queue.\n\n" * 500 + "Check the appeal queue.\n\n" + "Check the queue.\n\n" * 499
    article = make_article(body=old_body)
    services.update_article(
        actor=lead, article=article, base_version=article.version, change_note="x", body=new_body
    )
    response = api(lead).get(f"/api/v1/articles/{article.id}/diff/?from=1&to=2")
    assert response.status_code == 200
    body = next(change for change in response.json()["changes"] if change["field"] == "body")
    assert _sides(body["ops"]) == (old_body, new_body)
    assert ["insert", "appeal "] in body["ops"] or ["insert", " appeal"] in body["ops"]
