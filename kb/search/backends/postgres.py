"""PostgreSQL full-text backend (``KB_SEARCH_BACKEND=postgres``) for several app servers on one database.

Documents live in ``search_searchdocument`` (model ``SearchDocument``), written by the same outbox
worker as the Whoosh index. Text is pre-tokenised in Python by ``kb.search.text`` (NFKC, case
folding, CJK/Thai bigrams) so both backends see the same tokens, then:

- ``vector``: ``to_tsvector('english', …)`` (Snowball stemming) with weights title A, summary,
  headings, tags and category names B, body D; ranked with ``ts_rank_cd``.
- ``exact``: ``to_tsvector('simple', …)``: unstemmed words, the vocabulary for typo correction
  (read with ``ts_stat`` and cached for a short time; a Levenshtein search runs in Python).

SQL is assembled only from fixed fragments; every user-derived value is a bound parameter.
Prefix matching uses tsquery's ``:*``; phrases use ``<->``. Visibility is a JSONB array checked with
``?|``; categories with ``?`` on the ancestor paths. No extension is required (no unaccent, no pg_trgm).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from kb.search.backends import BackendUnavailable, Filters, Hit, SearchDoc, SearchPage
from kb.search.models import SearchDocument
from kb.search.text import Clause, ParsedQuery, make_snippet, normalize, tokens

_WORD = re.compile(r"^\w+$", re.UNICODE)
VOCAB_TTL = 30.0
MAX_CANDIDATES = 64  # nearest vocabulary words whose visible frequency one correction counts
NEAR_CACHED = 4096  # typed words whose nearest vocabulary words a process keeps (per snapshot)
SNIPPETS_CACHED = 4096  # (article, version, query words) snippets a process keeps


def _prep(text: str) -> str:
    """The tokens of ``text`` joined by spaces: what PostgreSQL's parser then splits again."""
    return " ".join(t.text for t in tokens(normalize(text)))


def light_stem(word: str) -> str:
    """A crude English suffix strip, used only to decide what to highlight in snippets."""
    for suffix in ("ations", "ation", "ings", "ing", "edly", "ies", "ied", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _levenshtein(a: str, b: str, limit: int) -> int:
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        best = cur[0]
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev[j - 2] + 1 if j >= 2 else cur[j])
            best = min(best, cur[j])
        if best > limit:
            return limit + 1
        prev = cur
    return prev[-1]


class PostgresBackend:
    name = "postgres"

    def __init__(self) -> None:
        self._vocab: dict[str, int] | None = None
        self._vocab_at = 0.0
        # Nearest vocabulary words per typed word, for the vocabulary snapshot above (so it goes with
        # it): the Levenshtein scan is a pure function of the snapshot, and it was most of a search's
        # Python time under load, repeated for every query of the same words (docs/reliability.md §7).
        self._near: dict[tuple[str, int], list[tuple[int, str]]] = {}
        # Snippets per (article, version, query words): a version's text never changes, and making the
        # snippets of a page was 4.3 of a search's 9.4 ms of Python (docs/reliability.md §7).
        self._snippets: dict[tuple[Any, ...], str] = {}
        self._lock = threading.Lock()

    # -- writing --------------------------------------------------------------------------------

    def _check(self) -> None:
        if connection.vendor != "postgresql":
            raise BackendUnavailable("the postgres search backend needs a PostgreSQL database")

    def upsert(self, docs: Sequence[SearchDoc], **_: Any) -> None:
        self._check()
        if not docs:
            return
        with transaction.atomic(), connection.cursor() as cur:
            for doc in docs:
                meta = "\n".join(
                    [doc.summary, doc.headings, " ".join(doc.tags), " ".join(doc.category_names)]
                )
                title_w, meta_w, body_w = _prep(doc.title), _prep(meta), _prep(doc.body)
                SearchDocument.objects.update_or_create(
                    article_id=doc.article_id,
                    defaults={
                        "version": doc.version,
                        "title": doc.title,
                        "summary": doc.summary,
                        "headings": doc.headings,
                        "body": doc.body,
                        "meta": meta,
                        "words": " ".join([title_w, meta_w, body_w]),
                        "kind": doc.kind,
                        "category_paths": doc.category_paths,
                        "visibility": doc.visibility,
                        "updated_at": timezone.now(),
                    },
                )
                cur.execute(
                    "UPDATE search_searchdocument SET "
                    "vector = setweight(to_tsvector('english', %s), 'A') || "
                    "setweight(to_tsvector('english', %s), 'B') || "
                    "setweight(to_tsvector('english', %s), 'D'), "
                    "exact = to_tsvector('simple', words) WHERE article_id = %s",
                    [title_w, meta_w, body_w, doc.article_id],
                )
        self._vocab = None

    def delete(self, article_ids: Sequence[int], **_: Any) -> None:
        self._check()
        if article_ids:
            SearchDocument.objects.filter(article_id__in=list(article_ids)).delete()
            self._vocab = None

    def rebuild(
        self, docs: Iterable[SearchDoc] | Callable[[], Iterable[SearchDoc]], *, processes: int = 1
    ) -> None:
        """Replace every document in one transaction: readers see the old set until it commits
        (``processes`` is for the Whoosh backend; PostgreSQL does the work itself)."""
        self._check()
        source = docs() if callable(docs) else docs
        with transaction.atomic():
            SearchDocument.objects.all().delete()
            batch: list[SearchDoc] = []
            for doc in source:
                batch.append(doc)
                if len(batch) >= 200:
                    self.upsert(batch)
                    batch = []
            self.upsert(batch)

    def create_if_missing(self, docs: Any, *, repair: bool = False, blocking: bool = True) -> bool:
        """The table is made by the migrations and kept by the outbox: there is nothing to create."""
        return False

    # -- reading --------------------------------------------------------------------------------

    def health(self) -> str:
        try:
            self._check()
            with connection.cursor() as cur:
                cur.execute("SELECT 1 FROM search_searchdocument LIMIT 1")
        except BackendUnavailable as exc:
            return f"unavailable: {exc}"
        except Exception as exc:
            return f"unavailable: {type(exc).__name__}"
        return "ok"

    def indexed_state(self) -> dict[int, tuple[int, tuple[str, ...]]]:
        self._check()
        return {
            pk: (int(v), tuple(sorted(vis or [])))
            for pk, v, vis in SearchDocument.objects.values_list("article_id", "version", "visibility")
        }

    def _vocabulary(self) -> dict[str, int]:
        with self._lock:
            if self._vocab is not None and time.monotonic() - self._vocab_at < VOCAB_TTL:
                return self._vocab
            with connection.cursor() as cur:
                cur.execute("SELECT word, ndoc FROM ts_stat('SELECT exact FROM search_searchdocument')")
                self._vocab = {w: int(n) for w, n in cur.fetchall()}
            self._vocab_at = time.monotonic()
            self._near = {}
            return self._vocab

    def _near_words(self, word: str, limit: int) -> list[tuple[int, str]]:
        """(distance, word) of the vocabulary within ``limit`` edits of ``word``, nearest first."""
        vocab = self._vocabulary()
        key = (word, limit)
        found = self._near.get(key)
        if found is None:
            found = []
            for cand in vocab:
                if cand[:1] != word[:1] or abs(len(cand) - len(word)) > limit or not cand.isalpha():
                    continue
                d = _levenshtein(word, cand, limit)
                if 0 < d <= limit:
                    found.append((d, cand))
            found.sort()
            found = found[:MAX_CANDIDATES]
            if len(self._near) >= NEAR_CACHED:
                self._near.clear()  # bounded: typed words are open-ended
            self._near[key] = found
        return found

    @staticmethod
    def _correctable(clause: Clause) -> str | None:
        """The one typed word of a clause that typo correction looks at, if any."""
        if clause.phrase or clause.cjk or len(clause.typed) != 1 or len(clause.alternatives) != 1:
            return None
        word = clause.typed[0]
        return word if len(word) >= 4 and word.isalpha() else None

    def _seen_words(self, clauses: Sequence[Clause], visible: tuple[str, list[Any]]) -> dict[str, int]:
        """How many documents the caller may see hold each correctable typed word: one query for the
        whole query's words, and only for words the vocabulary knows (the others need correcting)."""
        vocab = self._vocabulary()
        asked = list(dict.fromkeys(w for c in clauses if (w := self._correctable(c)) and w in vocab))
        return self._visible_df(asked, visible) if asked else {}

    def _corrections(self, word: str, visible: tuple[str, list[Any]], seen: dict[str, int]) -> list[str]:
        """Close words of the caller's vocabulary, nearest then most frequent first.

        The cached vocabulary of all documents only proposes candidates (it may be up to
        ``VOCAB_TTL`` old); whether the typed word and each candidate occur, and how often, is
        counted in the documents the caller may see (``visible``: SQL and its parameters), so a word
        of an article the caller cannot read neither suppresses nor becomes a correction.
        """
        # Most typed words are spelt right: when the caller can see the word itself (``seen``, counted
        # for the whole query by ``_seen_words``), there is nothing to correct and no candidates to look
        # for. A word the vocabulary does not know yet is counted with its candidates below.
        if seen.get(word):
            return []
        limit = 1 if len(word) < 5 else 2
        near = self._near_words(word, limit)
        counts = self._visible_df([word, *(c for _d, c in near)], visible)
        if counts.get(word):
            return []
        found = sorted((d, -counts[c], c) for d, c in near if counts.get(c))
        if not found:
            return []
        nearest = found[0][0]
        return [c for d, _n, c in found if d == nearest][:2]

    @staticmethod
    def _visible_df(words: list[str], visible: tuple[str, list[Any]]) -> dict[str, int]:
        """word → number of documents the caller may see that contain it (one query)."""
        vis_sql, vis_params = visible
        with connection.cursor() as cur:
            cur.execute(
                "SELECT w, (SELECT count(*) FROM search_searchdocument "  # noqa: S608
                f"WHERE exact @@ plainto_tsquery('simple', w) AND {vis_sql}) "
                "FROM unnest(%s::text[]) AS w",
                [*vis_params, words],
            )
            return {w: int(n) for w, n in cur.fetchall()}

    def _alt_sql(self, alt: tuple[str, ...], prefix: bool = False) -> tuple[str, list[Any]]:
        words = [w for w in alt if _WORD.match(w)]
        if not words:
            return "", []
        if prefix and len(words) == 1:
            return "(plainto_tsquery('english', %s) || to_tsquery('simple', %s))", [words[0], words[0] + ":*"]
        if len(words) == 1:
            return "plainto_tsquery('english', %s)", [words[0]]
        return "phraseto_tsquery('english', %s)", [" ".join(words)]

    def _clause_sql(
        self,
        clause: Clause,
        corrected: dict[str, str],
        visible: tuple[str, list[Any]],
        seen: dict[str, int],
    ) -> tuple[str, list[Any], set[str]]:
        parts: list[str] = []
        params: list[Any] = []
        keys: set[str] = set()
        alts = list(clause.alternatives)
        if self._correctable(clause):
            fixes = self._corrections(clause.typed[0], visible, seen)
            if fixes:
                corrected[clause.typed[0]] = fixes[0]
                alts += [(f,) for f in fixes]
        for i, alt in enumerate(alts):
            sql, p = self._alt_sql(alt, prefix=clause.prefix and i == 0)
            if sql:
                parts.append(sql)
                params += p
                keys.update(alt)
        if clause.cjk and len(clause.typed) == 1 and len(clause.typed[0]) == 1:
            parts.append("to_tsquery('simple', %s)")
            params.append(clause.typed[0] + ":*")
        if not parts:
            return "", [], keys
        return "(" + " || ".join(parts) + ")", params, keys

    def search(
        self,
        query: ParsedQuery,
        *,
        visibility_keys: Sequence[str],
        filters: Filters,
        limit: int,
        offset: int,
        exclude: Sequence[int] = (),
    ) -> SearchPage:
        self._check()
        if query.is_empty or not visibility_keys:
            return SearchPage(hits=[], count=0)
        # what the caller may see: their visibility keys, less the entries the database no longer confirms
        vis_sql = "visibility::jsonb ?| %s"
        vis_params: list[Any] = [list(visibility_keys)]
        if exclude:
            vis_sql += " AND NOT (article_id = ANY(%s))"
            vis_params.append([int(i) for i in exclude])
        corrected: dict[str, str] = {}
        clause_sql: list[tuple[str, list[Any]]] = []
        keys: set[str] = set()
        prefixes: set[str] = set()
        seen = self._seen_words(query.clauses, (vis_sql, vis_params))
        for clause in query.clauses:
            sql, params, k = self._clause_sql(clause, corrected, (vis_sql, vis_params), seen)
            if sql:
                clause_sql.append((sql, params))
                keys |= k
                if clause.prefix:
                    prefixes.add(clause.typed[0])
        if not clause_sql:
            return SearchPage(hits=[], count=0)
        q_sql = "(" + " || ".join(s for s, _ in clause_sql) + ")"
        q_params = [p for _, ps in clause_sql for p in ps]
        cat_sql, cat_params = (
            ("category_paths::jsonb ? %s", [filters.category]) if filters.category else ("", [])
        )
        kind_sql, kind_params = ("kind = %s", [filters.kind]) if filters.kind else ("", [])

        def where(*extra: tuple[str, list[Any]]) -> tuple[str, list[Any]]:
            conds = [f"vector @@ {q_sql}", vis_sql]
            params = [*q_params, *vis_params]
            for sql, p in extra:
                if sql:
                    conds.append(sql)
                    params += p
            return " AND ".join(conds), params

        n = len(clause_sql)
        coverage = " + ".join(f"(vector @@ {s})::int" for s, _ in clause_sql)
        cov_params = [p for _, ps in clause_sql for p in ps]
        w_sql, w_params = where((cat_sql, cat_params), (kind_sql, kind_params))
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT article_id, ts_rank_cd('{{0.1, 0.2, 0.5, 1.0}}', vector, {q_sql}, 1) "  # noqa: S608
                f"* power(0.35 + 0.65 * ({coverage})::float / {n}, 2) AS score, version, summary, body "
                f"FROM search_searchdocument WHERE {w_sql} "
                "ORDER BY score DESC, article_id LIMIT %s OFFSET %s",
                [*q_params, *cov_params, *w_params, limit, offset],
            )
            rows = cur.fetchall()
            # The kind facet is counted within the category filter; the count is then the chosen
            # kind's (or all of them): one scan fewer than counting apart.
            k_sql, k_params = where((cat_sql, cat_params))
            cur.execute(
                f"SELECT kind, count(*) FROM search_searchdocument WHERE {k_sql} GROUP BY kind",  # noqa: S608
                k_params,
            )
            kinds = {kind: int(n) for kind, n in cur.fetchall()}
            count = kinds.get(filters.kind, 0) if filters.kind else sum(kinds.values())
            c_sql, c_params = where((kind_sql, kind_params))
            cur.execute(
                "SELECT p, count(*) FROM search_searchdocument, "  # noqa: S608
                f"jsonb_array_elements_text(category_paths::jsonb) p WHERE {c_sql} GROUP BY p",
                c_params,
            )
            cats = dict(cur.fetchall())
            suggestion = None
            useful = {}
            for word, fix in corrected.items():
                cur.execute(
                    "SELECT 1 FROM search_searchdocument "  # noqa: S608
                    f"WHERE exact @@ plainto_tsquery('simple', %s) AND {vis_sql} LIMIT 1",
                    [fix, *vis_params],
                )
                if cur.fetchone():
                    useful[word] = fix
            if useful:
                suggestion = " ".join(
                    useful.get(normalize(w).strip("\"'()*?.,;:!"), w) for w in query.text.split()
                )

        stems = {light_stem(k) for k in keys}
        decided: dict[str, bool] = {}  # a body repeats its words: decide each once per search

        def matches(key: str) -> bool:
            known = decided.get(key)
            if known is None:
                known = decided[key] = (
                    key in keys or light_stem(key) in stems or any(key.startswith(p) for p in prefixes)
                )
            return known

        hits = []
        words = (tuple(sorted(keys)), tuple(sorted(prefixes)))
        hints = sorted({k[:5] for k in keys if len(k) >= 2})
        for article_id, score, version, summary, body in rows:
            key = (article_id, version, words)
            snippet = self._snippets.get(key)
            if snippet is None:
                snippet = make_snippet(body or "", matches, hints=hints)
                if "<mark>" not in snippet and summary:
                    alt = make_snippet(summary, matches)
                    snippet = alt if "<mark>" in alt or not snippet else snippet
                if len(self._snippets) >= SNIPPETS_CACHED:
                    self._snippets.clear()
                self._snippets[key] = snippet
            hits.append(Hit(article_id=int(article_id), score=round(float(score) * 100, 4), snippet=snippet))
        return SearchPage(
            hits=hits,
            count=count,
            facets={
                "kind": dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
                "category": dict(sorted(cats.items(), key=lambda kv: (-kv[1], kv[0]))),
            },
            suggestion=suggestion,
        )
