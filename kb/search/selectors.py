"""Reads for search: the search itself (through the access layer), synonyms, and failed searches."""

from __future__ import annotations

import logging
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from kb.articles.access import readable_published_articles
from kb.articles.models import Article, Category, HistoricalArticle, Kind
from kb.articles.selectors import descendant_ids
from kb.lib import rawsql
from kb.lib.errors import InvalidInput
from kb.search.backends import BackendUnavailable, Filters, SearchPage, get_backend
from kb.search.documents import _Categories, visibility_keys_for_user
from kb.search.models import SearchLog, SearchOutbox, Synonym
from kb.search.text import ParsedQuery, make_snippet, normalize, parse_query, words

log = logging.getLogger("kb.search")

MAX_LIMIT = 100
MAX_OFFSET = 10_000
UNCONFIRMED_LISTED = 2_000  # outbox rows checked one by one; a longer backlog is checked in SQL
FALLBACK_NOTICE = (
    "The search index is unavailable, so this is a simpler database search; ranking may be rough."
)


@dataclass
class SearchResult:
    """What a search returns to pages, the API and other apps (hits already hydrated and readable)."""

    query: str
    hits: list[tuple[Article, float, str]]
    count: int
    facets: dict[str, dict[str, int]]
    suggestion: str | None
    notice: str | None
    took_ms: int
    search_id: uuid.UUID | None
    degraded: bool = False
    filters: dict[str, str] = field(default_factory=dict)


# Everyday paraphrases a specialist types mid-ticket; the team's own jargon goes in Synonym rows.
BUILTIN_SYNONYMS: list[list[str]] = [
    ["turn off", "disable", "deactivate", "switch off"],
    ["turn on", "enable", "activate", "switch on"],
    ["delete", "remove", "erase"],
    ["2fa", "two-factor", "two factor", "mfa", "two-step", "2-step"],
    ["log in", "login", "sign in", "signin"],
    ["log out", "logout", "sign out"],
    ["username", "user name", "handle"],
    ["email", "e-mail"],
    ["died", "deceased", "passed away", "death"],
    ["see", "view"],
    ["id", "identifier"],
]


# What a result row shows (API, page, as-you-type, suggestion panel): bodies stay in the database.
def _in_model_order(model: Any, names: tuple[str, ...]) -> tuple[str, ...]:
    """``Model.from_db`` takes a subset of columns in the model's own field order."""
    order = [f.attname for f in model._meta.concrete_fields]
    return tuple(sorted(names, key=order.index))


HIT_ARTICLE_FIELDS = _in_model_order(
    Article, ("id", "slug", "source_path", "published_version", "published_record_id")
)
HIT_RECORD_FIELDS = _in_model_order(
    HistoricalArticle, ("history_id", "title", "kind", "summary", "category_codes", "version")
)


def readable_hits(user: Any, ids: list[int]) -> dict[int, Article]:
    """The articles among ``ids`` that ``user`` may read as published content, with the fields a
    result row shows (``published_record`` attached).

    One query through ``readable_published_articles`` for the real user: the rule is evaluated
    afresh on every search (a compiled copy could outlive a change to the rule). ``from_db`` on the
    value rows keeps the model instances cheap; compiling the query costs ~0.3 ms of a search's time
    (docs/access.md has the figures).
    """
    if not ids or user is None or not getattr(user, "is_authenticated", False):
        return {}
    rows = (
        readable_published_articles(user)
        .filter(pk__in=list(ids))
        .order_by()
        .values_list(*HIT_ARTICLE_FIELDS, *(f"published_record__{name}" for name in HIT_RECORD_FIELDS))
    )
    out = {}
    split = len(HIT_ARTICLE_FIELDS)
    for row in rows:
        article = Article.from_db("default", HIT_ARTICLE_FIELDS, row[:split])
        if row[split] is not None:
            article.published_record = HistoricalArticle.from_db("default", HIT_RECORD_FIELDS, row[split:])
        out[article.pk] = article
    return out


# Synonym groups change a few times a month and are read by every search: each process keeps them
# for SYNONYM_TTL seconds; the services clear this process's copy on every change.
SYNONYM_TTL = 10.0
_synonyms: tuple[float, list[list[tuple[str, ...]]]] | None = None


def forget_synonyms() -> None:
    global _synonyms
    _synonyms = None


def synonym_groups() -> list[list[tuple[str, ...]]]:
    """Every synonym group as token tuples (normalised the way queries are): built-in, then the team's."""
    global _synonyms
    cached = _synonyms
    if cached is not None and time.monotonic() - cached[0] < SYNONYM_TTL:
        return cached[1]
    groups = _load_synonym_groups()
    _synonyms = (time.monotonic(), groups)
    return groups


def _load_synonym_groups() -> list[list[tuple[str, ...]]]:
    groups = []
    for terms in [*BUILTIN_SYNONYMS, *Synonym.objects.values_list("terms", flat=True)]:
        group = [tuple(words(t)) for t in terms if isinstance(t, str)]
        group = [g for g in group if g]
        if len(group) > 1:
            groups.append(group)
    return groups


def unconfirmed_articles(user: Any) -> tuple[int, ...]:
    """Articles whose index entry may be stale (an outbox row not applied yet) and that the access
    layer does not let ``user`` read now: the backend leaves them out of hits, count, facets and
    vocabulary. The outbox is written in the same transaction as every change, so an entry it does
    not name agrees with the database; it is usually empty, and then this costs one small query."""
    pending = set(
        SearchOutbox.objects.order_by().values_list("article_id", flat=True)[: UNCONFIRMED_LISTED + 1]
    )
    if not pending:
        return ()
    readable = readable_published_articles(user)
    if len(pending) > UNCONFIRMED_LISTED:
        rows = SearchOutbox.objects.order_by().exclude(article_id__in=readable.values("pk"))
        return tuple(sorted(set(rows.values_list("article_id", flat=True))))
    confirmed = set(readable.filter(pk__in=pending).values_list("pk", flat=True))
    return tuple(sorted(pending - confirmed))


def clean_filters(*, category: Any = None, kind: Any = None) -> Filters:
    """Validate filter values; unknown ones are a 400 naming the value."""
    filters = Filters()
    if category not in (None, ""):
        code = str(category).strip().upper()
        if not Category.objects.filter(code=code).exists():
            raise InvalidInput(f"Unknown category: {str(category)[:120]}", field="category")
        filters.category = code
    if kind not in (None, ""):
        value = str(kind).strip().lower()
        if value not in Kind.values:
            raise InvalidInput(
                f"Unknown kind: {str(kind)[:40]} (use one of {', '.join(Kind.values)})", field="kind"
            )
        filters.kind = value
    return filters


def search_articles(
    user: Any,
    q: Any,
    *,
    category: Any = None,
    kind: Any = None,
    limit: int = 20,
    offset: int = 0,
    log: bool = True,
    source: str = "api",
    as_you_type: bool = False,
) -> SearchResult:
    """Published articles ``user`` may read that match ``q``, best first, with facets and snippets.

    Raises ``InvalidInput`` for an empty or over-long ``q`` and for unknown filters. Never fails on
    odd query syntax. Results, count, facets, suggestion and the typo/completion vocabulary are
    limited to the caller's visibility keys in the index, less the entries the database does not
    confirm yet (``unconfirmed_articles``); the page's ids are then hydrated through
    ``readable_published_articles``, which has the last word. If the index cannot answer, a
    database search answers with a notice.
    """
    started = time.perf_counter()
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, min(int(offset), MAX_OFFSET))
    pq = parse_query(q, synonyms=synonym_groups(), as_you_type=as_you_type)
    filters = clean_filters(category=category, kind=kind)
    keys = visibility_keys_for_user(user)
    notice = pq.notice
    degraded = False
    try:
        unconfirmed = unconfirmed_articles(user) if keys and not pq.is_empty else ()
        page = get_backend().search(
            pq, visibility_keys=keys, filters=filters, limit=limit, offset=offset, exclude=unconfirmed
        )
    except BackendUnavailable as exc:
        log_reason = str(exc)
        page = _database_search(user, pq, filters, limit=limit, offset=offset)
        notice = " ".join(x for x in (FALLBACK_NOTICE, notice) if x)
        degraded = True
        logging.getLogger("kb.search").warning("search fell back to the database: %s", log_reason)
    except Exception:  # never a 500 because of the index: answer from the database instead
        logging.getLogger("kb.search").exception("search backend failed; database fallback")
        page = _database_search(user, pq, filters, limit=limit, offset=offset)
        notice = " ".join(x for x in (FALLBACK_NOTICE, notice) if x)
        degraded = True

    readable = readable_hits(user, [h.article_id for h in page.hits])
    hits = [(readable[h.article_id], h.score, h.snippet) for h in page.hits if h.article_id in readable]
    count = max(0, page.count - (len(page.hits) - len(hits)))
    took_ms = int((time.perf_counter() - started) * 1000)
    filter_dict = {k: v for k, v in (("category", filters.category), ("kind", filters.kind)) if v}
    search_id: uuid.UUID | None = uuid.uuid4()
    if log and user is not None and getattr(user, "is_authenticated", False):
        entry = rawsql.insert(
            SearchLog(
                id=search_id,
                user=user,
                query=pq.text[:256],
                normalized_query=normalize_for_log(pq.text),
                filters=filter_dict,
                visibility=keys,
                result_count=count,
                source=source if source in SearchLog.Source.values else SearchLog.Source.API,
            )
        )
        search_id = entry.pk
    return SearchResult(
        query=pq.text,
        hits=hits,
        count=count,
        facets=page.facets,
        suggestion=page.suggestion,
        notice=notice,
        took_ms=took_ms,
        search_id=search_id,
        degraded=degraded,
        filters=filter_dict,
    )


def normalize_for_log(text: str) -> str:
    """Group 'Reset 2FA', 'reset  2fa' and 'reset 2FA?' together in the failed-search report."""
    return " ".join(words(text))[:256] or normalize(text).strip()[:256]


# ---------------------------------------------------------------------------------------------
# database fallback


def _cjk_run(bigrams: tuple[str, ...]) -> str:
    return bigrams[0] + "".join(b[-1] for b in bigrams[1:]) if bigrams else ""


def _database_search(user: Any, pq: ParsedQuery, filters: Filters, *, limit: int, offset: int) -> SearchPage:
    """Bounded icontains search over readable published versions, scored by where the words occur."""
    from kb.search.backends import Hit

    qs = readable_published_articles(user).select_related("published_record")
    if filters.category:
        cat = Category.objects.get(code=filters.category)
        qs = qs.filter(categories__id__in=descendant_ids(cat)).distinct()
    if filters.kind:
        qs = qs.filter(published_record__kind=filters.kind)
    needles: list[str] = []
    for clause in pq.clauses:
        for alt in clause.alternatives:
            needles.append(_cjk_run(alt) if clause.cjk else " ".join(alt))
    needles = [n for n in dict.fromkeys(needles) if n][:64]
    cond = Q()
    for n in needles:
        cond |= (
            Q(published_record__title__icontains=n)
            | Q(published_record__summary__icontains=n)
            | Q(published_record__body__icontains=n)
        )
    rows = list(qs.filter(cond)[:1000]) if needles else []
    cats = _Categories()
    scored = []
    kinds: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    for article in rows:
        rec = article.published_record
        if rec is None:
            continue
        title, summary, body = (normalize(x or "") for x in (rec.title, rec.summary, rec.body))
        score = 0.0
        for n in needles:
            score += 3.0 * (n in title) + 1.5 * (n in summary) + min(body.count(n), 5) * 0.3
        scored.append((score, article, rec))
        kinds[rec.kind] += 1
        paths: set[str] = set()
        for code in rec.category_codes or []:
            paths.update(cats.ancestors(code))
        for code in paths:
            categories[code] += 1
    scored.sort(key=lambda x: (-x[0], x[1].pk))
    keys = {n for n in needles}
    hits = []
    for score, article, rec in scored[offset : offset + limit]:
        snippet = make_snippet(rec.summary + "\n" + (rec.body or ""), lambda k: k in keys)
        hits.append(Hit(article_id=article.pk, score=round(score, 3), snippet=snippet))
    return SearchPage(
        hits=hits,
        count=len(rows),
        facets={"kind": dict(kinds.most_common()), "category": dict(categories.most_common())},
    )


# ---------------------------------------------------------------------------------------------
# failed searches


def _bound(value: Any, *, end: bool) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        day = value + timedelta(days=1) if end else value
        return timezone.make_aware(datetime.combine(day, dtime.min), timezone.get_current_timezone())
    return None


def shown_to(viewer: Any) -> Callable[[Any], bool]:
    """Whether a logged search with these visibility keys may be shown to ``viewer`` (the rule of
    every report that lists searches): only if the viewer holds every key the searcher held. The
    operator's own report (``sees_all_articles``, kb_report) sees every search."""
    if getattr(viewer, "sees_all_articles", False):
        return lambda _keys: True
    held = frozenset(visibility_keys_for_user(viewer))

    def shown(keys: Any) -> bool:
        return isinstance(keys, list) and bool(keys) and held.issuperset(keys)

    return shown


def failed_searches(
    *, user: Any, since: Any = None, until: Any = None, limit: int = 50
) -> list[dict[str, Any]]:
    """Searches that found nothing, or whose results nobody opened, grouped by normalised query.

    ``since``/``until`` are dates (both days included, in the current time zone) or datetimes.
    Only leads, trainers and admins (``user.sees_metrics``) get rows; others get an empty list.
    A logged search counts only if ``user`` holds every visibility key its searcher held then
    (``shown_to``): whatever that search could have found, the viewer can read too, so neither the
    query nor its result count tells of an article hidden from the viewer. Sorted by how often the
    query failed, then by how recently.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.sees_metrics:
        return []
    shown = shown_to(user)
    qs = SearchLog.objects.all()
    start, stop = _bound(since, end=False), _bound(until, end=True)
    if start:
        qs = qs.filter(created_at__gte=start)
    if stop:
        qs = (
            qs.filter(created_at__lt=stop)
            if isinstance(until, date) and not isinstance(until, datetime)
            else qs.filter(created_at__lte=stop)
        )
    qs = qs.filter(Q(result_count=0) | Q(opened_article__isnull=True) | Q(not_found=True))
    groups: dict[str, dict[str, Any]] = {}
    cats: dict[str, Counter[str]] = defaultdict(Counter)
    for row in (
        qs.order_by("created_at")
        .values(
            "query",
            "normalized_query",
            "result_count",
            "opened_article_id",
            "not_found",
            "created_at",
            "filters",
            "visibility",
        )
        .iterator()
    ):
        if not shown(row["visibility"]):
            continue
        key = row["normalized_query"] or row["query"].strip().lower()
        g = groups.setdefault(
            key,
            {
                "query": row["query"],
                "count": 0,
                "no_results": 0,
                "not_opened": 0,
                "reported": 0,
                "last_seen": None,
            },
        )
        g["query"] = row["query"]
        g["count"] += 1
        if row["result_count"] == 0:
            g["no_results"] += 1
        elif row["opened_article_id"] is None:
            g["not_opened"] += 1
        if row["not_found"]:
            g["reported"] += 1
        g["last_seen"] = row["created_at"]
        code = (row["filters"] or {}).get("category") if isinstance(row["filters"], dict) else None
        if code:
            cats[key][code] += 1
    out = []
    for key, g in groups.items():
        g["categories"] = dict(cats[key])
        out.append(g)
    out.sort(key=lambda g: (-g["count"], -g["last_seen"].timestamp()))
    return out[: max(1, int(limit))]
