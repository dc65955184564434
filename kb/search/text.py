"""Text handling shared by every search backend: normalisation, tokens, query parsing, snippets.

Nothing here knows about an engine. The same rules apply at index time and at query time, so a
word is found the way it was written: Unicode NFKC (full-width letters, ligatures and compatibility
forms become their plain equivalents), case folding, then words for alphabetic scripts and
overlapping character bigrams for scripts written without spaces (Chinese, Japanese, Korean, Thai).

Query parsing is deliberately not a query language: users paste ticket text, so operators,
wildcards, brackets and control characters are taken as plain text and the work is bounded
(at most ``MAX_TERMS`` terms, at most ``MAX_QUERY_CHARS`` characters).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from kb.lib.errors import InvalidInput
from kb.lib.scripts import NOSPACE_MIN, NOSPACE_RE

MAX_QUERY_CHARS = 256
MAX_TERMS = 32

# A token is a run of word characters (letters, digits, marks, connectors) or a run of no-space script
# (kb.lib.scripts), which is then cut into overlapping character bigrams.
_TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "not",
        "of",
        "on",
        "or",
        "our",
        "so",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "we",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
    ]
)


# Unicode categories Cc (controls), Cf (format: bidi overrides, zero-width…), Cs and Co.
_CONTROL_RE = re.compile(
    "[\x00-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\ud800-\udfff\ue000-\uf8ff\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f\U000f0000-\U0010ffff]"
)


def strip_controls(text: str) -> str:
    return _CONTROL_RE.sub(" ", text)


def normalize(text: str) -> str:
    """NFKC + case folding; control and format characters become spaces."""
    return strip_controls(unicodedata.normalize("NFKC", text)).casefold()


class Token(NamedTuple):
    """A NamedTuple rather than a dataclass: indexing makes millions of these, and tuples are cheap."""

    text: str  # normalised word, or a bigram/unigram of a no-space script
    start: int
    end: int
    cjk: bool = False


def _latin(piece: str) -> str:
    piece = piece.replace("’", "'")
    if piece.endswith("'s"):
        piece = piece[:-2]
    return piece.replace("'", "")


def tokens(text: str) -> list[Token]:
    """Split already-normalised text into words and CJK/Thai bigrams, with character offsets."""
    if not text:
        return []
    if max(text) < NOSPACE_MIN and "'" not in text and "’" not in text:
        # no script without spaces and no apostrophes (most text): every match is one plain word
        return [Token(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
    out: list[Token] = []
    append = out.append
    nospace = NOSPACE_RE.search
    for m in _TOKEN_RE.finditer(text):
        word, base = m.group(0), m.start()
        if not nospace(word):  # the common case: one alphabetic word
            piece = _latin(word) if "'" in word or "’" in word else word
            if piece:
                append(Token(piece, base, base + len(word)))
            continue
        pos = 0
        for run_m in NOSPACE_RE.finditer(word):
            i, j = run_m.start(), run_m.end()
            if i > pos:
                piece = _latin(word[pos:i])
                if piece:
                    append(Token(piece, base + pos, base + i))
            run = run_m.group(0)
            if len(run) == 1:
                append(Token(run, base + i, base + j, True))
            else:
                for k in range(len(run) - 1):
                    append(Token(run[k : k + 2], base + i + k, base + i + k + 2, True))
            pos = j
        if pos < len(word):
            piece = _latin(word[pos:])
            if piece:
                append(Token(piece, base + pos, base + len(word)))
    return out


def word_list(text: str) -> list[str]:
    """``[t.text for t in tokens(text)]``, without the offsets (what indexing needs), fast for plain text."""
    if text and max(text) < NOSPACE_MIN and "'" not in text and "’" not in text:
        return _TOKEN_RE.findall(text)
    return [t.text for t in tokens(text)]


def words(text: str) -> list[str]:
    return [t.text for t in tokens(normalize(text))]


# ---------------------------------------------------------------------------------------------
# query parsing


@dataclass
class Clause:
    """One thing the user asked for: a word, a CJK run, or a quoted phrase, with its alternatives.

    ``alternatives[0]`` is what was typed (a tuple of tokens; more than one token means "in this
    order"); synonyms add further alternatives. ``phrase`` marks quoted input (no typo correction,
    no prefix expansion). ``prefix`` marks the last word of an unfinished query (as-you-type).
    """

    alternatives: list[tuple[str, ...]]
    phrase: bool = False
    prefix: bool = False
    cjk: bool = False

    @property
    def typed(self) -> tuple[str, ...]:
        return self.alternatives[0]


@dataclass
class ParsedQuery:
    text: str  # the trimmed query as typed
    clauses: list[Clause] = field(default_factory=list)
    notice: str | None = None
    dropped_terms: int = 0

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    def all_terms(self) -> set[str]:
        return {tok for c in self.clauses for alt in c.alternatives for tok in alt}


def clean_query_text(raw: object) -> str:
    """Validate ``q``: a string of 1–256 characters after trimming (else InvalidInput → 400)."""
    if not isinstance(raw, str):
        raise InvalidInput("Type something to search for.", field="q")
    if len(raw) > MAX_QUERY_CHARS * 8 and len(raw.strip()) > MAX_QUERY_CHARS:  # bound the work below
        raise InvalidInput(f"Search for at most {MAX_QUERY_CHARS} characters.", field="q")
    # control and format characters (NUL, bell, bidi overrides…) become spaces: plain text, storable anywhere
    text = strip_controls(raw).strip()
    if not text:
        raise InvalidInput("Type something to search for.", field="q")
    if len(text) > MAX_QUERY_CHARS:
        raise InvalidInput(
            f"Search for at most {MAX_QUERY_CHARS} characters (this query has {len(text)}).", field="q"
        )
    return text


def parse_query(
    raw: object, *, synonyms: Sequence[Sequence[tuple[str, ...]]] = (), as_you_type: bool = False
) -> ParsedQuery:
    """Turn user text into clauses. Never raises for odd syntax: only for empty or over-long input.

    Balanced double quotes make phrases; everything else (unbalanced quotes, brackets, ``*``, ``?``,
    ``AND``/``OR``/``NOT``, control characters) is plain text. Stop words are dropped unless the
    query consists of nothing else. Terms past the 32nd are ignored and ``notice`` says so.
    """
    text = clean_query_text(raw)
    norm = normalize(text)
    quote_count = norm.count('"')
    pieces: list[tuple[str, bool]] = []  # (text, quoted)
    if quote_count >= 2:
        parts = norm.split('"')
        usable = quote_count if quote_count % 2 == 0 else quote_count - 1
        for i, part in enumerate(parts):
            quoted = i % 2 == 1 and i <= usable
            pieces.append((part, quoted))
    else:
        pieces.append((norm.replace('"', " "), False))

    clauses: list[Clause] = []
    for part, quoted in pieces:
        toks = tokens(part)
        if quoted:
            seq = tuple(t.text for t in toks)
            if seq:
                clauses.append(Clause([seq], phrase=len(seq) > 1, cjk=any(t.cjk for t in toks)))
            continue
        # group consecutive bigrams of one CJK run into one clause (all bigrams, in order)
        i = 0
        while i < len(toks):
            t = toks[i]
            if t.cjk:
                run = [t]
                while i + 1 < len(toks) and toks[i + 1].cjk and toks[i + 1].start == run[-1].start + 1:
                    i += 1
                    run.append(toks[i])
                seq = tuple(x.text for x in run)
                clauses.append(Clause([seq], phrase=len(seq) > 1, cjk=True))
            else:
                clauses.append(Clause([(t.text,)]))
            i += 1

    content = [c for c in clauses if c.phrase or c.cjk or c.typed[0] not in STOP_WORDS]
    if content:
        clauses = content
    notice = None
    dropped = 0
    if len(clauses) > MAX_TERMS:
        dropped = len(clauses) - MAX_TERMS
        clauses = clauses[:MAX_TERMS]
        notice = f"Only the first {MAX_TERMS} terms were searched; {dropped} more were ignored."
    if as_you_type and clauses and not text.endswith((" ", '"')):
        last = clauses[-1]
        if not last.phrase and not last.cjk and len(last.typed[0]) >= 2:
            last.prefix = True
    pq = ParsedQuery(text=text, clauses=clauses, notice=notice, dropped_terms=dropped)
    if synonyms:
        expand_synonyms(pq, synonyms)
    return pq


def expand_synonyms(pq: ParsedQuery, groups: Sequence[Sequence[tuple[str, ...]]]) -> None:
    """Add the other members of a synonym group as alternatives wherever one member was typed.

    A multi-word synonym ("two step") typed as separate words is merged into one clause first, so
    "two step login" becomes [two step | 2fa | mfa] AND [login].
    """
    for group in groups:
        members = list(dict.fromkeys(tuple(m) for m in group if m))
        for member in sorted(members, key=len, reverse=True):
            n = len(member)
            i = 0
            while i + n <= len(pq.clauses):
                if pq.clauses[i].typed == member:
                    window = pq.clauses[i : i + 1]
                else:
                    window = pq.clauses[i : i + n]
                    if not (
                        n > 1
                        and all(len(c.typed) == 1 and not c.phrase for c in window)
                        and tuple(c.typed[0] for c in window) == member
                    ):
                        window = []
                if window:
                    single = len(window) == 1
                    merged = Clause(
                        [member, *[m for m in members if m != member]],
                        phrase=window[0].phrase if single else False,
                        prefix=window[-1].prefix if single else False,
                        cjk=window[0].cjk if single else False,
                    )
                    for c in window:  # keep alternatives from an overlapping group
                        for alt in c.alternatives[1:]:
                            if alt not in merged.alternatives:
                                merged.alternatives.append(alt)
                    pq.clauses[i : i + len(window)] = [merged]
                i += 1


# ---------------------------------------------------------------------------------------------
# documents and snippets

_TAG_RE = re.compile(r"<[^>]+>")
_HEADING_RE = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.IGNORECASE | re.DOTALL)
_BLOCK_RE = re.compile(r"</(p|li|h[1-6]|tr|div|pre|blockquote|td|th)>|<br\s*/?>", re.IGNORECASE)
_SPACE_RE = re.compile(r"\s+")


def html_to_text(markup: str) -> str:
    """Readable plain text from sanitised HTML (blocks become line breaks, entities decoded)."""
    text = _BLOCK_RE.sub("\n", markup or "")
    text = _TAG_RE.sub(" ", text)
    text = html.unescape(text)
    return "\n".join(_SPACE_RE.sub(" ", line).strip() for line in text.splitlines() if line.strip())


def headings_of(markup: str) -> list[str]:
    return [
        _SPACE_RE.sub(" ", html.unescape(_TAG_RE.sub(" ", h))).strip()
        for h in _HEADING_RE.findall(markup or "")
    ]


CLIP_CHARS = 360  # about 60 words: room for the best 36-word window and its context
_SPAN_CHARS = 300


def _densest_start(lower: str, hints: Sequence[str]) -> int:
    """Where to start reading for a snippet: before the stretch of about ``_SPAN_CHARS`` characters
    holding the most different query words (then the most occurrences), or 0 if none occurs."""
    found: list[tuple[int, int]] = []
    for n, hint in enumerate(hints):
        at = lower.find(hint)
        seen = 0
        while at >= 0 and seen < 64:
            found.append((at, n))
            seen += 1
            at = lower.find(hint, at + len(hint))
    if not found:
        return 0
    found.sort()
    best, best_key = found[0][0], (0, 0)
    counts: dict[int, int] = {}
    left = 0
    for right, (pos, n) in enumerate(found):
        counts[n] = counts.get(n, 0) + 1
        while pos - found[left][0] > _SPAN_CHARS:
            m = found[left][1]
            counts[m] -= 1
            if not counts[m]:
                del counts[m]
            left += 1
        key = (len(counts), right - left + 1)
        if key > best_key:
            best_key, best = key, found[left][0]
    return max(0, best - 60)


def make_snippet(
    text: str,
    matches: Callable[[str], bool],
    *,
    width: int = 36,
    analyze: Callable[[str], Iterable[tuple[int, int, str]]] | None = None,
    hints: Iterable[str] = (),
) -> str:
    """The best window of about ``width`` tokens of ``text``, HTML-escaped, matches in ``<mark>``.

    ``analyze(text)`` yields (start, end, key) for every token; ``matches(key)`` says whether a key
    is one of the query's. Everything outside the marks is escaped, so the result is safe HTML.
    """
    if not text:
        return ""
    text = text[:20000]
    if hints and len(text) > 2 * CLIP_CHARS:
        # Tokenise only the stretch where the query's words cluster: long bodies are slow to analyse.
        start = _densest_start(text.lower(), [h for h in hints if h])
        if start:
            cut = text.find(" ", start)
            start = cut + 1 if 0 <= cut < start + 40 else start
        end = min(len(text), start + CLIP_CHARS)
        clipped = make_snippet(text[start:end], matches, width=width, analyze=analyze)
        if clipped and start > 0 and not clipped.startswith("…"):
            clipped = "… " + clipped
        if clipped and end < len(text) and not clipped.endswith("…"):
            clipped += " …"
        return clipped
    if analyze is None:
        norm = normalize(text)
        if len(norm) != len(text):  # offsets would not line up; fall back to the raw text
            norm = text.lower()
        spans = [(t.start, t.end, t.text) for t in tokens(norm)]
    else:
        spans = list(analyze(text))
    if not spans:
        return html.escape(text[:240])
    hit = [matches(key) for _, _, key in spans]
    best_start, best_score = 0, -1
    window_hits = sum(hit[:width])
    best_score = window_hits
    for i in range(1, max(1, len(spans) - width + 1)):
        window_hits += (1 if hit[i + width - 1] else 0) if i + width - 1 < len(spans) else 0
        window_hits -= 1 if hit[i - 1] else 0
        if window_hits > best_score:
            best_score, best_start = window_hits, i
    if best_score > 0:
        # start a little before the first hit in the window for context
        first = next(i for i in range(best_start, min(len(spans), best_start + width)) if hit[i])
        best_start = max(0, min(best_start, first - 4))
    chosen = spans[best_start : best_start + width]
    begin = chosen[0][0] if best_start > 0 else 0
    stop = chosen[-1][1] if best_start + width < len(spans) else len(text)
    out: list[str] = ["… " if begin > 0 else ""]
    # merge overlapping or touching hit spans (CJK bigrams overlap by one character)
    merged: list[list[int]] = []
    for (start, end, _key), is_hit in zip(chosen, hit[best_start : best_start + width], strict=False):
        if not is_hit:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pos = begin
    for start, end in merged:
        out.append(html.escape(text[pos:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        pos = end
    out.append(html.escape(text[pos:stop]))
    if stop < len(text):
        out.append(" …")
    return _SPACE_RE.sub(" ", "".join(out)).strip()
