"""Analysis and schema of the Whoosh index: what a document's fields are and how text becomes terms.

The same chain at index and query time: NFKC + case folding (``kb.search.text``), words for
alphabetic scripts and overlapping bigrams for CJK/Thai, then the Snowball English stemmer for the
ranked fields. ``exact`` keeps unstemmed words: it is the vocabulary for typo correction and for
prefix expansion while typing.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Token, Tokenizer  # noqa: TID251
from whoosh.fields import ID, KEYWORD, STORED, TEXT, FieldType, Schema  # noqa: TID251
from whoosh.formats import Existence, Positions  # noqa: TID251
from whoosh.lang import stemmer_for_language  # noqa: TID251

from kb.search.backends import SearchDoc
from kb.search.text import normalize, tokens, word_list

SCHEMA_VERSION = 5  # a change makes older builds unusable: the worker then rebuilds
SCHEMA_FILE = "kb-schema.json"

# field → weight. Title words matter most; summary, headings, tags and category names next.
FIELD_WEIGHTS = {"title": 4.0, "meta": 2.0, "body": 1.0}


_stem = stemmer_for_language("en")


@functools.lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Snowball English for words of Latin script; CJK bigrams and numbers pass through."""
    if not word.isascii() or not word.isalpha():
        return word
    return _stem(word)


# Indexing analyses each document's title, meta and body for the ranked fields and again, whole, for
# ``exact``. The last few analyses are memoised so each text is tokenised once per process.
_MEMO: dict[str, list[str]] = {}
_MEMO_SIZE = 16
PART_SEP = "\x1f"  # joins a document's parts in ``exact`` (a control character: never a token)


def _analysed(value: str) -> list[str]:
    found = _MEMO.get(value)
    if found is None:
        found = word_list(normalize(value))
        if len(_MEMO) >= _MEMO_SIZE:
            del _MEMO[next(iter(_MEMO))]  # the oldest: the document before this one
        _MEMO[value] = found
    return found


class KBTokenizer(Tokenizer):
    """Words and CJK/Thai bigrams from ``kb.search.text.tokens`` after NFKC + case folding.

    Indexing does not call it token by token: the formats below ask ``words`` for the whole list.
    """

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def words(self, value: str) -> list[str]:
        return _analysed(value)

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.boost = 1.0
        t.stopped = False
        spans = tokens(normalize(value))
        for i, (text, span) in enumerate(zip(self.words(value), spans, strict=False)):
            t.text = text
            if keeporiginal:
                t.original = text  # type: ignore[attr-defined]
            if positions:
                t.pos = start_pos + i
            if chars:
                t.startchar = start_char + span.start
                t.endchar = start_char + span.end
            yield t


class VocabularyTokenizer(KBTokenizer):
    """Each distinct word of a document once (``exact`` records presence, not counts or positions).

    Indexing splits the value on ``PART_SEP`` so that each part reuses the ranked fields' analysis.
    """

    def words(self, value: str) -> list[str]:
        seen: dict[str, None] = {}
        for part in value.split(PART_SEP):
            seen.update(dict.fromkeys(_analysed(part)))
        return list(seen)


class StemmingTokenizer(KBTokenizer):
    """The ranked fields' analyser: KBTokenizer's words, stemmed, in one step (a separate Whoosh
    filter would add a generator hop for each of millions of tokens)."""

    def words(self, value: str) -> list[str]:
        return [stem(w) for w in _analysed(value)]


class KBPositions(Positions):
    """Whoosh's positions format, fed straight from our token lists (no Token objects, no
    generator chain per token: indexing spends most of its time here)."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Any]:
        # (word, frequency, weight, encoded value); Whoosh's annotation says bytes, it yields str
        if not isinstance(analyzer, KBTokenizer):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        poses: dict[str, list[int]] = {}
        for i, text in enumerate(analyzer.words(value)):
            poses.setdefault(text, []).append(i)
        fb = self.field_boost
        for word, poslist in poses.items():
            yield word, len(poslist), len(poslist) * fb, self.encode(poslist)


class KBExistence(Existence):
    """Whoosh's presence-only format, fed straight from our token lists."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Any]:
        # (word, frequency, weight, encoded value); Whoosh's annotation says bytes, it yields str
        if not isinstance(analyzer, KBTokenizer):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        fb = self.field_boost
        for word in set(analyzer.words(value)):
            yield word, 1, fb, b""


STEMMED: Any = StemmingTokenizer()  # a lone tokenizer is a whole analyser in Whoosh
PLAIN: Any = VocabularyTokenizer()


def _ranked(*, stored: bool = False) -> TEXT:
    field = TEXT(analyzer=STEMMED, stored=stored, phrase=True)
    field.format = KBPositions()
    return field


def make_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        version=STORED(),
        digest=STORED(),  # of the fields below: an unchanged document is not written again
        title=_ranked(stored=True),
        meta=_ranked(),
        body=_ranked(stored=True),
        summary=STORED(),
        # the vocabulary for typo correction and prefix expansion: presence only, never scored
        exact=FieldType(KBExistence(), analyzer=PLAIN, scorable=False),
        kind=ID(stored=True),
        catpath=KEYWORD(),
        visibility=KEYWORD(stored=True),
    )


def _doc_fields(doc: SearchDoc) -> dict[str, Any]:
    meta = "\n".join([doc.summary, doc.headings, " ".join(doc.tags), " ".join(doc.category_names)])
    fields = {
        "id": str(doc.article_id),
        "version": doc.version,
        "title": doc.title,
        "meta": meta,
        "body": doc.body,
        "summary": doc.summary,
        "exact": PART_SEP.join([doc.title, meta, doc.body]),
        "kind": doc.kind,
        "catpath": " ".join(doc.category_paths),
        "visibility": " ".join(doc.visibility),
    }
    fields["digest"] = hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:32]
    return fields
