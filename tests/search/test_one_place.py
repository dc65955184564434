"""One rule in one place (issue 12 §6): script ranges defined once, search settings read at use."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kb.search.backends import Filters, get_backend
from kb.search.text import parse_query

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    p for d in ("kb", "accounts") for p in (ROOT / d).rglob("*.py") if "migrations" not in p.parts
)

# the first code point of Hiragana, of the CJK unified ideographs and of the Hangul syllables,
# written as a string escape or as a number
SCRIPT_START = re.compile(r"\\u(3040|4e00|ac00)|0x(3040|4e00|ac00)\b", re.IGNORECASE)


def test_the_no_space_script_ranges_are_defined_in_one_module():
    holders = [str(p.relative_to(ROOT)) for p in SOURCES if SCRIPT_START.search(p.read_text())]
    assert holders == ["kb/lib/scripts.py"]


def test_the_search_app_reads_no_environment_variable():
    readers = [
        str(p.relative_to(ROOT))
        for p in SOURCES
        if "kb/search/" in str(p) and re.search(r"os\.environ|getenv", p.read_text())
    ]
    assert readers == []


def test_the_word_diff_cuts_every_no_space_script_a_character_at_a_time():
    from kb.articles.diff import tokenize
    from kb.search.text import tokens

    # the same scripts: search makes bigrams of these runs, the diff single characters
    for run in ("密码重置", "パスワード", "비밀번호", "รหัสผ่าน"):
        assert tokenize(run) == list(run)
        assert next(t.text for t in tokens(run)) == run[:2]


@pytest.mark.django_db
def test_the_result_cache_size_is_read_from_settings_when_used(settings, make_article, index_now):
    make_article("Payout calendar", body="Payouts go out on Mondays.")
    index_now()
    settings.KB_SEARCH_RESULT_CACHE = 0
    backend = get_backend()
    backend.close()
    backend.search(parse_query("payout"), visibility_keys=["public"], filters=Filters(), limit=20, offset=0)
    assert backend._snapshot is not None and backend._snapshot.results._items == {}
