"""The search outbox: durable, transactional notes that an article's index entry must be refreshed.

``enqueue`` runs inside the article service's transaction (registered with ``kb.articles.events``), so
the note commits or rolls back with the change itself. After commit the web process tries to apply
its own notes at once (best effort, short lock wait); ``search_worker`` is what guarantees delivery:
it claims rows, rebuilds each document from the database as it is now, writes through one writer,
and deletes the rows it applied. A failed attempt is recorded (attempts, last_error) and retried later.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from kb.articles import events
from kb.search.backends import BackendUnavailable, get_backend
from kb.search.documents import all_documents, documents_for
from kb.search.models import SearchOutbox

log = logging.getLogger("kb.search")

CLAIM_TTL = timedelta(minutes=2)  # a claim older than this belongs to a worker that died
BATCH = 200


_pending = threading.local()


def enqueue(article_ids: Sequence[int], reason: str = "") -> None:
    """Record that these articles changed (inside the caller's transaction) and try to apply after commit.

    A transaction that changes many articles (an import, the demo) registers one callback per change,
    but the first callback to run applies the rows of all of them in one index write; the others find
    nothing left. Rows of a transaction that rolled back are gone from the table, so a stale note in
    ``_pending`` only makes a later claim find fewer rows.
    """
    ids = sorted({int(i) for i in article_ids})
    if not ids:
        return
    now = timezone.now()
    rows = SearchOutbox.objects.bulk_create(
        [SearchOutbox(article_id=i, reason=reason[:40], created_at=now, available_at=now) for i in ids]
    )
    # Bulk changes (kb_import, kb_demo: ``events.bulk()``) and benchmarks leave the rows to the worker.
    if getattr(settings, "KB_SEARCH_APPLY_ON_COMMIT", True) and not events.in_bulk():
        if not hasattr(_pending, "rows"):
            _pending.rows = []
        _pending.rows.extend(r.pk for r in rows if r.pk is not None)
        transaction.on_commit(_apply_pending)


def _apply_pending() -> None:
    rows = _pending.__dict__.pop("rows", None)
    for start in range(0, len(rows or []), BATCH):
        apply_soon(rows[start : start + BATCH], [])  # type: ignore[index]


def apply_soon(row_ids: list[int] | None, article_ids: list[int]) -> None:
    """Best effort right after commit: a short lock wait; whatever fails stays for the worker."""
    try:
        if row_ids:
            process_outbox(only_rows=row_ids, wait=1.0)
        else:
            process_outbox(only_articles=article_ids, wait=1.0)
    except Exception:  # the worker will retry; never fail the request that already committed
        log.warning("search: immediate index update deferred to the worker", exc_info=True)


def _claim(
    only_rows: list[int] | None, only_articles: list[int] | None, limit: int
) -> tuple[str, list[SearchOutbox]]:
    """Claim up to ``limit`` due rows for this process; two workers never claim the same row."""
    now = timezone.now()
    token = secrets.token_hex(16)
    due = Q(available_at__lte=now) & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TTL))
    base = SearchOutbox.objects.filter(due)
    if only_rows is not None:
        base = base.filter(pk__in=only_rows)
    if only_articles is not None:
        base = base.filter(article_id__in=only_articles)
    if connection.vendor == "postgresql":
        with transaction.atomic():
            ids = list(
                base.select_for_update(skip_locked=True).order_by("id").values_list("pk", flat=True)[:limit]
            )
            if ids:
                SearchOutbox.objects.filter(pk__in=ids).update(claimed_at=now, claim_token=token)
    else:
        # SQLite: a conditional UPDATE is atomic per row; only rows still unclaimed (or expired) are taken.
        ids = list(base.order_by("id").values_list("pk", flat=True)[:limit])
        if ids:
            SearchOutbox.objects.filter(pk__in=ids).filter(due).update(claimed_at=now, claim_token=token)
    if not ids:
        return token, []
    return token, list(SearchOutbox.objects.filter(claim_token=token, pk__in=ids))


def process_outbox(
    *,
    only_rows: list[int] | None = None,
    only_articles: list[int] | None = None,
    limit: int = BATCH,
    wait: float | None = None,
) -> int:
    """Apply one batch of due outbox rows; returns how many rows were applied (0: nothing to do)."""
    token, rows = _claim(only_rows, only_articles, limit)
    if not rows:
        return 0
    article_ids = sorted({r.article_id for r in rows})
    try:
        docs, gone = documents_for(article_ids)
        backend = get_backend()
        try:
            _apply(backend, docs, gone, wait)
        except BackendUnavailable as exc:
            if "missing" not in str(exc) and "schema" not in str(exc):
                raise
            # No usable index: build a complete one from the database (it includes these rows'
            # state). If another process built one meanwhile, its build may predate these rows.
            if not backend.create_if_missing(all_documents):
                _apply(backend, docs, gone, wait)
    except Exception as exc:
        SearchOutbox.objects.filter(claim_token=token).update(
            claimed_at=None,
            claim_token="",
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        _bump_attempts(token_rows=[r.pk for r in rows])
        raise
    SearchOutbox.objects.filter(pk__in=[r.pk for r in rows], claim_token=token).delete()
    return len(rows)


def _apply(backend, docs, gone, wait) -> None:  # type: ignore[no-untyped-def]
    if getattr(backend, "name", "") == "whoosh":
        backend.upsert(docs, wait=wait)
        backend.delete(gone, wait=wait)
    else:
        backend.upsert(docs)
        backend.delete(gone)


def _bump_attempts(*, token_rows: list[int]) -> None:
    now = timezone.now()
    for row in SearchOutbox.objects.filter(pk__in=token_rows):
        row.attempts += 1
        row.available_at = now + timedelta(seconds=min(60, 2**row.attempts))
        row.save(update_fields=["attempts", "available_at"])


def drain(*, max_batches: int = 10_000) -> int:
    """Apply everything due now (``search_worker --once``). Returns rows applied."""
    total = 0
    for _ in range(max_batches):
        try:
            n = process_outbox()
        except Exception:
            log.exception("search: outbox batch failed; will retry")
            break
        if not n:
            break
        total += n
    return total


def pending_count() -> int:
    return SearchOutbox.objects.count()


def ensure_index(*, repair: bool = False, blocking: bool = True, max_articles: int | None = None) -> bool:
    """Build the index from the database if there is none usable (CONTRACT §5: a fresh install needs
    no manual step). True if this call built it. ``max_articles``: leave larger databases to the
    worker (a web request must not spend minutes building). Never raises: health reports the rest."""
    from kb.search.documents import indexable_articles

    try:
        if max_articles is not None and indexable_articles().count() > max_articles:
            return False
        return get_backend().create_if_missing(all_documents, repair=repair, blocking=blocking)
    except Exception:
        log.exception("search: could not create the missing index")
        return False


def rebuild_index(*, processes: int = 1) -> int:
    """Build a fresh index from the database and swap it in; returns the number of documents.

    ``processes`` > 1 forks analysers (Whoosh): only from a single-threaded command.
    """
    count = 0

    def docs():  # type: ignore[no-untyped-def]
        nonlocal count
        for doc in all_documents():
            count += 1
            yield doc

    get_backend().rebuild(docs, processes=processes)
    return count
