"""Build search documents from the database: the published version only, with its visibility keys."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connection

from accounts.models import User
from kb.articles.models import Article, Category, Status
from kb.articles.selectors import ancestor_codes
from kb.lib import rawsql
from kb.search.backends import SearchDoc
from kb.search.text import headings_of, html_to_text


def visibility_keys_for_user(user: Any) -> list[str]:
    """What a user may see in the index: public articles and those of each of their teams.

    A prefilter only (counts and pages stay honest); hydration through the access rule has the last
    word. Read for the real user on every search: one indexed query, no compiled copy to go stale.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    with connection.cursor() as cursor:
        cursor.execute(_team_ids_sql(), [int(user.pk)])
        return ["public", *[f"team:{tid}" for (tid,) in cursor.fetchall()]]


@functools.cache
def _team_ids_sql() -> str:
    """A user's team ids, written out once: names from the model, the user id bound.

    Every search asks it; the ORM's ``values_list`` cost 0.38 ms of Python to build and compile,
    this 0.08 ms (docs/reliability.md §7). It reads memberships, not articles: which articles a team
    may read is still decided by ``kb.articles.access`` when the hits are hydrated.
    """
    held = User.teams.through
    user_col, team_col = rawsql.columns(held, "user", "team")
    return f"SELECT {team_col} FROM {rawsql.table(held)} WHERE {user_col} = %s ORDER BY {team_col}"  # noqa: S608


def indexable_articles() -> Any:
    """Articles that belong in the index: a published version exists and the article is not archived."""
    return Article.objects.published().filter(published_record__isnull=False)


class _Categories:
    """Category codes → names and ancestor paths, loaded once per batch."""

    def __init__(self) -> None:
        rows = list(Category.objects.values_list("id", "code", "name", "parent_id"))
        self.by_code = {code: (cid, name, parent) for cid, code, name, parent in rows}
        self.code_of = {cid: code for cid, code, _n, _p in rows}

    def ancestors(self, code: str) -> list[str]:
        """``code`` and the categories above it, nearest first (``selectors.ancestor_codes``)."""
        if code not in self.by_code:
            return []
        return [c for c in reversed(ancestor_codes(code)) if c in self.by_code]

    def name(self, code: str) -> str:
        return self.by_code.get(code, (0, "", None))[1]


def build_documents(articles: Iterable[Article], cats: _Categories | None = None) -> Iterator[SearchDoc]:
    cats = cats or _Categories()
    for article in articles:
        record = article.published_record
        if record is None or article.status == Status.ARCHIVED or article.published_version is None:
            continue
        codes = [c for c in (record.category_codes or []) if isinstance(c, str)]
        paths: list[str] = []
        for code in codes:
            for c in cats.ancestors(code):
                if c not in paths:
                    paths.append(c)
        teams = sorted(t.pk for t in article.teams.all())
        body_html = record.body_html or ""
        body = html_to_text(body_html) if body_html else (record.body or "")
        yield SearchDoc(
            article_id=article.pk,
            version=int(record.version),
            title=record.title or "",
            summary=record.summary or "",
            headings="\n".join(headings_of(body_html)),
            body=body,
            tags=[t for t in (record.tag_names or []) if isinstance(t, str)],
            category_codes=codes,
            category_paths=paths,
            category_names=[cats.name(c) for c in paths if cats.name(c)],
            kind=record.kind or article.kind,
            visibility=[f"team:{t}" for t in teams] if teams else ["public"],
        )


def documents_for(article_ids: Sequence[int]) -> tuple[list[SearchDoc], list[int]]:
    """Current documents for these ids, and the ids that must leave the index (gone or unpublished)."""
    qs = indexable_articles().filter(pk__in=list(article_ids)).select_related("published_record")
    docs = list(build_documents(qs.prefetch_related("teams")))
    present = {d.article_id for d in docs}
    return docs, [i for i in article_ids if i not in present]


def all_documents(batch: int = 500) -> Iterator[SearchDoc]:
    """Every indexable article's document, streamed in batches (for rebuilds)."""
    cats = _Categories()
    ids = list(indexable_articles().order_by("pk").values_list("pk", flat=True))
    for i in range(0, len(ids), batch):
        chunk = (
            Article.objects.filter(pk__in=ids[i : i + batch])
            .select_related("published_record")
            .prefetch_related("teams")
            .order_by("pk")
        )
        yield from build_documents(chunk, cats)


def expected_state() -> dict[int, tuple[int, tuple[str, ...]]]:
    """article → (published version, visibility keys) that the index should hold, from the database."""
    from kb.articles.models import Article as A

    teams: dict[int, list[int]] = {}
    for aid, tid in A.teams.through.objects.values_list("article_id", "team_id"):
        teams.setdefault(aid, []).append(tid)
    out = {}
    for pk, version in indexable_articles().values_list("pk", "published_version"):
        keys = tuple(sorted(f"team:{t}" for t in teams.get(pk, []))) or ("public",)
        out[pk] = (int(version), keys)
    return out
